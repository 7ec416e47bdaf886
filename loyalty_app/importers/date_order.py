"""Which way round a file writes its slashed dates (14/03/2026 or 03/14/2026), decided once for the whole file.

Read one row at a time, '05/03/2026' in a file whose other rows say '14/03/2026' would be the 3rd of May while its
neighbours are March: the file is read first, its order taken from the dates that can only be read one way, and
a file that has both kinds is refused before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from loyalty_app.errors import ValidationError
from loyalty_app.importers.csv_reader import BadRecord, CsvSource
from loyalty_app.importers.records import Columns
from loyalty_app.importers.values import DATE_SLASH

ISO_ROWS = 1000  # rows without a slashed date after which a file is taken to write its dates year first
# The columns each format reads its sale's date from (the generic format: the mapped date, or time, column).
DATE_COLUMNS = {
    "square-items": ("Date",),
    "square-transactions": ("Date",),
    "shopify-orders": ("Paid at", "Created at"),
    "loyverse-items": ("Date",),
}


@dataclass(frozen=True)
class DateOrder:
    day_first: bool
    proof: tuple[int, str] | None = None  # the row and date that showed the file's order; None: the shop's own


def date_columns(fmt: str, mapping: dict[str, str]) -> tuple[str, ...]:
    if fmt == "generic":
        return tuple(mapping[k] for k in ("date", "time") if k in mapping)[:1]
    return DATE_COLUMNS.get(fmt, ())


def file_date_order(src: CsvSource, columns: tuple[str, ...], default: bool) -> DateOrder:
    """The order of the file's slashed dates: the one its unambiguous dates show, else ``default``; a
    ValidationError when some dates can only be day-first and others only month-first."""
    header = src.read_header()
    found = Columns(header)
    idx = [i for i in (found.find(c) for c in columns) if i is not None]
    if not idx:
        return DateOrder(default)
    day_first: tuple[int, str] | None = None
    month_first: tuple[int, str] | None = None
    seen: set[str] = set()  # dates (before any time) already looked at: a day's receipts share one
    for rec in src.records():
        if isinstance(rec, BadRecord):
            continue
        row, fields = rec
        if not seen and row > ISO_ROWS:
            break  # no slashed date so far: an ISO file (2026-03-14), whose dates read one way only
        for i in idx:
            cell = fields[i].strip() if i < len(fields) else ""
            date = cell.split(" ", 1)[0]
            if date in seen or not (m := DATE_SLASH.match(cell)):
                continue
            seen.add(date)
            a, b = int(m.group(1)), int(m.group(2))
            if a > 12 >= b and day_first is None:
                day_first = (row, cell)
            elif b > 12 >= a and month_first is None:
                month_first = (row, cell)
        if day_first and month_first:
            raise ValidationError(
                f"the file writes its dates both day first (row {day_first[0]}: '{day_first[1]}') and month first "
                f"(row {month_first[0]}: '{month_first[1]}'), so dates such as 05/03 cannot be read safely: "
                "export it again with one date format. Nothing was imported.")
    if day_first:
        return DateOrder(True, day_first)
    if month_first:
        return DateOrder(False, month_first)
    return DateOrder(default)
