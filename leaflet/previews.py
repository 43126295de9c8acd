"""Render every page of each built PDF to a small PNG preview (a developer tool: `make previews`)."""

from __future__ import annotations

import sys
from pathlib import Path

PREVIEW_DPI = 40  # small enough to show a whole leaflet in a row, large enough to see the page's shape


def render_previews(pdf_dir: Path, out_dir: Path) -> list[Path]:
    """<stem>-p<N>.png for page N of each PDF in pdf_dir; earlier previews of the same PDFs are removed first,
    so a leaflet that lost a page leaves no stale picture behind."""
    import pypdfium2

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for pdf_path in sorted(pdf_dir.glob("*.pdf")):
        for old in [*out_dir.glob(f"{pdf_path.stem}-p[0-9]*.png"), out_dir / f"{pdf_path.stem}.png"]:
            old.unlink(missing_ok=True)
        document = pypdfium2.PdfDocument(pdf_path)
        try:
            for number, page in enumerate(document, start=1):
                image = page.render(scale=PREVIEW_DPI / 72).to_pil()
                target = out_dir / f"{pdf_path.stem}-p{number}.png"
                image.convert("P", palette=1, colors=64).save(target, optimize=True)
                written.append(target)
        finally:
            document.close()
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
