"""What `loyalty evaluate` measures, as frozen views; ``plain`` writes them as the JSON it always printed, with
keys such as "hit@5" that name the list length."""

from __future__ import annotations

from dataclasses import dataclass

from loyalty_app.suggestions.ranking import Weights
from loyalty_app.suggestions.tuning import DUE_HORIZON
from loyalty_app.views import json_field


@dataclass(frozen=True)
class HitRecall:
    """A method's share of customers with a hit in its top k, and the share of what they bought that it found."""

    k: int = json_field(hidden=True)
    hit: float | None = json_field(key="hit@{k}")
    recall: float | None = json_field(key="recall@{k}")


@dataclass(frozen=True)
class PeriodResult:
    """Each method's hit rate and recall over the customers who bought in both periods (a method is missing
    when there were none)."""

    customers: int
    methods: dict[str, HitRecall] = json_field(spread=True)


@dataclass(frozen=True)
class BasketRates:
    """Complete the basket: the hidden item in the top k, over all baskets and over those where it is new."""

    k: int = json_field(hidden=True)
    hit: float | None = json_field(key="hit@{k}")
    new_hit: float | None = json_field(key="new_hit@{k}")


@dataclass(frozen=True)
class NewHit:
    """The hidden item new to the customer found in the top k."""

    k: int = json_field(hidden=True)
    new_hit: float | None = json_field(key="new_hit@{k}")


@dataclass(frozen=True)
class AmongUnbought:
    """Only products the customer never bought and not in the basket, on both sides."""

    popularity: NewHit
    popularity_this_time_of_year: NewHit
    ours: NewHit


@dataclass(frozen=True)
class NewItemHits:
    """The counts behind the new-item rates, so a target is judged on them rather than on rounded rates."""

    ours_unbought: int
    popularity_unbought: int


@dataclass(frozen=True)
class BasketResult:
    baskets: int
    new_item_baskets: int
    new_item_hits: NewItemHits
    popularity: BasketRates
    ours: BasketRates
    among_unbought: AmongUnbought


@dataclass(frozen=True)
class MaeDays:
    """Mean absolute error in days of each way to say when a rebuy comes."""

    ours: float | None
    customer_median: float | None
    product_median: float | None
    ours_unconditional: float | None


@dataclass(frozen=True)
class RefillTiming:
    pairs: int
    mae_days: MaeDays


@dataclass(frozen=True)
class DueVsFrequency:
    due: float | None
    frequency: float | None


@dataclass(frozen=True)
class DueRanking:
    """Who buys within the due horizon: our due ranking against purchase frequency."""

    pairs: int
    buyers: int
    auc: DueVsFrequency
    precision: DueVsFrequency
    reminders_use: str  # chosen on the training period, as the rebuild chooses
    reminders_auc: float | None


@dataclass(frozen=True)
class Split:
    cutoff: str
    holdout_days: int
    k: int
    train_lines: int
    test_lines: int
    products: int


@dataclass(frozen=True)
class Timing:
    build_stats_s: float
    suggestion_ms: dict[str, float]


@dataclass(frozen=True)
class Target:
    """One of the issue's relative targets: ours, the baseline it must meet, and whether it does (None: the
    history holds too little to judge)."""

    ours: float | None
    baseline: float | None
    met: bool | None


@dataclass(frozen=True)
class Evaluation:
    """Everything `loyalty evaluate` prints."""

    split: Split
    weights: Weights
    size_elasticity: float
    interval_noise: float
    next_period: PeriodResult
    new_to_customer: PeriodResult
    complete_basket: BasketResult
    refill_timing: RefillTiming
    due: DueRanking = json_field(key=f"due_{DUE_HORIZON}_days")
    timing: Timing = json_field()
    targets: dict[str, Target] = json_field(default_factory=dict)
