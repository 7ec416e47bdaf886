"""A counter that never stops: sales, redemptions, returns, POS imports and the email sender, printing SAVED only after the
service call returned. `python -m tests.crash_worker DB SEED` — the crash tests kill it at random moments.

Operations plug in through OPERATIONS: a function (shop, rng, state) that does one thing and returns the
SAVED line's words (or raises LoyaltyError); crash_harness.CHECKS verifies what each kind reported."""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from loyalty_app.errors import LoyaltyError
from loyalty_app.importers.engine import ImportOptions
from loyalty_app.importers.generic import parse_mapping
from loyalty_app.sales import SaleItem
from loyalty_app.shop import Shop, open_shop

SKUS = ["BAS250", "BAS500", "WB250", "LEM250"]
IMPORT_MAP = "receipt=Ticket,time=Sold at,phone=Tel,name=Article,sku=Ref,qty=Qty,amount=Line total"
IMPORT_SOURCE = "crashtill"
Operation = Callable[[Shop, random.Random, dict[str, Any]], str]


def _items(rng: random.Random) -> list[SaleItem]:
    return [SaleItem(rng.choice(SKUS), rng.randint(1, 3)) for _ in range(rng.randint(1, 3))]


def sale(shop: Shop, rng: random.Random, state: dict[str, Any]) -> str:
    s = shop.sales.record_sale(rng.choice(state["customers"]), _items(rng))
    state["purchases"].append(s.purchase_id)
    return f"sale {s.purchase_id} {s.total_cents} {s.purchase_uuid}"


def redeem(shop: Shop, rng: random.Random, state: dict[str, Any]) -> str:
    cid = rng.choice(state["customers"])
    points = 100 if shop.customers.get(cid).points_balance >= 100 else 0
    s = shop.sales.record_sale(cid, [SaleItem("BAS500", 2)], redeem_points=points)
    state["purchases"].append(s.purchase_id)
    return f"sale {s.purchase_id} {s.total_cents} {s.purchase_uuid}"


def return_line(shop: Shop, rng: random.Random, state: dict[str, Any]) -> str:
    if not state["purchases"]:
        return sale(shop, rng, state)
    pid = rng.choice(state["purchases"])
    r = shop.sales.return_items(pid, [("1", 1)])
    return f"return {r.return_id} {pid}"


def pos_import(shop: Shop, rng: random.Random, state: dict[str, Any]) -> str:
    """A small till export with two receipts, imported the way the watch folder would."""
    state["n"] = state.get("n", 0) + 1
    receipts = [f"W{state['seed']}-{state['n']}-{k}" for k in (1, 2)]
    folder = Path(state["db"]).parent / "till"
    folder.mkdir(exist_ok=True)
    file = folder / f"{receipts[0]}.csv"
    rows = ["Ticket,Sold at,Tel,Article,Ref,Qty,Line total"]
    for receipt in receipts:
        sku = rng.choice(SKUS[:2])
        rows.append(f"{receipt},2026-10-01 10:15,415-555-014{rng.randint(0, 4)},{sku},{sku},1,"
                    f"{'14.50' if sku == 'BAS250' else '25.00'}")
    file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    shop.imports.import_file(file, ImportOptions(mapping=parse_mapping(IMPORT_MAP), source=IMPORT_SOURCE,
                                          report=folder / f"{receipts[0]}-report.csv"))
    return "import " + " ".join(receipts)


def send_mail(shop: Shop, rng: random.Random, state: dict[str, Any]) -> str:
    """The outbox sender, as the app's worker or a scheduled `loyalty outbox --send` runs it."""
    done = [0]
    stop_after = rng.randint(1, 6)  # small batches, so kills often land in the middle of one

    def progress(sent: int, total: int, text: str) -> None:
        done[0] = sent

    report = shop.mail.deliver(progress=progress, cancel=lambda: done[0] >= stop_after,
                                   sleep=lambda _s: None, max_attempts=1)
    return f"mail {report.sent}"


def look_up(shop: Shop, rng: random.Random, state: dict[str, Any]) -> str:
    """A read on the process's second connection, as the app's report and start-up workers do."""
    reader: Shop = state["second"]
    reader.lookup.profile(rng.choice(state["customers"]))
    return "read"


OPERATIONS: dict[str, Operation] = {"sale": sale, "redeem": redeem, "return": return_line, "import": pos_import,
                                    "mail": send_mail, "read": look_up}
WEIGHTS = {"sale": 4, "redeem": 2, "return": 2, "import": 1, "mail": 1, "read": 1}


def main(db: str, seed: int) -> None:
    rng = random.Random(seed)
    shop = open_shop(db)
    # A second connection to the same file in this process (the app's workers open their own): opening it
    # must not drop the locks the first one holds, or an outside reader takes the live WAL away.
    second = open_shop(db)
    state: dict[str, Any] = {"customers": [c.id for c in shop.customers.list()], "purchases": [], "db": db,
                             "seed": seed, "second": second}
    kinds = [k for k, w in WEIGHTS.items() for _ in range(w)]
    while True:
        kind = rng.choice(kinds)
        try:
            print(f"SAVED {OPERATIONS[kind](shop, rng, state)}", flush=True)
        except LoyaltyError as exc:  # e.g. a line already returned, or the basket cap on a redemption
            print(f"REFUSED {kind} {exc}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
