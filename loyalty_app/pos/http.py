"""The HTTP client every connector shares: JSON without floats, 429 waited out, refusals as one clear line."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from loyalty_app.errors import RemoteRefused, RemoteUnavailable

if TYPE_CHECKING:  # imported where used: only a live POS pull needs it, and it costs every start
    import httpx

MAX_WAITS = 8  # 429s in a row before the pull stops (and carries on at the next one)
MAX_WAIT_SECONDS = 120.0


def retry_after(response: httpx.Response, default: float = 2.0) -> float:
    """Seconds the server asks us to wait: Retry-After as seconds or as an HTTP date."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return default
    try:
        return max(0.0, min(float(value), MAX_WAIT_SECONDS))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
        return max(0.0, min(when.timestamp() - time.time(), MAX_WAIT_SECONDS))
    except (TypeError, ValueError):
        return default


class BadRequest(RemoteRefused):
    """The POS refused the request itself (HTTP 4xx other than 401, 403 and 429)."""


class PosHttp:
    """One POS's API at ``base``; ``sleep`` is injected so tests never wait."""

    def __init__(self, pos: str, base: str, headers: dict[str, str], *, how_to_fix: str,
                 sleep: Callable[[float], None] = time.sleep, timeout: float = 30.0) -> None:
        self.pos = pos
        self.base = base.rstrip("/")
        self.how_to_fix = how_to_fix
        self.sleep = sleep
        import httpx

        self.client = httpx.Client(base_url=self.base, headers={"Accept": "application/json", **headers},
                                   timeout=timeout)
        self.waited: list[float] = []

    def close(self) -> None:
        self.client.close()

    def request(self, method: str, path: str, *, body: Any = None, params: dict[str, Any] | None = None,
                throttled: Callable[[Any], float | None] | None = None) -> Any:
        """The decoded JSON answer (amounts as Decimal); raises RemoteRefused or RemoteUnavailable."""
        import httpx

        for _ in range(MAX_WAITS + 1):
            try:
                r = self.client.request(method, path, json=body, params=params)
            except httpx.HTTPError as exc:
                raise RemoteUnavailable(f"{self.pos} could not be reached at {self.base} ({type(exc).__name__}: "
                                        f"{exc}); nothing was lost: the next pull carries on from here") from exc
            if r.status_code == 429:
                self._wait(retry_after(r))
                continue
            if r.status_code in (401, 403):
                raise RemoteRefused(f"{self.pos} refused the access token (HTTP {r.status_code}); nothing was "
                                    f"changed: {self.how_to_fix}")
            if r.status_code >= 500:
                raise RemoteUnavailable(f"{self.pos} answered HTTP {r.status_code} at {path}; nothing was lost: "
                                        "the next pull carries on from here")
            try:
                data = json.loads(r.text, parse_float=Decimal) if r.text.strip() else {}
            except ValueError as exc:
                raise RemoteUnavailable(f"{self.pos} answered {path} with something that is not JSON; nothing "
                                        "was lost: the next pull carries on from here") from exc
            if r.status_code >= 400:
                raise BadRequest(f"{self.pos} refused the request {path} (HTTP {r.status_code}: "
                                    f"{_brief(data)}); nothing was changed")
            wait = throttled(data) if throttled else None
            if wait is not None:
                self._wait(wait)
                continue
            return data
        raise RemoteUnavailable(f"{self.pos} kept asking us to slow down (HTTP 429); nothing was lost: the next "
                                "pull carries on from here")

    def _wait(self, seconds: float) -> None:
        self.waited.append(seconds)
        self.sleep(seconds)


def _brief(data: Any) -> str:
    if isinstance(data, dict):
        errs = data.get("errors")
        if isinstance(errs, list) and errs and isinstance(errs[0], dict):
            return str(errs[0].get("detail") or errs[0].get("message") or errs[0])[:200]
        if errs:
            return str(errs)[:200]
    return str(data)[:200]
