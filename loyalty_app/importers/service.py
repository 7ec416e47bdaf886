"""The importers as one service: POS exports into the shop, the watch folder, saved column mappings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from loyalty_app.importers import presets
from loyalty_app.importers.deps import ImportDeps
from loyalty_app.importers.engine import import_file
from loyalty_app.importers.options import Cancelled, ImportOptions, ImportSummary, Progress
from loyalty_app.importers.watch_folder import FolderResult, scan_folder


@dataclass(frozen=True)
class ImportService(ImportDeps):
    """Every import operation of one open shop (a long import runs through loyalty_app.jobs on its own
    connection)."""

    def import_file(self, file: Path | str, options: ImportOptions | None = None, *,
                    progress: Progress | None = None, cancelled: Cancelled | None = None) -> ImportSummary:
        """Import one POS export: sales in batches, every row not imported listed in the report."""
        return import_file(self, Path(file), options or ImportOptions(), progress=progress, cancelled=cancelled)

    def scan_folder(self, folder: Path | str, options: ImportOptions | None = None) -> list[FolderResult]:
        """One pass over a watch folder: each export imported, then moved to imported/ or failed/."""
        return scan_folder(self, Path(folder), options)

    def save_preset(self, name: str, fmt: str, mapping: dict[str, str], day_first: bool | None) -> None:
        presets.save_preset(self, name, fmt, mapping, day_first)

    def get_preset(self, name: str) -> presets.Preset:
        return presets.get_preset(self, name)

    def list_presets(self) -> list[presets.Preset]:
        return presets.list_presets(self)

    def watch_folder(self) -> str | None:
        return presets.watch_folder(self)

    def set_watch_folder(self, folder: str | None) -> None:
        presets.set_watch_folder(self, folder)
