"""Check image files before layout: a local file in an allowed folder, a readable PNG or JPEG, not enormous."""

from __future__ import annotations

import io
import os
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import LeafletError, Location
from .files import MAX_IMAGE_BYTES, InputError, read_input, resolved

MAX_PIXELS = 25_000_000  # 5000 x 5000; an A4 page at 300 dpi needs under 9 million
MAX_ASPECT = 50  # a picture 50 times as wide as it is tall (or the reverse) prints under 4 mm across at full width
FORMATS = ("PNG", "JPEG")
SCALE_HINT = "scale it down: 2,500 pixels across is plenty for print"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # two letters or more, so C:\ is not a scheme


@dataclass(frozen=True)
class Problem:
    message: str
    hint: str = ""


def find_image(name: str, roots: list[Path], kind: str = "image") -> Path | Problem:
    """The image file that name refers to, relative to roots[0]; it must lie inside one of roots.

    Symbolic links are followed, and the place they lead to must also lie inside one of roots.
    """
    if _SCHEME.match(name) or name.startswith("//"):
        return Problem(
            f"{kind} '{name}' is a URL; {kind}s must be files on this computer (leaflet never uses the network)",
            f"download it and put it in the folder that holds the {'style' if kind == 'logo' else 'content'} file",
        )
    try:
        return _find(name, [resolved(root) for root in roots], kind)
    except InputError as error:  # a loop of links, a name too long for the file system
        return Problem(f"{kind} '{name}' {error.message}", error.hint)


def _find(name: str, folders: list[Path], kind: str) -> Path | Problem:
    written = Path(os.path.normpath(folders[0] / name))  # '..' removed, links not followed
    target = resolved(written)
    if not any(target.is_relative_to(folder) for folder in folders):
        allowed = "the style's folder" if kind == "logo" else "the content's folder"
        if len(folders) > 1:
            allowed += " or the style's folder"
        if any(written.is_relative_to(folder) for folder in folders):
            return Problem(f"{kind} '{name}' is a link to a file outside {allowed}", "copy the file itself there")
        return Problem(f"{kind} '{name}' is outside {allowed}", f"copy the {kind} into {allowed}")
    problem = inspect_image(target, name, kind)
    return problem if problem else target


def read_image(path: str | Path, name: str, kind: str = "image") -> bytes | Problem:
    """The bytes of an image file (a regular file of at most MAX_IMAGE_BYTES), or why it cannot be read."""
    try:
        return read_input(path, MAX_IMAGE_BYTES, "PNG or JPEG file")
    except InputError as error:
        if error.missing:
            owner = "style file" if kind == "logo" else "content file"
            hint = error.meant(name) or f"check the file name; paths are relative to the {owner}"
            return Problem(f"{kind} file '{name}' not found", hint)
        hint = SCALE_HINT if error.reason == "too large" else error.hint
        return Problem(f"{kind} '{name}' {error.message}", hint)


def read_again(path: str, where: Location | None, key_path: str = "") -> bytes:
    """The bytes of an image file checked when the content was read, read again to draw it; if it cannot be
    read now, it changed during the build: a LeafletError at where."""
    data = read_image(path, Path(path).name)
    if isinstance(data, Problem):
        raise changed_during_build(path, data.message, where, key_path)
    return data


def changed_during_build(path: str, reason: object, where: Location | None, key_path: str = "") -> LeafletError:
    return LeafletError.single(
        f"image '{Path(path).name}' cannot be used any more ({reason}): it was checked when the content was read",
        where,
        key_path,
        "it was changed or deleted during the build: put it back and build again",
    )


def inspect_image(path: Path, name: str, kind: str = "image") -> Problem | None:
    """Why the file cannot be used as an image, or None. Reads the size from the header before decoding."""
    data = read_image(path, name, kind)
    if isinstance(data, Problem):
        return data
    if not data:
        return Problem(f"{kind} '{name}' is empty (0 bytes)", "open it in an image editor and save it again")
    return check_image_data(data, name, kind)


@contextmanager
def quiet_pillow() -> Iterator[None]:
    """Pillow warns on stderr about damaged metadata it then ignores ('Corrupt EXIF data'): not for the user."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module=r"PIL\.")
        yield


def check_image_data(data: bytes, name: str, kind: str = "image") -> Problem | None:
    """Why these bytes cannot be used as an image, or None; a damaged file is found here, never in the layout."""
    from PIL import Image, UnidentifiedImageError

    try:
        with quiet_pillow(), Image.open(io.BytesIO(data)) as image:
            if image.format not in FORMATS:
                return Problem(f"{kind} '{name}' is a {image.format} image", "save it as PNG or JPEG")
            width, height = image.size
            if width < 1 or height < 1 or width * height > MAX_PIXELS:
                return Problem(
                    f"{kind} '{name}' is {width:,} x {height:,} pixels; the limit is {MAX_PIXELS // 1_000_000} million",
                    SCALE_HINT,
                )
            if max(width, height) > MAX_ASPECT * min(width, height):
                shape = "wide as it is tall" if width > height else "tall as it is wide"
                return Problem(
                    f"{kind} '{name}' is {width:,} x {height:,} pixels, over {MAX_ASPECT} times as {shape}: printed "
                    "on a page it would be a thin line",
                    "crop it to what it shows, or use a picture of a more usual shape",
                )
            image.load()  # decode now, so a damaged file is reported here and never breaks the layout
    except Image.DecompressionBombError as exc:  # Pillow refuses the very largest before we can ask their size
        pixels = re.search(r"\((\d+) pixels\)", str(exc))
        count = f"{int(pixels.group(1)):,} pixels" if pixels else "too many pixels"
        return Problem(f"{kind} '{name}' has {count}; the limit is {MAX_PIXELS // 1_000_000} million", SCALE_HINT)
    except UnidentifiedImageError:
        return Problem(f"{kind} '{name}' is not a PNG or JPEG image", "open it in an image editor and save it as PNG")
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        return Problem(f"{kind} '{name}' is damaged ({exc})", "open it in an image editor and save it again")
    return None
