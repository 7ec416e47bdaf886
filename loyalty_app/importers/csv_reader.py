"""Reading a POS export as it comes: sniffed encoding and delimiter, quoted newlines, one record at a time."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loyalty_app.errors import ValidationError

SNIFF_BYTES = 1 << 20
DELIMITERS = (",", ";", "\t")
FIELD_LIMIT = 1 << 20  # a megabyte in one cell is a broken file, not a note

csv.field_size_limit(FIELD_LIMIT)


@dataclass(frozen=True)
class BadRecord:
    """A record the CSV parser itself could not read (stray quote, giant field)."""

    row: int
    reason: str
    text: str


def not_a_csv(name: str, head: bytes) -> str | None:
    """Why a file that is not a text CSV cannot be read, in words for the person who saved it; None for a CSV."""
    if head.startswith(b"PK\x03\x04"):
        return (f"{name} is a spreadsheet workbook (Excel .xlsx or OpenDocument .ods), not a CSV: open it and save "
                "it as 'CSV UTF-8 (comma delimited)', then import that file. Nothing was imported.")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return (f"{name} is an old Excel workbook (.xls), not a CSV: open it and save it as 'CSV UTF-8 (comma "
                "delimited)', then import that file. Nothing was imported.")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return (f"{name} is saved as UTF-16 ('Unicode Text'): save it again as 'CSV UTF-8 (comma delimited)', then "
                "import that file. Nothing was imported.")
    return None


def sniff_encoding(head: bytes) -> str:
    """'utf-8-sig' with a BOM, 'utf-8' when the start decodes as UTF-8, else 'cp1252' (Windows Excel)."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sniff window is still UTF-8.
        if exc.start < len(head) - 3:
            return "cp1252"
    return "utf-8"


def sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header into the most columns, counting outside quotes only."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8 in a UTF-8 file are read as Windows-1252 (a row pasted from Excel)."""
    assert isinstance(exc, UnicodeDecodeError)
    return exc.object[exc.start:exc.end].decode("cp1252", errors="replace"), exc.end


FALLBACK = "loyalty-cp1252-fallback"
codecs.register_error(FALLBACK, _cp1252_fallback)


class CsvSource:
    """One export file: ``header`` and ``records()`` yielding (row number, fields) or BadRecord.

    Row numbers count records as a spreadsheet does (the header is row 1), so a quoted newline does not
    shift them and a blank line counts as the empty row it shows as. Lines that are not UTF-8 in a UTF-8 file
    are read as Windows-1252 rather than refused.
    """

    def __init__(self, path: Path | str, *, encoding: str | None = None, delimiter: str | None = None) -> None:
        self.path = Path(path)
        self.size = self.path.stat().st_size
        with self.path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
        refused = not_a_csv(self.path.name, head)
        if refused:
            raise ValidationError(refused)
        self.encoding = encoding or sniff_encoding(head)
        first = head.split(b"\n", 1)[0]
        if self.encoding == "utf-8-sig":
            first = first[3:]
        first_text = self._decode(first)
        self.delimiter = delimiter or sniff_delimiter(first_text)
        self.bytes_read = 0
        self.header: list[str] = []
        self._raw: Any = None  # the binary buffer under the text reader

    def _decode(self, raw: bytes) -> str:
        if self.encoding == "cp1252":
            return raw.decode("cp1252", errors="replace")
        return raw.decode("utf-8", errors=FALLBACK)

    def position(self) -> int:
        """Bytes consumed so far (to the read-ahead buffer), for progress."""
        return self._raw.tell() if self._raw is not None and not self._raw.closed else self.bytes_read

    def records(self) -> Iterator[tuple[int, list[str]] | BadRecord]:
        """The header is read first (``self.header``); then each data record in order."""
        self.bytes_read = 0
        enc = "cp1252" if self.encoding == "cp1252" else self.encoding
        errors = "replace" if enc == "cp1252" else FALLBACK
        with self.path.open("r", encoding=enc, errors=errors, newline="") as fh:
            self._raw = fh.buffer
            reader = csv.reader(fh, delimiter=self.delimiter)
            try:
                header = next(reader)
            except StopIteration:
                raise ValidationError(f"{self.path.name} is empty: it has no header row") from None
            except csv.Error as exc:
                raise ValidationError(f"{self.path.name}: the header row cannot be read ({exc})") from exc
            self.header = [h.strip().strip("\ufeff").strip() for h in header]
            row = 1
            while True:
                row += 1
                try:
                    fields = next(reader)
                except StopIteration:
                    self.bytes_read = self.size
                    return
                except csv.Error as exc:
                    yield BadRecord(row, f"the CSV cannot be read here ({exc})", "")
                    continue
                if not fields or (len(fields) == 1 and not fields[0].strip()):
                    continue  # a blank line: no record, but a row of its own where a spreadsheet shows the file
                yield row, fields

    def read_header(self) -> list[str]:
        for _ in self.records():
            break
        return self.header

    def preview(self, n: int = 10) -> list[list[str]]:
        """The first ``n`` readable data records, for the mapping dialog."""
        out: list[list[str]] = []
        for rec in self.records():
            if isinstance(rec, BadRecord):
                continue
            out.append(rec[1])
            if len(out) >= n:
                break
        return out
