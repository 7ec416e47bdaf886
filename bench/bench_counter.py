"""The counter on the benchmark shop: from the Enter key to the profile (name, balance, last basket) painted."""

from __future__ import annotations

import os
import random
import sqlite3
import time

from bench.common import benchmark_shop, percentiles, table

RUNS = 200


def run() -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from loyalty_app.shop import open_shop
    from ui.main_window import MainWindow

    path = benchmark_shop()
    conn = sqlite3.connect(path)
    phones = [r[0] for r in conn.execute("SELECT e164 FROM phones WHERE e164 LIKE '+1%' ORDER BY random() LIMIT ?",
                                         (RUNS,))]
    conn.close()
    app = QApplication.instance() or QApplication([])
    shop = open_shop(path)
    window = MainWindow(shop)
    window.show()
    app.processEvents()
    field = window.counter.lookup_input
    panel = window.counter.customer_panel
    rng = random.Random(3)
    samples, stalls = [], []
    for e164 in phones:
        n = e164[2:]
        field.setText(rng.choice([f"({n[:3]}) {n[3:6]}-{n[6:]}", f"{n[:3]}.{n[3:6]}.{n[6:]}"]))
        t0 = time.perf_counter()
        app.sendEvent(field, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier))
        panel.repaint()  # the paint the cashier sees, synchronously
        app.processEvents()
        elapsed = (time.perf_counter() - t0) * 1000
        assert panel.name_label.text() and "points" in panel.balance_label.text()
        samples.append(elapsed)
        stalls.append(elapsed)
        window.counter.clear()
        app.processEvents()
    stats = percentiles(samples)
    window.close()
    window.deleteLater()
    app.processEvents()
    del window
    shop.close()
    print(table("Counter: Enter → profile painted (benchmark shop)", [("lookup + profile + paint", stats)]))
    print(f"  target: p95 < 50 ms; longest GUI-thread block in this run: {max(stalls):.1f} ms (limit 100 ms)")
    return {"enter_to_paint": stats, "longest_ms": round(max(stalls), 1)}
