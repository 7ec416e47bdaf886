"""Building the demo (and benchmark) shop: settings and staff through the services, years of history in bulk.

The bulk history is written with the same points arithmetic as the counter (allocate, pro_rata), so `loyalty
check` is clean; it writes no change records (a store that connects to others publishes it once at set-up)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, NotRequired, TypedDict
from zoneinfo import ZoneInfo

from db import demo_queries as dq
from db import report_summaries
from loyalty_app.clock import FixedClock
from loyalty_app.demo import people
from loyalty_app.demo.catalogue import catalogue
from loyalty_app.demo.history import Catalogue, open_day, plan_shopper, visits
from loyalty_app.demo.stamps import Stamps
from loyalty_app.errors import Conflict
from loyalty_app.points_rules import PointsProgram, allocate, pro_rata
from loyalty_app.shop import open_shop

DEMO_OWNER = "owner"
DEMO_PIN = "1234"
ZONE = ZoneInfo("America/Los_Angeles")
FLUSH_LINES = 50_000
STORES = ("Downtown", "Harbour")
P_COLS = ("id", "uuid", "customer_id", "store_id", "register", "staff_id", "occurred_at", "subtotal_cents",
          "redeem_discount_cents", "tax_cents", "total_cents", "points_earned", "points_redeemed", "source",
          "created_at")
L_COLS = ("id", "uuid", "purchase_id", "line_no", "product_id", "qty", "unit_price_cents", "line_discount_cents",
          "net_cents", "redeem_discount_cents", "tax_cents", "points_earned", "points_redeemed", "returned_qty")
LEDGER_COLS = ("uuid", "customer_id", "kind", "delta", "purchase_id", "return_id", "reason", "staff_id", "at")
R_COLS = ("id", "uuid", "purchase_id", "staff_id", "occurred_at", "refund_cents", "points_reversed",
          "points_restored", "source", "reason")
RL_COLS = ("uuid", "return_id", "purchase_line_id", "qty", "refund_cents", "points_reversed", "points_restored")
TABLE_ORDER = (("purchases", P_COLS), ("purchase_lines", L_COLS), ("returns", R_COLS), ("return_lines", RL_COLS),
               ("points_ledger", LEDGER_COLS))


class _Writer:
    """Collects rows and flushes them in chunks, so 2 million lines never sit in memory at once."""

    def __init__(self, db: Any, rng: random.Random, cashiers: dict[int, list[int]]) -> None:
        self.db, self.rng = db, rng
        self.stamps = Stamps(rng, ZONE)
        self.uid = self.stamps.uid
        self.cashiers = cashiers  # store id → staff ids working its counter
        self.rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t, _ in TABLE_ORDER}
        self.lines = self.purchases = self.returns = self.last_lines_start = 0

    def at(self, day: date) -> str:
        return self.stamps.during_hours(day)

    def cashier(self, store_id: int) -> int:
        return self.rng.choice(self.cashiers[store_id])

    def flush(self) -> None:
        for table, cols in TABLE_ORDER:
            dq.insert_many(self.db, table, cols, self.rows[table])
            self.rows[table].clear()


class DemoStats(TypedDict):
    """What the demo holds (printed by `loyalty demo --json`, in this order)."""

    customers: int
    purchases: int
    lines: int
    returns: int
    redemptions: int
    products: NotRequired[int]
    sample_phone: NotRequired[str]
    sample_name: NotRequired[str]


def build_demo(path: Path | str, seed: int = 1, customers: int = 2000, years: int = 2,
               today: date | None = None) -> DemoStats:
    """Build the demo shop at ``path`` (a new file). Same seed and same day, same shop."""
    rng = random.Random(seed)
    today = today or datetime.now(ZONE).date()
    first = today - timedelta(days=365 * years)
    clock = FixedClock(datetime.combine(today, time(19, 0), tzinfo=ZONE))
    shop = open_shop(path, clock=clock)
    try:
        if shop.is_initialised:
            raise Conflict(f"{path} already holds the shop '{shop.ctx.shop_name}'; the demo needs a new file")
        shop.initialise(shop_name="Olive & Vine", region="US", currency="USD", time_zone=ZONE.key,
                        owner_name=DEMO_OWNER, owner_pin=DEMO_PIN, default_store=STORES[0])
        owner = shop.staff.verify_owner(DEMO_PIN)
        sam = shop.staff.add("sam", "cashier", "1111", actor=owner)
        maria = shop.staff.add("maria", "cashier", "2222", actor=owner)
        stats = _fill(shop, rng, customers, first, today, [[sam.id, owner.id], [maria.id]])
        shop.suggestions.rebuild()  # the counter shows co-purchase suggestions from the first lookup
        return stats
    finally:
        shop.close()


def _fill(shop: Any, rng: random.Random, n_customers: int, first: date, today: date,
          staff: list[list[int]]) -> DemoStats:
    db = shop.ctx.db
    program: PointsProgram = shop.points.program()
    w = _Writer(db, rng, {})
    start_iso = w.at(first)
    products = catalogue()
    cat = Catalogue(products)
    books = people.Books(rng)
    with dq.bulk_session(db):
        indexes = dq.drop_secondary_indexes(db)
        summary_triggers = report_summaries.suspend_report_summaries(db)
        dq.insert_many(db, "stores", ("uuid", "name", "created_at"), [(w.uid(), name, start_iso) for name in STORES])
        dq.insert_many(db, "products", (
            "uuid", "sku", "barcode", "name", "family", "category", "tags", "size", "size_quantity", "size_unit",
            "price_cents", "refill_days", "launched_on", "active", "created_at", "updated_at"), [
            (w.uid(), p.sku, p.barcode, p.name, p.family, p.category, p.tags, p.size, p.size_ml,
             "ml" if p.size_ml else None, p.price_cents, p.refill_days,
             (today - timedelta(days=30 * p.launch_months_ago + 3)).isoformat(), 1, start_iso, start_iso)
            for p in products])
        pid_of = dq.product_ids(db)
        store_of = dq.store_ids(db)
        w.cashiers = {store_of[name]: ids for name, ids in zip(STORES, staff, strict=True)}
        cust_rows, phone_rows, card_rows, consent_rows = [], [], [], []
        stats: DemoStats = {"customers": n_customers, "purchases": 0, "lines": 0, "returns": 0,
                                 "redemptions": 0}
        sample: tuple[int, str, str] | None = None
        for cid in range(1, n_customers + 1):
            plan = plan_shopper(rng, cat, first, today)
            given, family = people.name(rng)
            nameless = rng.random() < 0.08
            email = people.email_for(given, family, cid, rng) if rng.random() < 0.75 else None
            consent = bool(email) and rng.random() < 0.8
            created = w.at(plan.start)
            balance, last_visit, restored_on = 0, None, first
            for day, basket in visits(rng, cat, plan):
                if not basket:
                    continue
                store = plan.store if rng.random() < 0.8 else STORES[1 - STORES.index(plan.store)]
                at = w.at(day)
                redeem = 0
                subtotal = sum(p.price_cents * q for p, q in basket)
                # Points given back by a return count only from the day of that return.
                if balance >= 200 and day > restored_on and rng.random() < 0.3:
                    redeem = program.max_redeemable(balance, subtotal)
                    redeem = redeem if redeem >= program.min_redeem_points else 0
                earned, _ = _purchase(w, program, cid, store_of[store], at, basket, pid_of, redeem, balance)
                balance += earned - redeem
                stats["redemptions"] += bool(redeem)
                last_visit = at
                if rng.random() < 0.012 and day + timedelta(days=3) < today:
                    back_on = day + timedelta(days=rng.randint(1, 3))
                    taken, given_back = _return(w, rng, cid, back_on)
                    balance += given_back - taken
                    restored_on = max(restored_on, back_on) if given_back else restored_on
                    stats["returns"] += 1
            phones = [books.phone(abroad=rng.random() < 0.02)]
            if rng.random() < 0.08:
                phones.append(books.phone(abroad=False))
            consent_at, source = (created, "counter") if consent else (None, None)
            if consent:
                consent_rows.append((w.uid(), cid, "email", 1, "counter", created))
                if rng.random() < 0.05:  # later unsubscribed through a link in an email
                    later = plan.start + timedelta(days=rng.randrange(max(1, (today - plan.start).days)))
                    consent, consent_at, source = False, w.at(open_day(later, today, rng)), "unsubscribe link"
                    consent_rows.append((w.uid(), cid, "email", 0, source, consent_at))
            cust_rows.append((cid, w.uid(), None if nameless else f"{given} {family}", email, int(consent),
                              consent_at, source, balance, created, created, last_visit) + (int(consent),) * 3)
            phone_rows += [(w.uid(), cid, e164, created) for e164 in phones]
            if rng.random() < 0.3:
                card_rows.append((w.uid(), cid, books.card(), created))
            if (sample is None and plan.kind == "regular" and not nameless and last_visit and card_rows
                    and card_rows[-1][1] == cid and phones[0].startswith("+1") and w.purchases > 5):
                sample = (cid, phones[0], f"{given} {family}")
            if len(w.rows["purchase_lines"]) >= FLUSH_LINES or cid == n_customers:
                dq.insert_many(db, "customers", ("id", "uuid", "name", "email", "email_consent", "email_consent_at",
                                                 "email_consent_source", "points_balance", "created_at",
                                                 "updated_at", "last_visit_at", "consent_announcements",
                                                 "consent_refills", "consent_news"), cust_rows)
                w.flush()
                cust_rows.clear()
        _anonymous(w, rng, cat, pid_of, store_of, first, today, program)
        w.flush()
        dq.insert_many(db, "phones", ("uuid", "customer_id", "e164", "added_at"), phone_rows)
        dq.insert_many(db, "cards", ("uuid", "customer_id", "number", "issued_at"), card_rows)
        dq.insert_many(db, "consent_events", ("uuid", "customer_id", "channel", "granted", "source", "at"),
                       consent_rows)
        dq.create_indexes(db, indexes)
        report_summaries.resume_report_summaries(db, summary_triggers)
    dq.finish(db)
    stats["purchases"], stats["lines"], stats["products"] = w.purchases, w.lines, len(products)
    if sample:
        stats["sample_phone"], stats["sample_name"] = people.as_written(sample[1]), sample[2]
    return stats


def _purchase(w: _Writer, program: PointsProgram, cid: int | None, store_id: int, at: str,
              basket: list[Any], pid_of: dict[str, int], redeem: int, balance: int = 0) -> tuple[int, int]:
    w.purchases += 1
    pid = w.purchases
    w.last_lines_start = len(w.rows["purchase_lines"])
    nets = [p.price_cents * q for p, q in basket]
    subtotal = sum(nets)
    discount = program.check_redemption(redeem, balance, subtotal) if redeem else 0
    discounts, redeemed = allocate(discount, nets), allocate(redeem, nets)
    earned = program.points_for(subtotal - discount) if cid else 0
    earned_parts = allocate(earned, [n - d for n, d in zip(nets, discounts, strict=True)])
    cashier = w.cashier(store_id)
    w.rows["purchases"].append((pid, w.uid(), cid, store_id, "1", cashier, at, subtotal, discount, 0,
                                subtotal - discount, earned, redeem, "counter", at))
    for i, ((p, q), net, d, r, e) in enumerate(zip(basket, nets, discounts, redeemed, earned_parts, strict=True)):
        w.lines += 1
        w.rows["purchase_lines"].append((w.lines, w.uid(), pid, i + 1, pid_of[p.sku], q, p.price_cents, 0, net, d, 0,
                                         e, r, 0))
    if cid and redeem:
        w.rows["points_ledger"].append((w.uid(), cid, "redeem", -redeem, pid, None, "redeemed on purchase", cashier,
                                        at))
    if cid and earned:
        w.rows["points_ledger"].append((w.uid(), cid, "earn", earned, pid, None, "earned on purchase", cashier, at))
    return earned, pid


def _return(w: _Writer, rng: random.Random, cid: int | None, day: date) -> tuple[int, int]:
    """Return the whole of the purchase just written, or some units of one of its lines, as the counter would.

    Returns (points taken back, redeemed points given back)."""
    pid = w.purchases
    lines = w.rows["purchase_lines"]
    mine = range(w.last_lines_start, len(lines))  # the lines of the purchase just written
    if rng.random() < 0.35:
        back = {i: lines[i][5] for i in mine}
        reason = rng.choice(["changed their mind", "bought as a gift, not wanted"])
    else:
        i = rng.choice(mine)
        back = {i: rng.randint(1, lines[i][5])}
        reason = rng.choice(["bottle arrived damaged", "did not like the flavour", "wrong size"])
    at = w.at(day)
    staff = w.cashier(w.rows["purchases"][-1][3])
    w.returns += 1
    rid = w.returns
    refund = rev = res = 0
    for i, n in back.items():
        line = lines[i]
        lid, qty, net, disc, earned, redeemed = line[0], line[5], line[8], line[9], line[11], line[12]
        lines[i] = (*line[:13], n)  # returned_qty
        r_rev, r_res, r_cents = pro_rata(earned, qty, 0, n), pro_rata(redeemed, qty, 0, n), pro_rata(net - disc,
                                                                                                     qty, 0, n)
        w.rows["return_lines"].append((w.uid(), rid, lid, n, r_cents, r_rev, r_res))
        refund, rev, res = refund + r_cents, rev + r_rev, res + r_res
    w.rows["returns"].append((rid, w.uid(), pid, staff, at, refund, rev, res, "counter", reason))
    if cid and rev:
        w.rows["points_ledger"].append((w.uid(), cid, "reverse", -rev, pid, rid,
                                        f"return on purchase #{pid}: points earned taken back", staff, at))
    if cid and res:
        w.rows["points_ledger"].append((w.uid(), cid, "reverse", res, pid, rid,
                                        f"return on purchase #{pid}: redeemed points given back", staff, at))
    return rev, res


def _anonymous(w: _Writer, rng: random.Random, cat: Catalogue, pid_of: dict[str, int], store_of: dict[str, int],
               first: date, today: date, program: PointsProgram) -> None:
    """Walk-ins who gave no phone: about a fifth of the sales, busier on Saturdays and before the holidays."""
    span = (today - first).days
    for _ in range(w.purchases * 22 // 100):
        day = open_day(first + timedelta(days=rng.randrange(span)), today, rng)
        basket = [(cat.pick(cat.popular_family(rng), rng.choice([100, 250, 500])), 1)
                  for _ in range(rng.choice([1, 1, 2]))]
        _purchase(w, program, None, store_of[rng.choice(STORES)], w.at(day), basket, pid_of, 0)
        if rng.random() < 0.005 and day + timedelta(days=3) < today:
            _return(w, rng, None, day + timedelta(days=rng.randint(1, 3)))
        if len(w.rows["purchase_lines"]) >= FLUSH_LINES:
            w.flush()
