"""The change records imported sales leave for multi-store sync: the JSON a counter sale writes, built fast."""

from __future__ import annotations

import json
from typing import Any

# Keys in sorted order, as ShopContext.emit writes them; strings that could need escaping go through json.dumps.
LINE = ('{"line_discount_cents":%d,"line_no":%d,"net_cents":%d,"points_earned":%d,"points_redeemed":0,'
        '"qty":%d,"redeem_discount_cents":0,"sku":%s,"tax_cents":%d,"unit_price_cents":%d,"uuid":"%s"}')
PURCHASE = ('{"created_at":"%s","customer":%s,"external_id":%s,"lines":[%s],"occurred_at":"%s","points_earned":%d,'
            '"points_redeemed":0,"redeem_discount_cents":0,"register":null,"source":%s,"store":%s,'
            '"subtotal_cents":%d,"tax_cents":%d,"total_cents":%d}')
EARN = ('{"at":"%s","customer":"%s","delta":%d,"kind":"earn","purchase":"%s","reason":"earned on purchase",'
        '"return":null,"staff":null}')



def dumps(value: str | None) -> str:
    """JSON text of a string (or null); plain printable ASCII without quotes or backslashes needs no escaping."""
    if value is None:
        return "null"
    if value.isascii() and value.isprintable() and '"' not in value and "\\" not in value:
        return f'"{value}"'
    return json.dumps(value)


def line_json(line_no: int, qty: int, unit: int, discount: int, net: int, tax: int, points: int, sku_json: str,
              uuid: str) -> str:
    return LINE % (discount, line_no, net, points, qty, sku_json, tax, unit, uuid)


def purchase_json(customer_uuid: str | None, lines: list[str], args: tuple[Any, ...]) -> str:
    """``args``: created_at, external_id, occurred_at, points_earned, source, store, subtotal, tax."""
    created, key, occurred, earned, source, store, subtotal, tax = args
    return PURCHASE % (created, dumps(customer_uuid), dumps(key), ",".join(lines), occurred, earned, dumps(source),
                       dumps(store), subtotal, tax, subtotal + tax)


def earn_json(customer_uuid: str, at: str, delta: int, purchase_uuid: str) -> str:
    return EARN % (at, customer_uuid, delta, purchase_uuid)
