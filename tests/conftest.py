"""Shared fixtures: a real migrated shop in a temporary file, a clock the test controls, the CLI in-process."""

from __future__ import annotations

import io
import json
import os
import threading
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from loyalty_app import i18n  # noqa: E402
from loyalty_app.clock import FixedClock  # noqa: E402
from loyalty_app.shop import Shop, open_shop  # noqa: E402
from tests.threads import threads_left_behind  # noqa: E402

NOW = datetime(2026, 11, 2, 18, 30, tzinfo=UTC)
OWNER_PIN = "1234"


@pytest.fixture(autouse=True)
def english_until_a_shop_says_otherwise():
    """Each test starts in English with US conventions, as a process does before it opens a shop: a German shop
    opened by an earlier test in the same worker must not format this one's money."""
    i18n.activate(i18n.DEFAULT_LANGUAGE, "US")
    yield


@pytest.fixture(autouse=True)
def no_thread_left_behind():
    """Fails a test that leaves a thread or a background job behind: each must be joined, waited for or
    cancelled by the code (or the test's clean-up), or it would outlive the connection it works through."""
    before = set(threading.enumerate())
    yield
    if left := threads_left_behind(before):
        pytest.fail("left behind by this test: " + "; ".join(left), pytrace=False)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "shop.sqlite"


@pytest.fixture(scope="session")
def shop_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The initialised empty shop, built once per session (migrations and PIN hashing are the slow part)."""
    path = tmp_path_factory.mktemp("shop-template") / "shop.sqlite"
    s = open_shop(path, clock=FixedClock(NOW))
    s.initialise(shop_name="Test Olive Co", region="US", currency="USD", time_zone="America/Los_Angeles",
                 owner_pin=OWNER_PIN)
    owner = s.staff.sign_in("owner", OWNER_PIN)
    s.staff.add("sam", "cashier", "1111", actor=owner)
    s.close()  # the last connection closing folds the WAL back in, so the file alone is the whole shop
    return path


@pytest.fixture
def shop(db_path: Path, clock: FixedClock, shop_template: Path) -> Shop:
    """An empty initialised shop (US, USD, Los Angeles) with owner 'owner' / PIN 1234 and a cashier 'sam' / 1111."""
    import shutil

    shutil.copyfile(shop_template, db_path)
    s = open_shop(db_path, clock=clock)
    yield s
    s.close()


@pytest.fixture
def owner(shop: Shop):
    return shop.staff.verify_owner(OWNER_PIN)


@pytest.fixture
def catalogue(shop: Shop, owner) -> Shop:
    """A few olive-oil shop products in families of sizes."""
    add = shop.products.add
    add(sku="BAS250", name="Basil olive oil 250 ml", price_cents=1450, family="Basil olive oil", size="250 ml",
        category="Infused oils", tags="basil,infused", refill_days=45, actor=owner)
    add(sku="BAS500", name="Basil olive oil 500 ml", price_cents=2500, family="Basil olive oil", size="500 ml",
        category="Infused oils", tags="basil,infused", refill_days=80, actor=owner)
    add(sku="WB250", name="White balsamic 250 ml", price_cents=1200, family="White balsamic", size="250 ml",
        category="Balsamic", tags="white balsamic", refill_days=60, barcode="4006381333931", actor=owner)
    add(sku="LEM250", name="Lemon olive oil 250 ml", price_cents=1500, family="Lemon olive oil", size="250 ml",
        category="Infused oils", tags="lemon,infused", actor=owner)
    return shop


@pytest.fixture
def tasks(qapp):
    """A task runner of the test's own (screens tested without the window take one), shut down at the end."""
    from ui.task_runner import TaskRunner

    runner = TaskRunner()
    yield runner
    runner.shutdown()


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def cli(db_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run `loyalty --db <tmp> ARGS` in-process through the real entry point."""
    from loyalty_app.cli.main import main

    monkeypatch.delenv("LOYALTY_STAFF", raising=False)
    monkeypatch.delenv("LOYALTY_PIN", raising=False)

    def run(*args: str, db: Path | None = None) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(["--db", str(db or db_path), *args])
            except SystemExit as exc:  # argparse errors
                code = int(exc.code or 0)
        return CliResult(code, out.getvalue(), err.getvalue())

    return run


DEMO_TODAY = NOW.date()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A small demo shop (300 customers, one year, ending on the test clock's day), built once per session."""
    from loyalty_app.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo-template.sqlite"
    stats = build_demo(path, seed=3, customers=300, years=1, today=DEMO_TODAY)
    return path, stats


@pytest.fixture
def demo_shop_path(demo_template: tuple[Path, dict], tmp_path: Path) -> Path:
    """A private copy of the small demo shop for one test (the template is closed, so a file copy is safe)."""
    import shutil

    target = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_template[0], target)
    return target


@pytest.fixture
def demo_shop(demo_shop_path: Path, clock: FixedClock) -> Shop:
    s = open_shop(demo_shop_path, clock=clock)
    yield s
    s.close()
