"""The JSON form of the typed views that cross from loyalty_app to the command line."""

from __future__ import annotations

import dataclasses
from typing import Any

# Field metadata that plain() reads (set through json_field): the JSON key, digits to round to, left out.
KEY, DIGITS, HIDDEN, SPREAD = "plain_key", "plain_digits", "plain_hidden", "plain_spread"


def json_field(*, key: str | None = None, digits: int | None = None, hidden: bool = False, spread: bool = False,
               **field_args: Any) -> Any:
    """A dataclass field with how ``plain`` writes it: under another ``key`` (a template such as "hit@{k}" is
    filled in from the other fields), rounded to ``digits``, ``hidden`` (not in the JSON), or ``spread`` (a dict
    field whose items stand beside the other fields)."""
    meta = {KEY: key, DIGITS: digits, HIDDEN: hidden, SPREAD: spread}
    return dataclasses.field(metadata={k: v for k, v in meta.items() if v}, **field_args)


def plain(value: Any) -> Any:
    """``value`` with every dataclass in it turned into a dict of its fields, in order (lists and dicts
    followed): what ``--json`` prints, exactly as when services returned dicts."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            meta = f.metadata
            if meta.get(HIDDEN):
                continue
            v = plain(getattr(value, f.name))
            if meta.get(DIGITS) is not None and v is not None:
                v = round(v, meta[DIGITS])
            if meta.get(SPREAD):
                out.update(v)
            else:
                key = meta.get(KEY) or f.name
                out[key.format_map(vars(value)) if "{" in key else key] = v
        return out
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value
