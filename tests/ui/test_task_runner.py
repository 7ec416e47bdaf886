"""The window's task runner owns its background jobs: results come back on the GUI thread, writing jobs take
turns, and closing the window cancels and waits for whatever still runs (nothing outlives its connection)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

import pytest
import shiboken6
from PySide6.QtWidgets import QLabel

from loyalty_app.errors import ShopUnavailable
from ui.main_window import MainWindow
from ui.task_runner import Control, Outcome, TaskRunner


def test_closing_the_window_cancels_and_waits_for_a_running_job(catalogue, qtbot) -> None:
    window = MainWindow(catalogue)
    qtbot.addWidget(window)
    started, seen_cancel = threading.Event(), threading.Event()

    def long_job(cancelled: Callable[[], bool]) -> str:
        started.set()
        while not cancelled():  # a job's steps, checking its cancel flag between them
            os.sched_yield()
        seen_cancel.set()
        return "stopped"

    task = window.tasks.submit("long job", long_job)
    assert started.wait(10)
    assert window.tasks.busy_text() == "long job"
    window.close()
    assert seen_cancel.is_set() and task.ended.is_set() and window.tasks.running() == []
    with pytest.raises(RuntimeError, match="closing"):
        window.tasks.submit("too late", lambda _c: None)


def test_the_start_up_job_is_waited_for_when_the_window_closes(catalogue, qtbot) -> None:
    window = MainWindow(catalogue)
    qtbot.addWidget(window)
    task = window.run_startup_checks()
    window.close()
    assert task.ended.is_set() and window.tasks.running() == []


def test_writing_jobs_take_turns_and_results_arrive_on_the_gui_thread(qtbot) -> None:
    runner = TaskRunner()
    lock, inside, most = threading.Lock(), [0], [0]
    results: list[tuple[str, bool]] = []

    def writer(cancelled: Callable[[], bool]) -> int:
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        sum(range(3_000_000))  # the job's work, long enough that a second writer would overlap it
        with lock:
            inside[0] -= 1
        return 1

    def on_done(outcome: Outcome) -> None:
        results.append((outcome.task.name, threading.current_thread() is threading.main_thread()))

    for n in range(4):
        runner.submit(f"writer {n}", writer, writes=True, on_done=on_done)
    qtbot.waitUntil(lambda: len(results) == 4, timeout=10000)
    assert most[0] == 1 and all(on_gui for _name, on_gui in results)
    assert runner.shutdown() and runner.running() == []


def test_a_failing_job_reports_a_readable_reason(qtbot) -> None:
    runner = TaskRunner()
    failures: list[str] = []

    def broken(_cancelled: Callable[[], bool]) -> None:
        raise ValueError("the till sent nonsense")

    runner.submit("broken", broken, on_failed=lambda o: failures.append(o.error))
    qtbot.waitUntil(lambda: bool(failures), timeout=10000)
    assert failures == ["something went wrong: the till sent nonsense"]
    runner.shutdown()


def test_progress_reaches_the_screen_throttled_and_always_the_last_step(qtbot, tasks) -> None:
    seen: list[tuple[int, int, str]] = []

    def rows(cancelled: Control) -> int:
        for n in range(1, 100_001):
            cancelled.progress(n, 100_000, f"row {n}")
        return 100_000

    with qtbot.waitSignal(tasks.sig_busy, timeout=10000, check_params_cb=lambda text: text == ""):
        tasks.submit("rows", rows, on_progress=lambda d, t, s: seen.append((d, t, s)))
    assert seen[-1] == (100_000, 100_000, "row 100000")
    assert len(seen) < 1000  # not one event per row: the GUI thread stays free


def test_a_result_that_arrives_after_shutdown_reaches_nobody(qtbot) -> None:
    runner = TaskRunner()
    got: list[object] = []
    task = runner.submit("quick", lambda _c: 42, on_done=lambda o: got.append(o.value))
    assert task.ended.wait(10)
    runner.shutdown()
    qtbot.wait(0)  # deliver whatever the worker posted before the window closed
    assert got == [] and runner.idle()


def test_periodic_rounds_stop_for_good_at_shutdown(qtbot) -> None:
    runner = TaskRunner()
    ticks: list[int] = []
    timer = runner.every(1, lambda: ticks.append(1))
    timer.start()
    qtbot.waitUntil(lambda: len(ticks) >= 2, timeout=10000)
    runner.shutdown()
    assert not timer.isActive()
    timer.timeout.emit()  # a tick already on its way when the window closed: nothing is started by it
    with pytest.raises(RuntimeError, match="closing"):
        runner.submit("round", lambda _c: None)


def test_a_restore_on_the_gui_thread_waits_for_no_writing_job(qtbot, tasks) -> None:
    inside, release = threading.Event(), threading.Event()

    def sync_round(_cancelled: Control) -> None:
        inside.set()
        release.wait(10)

    tasks.submit("sync round", sync_round, writes=True)
    assert inside.wait(10)
    with pytest.raises(ShopUnavailable, match="restoring a backup has to wait: sync round is still writing"):
        with tasks.exclusive("restoring a backup"):
            pass
    release.set()
    qtbot.waitUntil(tasks.idle, timeout=10000)
    with tasks.exclusive("restoring a backup"):
        reading = tasks.submit("report", lambda _c: "read")  # a reading job is not held up
        assert reading.ended.wait(10)


def test_every_runner_made_is_known_so_a_test_can_check_it_is_idle(tasks) -> None:
    assert tasks in TaskRunner.made() and tasks.idle()


def test_a_result_for_a_screen_closed_meanwhile_is_dropped(qtbot, tasks) -> None:
    class Screen(QLabel):
        def _on_task_done(self, outcome: Outcome) -> None:
            self.setText(str(outcome.value))

    screen, release = Screen(), threading.Event()
    task = tasks.submit("report", lambda _c: release.wait(10), on_done=screen._on_task_done)
    shiboken6.delete(screen)  # the owner locked the back office while the report was computed
    with qtbot.waitSignal(tasks.sig_busy, timeout=10000):  # the result has been handed out
        release.set()
    assert task.ended.wait(10)  # handed to nobody, and nothing raised
