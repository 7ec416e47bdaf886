"""What the import wizard shows before anything is written: the file's columns, its format, its first rows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from loyalty_app.importers.csv_reader import CsvSource
from loyalty_app.importers.detect import detect_format
from loyalty_app.importers.generic import FIELDS

FORMAT_NAMES = {
    "square-items": "Square Items (item sales detail)", "square-transactions": "Square Transactions",
    "square-customers": "Square customer directory", "shopify-orders": "Shopify orders",
    "shopify-customers": "Shopify customers", "loyverse-items": "Loyverse receipts by item",
    "generic": "CSV with a column mapping",
}
MAPPABLE = FIELDS


@dataclass(frozen=True)
class FileInfo:
    path: Path
    header: list[str]
    format: str | None  # None: only a column mapping can read it
    preview: list[list[str]]
    encoding: str
    delimiter: str

    @property
    def format_name(self) -> str:
        return FORMAT_NAMES.get(self.format or "", "not recognised: map its columns")


def inspect_file(path: Path | str, rows: int = 10) -> FileInfo:
    """Header, detected format and the first rows; LoyaltyError when the file cannot be read at all."""
    src = CsvSource(path)
    preview = src.preview(rows)
    return FileInfo(Path(path), src.header, detect_format(src.header), preview, src.encoding, src.delimiter)
