"""Render page 1 of each built PDF to a PNG preview (a developer tool: `make previews`)."""

from __future__ import annotations

import sys
from pathlib import Path

PREVIEW_DPI = 60


def render_previews(pdf_dir: Path, out_dir: Path) -> list[Path]:
    import pypdfium2

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for pdf_path in sorted(pdf_dir.glob("*.pdf")):
        document = pypdfium2.PdfDocument(pdf_path)
        try:
            image = document[0].render(scale=PREVIEW_DPI / 72).to_pil()
        finally:
            document.close()
        target = out_dir / f"{pdf_path.stem}.png"
        image.convert("P", palette=1, colors=64).save(target, optimize=True)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m leaflet.previews PDF_DIR OUT_DIR", file=sys.stderr)
        return 2
    for path in render_previews(Path(args[0]), Path(args[1])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
