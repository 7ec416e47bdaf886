"""The owner's words: a subject and a message (and an optional second variant for an A/B split) with an optional
picture of the product, checked, and kept as a draft per announced product or for the refill reminder."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from db import mail_draft_queries as dq
from loyalty_app.context import ShopContext, Staff
from loyalty_app.errors import ValidationError

MAX_SUBJECT = 120  # characters; longer subjects are cut off by most mail clients anyway
MAX_MESSAGE = 5000
MAX_PICTURE_BYTES = 512 * 1024  # carried inside every email: a photo of about 1200 px saved as JPEG fits
PICTURE_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg", b"GIF87a": "image/gif",
                 b"GIF89a": "image/gif"}


@dataclass(frozen=True)
class Picture:
    """A picture of the product, embedded in the email as an inline image."""

    name: str
    content_type: str  # image/png | image/jpeg | image/gif | image/webp
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Wording:
    """What the owner wrote. ``subject_b``/``message_b`` make a second variant (empty = the same as A);
    when both are empty there is no A/B split."""

    subject: str = ""
    message: str = ""
    subject_b: str = ""
    message_b: str = ""
    picture: Picture | None = None

    @property
    def split(self) -> bool:
        """Whether recipients are split at random between two variants."""
        return bool(self.subject_b.strip() or self.message_b.strip())

    def variant(self, name: str | None) -> tuple[str, str]:
        """(subject, message) of variant A (or None: no split) or B."""
        if name == "B":
            return (self.subject_b.strip() or self.subject, self.message_b.strip() and self.message_b
                    or self.message)
        return self.subject, self.message


def _kb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def picture_from_bytes(name: str, data: bytes) -> Picture:
    """A picture the owner picked, or a one-line reason it cannot go in an email."""
    if len(data) > MAX_PICTURE_BYTES:
        raise ValidationError(f"{name} is {_kb(len(data))}; a picture in an email can be at most "
                              f"{_kb(MAX_PICTURE_BYTES)} (save it smaller, e.g. 1200 px wide as JPEG)")
    kind = next((t for magic, t in PICTURE_TYPES.items() if data.startswith(magic)), None)
    if kind is None and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind = "image/webp"
    if kind is None:
        raise ValidationError(f"{name} is not a picture (PNG, JPEG, GIF or WebP); nothing was changed")
    return Picture(name, kind, data)


def read_picture(path: str | Path) -> Picture:
    """Read a picture file; a missing, unreadable, non-image or huge file is one clear line."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_PICTURE_BYTES:  # refused before reading a huge file into memory
            raise ValidationError(f"{p.name} is {_kb(size)}; a picture in an email can be at most "
                                  f"{_kb(MAX_PICTURE_BYTES)} (save it smaller, e.g. 1200 px wide as JPEG)")
        data = p.read_bytes()
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ValidationError(f"cannot read the picture {p.name}: {reason}") from exc
    return picture_from_bytes(p.name, data)


def _check_subject(subject: str, label: str) -> None:
    text = subject.strip()
    if not text:
        raise ValidationError(f"the {label} is empty: write one (at most {MAX_SUBJECT} characters)")
    if len(text) > MAX_SUBJECT:
        raise ValidationError(f"the {label} is {len(text)} characters long; keep it to {MAX_SUBJECT} or fewer")


def check(wording: Wording) -> Wording:
    """The wording ready to send, or a one-line ValidationError (nothing is queued then)."""
    _check_subject(wording.subject, "subject")
    if wording.subject_b.strip():
        _check_subject(wording.subject_b, "subject of variant B")
    for label, text in (("message", wording.message), ("message of variant B", wording.message_b)):
        if len(text) > MAX_MESSAGE:
            raise ValidationError(f"the {label} is {len(text)} characters long; keep it to {MAX_MESSAGE} or fewer")
    if wording.split and wording.variant("A") == wording.variant("B"):
        raise ValidationError("variant B says the same as variant A: change its subject or its message")
    return replace(wording, subject=wording.subject.strip(), subject_b=wording.subject_b.strip())


@dataclass(frozen=True)
class Draft:
    """A kept draft: which email it is for and what it says."""

    kind: str  # announce | refill
    product_id: int | None
    wording: Wording
    updated_at: str


def load(ctx: ShopContext, kind: str, product_id: int | None) -> Draft | None:
    row = dq.get_draft(ctx.db, kind, product_id)
    if row is None:
        return None
    picture = None if row["picture_id"] is None else Picture(
        row["picture_name"], row["picture_type"], bytes(row["picture_data"]))
    return Draft(kind, product_id, Wording(row["subject"], row["message"], row["subject_b"], row["message_b"],
                                           picture), row["updated_at"])


def store_picture(ctx: ShopContext, picture: Picture | None) -> int | None:
    """The stored picture's id (kept once per content); call inside a write transaction."""
    if picture is None:
        return None
    return dq.ensure_picture(ctx.db, picture.sha256, picture.name, picture.content_type, picture.data)


def save(ctx: ShopContext, kind: str, product_id: int | None, wording: Wording, actor: Staff | None = None) -> Draft:
    """Keep the draft as it is now (unfinished text is fine: it is checked when sent)."""
    if len(wording.subject) > 10 * MAX_SUBJECT or len(wording.message) + len(wording.message_b) > 4 * MAX_MESSAGE:
        raise ValidationError("this draft is far too long to be an email; nothing was saved")
    with ctx.write():
        dq.upsert_draft(ctx.db, kind, product_id, {
            "subject": wording.subject, "message": wording.message, "subject_b": wording.subject_b,
            "message_b": wording.message_b, "picture_id": store_picture(ctx, wording.picture),
            "updated_at": ctx.now_iso(), "updated_by": ctx.staff_id(actor)})
    return Draft(kind, product_id, wording, ctx.now_iso())
