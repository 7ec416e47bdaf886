"""Seeded row ids and shop-hour timestamps for the demo, fast enough for millions of rows."""

from __future__ import annotations

import random
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
# Opening hours and how busy each hour is: Monday-Saturday 10-20, Sunday 11-17.
WEEK_HOURS = (list(range(10, 20)), [3, 6, 8, 8, 7, 7, 8, 8, 6, 3])
SUNDAY_HOURS = (list(range(11, 17)), [4, 6, 6, 5, 4, 3])


class Stamps:
    """UUIDs and UTC ISO times for the bulk-written rows.

    The UUIDs are RFC 9562 version 8: 60 random bits drawn once per build from the seed, then a counter. They
    are as unique as the services' random ones across shops, repeat for the same seed, and arrive in index order,
    so SQLite appends to each ``uuid`` index instead of scattering 4 million inserts across it.
    """

    def __init__(self, rng: random.Random, zone: ZoneInfo) -> None:
        self.rng = rng
        self.zone = zone
        high = (rng.getrandbits(48) << 16) | (8 << 12) | rng.getrandbits(12)
        h = f"{high:016x}"
        self._head = f"{h[:8]}-{h[8:12]}-{h[12:16]}-"
        self._n = 0
        self._midnight: dict[date, int] = {}
        self._day_text: dict[int, str] = {}

    def uid(self) -> str:
        self._n += 1
        low = (2 << 62) | self._n  # the RFC variant bits, then the counter
        return f"{self._head}{low >> 48:04x}-{low & 0xFFFFFFFFFFFF:012x}"

    def midnight(self, day: date) -> int:
        """Epoch seconds of the shop's local midnight starting ``day``."""
        ts = self._midnight.get(day)
        if ts is None:
            ts = self._midnight[day] = int(datetime.combine(day, time(0), self.zone).timestamp())
        return ts

    def iso(self, ts: int) -> str:
        day, sec = divmod(ts, 86400)
        prefix = self._day_text.get(day)
        if prefix is None:
            prefix = self._day_text[day] = date.fromordinal(EPOCH_ORDINAL + day).isoformat()
        return f"{prefix}T{sec // 3600:02d}:{sec % 3600 // 60:02d}:{sec % 60:02d}Z"

    def during_hours(self, day: date) -> str:
        """A moment of ``day`` while the shop is open, weighted by how busy each hour is."""
        hours, weights = SUNDAY_HOURS if day.weekday() == 6 else WEEK_HOURS
        hour = self.rng.choices(hours, weights)[0]
        return self.iso(self.midnight(day) + hour * 3600 + self.rng.randrange(3600))
