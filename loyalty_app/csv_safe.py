"""Cells for CSV files an owner opens in a spreadsheet: text that would run as a formula is shown as text."""

from __future__ import annotations

import re
from collections.abc import Iterable

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")  # "-7.00" is a number to a spreadsheet, not a formula


def neutralise(text: str) -> str:
    """A leading apostrophe makes a spreadsheet show the text instead of running it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text) else text


def safe_row(cells: Iterable[object]) -> list[object]:
    """A row for csv.writer: numbers stay numbers (a negative amount is a number, not a formula), text is safe."""
    return [c if isinstance(c, int | float) and not isinstance(c, bool) else neutralise(str(c)) for c in cells]
