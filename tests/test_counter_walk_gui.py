"""The walk of a phone typed at the counter to the painted profile stays short: few of the app's files run
between the cashier's Enter and the profile on screen (issue 16: a reader follows it in a handful of files)."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from PySide6.QtCore import Qt

from loyalty_app.sales import SaleItem
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tuple(str(ROOT / p) + "/" for p in ("loyalty_app", "ui", "db"))
MAX_FILES = 6


class FilesRun:
    """Which of the app's files run Python code while it is on: a profile hook on this thread and any new one."""

    def __init__(self) -> None:
        self.files: set[str] = set()

    def _hook(self, frame: FrameType, event: str, _arg: Any) -> None:
        if event == "call" and frame.f_code.co_filename.startswith(PROJECT):
            self.files.add(str(Path(frame.f_code.co_filename).relative_to(ROOT)))

    def __enter__(self) -> FilesRun:
        threading.setprofile(self._hook)
        sys.setprofile(self._hook)
        return self

    def __exit__(self, *_exc: object) -> None:
        sys.setprofile(None)
        threading.setprofile(None)  # type: ignore[arg-type]


def test_a_phone_typed_at_the_counter_reaches_the_painted_profile_through_few_files(catalogue, owner, qtbot):
    ada = catalogue.customers.sign_up(phone="+14155550132", name="Ada", email="ada@example.com",
                                      email_consent=True)
    catalogue.customers.attach_card(ada.id)
    catalogue.sales.record_sale(ada.id, [SaleItem("BAS250", 2)])
    catalogue.sales.record_sale(ada.id, [SaleItem("BAS500", 1)])
    window = MainWindow(catalogue)
    qtbot.addWidget(window)
    window.show()
    counter = window.counter
    qtbot.keyClicks(counter.lookup_input, "(415) 555-0132")
    with FilesRun() as run:
        qtbot.keyClick(counter.lookup_input, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: counter.customer_panel.name_label.text() == "Ada")
        counter.customer_panel.repaint()  # painted now, not at the next turn of the event loop
    assert counter.customer_panel.name_label.text() == "Ada"
    assert run.files, "the tracer saw none of the app's files run"
    assert len(run.files) <= MAX_FILES, (f"{len(run.files)} of the app's files run between Enter and the painted "
                                         f"profile (at most {MAX_FILES}):\n" + "\n".join(sorted(run.files)))
