"""Two counters, one file: `python -m tests.two_counters DB PHONE N SEED` sells and redeems for one customer,
printing `SAVED <purchase id> <points redeemed>` after each sale returned, `BUSY`/`REFUSED` on a clear refusal."""

from __future__ import annotations

import random
import sys

from loyalty_app.errors import LoyaltyError, ShopUnavailable
from loyalty_app.sales import SaleItem
from loyalty_app.shop import open_shop


def main(db: str, phone: str, n: int, seed: int) -> None:
    rng = random.Random(seed)
    shop = open_shop(db)
    cid = shop.lookup.find_one(phone).id
    sys.stdin.readline()  # both counters start on the same word
    for _ in range(n):
        redeem = rng.choice([0, 100, 200])
        try:
            s = shop.sales.record_sale(cid, [SaleItem("BAS500", 1)], redeem_points=redeem)
        except ShopUnavailable as exc:
            print(f"BUSY {exc}", flush=True)
        except LoyaltyError as exc:
            print(f"REFUSED {exc}", flush=True)
        else:
            print(f"SAVED {s.purchase_id} {s.points_redeemed}", flush=True)
    shop.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
