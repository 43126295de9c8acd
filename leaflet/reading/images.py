"""Check image files before layout: a local file in an allowed folder, a readable PNG or JPEG, not enormous."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

MAX_PIXELS = 25_000_000  # 5000 x 5000; an A4 page at 300 dpi needs under 9 million
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
        return _find(name, [root.resolve() for root in roots], kind)
    except (OSError, RuntimeError) as exc:  # a name too long for the file system, a loop of links
        return Problem(f"cannot open {kind} '{name}' ({getattr(exc, 'strerror', None) or exc})")


def _find(name: str, folders: list[Path], kind: str) -> Path | Problem:
    written = Path(os.path.normpath(folders[0] / name))  # '..' removed, links not followed
    target = written.resolve()
    if not any(target.is_relative_to(folder) for folder in folders):
        allowed = "the style's folder" if kind == "logo" else "the content's folder"
        if len(folders) > 1:
            allowed += " or the style's folder"
        if any(written.is_relative_to(folder) for folder in folders):
            return Problem(f"{kind} '{name}' is a link to a file outside {allowed}", "copy the file itself there")
        return Problem(f"{kind} '{name}' is outside {allowed}", f"copy the {kind} into {allowed}")
    if not target.exists():
        owner = "style file" if kind == "logo" else "content file"
        return Problem(f"{kind} file '{name}' not found", f"check the file name; paths are relative to the {owner}")
    if not target.is_file():
        return Problem(f"{kind} '{name}' is a folder, not a file", "give the path of a PNG or JPEG file")
    problem = inspect_image(target, name, kind)
    return problem if problem else target


def inspect_image(path: Path, name: str, kind: str = "image") -> Problem | None:
    """Why the file cannot be used as an image, or None. Reads the size from the header before decoding."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            if image.format not in FORMATS:
                return Problem(f"{kind} '{name}' is a {image.format} image", "save it as PNG or JPEG")
            width, height = image.size
            if width < 1 or height < 1 or width * height > MAX_PIXELS:
                return Problem(
                    f"{kind} '{name}' is {width:,} x {height:,} pixels; the limit is {MAX_PIXELS // 1_000_000} million",
                    SCALE_HINT,
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
