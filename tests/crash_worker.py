"""A counter that never stops: sales, redemptions and returns, printing SAVED only after the service returned.

`python -m tests.crash_worker DB SEED` — the crash tests kill it at random moments."""

from __future__ import annotations

import random
import sys

from loyalty_app.errors import LoyaltyError
from loyalty_app.sales import SaleItem
from loyalty_app.shop import open_shop

SKUS = ["BAS250", "BAS500", "WB250", "LEM250"]


def main(db: str, seed: int) -> None:
    rng = random.Random(seed)
    shop = open_shop(db)
    customers = [c.id for c in shop.customers.list()]
    purchases: list[int] = []
    while True:
        kind = rng.choice(["sale", "sale", "redeem", "return"])
        cid = rng.choice(customers)
        items = [SaleItem(rng.choice(SKUS), rng.randint(1, 3)) for _ in range(rng.randint(1, 3))]
        try:
            if kind == "return" and purchases:
                pid = rng.choice(purchases)
                r = shop.sales.return_items(pid, [("1", 1)])
                print(f"SAVED return {r.return_id} {pid}", flush=True)
                continue
            redeem = 100 if kind == "redeem" and shop.customers.get(cid).points_balance >= 100 else 0
            s = shop.sales.record_sale(cid, items, redeem_points=redeem)
            purchases.append(s.purchase_id)
            print(f"SAVED sale {s.purchase_id} {s.total_cents} {s.points_balance}", flush=True)
        except LoyaltyError as exc:  # e.g. a line already returned, or the basket cap on a redemption
            print(f"REFUSED {kind} {exc}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
