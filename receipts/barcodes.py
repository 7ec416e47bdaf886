"""Card barcodes as PNG images (python-barcode), for screens and printers that take images."""

from __future__ import annotations

import io

from barcode import EAN13
from barcode.writer import ImageWriter


def ean13_png(number: str, module_height_mm: float = 12.0) -> bytes:
    """A 13-digit EAN card number (check digit included) as a PNG."""
    buf = io.BytesIO()
    EAN13(number[:12], writer=ImageWriter()).write(buf, options={"module_height": module_height_mm,
                                                                  "font_size": 8, "text_distance": 3,
                                                                  "quiet_zone": 4})
    return buf.getvalue()
