"""`check`: integrity, foreign keys, ledger sums, returns within their sales, totals; each problem named."""

from __future__ import annotations

from loyalty_app.sales import SaleItem


def _problems(shop) -> dict[str, list[str]]:
    return {name: found for name, found in shop.check().items() if found}


def _busy_shop(shop, owner) -> int:
    c = shop.customers.sign_up("(415) 555-0132")
    shop.sales.record_sale(c.id, [SaleItem("BAS500", 8)])
    sale = shop.sales.record_sale(c.id, [SaleItem("BAS250", 2), SaleItem("WB250")], redeem_points=100)
    shop.sales.return_items(sale.purchase_id, [("BAS250", 1)])
    shop.points.adjust(c.id, 5, "goodwill", actor=owner)
    return c.id


def test_a_sound_shop_is_clean(catalogue, owner) -> None:
    _busy_shop(catalogue, owner)
    assert _problems(catalogue) == {}


def test_a_cached_balance_that_differs_from_the_ledger_is_reported(catalogue, owner) -> None:
    cid = _busy_shop(catalogue, owner)
    catalogue.ctx.db.conn.execute("UPDATE customers SET points_balance = points_balance + 7 WHERE id = ?", (cid,))
    problems = _problems(catalogue)
    assert list(problems) == ["balances"] and f"customer {cid}" in problems["balances"][0]


def test_a_line_returned_beyond_its_return_records_is_reported(catalogue, owner) -> None:
    _busy_shop(catalogue, owner)
    catalogue.ctx.db.conn.execute("UPDATE purchase_lines SET returned_qty = 2 WHERE line_no = 1 AND qty = 2")
    assert "returns" in _problems(catalogue)


def test_header_totals_that_differ_from_lines_are_reported(catalogue, owner) -> None:
    _busy_shop(catalogue, owner)
    catalogue.ctx.db.conn.execute("UPDATE purchases SET subtotal_cents = subtotal_cents + 1 WHERE id = 1")
    assert "totals" in _problems(catalogue)


def test_a_negative_balance_without_a_return_is_reported(catalogue, owner) -> None:
    cid = _busy_shop(catalogue, owner)
    catalogue.ctx.db.conn.execute("UPDATE customers SET points_balance = -3 WHERE id = ?", (cid,))
    assert "negative_balances" not in _problems(catalogue)  # this customer did have a return
    c2 = catalogue.customers.sign_up("(415) 555-0133")
    catalogue.ctx.db.conn.execute("UPDATE customers SET points_balance = -3 WHERE id = ?", (c2.id,))
    assert any(f"customer {c2.id}" in p for p in _problems(catalogue)["negative_balances"])


def test_a_dangling_foreign_key_is_reported(catalogue, owner) -> None:
    _busy_shop(catalogue, owner)
    conn = catalogue.ctx.db.conn
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE purchases SET store_id = 999 WHERE id = 1")
    conn.execute("PRAGMA foreign_keys = ON")
    assert "foreign_keys" in _problems(catalogue)


def test_check_command_exits_1_saying_what_is_wrong(catalogue, owner, cli) -> None:
    cid = _busy_shop(catalogue, owner)
    r = cli("check", "--json")
    assert r.code == 0 and r.json()["ok"] is True
    assert cli("check").out.strip() == "All checks passed."
    catalogue.ctx.db.conn.execute("UPDATE customers SET points_balance = 9999 WHERE id = ?", (cid,))
    catalogue.ctx.db.conn.commit()
    r = cli("check", "--json")
    assert r.code == 1 and r.json()["ok"] is False
    [problem] = r.json()["checks"]["balances"]
    assert problem.startswith(f"customer {cid}: balance 9999 but its ledger sums to ")
    r = cli("check")
    assert r.code == 1 and r.out.startswith(f"balances: customer {cid}: balance 9999")
