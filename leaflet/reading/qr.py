"""The QR code of a leaflet's web address, as modules, from ReportLab's own encoder: what both writers draw."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=32)
def qr_matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    """The QR matrix of url (True = dark) at error correction level M; made once for every variant and format of a
    leaflet that this process writes (encoding takes about 9 ms)."""
    from reportlab.graphics.barcode import qrencoder

    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(url)
    code.make()
    count = code.getModuleCount()
    return tuple(tuple(bool(code.isDark(row, col)) for col in range(count)) for row in range(count))
