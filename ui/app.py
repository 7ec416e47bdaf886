"""Entry point of `loyalty-desk`: opens the shop (or the demo shop), then the main window."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from loyalty_app.errors import LoyaltyError, ShopUnavailable
from loyalty_app.i18n import _
from loyalty_app.shop import Shop, default_db_path, default_demo_path, open_shop

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="loyalty-desk", description="Loyalty Desk, the counter app")
    p.add_argument("--db", metavar="PATH", help="shop database (default: the user data directory)")
    p.add_argument("--demo", action="store_true", help="open the demo shop (built on first use)")
    p.add_argument("--screenshot", metavar="FILE.png", help="render the window offscreen, save a PNG, exit")
    p.add_argument("--customer", metavar="QUERY", help="with --screenshot: the customer to show")
    p.add_argument("--screen", choices=["counter", "history", "signup"], default="counter")
    p.add_argument("--history-search", metavar="TEXT", help="with --screen history: a search in the history")
    p.add_argument("--size", metavar="WxH", type=_size, help="with --screenshot: the window's size, e.g. 1366x768")
    p.add_argument("--basket", metavar="SKU", nargs="+", default=[], help="with --screenshot: items in the basket")
    p.add_argument("--palette", choices=["system", "light", "dark"], default="system",
                   help="the colours: the system's (default), or a light or dark palette (to check both)")
    return p.parse_args(argv)


def _size(text: str) -> tuple[int, int]:
    w, sep, h = text.lower().partition("x")
    if not (sep and w.isdigit() and h.isdigit() and 200 <= int(w) <= 8000 and 200 <= int(h) <= 8000):
        raise argparse.ArgumentTypeError(f"'{text}' is not a window size such as 1366x768")
    return int(w), int(h)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    running = QApplication.instance()
    app = running if isinstance(running, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Loyalty Desk")
    from ui.theme import apply_palette

    apply_palette(app, args.palette)
    path = Path(args.db) if args.db else (default_demo_path() if args.demo else default_db_path())
    if args.screenshot and not args.demo and path != default_demo_path() and not path.exists():
        # A picture of no shop would leave an empty file behind that the next start takes for a shop set up.
        print("loyalty-desk: " + _("no shop at {path}: run loyalty init or loyalty demo first").format(path=path),
              file=sys.stderr)
        return 2
    try:
        if not args.demo and not args.screenshot and not path.exists():
            chosen = first_run(path)  # no shop yet: the set-up wizard, or the demo if the owner asks for it
            if chosen is None:
                return 0
            path = chosen
        if (args.demo or path == default_demo_path()) and not path.exists():
            build_demo_with_progress(app, path)
        shop = open_shop(path)
        shop.start_up()
    except LoyaltyError as exc:
        if args.screenshot:
            print(f"loyalty-desk: {exc}", file=sys.stderr)
        else:
            QMessageBox.critical(None, "Loyalty Desk", str(exc))
        return 1
    from ui.main_window import MainWindow
    from ui.qt_translations import install_qt_translations

    install_qt_translations(app, shop.ctx.language)  # Qt's own buttons in the shop's language too
    window = MainWindow(shop, ask_sign_in=not args.screenshot)
    if args.screenshot:
        return _screenshot(app, window, shop, args)
    window.show()
    window.run_startup_checks()
    if os.environ.pop("LOYALTY_OPEN_IMPORT", None):
        window.import_action.trigger()
    code = app.exec()
    _close(window)  # a job still writing must end before its process does
    shop.close()
    return int(code)


def build_demo_with_progress(app: QApplication, path: Path) -> None:
    """Build the demo shop on a task runner of its own (no window exists yet) behind a busy indicator, into a
    side file renamed when complete.

    The rename means an interrupted build never leaves a half-made demo that a later start would open.
    """
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QProgressDialog

    from loyalty_app.demo import build_demo
    from ui.task_runner import Outcome, TaskRunner

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".building")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    ended: list[Outcome] = []
    progress = QProgressDialog(_("Building the demo shop (2,000 customers, two years of sales)…"), "", 0, 0)
    progress.setCancelButton(None)
    progress.setWindowTitle("Loyalty Desk")
    progress.setMinimumDuration(0)
    progress.show()
    loop = QEventLoop()
    tasks = TaskRunner()

    def on_ended(outcome: Outcome) -> None:
        ended.append(outcome)
        loop.quit()
    tasks.submit("building the demo shop", lambda _cancelled: build_demo(partial, seed=1), writes=True,
                 on_done=on_ended, on_failed=on_ended)
    loop.exec()
    tasks.shutdown()
    progress.close()
    if ended[0].error:
        raise ShopUnavailable(f"the demo shop could not be built: {ended[0].error}")
    os.replace(partial, path)


def _close(window: MainWindow) -> None:
    """Close the window (it cancels or waits for its background jobs) and let Qt delete it on the GUI thread,
    never whichever thread Python's garbage collector happens to run on later."""
    window.close()
    window.deleteLater()
    # Now, while its Python wrapper and the shop still exist: after exec() no event loop would run it, and a test
    # that calls main() would otherwise leave the deletion to whatever processes events next.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def first_run(path: Path) -> Path | None:
    """Ask the few things a new shop needs and create it; returns the database to open (None: cancelled)."""
    from loyalty_app.first_run import START_DEMO, START_IMPORT, create_shop
    from ui.first_run_wizard import FirstRunWizard

    wizard = FirstRunWizard()
    while wizard.exec() == FirstRunWizard.DialogCode.Accepted:
        setup = wizard.setup()
        if setup.start == START_DEMO:
            return default_demo_path()
        try:
            create_shop(path, setup).close()
        except LoyaltyError as exc:
            QMessageBox.warning(wizard, "Loyalty Desk", str(exc))
            continue
        if setup.start == START_IMPORT:
            os.environ["LOYALTY_OPEN_IMPORT"] = "1"  # the main window opens the import wizard once it shows
        return path
    return None


def _screenshot(app: QApplication, window: MainWindow, shop: Shop, args: argparse.Namespace) -> int:
    """Render the real window offscreen with a customer loaded, save a PNG and exit."""
    if args.size:
        window.resize(*args.size)
    window.show()
    if args.customer:
        window.counter.lookup(args.customer)
    for sku in args.basket:
        window.counter.sale_panel.add_item(sku)
    if args.screen == "history" and args.customer:
        window.counter.customer_panel.history_search.setText(args.history_search or "")
        window.counter.customer_panel.history_table.setFocus()
    target: QWidget = window
    if args.screen == "signup":
        target = window.counter.sign_up()
        if args.customer and not target.phone_input.text():
            target.phone_input.setText(args.customer)  # a phone the shop could not read is still what was typed
    app.processEvents()
    ok = target.grab().save(args.screenshot)
    _close(window)
    window.shop.close()
    if not ok:
        print(f"loyalty-desk: could not write {args.screenshot}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
