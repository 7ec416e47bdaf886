"""Opening a shop: the one function both the desktop app and the command line use to get the services, and
the composition root, the one place that builds them and wires them together."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import phonenumbers
from platformdirs import user_data_dir

from db import check_queries, report_summaries
from db import settings_queries as sq
from loyalty_app import health, i18n
from loyalty_app.audit_log import AuditEntry
from loyalty_app.backups import BackupService
from loyalty_app.card_printing import CardPrinter
from loyalty_app.clean_text import one_line
from loyalty_app.clock import Clock
from loyalty_app.context import ShopContext, Staff, new_uuid, open_context
from loyalty_app.customer_notes import NotesService
from loyalty_app.customers import CustomerService
from loyalty_app.errors import ShopUnavailable, ValidationError
from loyalty_app.importers.service import ImportService
from loyalty_app.lookup import LookupService
from loyalty_app.mail.service import MailService
from loyalty_app.points import PointsService
from loyalty_app.points_rules import PointsProgram
from loyalty_app.pos.service import PosService
from loyalty_app.pos.till import counter_sale_guard
from loyalty_app.privacy import PrivacyService
from loyalty_app.product_import import ProductImporter
from loyalty_app.products import ProductService
from loyalty_app.reports import ReportService
from loyalty_app.sales import SaleService
from loyalty_app.staff import StaffService, check_pin_format
from loyalty_app.suggestions.service import SuggestionService
from loyalty_app.sync.service import SyncService

APP_NAME = "LoyaltyDesk"


def data_dir() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    """The shop's database: LOYALTY_DB, else the user's data directory."""
    env = os.environ.get("LOYALTY_DB")
    return Path(env) if env else data_dir() / "shop.sqlite"


def default_demo_path() -> Path:
    """The demo shop lives in its own file, never in the real shop's database."""
    return data_dir() / "demo-shop.sqlite"


@dataclass
class Shop:
    """The services of one open shop database: a holder, built by ``open_shop``; each feature is a service."""

    ctx: ShopContext
    staff: StaffService
    points: PointsService
    customers: CustomerService
    products: ProductService
    sales: SaleService
    lookup: LookupService
    sync: SyncService
    path: Path
    suggestions: SuggestionService
    reports: ReportService
    mail: MailService
    imports: ImportService
    backups: BackupService
    privacy: PrivacyService
    cards: CardPrinter
    product_import: ProductImporter
    pos: PosService
    notes: NotesService

    @property
    def settings(self) -> dict[str, str]:
        return self.ctx.settings

    @property
    def is_initialised(self) -> bool:
        return "shop_name" in self.ctx.settings

    def close(self) -> None:
        self.ctx.db.close()

    def start_up(self) -> dict[str, int] | None:
        """What the app and the command line run when they open the shop: the daily points expiry.

        Cheap on every start but the first of the day (one settings read). A shop busy with another counter
        is not held up: the job simply runs at the next start.
        """
        if not self.is_initialised:
            return None
        try:
            return self.points.expire_if_due_today()
        except ShopUnavailable:
            return None

    def check(self) -> dict[str, list[str]]:
        """Every consistency check; each entry lists the problems found (all empty when the shop is sound).

        A damaged file raises ShopDamaged first (naming the backup to restore): the other checks would only
        read garbage."""
        health.require_sound(self.ctx, self.path)
        return {"integrity": [], **{name: fn(self.ctx.db) for name, fn in check_queries.ALL_CHECKS.items()
                                   if name != "integrity"}}

    def quick_check(self) -> str | None:
        """The start-up check: None when the file is sound, else the message for the owner."""
        return health.quick_check(self.ctx, self.path)

    def rebuild_report_summaries(self, *, actor: Staff | None = None) -> None:
        """Recompute the owner reports' summaries from the sales (when `check` found them different)."""
        with self.ctx.write():
            report_summaries.rebuild_report_summaries(self.ctx.db)
            self.ctx.audit("reports.summaries_rebuilt", None, {}, actor)

    def audit_log(self, limit: int = 200) -> list[AuditEntry]:
        """The newest ``limit`` lines of the audit log (owner)."""
        self.ctx.require_owner(None, "reading the audit log")
        return [AuditEntry(**r) for r in sq.list_audit(self.ctx.db, limit)]

    def set_language(self, language: str, *, actor: Staff | None = None) -> str:
        """The shop's language (owner): the window's on its next start, slips, cards, reports and emails at once;
        money and dates follow the language as written in the shop's country. Returns the code saved."""
        code = i18n.check_language(language)
        who = self.ctx.require_owner(actor, "changing the language")
        with self.ctx.write():
            sq.set_setting(self.ctx.db, "language", code)
            self.ctx.audit("settings.language", code, {}, who)
        self.ctx.reload_settings()
        return code

    def initialise(self, *, shop_name: str, region: str = "US", currency: str = "USD",
                   time_zone: str = "America/Los_Angeles", owner_name: str = "owner", owner_pin: str | None = None,
                   program: PointsProgram | None = None, default_store: str | None = None,
                   language: str = i18n.DEFAULT_LANGUAGE) -> None:
        """First-run set-up: shop settings, this installation's node id, the first owner, the points program."""
        region = region.upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise ValidationError(f"'{region}' is not a country code like US, GB or DE")
        try:
            ZoneInfo(time_zone)
        except Exception as exc:  # noqa: BLE001 - any failure means the name is unusable
            raise ValidationError(f"'{time_zone}' is not a time zone like America/Los_Angeles") from exc
        language = i18n.check_language(language)
        if len(currency) != 3 or not currency.isalpha():
            raise ValidationError(f"'{currency}' is not a currency code like USD or EUR")
        if owner_pin is not None:
            check_pin_format(owner_pin)
        if program is not None:
            program.validate()
        # One transaction: a refused owner or program leaves the file without a shop, so `init` can be rerun.
        try:
            with self.ctx.write():
                for key, value in {"shop_name": one_line(shop_name) or "My Shop", "region": region,
                                   "currency": currency.upper(), "time_zone": time_zone,
                                   "default_store": one_line(default_store or shop_name) or "Main store",
                                   "language": language}.items():
                    sq.set_setting(self.ctx.db, key, value)
                if not self.ctx.settings.get("node_id"):
                    sq.set_setting(self.ctx.db, "node_id", new_uuid())
                if "created_at" not in self.ctx.settings:
                    sq.set_setting(self.ctx.db, "created_at", self.ctx.now_iso())
                self.ctx.reload_settings()
                if sq.get_current_program(self.ctx.db) is None:
                    self.points.set_program(program or PointsProgram(), first=True)
                if owner_pin:
                    self.staff.add(owner_name, "owner", owner_pin, first_owner=True)
        finally:
            self.ctx.reload_settings()


def open_shop(path: Path | str | None = None, *, clock: Clock | None = None, migrate: bool = True) -> Shop:
    """Open (creating and migrating if needed) the shop at ``path``; errors become ShopUnavailable."""
    p = Path(path) if path is not None else default_db_path()
    ctx = open_context(p, clock, migrate=migrate)
    staff = StaffService(ctx)
    points = PointsService(ctx)
    products = ProductService(ctx)
    customers = CustomerService(ctx, points.program)
    sales = SaleService(ctx, products, points.program)
    sync = SyncService(ctx, p.parent / "sync-staging")
    sales.redeem_guards.append(sync.check_offline_redemption)
    sales.sale_guards.append(counter_sale_guard(ctx))
    lookup = LookupService(ctx, customers)  # reads the points program with the profile
    suggestions = SuggestionService(ctx)
    lookup.enrichers.append(suggestions.enrich)
    mail = MailService(ctx, products, customers, suggestions)
    imports = ImportService(ctx, customers, products, points, sales)
    reports = ReportService(ctx, points.program,
                            refill_provider=lambda today, within: suggestions.due_summary(today, within_days=within),
                            campaign_results=mail.campaign_results)
    return Shop(
        ctx=ctx,
        staff=staff,
        points=points,
        customers=customers,
        products=products,
        sales=sales,
        lookup=lookup,
        sync=sync,
        path=p,
        suggestions=suggestions,
        reports=reports,
        mail=mail,
        imports=imports,
        pos=PosService(imports),
        backups=BackupService(ctx, p, staff),
        privacy=PrivacyService(ctx, customers),
        cards=CardPrinter(ctx, customers),
        product_import=ProductImporter(ctx, products),
        notes=NotesService(ctx, customers),
    )
