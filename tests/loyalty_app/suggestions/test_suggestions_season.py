"""The time of year: what sells above its usual share in the coming weeks, by hand, and where it counts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from loyalty_app.suggestions.catalogue import Catalogue, ProductInfo
from loyalty_app.suggestions.cooccurrence import build_stats
from loyalty_app.suggestions.metrics import sorted_for_stats
from loyalty_app.suggestions.ranking import Weights, components, rank_next
from loyalty_app.suggestions.season import Season, week_of


def _season() -> tuple[Season, int, int]:
    late_nov = date(2025, 11, 26).toordinal()  # day 330 of the year: week 47
    may = date(2025, 5, 20).toordinal()  # day 140: week 19
    season = Season()
    for n in range(50):
        season.add_basket(late_nov, [9] if n % 2 else [1])
        season.add_basket(may, [1])
    return season, late_nov, may


def test_season_lift_by_hand() -> None:
    season, late_nov, may = _season()
    assert (week_of(late_nov), week_of(may)) == (47, 19)
    usual = {1: 75, 9: 25}
    # around late November: 25 of 50 baskets hold the gift (usually 25 of 100): (25 + 50 * 0.25) / (50 + 50)
    # - 0.25 = 0.125 above; product 1 sells less than usual then, so it gets nothing
    assert season.lift(late_nov, usual, 100) == {9: 0.125}
    assert season.lift(may, usual, 100) == {1: 0.125}  # (50 + 50 * 0.75) / 100 - 0.75
    assert season.lift(date(2025, 8, 20).toordinal(), usual, 100) == {}  # no baskets in those weeks
    assert Season.from_json(season.to_json()).lift(late_nov, usual, 100) == {9: 0.125}


def test_the_period_ahead_averages_its_weeks() -> None:
    season, late_nov, _may = _season()
    # three weekly looks: two weeks before (weeks 44-46: nothing), one week before (45-47) and the week itself
    ahead = season.ahead(late_nov - 14, 21, {1: 75, 9: 25}, 100)
    assert ahead.keys() == {9} and abs(ahead[9] - 0.25 / 3) < 1e-12


def test_popularity_this_time_of_year_ranks_the_weeks_around_a_day() -> None:
    season, late_nov, may = _season()
    season.add_basket(late_nov + 7, [9])  # week 48, still within a week of late November
    assert season.popular(late_nov) == [9, 1]  # 26 baskets against 25
    assert season.popular(may) == [1]
    assert season.popular(date(2025, 8, 20).toordinal()) == []


def _product(pid: int) -> ProductInfo:
    return ProductInfo(pid, f"P{pid}", f"Product {pid}", None, None, (), None, None, 1000, None, None, True)


def test_a_seasonal_product_enters_the_next_period_list_only_with_the_season() -> None:
    cutoff = date(2026, 11, 18).toordinal()  # week 45
    year_ago = date(2025, 11, 17).toordinal()  # weeks 45-46 last year
    lines = []
    for n in range(30):  # last year at this time: gift boxes (9) and the year-round best seller (2)
        lines += [(2 * n + 1, None, year_ago + n % 4, 9, 1), (2 * n + 2, None, year_ago + n % 4, 2, 1)]
    for n in range(40):  # the best seller the rest of the year
        lines.append((100 + n, None, year_ago + 30 + 7 * n, 2, 1))
    lines += [(200, 7, cutoff - 60, 1, 1), (201, 7, cutoff - 30, 1, 1)]  # customer 7 has only bought P1
    cat = Catalogue(_product(i) for i in (1, 2, 9))
    stats = build_stats(sorted_for_stats(lines), cat)
    assert stats is not None
    popular = sorted(stats.baskets, key=lambda p: (-stats.baskets[p], p))
    assert popular[0] == 2
    mine = [ln for ln in lines if ln[1] == 7]
    with_season = Weights()
    comp = components(mine, cat, stats, cutoff, 14, with_season)
    assert rank_next(comp, stats, with_season, popular, 1, exclude={1}) == [9]
    without = replace(with_season, season_ahead=0.0)
    comp = components(mine, cat, stats, cutoff, 14, without)
    assert rank_next(comp, stats, without, popular, 1, exclude={1}) == [2]
