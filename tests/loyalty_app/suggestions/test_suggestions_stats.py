"""Co-purchase statistics: a rebuild stores them, new sales are caught up without one, cancel keeps the old."""

from __future__ import annotations

import gc
import threading

import pytest

from loyalty_app import jobs
from loyalty_app.gc_pause import collector_paused
from loyalty_app.shop import Shop, open_shop
from tests.paths import ROOT
from tests.suggestions_helpers import buy, customer


def _pairs(shop: Shop, n: int, days_ago: int, a: str, b: str) -> None:
    for i in range(n):
        buy(shop, customer(shop, f"{a}-{b}-{i}"), days_ago + i, a, b)


def test_rebuild_stores_statistics_and_reports_progress(catalogue: Shop) -> None:
    shop = catalogue
    _pairs(shop, 4, 30, "BAS250", "WB250")
    seen: list[tuple[int, int]] = []
    result = shop.suggestions.rebuild(progress=lambda done, total: seen.append((done, total)))
    assert result.cancelled is False and result.lines == 8 and result.pairs is not None and result.pairs >= 1
    assert seen[-1] == (8, 8)
    status = shop.suggestions.status()
    assert status.built_at and status.purchases_behind == 0 and not status.stale
    reopened = open_shop(shop.path, clock=shop.ctx.clock)  # another connection reads the stored statistics
    try:
        assert [s.sku for s in reopened.suggestions.complete_basket(["BAS250"])][:1] == ["WB250"]
    finally:
        reopened.close()


def test_new_sales_show_up_without_a_rebuild(catalogue: Shop) -> None:
    shop = catalogue
    _pairs(shop, 4, 30, "BAS250", "WB250")
    shop.suggestions.rebuild()
    assert "LEM250" not in [s.sku for s in shop.suggestions.complete_basket(["WB250"])][:1]
    _pairs(shop, 6, 3, "WB250", "LEM250")
    assert shop.suggestions.status().purchases_behind == 6
    assert [s.sku for s in shop.suggestions.complete_basket(["WB250"])][:1] == ["LEM250"]


def test_cancelled_rebuild_keeps_the_previous_statistics(catalogue: Shop) -> None:
    shop = catalogue
    _pairs(shop, 4, 30, "BAS250", "WB250")
    shop.suggestions.rebuild()
    built = shop.suggestions.status().built_at
    shop.ctx.clock.advance(hours=1)
    assert shop.suggestions.rebuild(cancel=lambda: True).cancelled is True
    assert shop.suggestions.status().built_at == built


def test_cli_suggest_commands(catalogue: Shop, cli, monkeypatch) -> None:
    shop = catalogue
    _pairs(shop, 4, 30, "BAS250", "WB250")
    ada = customer(shop, "Ada")
    for days_ago in (90, 60, 30):
        buy(shop, ada, days_ago, "LEM250")
    shop.close()
    shown = cli("suggest", "show", "Ada", "--json").json()
    assert shown["refill_due"][0]["sku"] == "LEM250" and len(shown["suggestions"]) <= 3
    assert cli("suggest", "basket", "BAS250", "--json").json()[0]["sku"] == "WB250"
    assert [d["customer_id"] for d in cli("suggest", "due", "--json").json()] == [ada]
    audience = cli("suggest", "audience", "BAS500", "--json").json()
    assert audience["customers"] == 5 and audience["audience"][0]["reason"] == "buys Basil olive oil (family)"
    assert cli("suggest", "rebuild").code == 1  # owner only
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", "1234")
    assert cli("suggest", "rebuild", "--json").json()["lines"] == 11
    assert cli("suggest", "status", "--json").json()["purchases_behind"] == 0


def test_rebuild_job_uses_its_own_connection(catalogue: Shop) -> None:

    shop = catalogue
    _pairs(shop, 3, 30, "BAS250", "WB250")
    assert jobs.rebuild_suggestions(str(shop.path)).lines == 6
    assert shop.suggestions.status().purchases_behind == 0


def test_every_suggestion_command_is_in_the_readme() -> None:

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("suggest show", "suggest basket", "suggest due", "suggest audience", "suggest rebuild",
                    "suggest status", "evaluate"):
        assert f"`loyalty {command}" in readme


def test_tuning_is_kept_for_a_week_unless_asked(catalogue: Shop) -> None:
    shop = catalogue
    _pairs(shop, 4, 30, "BAS250", "WB250")
    first = shop.suggestions.rebuild().tuned_at
    shop.ctx.clock.advance(days=1)
    assert shop.suggestions.rebuild().tuned_at == first
    assert shop.suggestions.rebuild(retune=True).tuned_at > first
    shop.ctx.clock.advance(days=8)
    assert shop.suggestions.rebuild().tuned_at > first


def test_a_big_history_never_rebuilt_is_not_counted_at_the_counter(catalogue: Shop, monkeypatch) -> None:
    """Few baskets but many lines (a first import of years of sales): the counter does not count them all in
    memory (15 s and 1 GB on 1.5 million lines); the rebuild job does, and status says it is due."""
    from loyalty_app.suggestions import service

    shop = catalogue
    _pairs(shop, 4, 30, "BAS250", "WB250")  # 8 lines in 4 purchases
    monkeypatch.setattr(service, "AUTO_BUILD_LINES", 7)
    assert "WB250" not in [s.sku for s in shop.suggestions.complete_basket(["BAS250"])]
    assert shop.suggestions.status().built_at is None
    shop.suggestions.rebuild()
    assert [s.sku for s in shop.suggestions.complete_basket(["BAS250"])][:1] == ["WB250"]


def test_the_rebuild_counts_with_the_cycle_collector_off_and_gives_it_back(catalogue: Shop) -> None:
    shop = catalogue
    _pairs(shop, 4, 30, "BAS250", "WB250")
    during: list[bool] = []
    shop.suggestions.rebuild(progress=lambda done, total: during.append(gc.isenabled()))
    assert during and not any(during) and gc.isenabled()

    def fail(done: int, total: int) -> None:
        raise RuntimeError("disk gone")

    with pytest.raises(RuntimeError):
        shop.suggestions.rebuild(progress=fail)
    assert gc.isenabled()  # a failed rebuild leaves the app's collector as it was
    # Two jobs overlapping on two threads: the collector is on again only when the last one ends.
    started, release = threading.Event(), threading.Event()

    def other_job() -> None:
        with collector_paused():
            started.set()
            release.wait(10)

    other = threading.Thread(target=other_job)
    other.start()
    try:
        assert started.wait(10)
        shop.suggestions.rebuild()
        assert not gc.isenabled()  # the rebuild ended first; the other job still holds the collector
    finally:
        release.set()
        other.join(10)
    assert gc.isenabled()
    gc.disable()
    try:  # a collector someone else turned off stays off
        shop.suggestions.rebuild()
        assert not gc.isenabled()
    finally:
        gc.enable()
