"""Images at print resolution: anything sharper than 300 dpi at its printed size is downsampled before embedding."""

from __future__ import annotations

import io
import os
from functools import lru_cache

PRINT_DPI = 300


def print_ready(path: str, printed_width_pt: float) -> tuple[str | io.BytesIO, int, int]:
    """The image to embed for path shown printed_width_pt wide, and its pixel size.

    An image with more pixels than 300 dpi needs is scaled down with Pillow (a PDF to email stays small); JPEG
    photos stay JPEG, everything else becomes PNG, which keeps transparency and flat colours exact. The result
    is kept for the other variants of the leaflet (and other leaflets using the picture) built by this process.
    """
    info = os.stat(path)
    data, width, height = _scaled(path, info.st_size, info.st_mtime_ns, printed_width_pt)
    return (path if data is None else io.BytesIO(data)), width, height


@lru_cache(maxsize=64)
def _scaled(path: str, _size: int, _modified: int, printed_width_pt: float) -> tuple[bytes | None, int, int]:
    """The scaled-down file's bytes (None if the picture is used as it is) and pixel size; the file's size and
    modification time are part of the key, so a changed picture is read again."""
    from PIL import Image

    with Image.open(path) as opened:
        image: Image.Image = opened
        width, height = image.size
        wanted = max(1, round(printed_width_pt / 72 * PRINT_DPI))
        if width <= wanted:
            return None, width, height
        new_size = (wanted, max(1, round(height * wanted / width)))
        is_jpeg = image.format == "JPEG"
        if image.mode not in ("1", "L", "LA", "RGB", "RGBA", "CMYK"):
            image = image.convert("RGBA" if "transparency" in image.info or "A" in image.mode else "RGB")
        smaller = image.resize(new_size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    if is_jpeg and smaller.mode in ("L", "RGB", "CMYK"):
        smaller.save(buffer, "JPEG", quality=88, optimize=True)
    else:
        smaller.save(buffer, "PNG", optimize=True)
    return buffer.getvalue(), new_size[0], new_size[1]


def pixel_size(path: str) -> tuple[int, int]:
    """An image file's width and height in pixels (its header alone is read)."""
    from PIL import Image

    with Image.open(path) as image:
        return image.size
