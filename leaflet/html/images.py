"""Pictures and the logo for the web page: embedded as data: URLs, scaled down to twice their shown size."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from functools import cache

from ..core.errors import Location
from ..reading.images import quiet_pillow, read_again

CSS_PX_PER_MM = 96 / 25.4
PIXEL_RATIO = 2  # enough pixels for high-density phone screens; more only makes the page heavier
SLACK = 1.25  # an image up to this much larger than needed is embedded as it is, not recompressed
JPEG_QUALITY = 82


@dataclass(frozen=True)
class Picture:
    src: str  # a data: URL
    width: int  # CSS px it is shown at, at most (the page can make it narrower)
    height: int


def css_width(width_mm: float | None, column_px: int) -> int:
    """How wide a picture is shown, in CSS px: its printed width at 96 px to the inch, or the whole column."""
    if width_mm:
        return max(1, min(round(width_mm * CSS_PX_PER_MM), column_px))
    return column_px


@cache
def embedded(
    path: str, shown_width: int = 0, shown_height: int = 0, where: Location | None = None, key_path: str = ""
) -> Picture:
    """The image at path as a data: URL, shown shown_width CSS px wide (or shown_height tall); it is scaled down
    with Pillow when it has more than PIXEL_RATIO times the pixels it needs, and kept as it is when that would not
    make it smaller. JPEG photos stay JPEG; everything else is PNG."""
    from PIL import Image

    original = read_again(path, where, key_path)
    with quiet_pillow(), Image.open(io.BytesIO(original)) as opened:
        image: Image.Image = opened
        width, height = image.size
        if shown_height and not shown_width:
            shown_width = max(1, round(shown_height * width / height))
        shown_width = shown_width or width
        shown_height = max(1, round(shown_width * height / width))
        kind = "jpeg" if image.format == "JPEG" else "png"
        data = original
        wanted = shown_width * PIXEL_RATIO
        if width > wanted * SLACK:
            scaled = _scaled(image, (wanted, max(1, round(height * wanted / width))), kind)
            data = scaled if len(scaled) < len(original) else original
    src = f"data:image/{kind};base64,{base64.b64encode(data).decode('ascii')}"
    return Picture(src, shown_width, shown_height)


def _scaled(image, size: tuple[int, int], kind: str) -> bytes:
    """The image resized to size and encoded as kind."""
    from PIL import Image

    palette = image.mode == "P"
    if image.mode not in ("L", "LA", "RGB", "RGBA"):
        image = image.convert("RGBA" if "transparency" in image.info or "A" in image.mode else "RGB")
    smaller = image.resize(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    if kind == "jpeg" and smaller.mode in ("L", "RGB"):
        smaller.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        if palette and smaller.mode == "RGB":
            smaller = smaller.quantize(256)  # flat-colour drawings stay small
        smaller.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
