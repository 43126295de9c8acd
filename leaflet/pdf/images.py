"""Images at print resolution: anything sharper than 300 dpi at its printed size is downsampled before embedding."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..core.errors import Location
from ..reading.images import changed_during_build, quiet_pillow, read_again

if TYPE_CHECKING:
    from PIL import Image as PILImage

PRINT_DPI = 300
EXIF_ORIENTATION = 0x0112
_KEPT_MODES = ("1", "L", "LA", "RGB", "RGBA", "CMYK", "P")  # modes ReportLab embeds as they are
_WIDE_MODES = ("I", "I;16", "I;16B", "I;16L", "I;16N", "F")  # 16-bit and float grey: 0 to 65535, not 0 to 255
_FAILURES = (OSError, SyntaxError, ValueError, EOFError)


def upright_size(path: str, where: Location | None, key_path: str = "") -> tuple[int, int]:
    """The width and height in pixels of the image file at path, upright as its EXIF orientation says (only its
    header is decoded)."""
    with _opened(path, where, key_path) as (image, _):
        return _upright(image)[:2]


def _upright(image: PILImage.Image) -> tuple[int, int, bool]:
    """The image's width and height as it is meant to be seen, and whether its EXIF orientation turns it."""
    orientation = image.getexif().get(EXIF_ORIENTATION, 1)
    width, height = image.size
    if orientation in (5, 6, 7, 8):  # a quarter turn either way
        width, height = height, width
    return width, height, orientation not in (1, None)


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
    with _opened(path, where, key_path) as (image, data):
        width, height, turned = _upright(image)
        printed = printed_size(width, height)
        wanted = tuple(max(1, round(points / 72 * PRINT_DPI)) for points in printed)
        new_size = (min(width, wanted[0]), min(height, wanted[1]))
        if new_size == (width, height) and not turned and image.mode in _KEPT_MODES:
            return io.BytesIO(data), *printed
    key = (hashlib.blake2b(data, digest_size=16).digest(), new_size)
    if key not in _converted:  # kept for the other variants built by this process: re-encoding is slow
        try:
            if len(_converted) >= 16:
                _converted.pop(next(iter(_converted)))
            _converted[key] = _convert(data, new_size)
        except _FAILURES as error:
            raise changed_during_build(path, error, where, key_path) from None
    return io.BytesIO(_converted[key]), *printed


_converted: dict[tuple[bytes, tuple[int, int]], bytes] = {}  # (the file's digest, pixel size): embedded bytes


def _convert(data: bytes, size: tuple[int, int]) -> bytes:
    """The image turned upright and scaled to size, as JPEG (a photo) or PNG."""
    from PIL import Image, ImageOps

    with quiet_pillow(), Image.open(io.BytesIO(data)) as opened:
        image: PILImage.Image = ImageOps.exif_transpose(opened) or opened
        image = _embeddable(image)
        # reducing_gap: a box filter first, so a row of 25 million pixels is not a 12,500-pixel kernel a pixel
        smaller = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0) if size != image.size else image
        buffer = io.BytesIO()
        if opened.format == "JPEG" and smaller.mode in ("L", "RGB", "CMYK"):
            smaller.save(buffer, "JPEG", quality=88, optimize=True)
        else:
            smaller.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


@contextmanager
def _opened(path: str, where: Location | None, key_path: str) -> Iterator[tuple[PILImage.Image, bytes]]:
    """The image file at path, opened (lazily: its header only) from its bytes, and the bytes."""
    from PIL import Image

    data = read_again(path, where, key_path)
    try:
        with quiet_pillow(), Image.open(io.BytesIO(data)) as image:
            yield image, data
    except _FAILURES as error:
        raise changed_during_build(path, error, where, key_path) from None


def _embeddable(image: PILImage.Image) -> PILImage.Image:
    """The image in a mode that resizes well and that ReportLab embeds faithfully."""
    if image.mode in _WIDE_MODES:  # ReportLab (and a plain convert) would clip every tone above 255 to white
        high = image.getextrema()[1]
        top = 65535 if image.mode.startswith("I;16") or (isinstance(high, (int, float)) and high > 255) else 255
        return image.convert("I").point(lambda value: value * (255 / top)).convert("L")
    if image.mode in ("1", "L", "LA", "RGB", "RGBA", "CMYK"):
        return image
    return image.convert("RGBA" if "transparency" in image.info or "A" in image.mode else "RGB")
