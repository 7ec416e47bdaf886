"""Column mappings saved by name, so a shop's own till export is mapped once."""

from __future__ import annotations

from dataclasses import dataclass

from db import import_queries as iq
from db import settings_queries as sq
from loyalty_app.errors import NotFound, ValidationError
from loyalty_app.importers.deps import ImportDeps
from loyalty_app.importers.generic import FIELDS


@dataclass(frozen=True)
class Preset:
    """A saved column mapping: which of the file's columns holds each field."""

    name: str
    format: str
    mapping: dict[str, str]
    day_first: bool | None


def save_preset(shop: ImportDeps, name: str, fmt: str, mapping: dict[str, str], day_first: bool | None) -> None:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("a preset needs a name")
    unknown = [k for k in mapping if k not in FIELDS]
    if unknown:
        raise ValidationError(f"'{unknown[0]}' is not a field to map")
    with shop.ctx.write():
        iq.save_preset(shop.ctx.db, name, fmt, mapping, day_first, shop.ctx.now_iso())


def get_preset(shop: ImportDeps, name: str) -> Preset:
    row = iq.get_preset(shop.ctx.db, name)
    if row is None:
        raise NotFound(f"no mapping preset named '{name}'")
    return Preset(row["name"], row["format"], row["mapping"],
                  None if row["day_first"] is None else bool(row["day_first"]))


def list_presets(shop: ImportDeps) -> list[Preset]:
    return [get_preset(shop, r["name"]) for r in iq.list_presets(shop.ctx.db)]


WATCH_FOLDER_KEY = "import_watch_folder"


def watch_folder(shop: ImportDeps) -> str | None:
    """The folder the desktop app imports dropped exports from, if the owner set one."""
    return shop.ctx.settings.get(WATCH_FOLDER_KEY) or None


def set_watch_folder(shop: ImportDeps, folder: str | None) -> None:
    with shop.ctx.write():
        sq.set_setting(shop.ctx.db, WATCH_FOLDER_KEY, folder or "")
    shop.ctx.reload_settings()
