"""A first start of the desktop app without a shop, in a process of its own: `python -m tests.first_start_worker DB`.
The set-up wizard is answered as an owner would (a tea shop in Britain, PIN 2468) and the app quits as soon as its
window would take over; prints `EXIT <code>`. Its own process, so no other test's Qt objects are in play when the
window and its jobs end."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from ui import app as app_module  # noqa: E402
from ui.first_run_wizard import FirstRunWizard  # noqa: E402


def answer(wizard: FirstRunWizard) -> int:
    wizard.shop_name.setText("Tea Corner")
    wizard.country.setCurrentIndex(wizard.country.findData("GB"))
    wizard.pin.setText("2468")
    wizard.pin_again.setText("2468")
    return int(FirstRunWizard.DialogCode.Accepted.value)


def main(db: str) -> None:
    FirstRunWizard.exec = answer  # type: ignore[method-assign, assignment]
    QApplication.exec = lambda self: print("WINDOW SHOWN", flush=True) or 0  # type: ignore[method-assign, assignment, misc]
    code = app_module.main(["--db", db])
    QApplication.processEvents()  # whatever the closed window left queued is handled before the process ends
    print(f"EXIT {code}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
