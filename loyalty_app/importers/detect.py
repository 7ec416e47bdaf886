"""Which export a file is, from its header names (never positions; new columns in newer exports are fine)."""

from __future__ import annotations

from loyalty_app.errors import ValidationError
from loyalty_app.importers.records import Columns

FORMATS = ("square-items", "square-transactions", "square-customers", "shopify-orders", "shopify-customers",
           "loyverse-items", "generic")

# Each format: columns that must all be there. Checked most specific first.
SIGNATURES: list[tuple[str, tuple[str, ...]]] = [
    ("square-items", ("Transaction ID", "Item", "Qty", "Event Type")),
    ("square-items", ("Transaction ID", "Item", "Qty", "Product Sales")),
    ("square-transactions", ("Transaction ID", "Payment ID", "Net Sales", "Total Collected")),
    ("square-customers", ("Square Customer ID", "First Name", "Last Name")),
    ("shopify-orders", ("Name", "Lineitem quantity", "Lineitem name", "Lineitem price")),
    ("shopify-customers", ("First Name", "Last Name", "Email", "Accepts Email Marketing")),
    ("shopify-customers", ("First Name", "Last Name", "Email", "Total Orders")),
    ("loyverse-items", ("Receipt number", "Receipt type", "Item", "Quantity", "Net sales")),
]
LOYVERSE_RECEIPTS = ("Receipt number", "Receipt type", "Total collected", "Payment type")


def detect_format(header: list[str]) -> str | None:
    """The format name for this header, or None when only a column mapping can read it."""
    cols = Columns(header)
    for name, needed in SIGNATURES:
        if cols.has(*needed):
            return name
    return None


def resolve_format(requested: str, header: list[str], has_mapping: bool) -> str:
    """The format to use: the requested one, or the detected one for 'auto'; a clear error otherwise."""
    if requested not in ("auto", *FORMATS):
        raise ValidationError(f"unknown format '{requested}'; use auto or one of {', '.join(FORMATS)}")
    if requested != "auto":
        return requested
    found = detect_format(header)
    if found:
        return found
    if has_mapping:
        return "generic"
    if Columns(header).has(*LOYVERSE_RECEIPTS):
        raise ValidationError("this is Loyverse's receipts export (one row per receipt, no items): export "
                              "'Receipts by item' instead")
    raise ValidationError("the columns do not match a Square, Shopify or Loyverse export; map them with "
                          "--map customer=COL,phone=COL,time=COL,sku=COL,name=COL,qty=COL,amount=COL "
                          "(or the mapping dialog in the import wizard)")
