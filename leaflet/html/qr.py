"""The QR code of the leaflet's web address as inline SVG, from the same encoder and error correction as the PDF's."""

from __future__ import annotations

from ..reading.qr import qr_matrix

QUIET_ZONE = 2  # modules of light border, as in the PDF


def qr_path(url: str) -> tuple[int, str]:
    """The side of the code in modules (quiet zone included) and an SVG path of its dark modules, one horizontal
    run at a time: a few KB for a typical address."""
    matrix = qr_matrix(url)
    commands = []
    for row, cells in enumerate(matrix):
        col = 0
        while col < len(cells):
            if not cells[col]:
                col += 1
                continue
            start = col
            while col < len(cells) and cells[col]:
                col += 1
            commands.append(f"M{start + QUIET_ZONE} {row + QUIET_ZONE}h{col - start}v1h-{col - start}z")
    return len(matrix) + 2 * QUIET_ZONE, "".join(commands)
