"""A folder the owner drops exports into: each is imported, then moved to imported/ or failed/ with its report."""

from __future__ import annotations

import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from loyalty_app.errors import LoyaltyError
from loyalty_app.importers.deps import ImportDeps
from loyalty_app.importers.engine import ImportOptions, import_file

PATTERNS = ("*.csv", "*.CSV", "*.txt", "*.tsv")


@dataclass
class FolderResult:
    file: str
    format: str
    status: str  # done | failed | cancelled
    moved_to: str
    report: str | None
    error: str | None = None
    lines_imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    skipped: int = 0
    warnings: int = 0
    customers_created: int = 0
    customers_linked: int = 0
    products_created: int = 0
    dry_run: bool = False


def _ready(folder: Path) -> list[Path]:
    """Files in the folder itself, oldest first; reports and hidden/partial files are left alone."""
    files = {p for pat in PATTERNS for p in folder.glob(pat) if p.is_file()}
    return sorted((p for p in files if not p.name.startswith(".") and not p.stem.endswith("-report")),
                  key=lambda p: (p.stat().st_mtime, p.name))


def _move(path: Path, dest_dir: Path) -> Path:
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / path.name
    n = 1
    while target.exists():
        target = dest_dir / f"{path.stem}-{n}{path.suffix}"
        n += 1
    shutil.move(str(path), target)
    return target


def scan_folder(shop: ImportDeps, folder: Path, options: ImportOptions | None = None) -> list[FolderResult]:
    """One pass over the folder: import each export with the given options (format auto unless set)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise LoyaltyError(f"{folder} is not a folder")
    results = []
    for path in _ready(folder):
        base = options or ImportOptions()
        opts = ImportOptions(**{**base.__dict__, "report": None, "dry_run": False})
        report = path.with_name(f"{path.stem}-report.csv")
        opts.report = report
        try:
            s = import_file(shop, path, opts)
        except LoyaltyError as exc:
            moved = _move(path, folder / "failed")
            note = moved.with_name(f"{moved.stem}-report.csv")
            note.write_text(f"Row,Level,Reason\n0,failed,\"{str(exc).replace(chr(34), chr(39))}\"\n",
                            encoding="utf-8-sig")
            results.append(FolderResult(path.name, "?", "failed", str(moved), str(note), str(exc)))
            continue
        dest = folder / ("imported" if s.status == "done" else "failed")
        moved = _move(path, dest)
        moved_report = None
        if report.exists():
            moved_report = str(_move(report, dest))
        counts = {k: v for k, v in asdict(s).items() if k in FolderResult.__dataclass_fields__}
        counts.update(file=path.name, status=s.status, moved_to=str(moved), report=moved_report)
        results.append(FolderResult(**counts))
    return results
