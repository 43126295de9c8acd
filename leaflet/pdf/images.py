"""Images at print resolution: anything sharper than 300 dpi at its printed size is downsampled before embedding."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import LeafletError, Location
from ..reading.images import Problem, quiet_pillow, read_image

if TYPE_CHECKING:
    from PIL import Image as PILImage

PRINT_DPI = 300
EXIF_ORIENTATION = 0x0112
_KEPT_MODES = ("1", "L", "LA", "RGB", "RGBA", "CMYK", "P")  # modes ReportLab embeds as they are
_WIDE_MODES = ("I", "I;16", "I;16B", "I;16L", "I;16N", "F")  # 16-bit and float grey: 0 to 65535, not 0 to 255


def print_ready(
    path: str, printed_size: Callable[[int, int], tuple[float, float]], where: Location | None, key_path: str = ""
) -> tuple[io.BytesIO, float, float]:
    """The image file at path as it is to be embedded, and its printed width and height in points.

    printed_size(pixel width, pixel height) gives the printed size, in points, of an image with that many
    pixels (upright, as its EXIF orientation says). An image with more pixels than 300 dpi needs is scaled
    down with Pillow (a PDF to email stays small); JPEG photos stay JPEG, everything else becomes PNG,
    which keeps transparency and flat colours exact. The bytes go to the PDF as read, never by file name, so
    the PDF does not depend on where the file is. The file was checked when the content was read: if it
    cannot be used now, it changed during the build (LeafletError at where).
    """
    from PIL import Image

    name = Path(path).name
    data = read_image(path, name)
    try:
        if isinstance(data, Problem):
            raise ValueError(data.message)
        with quiet_pillow(), Image.open(io.BytesIO(data)) as opened:
            image: PILImage.Image = opened
            turned = image.getexif().get(EXIF_ORIENTATION, 1) not in (1, None)
            width, height = image.size
            if turned:
                from PIL import ImageOps

                image = ImageOps.exif_transpose(image)
                width, height = image.size
            printed = printed_size(width, height)
            wanted = tuple(max(1, round(points / 72 * PRINT_DPI)) for points in printed)
            new_size = (min(width, wanted[0]), min(height, wanted[1]))
            if new_size == (width, height) and not turned and image.mode in _KEPT_MODES:
                return io.BytesIO(data), *printed
            is_jpeg = opened.format == "JPEG"
            image = _embeddable(image)
            # reducing_gap: a box filter first, so a row of 25 million pixels is not a 12,500-pixel kernel a pixel
            smaller = (
                image.resize(new_size, Image.Resampling.LANCZOS, reducing_gap=3.0) if new_size != image.size else image
            )
            buffer = io.BytesIO()
            if is_jpeg and smaller.mode in ("L", "RGB", "CMYK"):
                smaller.save(buffer, "JPEG", quality=88, optimize=True)
            else:
                smaller.save(buffer, "PNG", optimize=True)
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise LeafletError.single(
            f"image '{name}' cannot be used any more ({error}): it was checked when the content was read",
            where,
            key_path,
            "it was changed or deleted during the build: put it back and build again",
        ) from None
    buffer.seek(0)
    return buffer, *printed


def _embeddable(image: PILImage.Image) -> PILImage.Image:
    """The image in a mode that resizes well and that ReportLab embeds faithfully."""
    if image.mode in _WIDE_MODES:  # ReportLab (and a plain convert) would clip every tone above 255 to white
        high = image.getextrema()[1]
        top = 65535 if image.mode.startswith("I;16") or (isinstance(high, (int, float)) and high > 255) else 255
        return image.convert("I").point(lambda value: value * (255 / top)).convert("L")
    if image.mode in ("1", "L", "LA", "RGB", "RGBA", "CMYK"):
        return image
    return image.convert("RGBA" if "transparency" in image.info or "A" in image.mode else "RGB")
