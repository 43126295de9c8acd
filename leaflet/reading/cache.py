"""What leaflet keeps between runs (the syllable table, fonts cut for web pages, compiled templates): where, safely."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def user_cache() -> Path | None:
    """leaflet/ in the user's cache folder: $XDG_CACHE_HOME, else ~/.cache; None without a home to put it in."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec says to ignore a relative path
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "leaflet" if os.path.isabs(base) else None


def cache_folder(kind: str) -> Path | None:
    """Where things of this kind are kept: under $LEAFLET_CACHE, else under the user's cache (user_cache); None
    (nothing kept) when LEAFLET_CACHE is set but empty. Everything there can be deleted at any time."""
    chosen = os.environ.get("LEAFLET_CACHE")
    if chosen is not None:
        return Path(chosen) / kind if chosen else None
    base = user_cache()
    return base / kind if base is not None else None


def keep(entry: Path, data: bytes) -> None:
    """Write a cache entry whole or not at all; a cache that cannot be written only makes the next run slower."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=entry.parent)
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, entry)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
