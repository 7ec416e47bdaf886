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
    samples, cpu = [], []
    for e164 in phones:
        n = e164[2:]
        field.setText(rng.choice([f"({n[:3]}) {n[3:6]}-{n[6:]}", f"{n[:3]}.{n[3:6]}.{n[6:]}"]))
        t0, c0 = time.perf_counter(), time.thread_time()
        app.sendEvent(field, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier))
        panel.repaint()  # the paint the cashier sees, synchronously
        app.processEvents()
        elapsed = (time.perf_counter() - t0) * 1000
        cpu.append((time.thread_time() - c0) * 1000)
        assert panel.name_label.text() and "points" in panel.balance_label.text()
        samples.append(elapsed)
        window.counter.clear()
        app.processEvents()
    stats, cpu_stats = percentiles(samples), percentiles(cpu)
    window.close()
    window.deleteLater()
    app.processEvents()
    del window
    shop.close()
    print(table("Counter: Enter → profile painted (benchmark shop)",
                [("wall clock", stats), ("GUI-thread CPU time", cpu_stats)]))
    # On a shared machine the wall clock includes waiting for a core; the CPU time is the work itself.
    print(f"  target: p95 < 50 ms; longest GUI-thread block: {max(samples):.1f} ms wall, {max(cpu):.1f} ms CPU"
          f" (limit 100 ms); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return {"enter_to_paint": stats, "cpu": cpu_stats, "longest_ms": round(max(samples), 1),
            "longest_cpu_ms": round(max(cpu), 1), "load_average": round(os.getloadavg()[0], 1)}
