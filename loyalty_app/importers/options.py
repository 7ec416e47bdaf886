"""What an import is asked to do and what it reports: options, the summary, the row-by-row error report."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from loyalty_app.csv_safe import safe_row
from loyalty_app.importers.records import Problem

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass
class ImportOptions:
    format: str = "auto"
    mapping: dict[str, str] = field(default_factory=dict)
    day_first: bool | None = None  # None: from the shop's region
    dry_run: bool = False
    award_points: bool = True
    report: Path | None = None  # default: <file>-report.csv beside the file, written only when needed
    transactions: Path | None = None  # Square: join the Items export with this Transactions export
    source: str | None = None  # generic CSV: a name for the till, so two tills' receipt numbers never collide
    batch_lines: int = 5000


@dataclass
class ImportSummary:
    file: str
    format: str
    source: str
    dry_run: bool
    status: str = "done"
    rows_read: int = 0
    lines_imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    skipped: int = 0
    warnings: int = 0
    customers_created: int = 0
    customers_linked: int = 0
    products_created: int = 0
    returns_imported: int = 0
    points_awarded: int = 0
    points_reversed: int = 0
    report: str | None = None
    run_id: int | None = None
    seconds: float = 0.0


class DryRun(Exception):
    """Raised at the end of a dry run to roll every write back."""


class ReportWriter:
    """The error report: row number, level, reason, then the row's own cells under the file's header."""

    def __init__(self, path: Path, header: list[str]) -> None:
        self.path = path
        self.header = header
        self._fh: IO[str] | None = None
        self._csv: Any = None

    def write(self, p: Problem) -> None:
        if self._csv is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = self.path.open("w", encoding="utf-8-sig", newline="")
            self._csv = csv.writer(self._fh)
            self._csv.writerow(["Row", "Level", "Reason", *self.header])
        # The fields come from a POS file anyone could have written: never let them run as formulas.
        self._csv.writerow(safe_row([p.row, p.level, p.reason, *[c[:2000] for c in p.fields]]))

    @property
    def written(self) -> bool:
        return self._csv is not None

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()


@dataclass(frozen=True)
class ReportLine:
    """One row an import did not take as it was: its row number in the file (the header is row 1) and why."""

    row: int
    level: str  # 'rejected' | 'skipped' | 'warning'
    reason: str


def read_report(path: str | Path, limit: int = 50) -> tuple[list[ReportLine], int]:
    """The first ``limit`` lines of an import's error report and how many it holds in all (for the wizard)."""
    lines: list[ReportLine] = []
    total = 0
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        rows = csv.reader(fh)
        next(rows, None)  # Row, Level, Reason, then the file's own header
        for cells in rows:
            if len(cells) < 3 or not cells[0].isdigit():
                continue
            total += 1
            if len(lines) < limit:
                lines.append(ReportLine(int(cells[0]), cells[1], cells[2]))
    return lines, total


def default_report_path(file: Path) -> Path:
    return file.with_name(f"{file.stem}-report.csv")
