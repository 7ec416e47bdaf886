"""The owner's backups and a customer's data from the desktop app: back up, restore, export, erase."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from loyalty_app.sales import SaleItem
from ui.data_safety_menu import open_backups, open_privacy
from ui.main_window import MainWindow


def test_the_owner_backs_up_and_restores_from_the_window(catalogue, owner, tmp_path: Path, qtbot) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    window = MainWindow(catalogue)
    qtbot.addWidget(window)
    dialog = open_backups(window)
    dialog.folder_input.setText(str(tmp_path / "usb"))
    dialog.keep_input.setValue(3)
    dialog.pin_input.setText("1111")
    dialog.save_settings()
    assert "not an owner's PIN" in dialog.message.text()
    dialog.pin_input.setText("1234")
    dialog.save_settings()
    assert catalogue.backups.folder_of() == tmp_path / "usb" and catalogue.backups.keep_of() == 3
    with qtbot.waitSignal(dialog.sig_backed_up, timeout=10000) as saved:
        dialog.back_up_now()
    assert Path(saved.args[0]).parent == tmp_path / "usb" and dialog.backup_list.count() == 1
    assert "(verified)" in dialog.message.text()

    catalogue.sales.record_sale(ada.id, [SaleItem("BAS250", 2)])  # made after the backup: the restore undoes it
    window.counter.lookup("415 555 0132")
    dialog.backup_list.setCurrentRow(0)
    with qtbot.waitSignal(dialog.sig_restored, timeout=10000):
        dialog.restore_button.click()
    assert "kept as" in dialog.message.text()
    assert window.counter.customer_panel.customer_id is None  # the counter starts afresh on the restored file
    window.counter.lookup("415 555 0132")
    assert window.counter.customer_panel.name_label.text() == "Ada"
    assert catalogue.lookup.profile(ada.id).history == ()
    # The window's own connection works on the restored file, and the restore is in the audit log.
    catalogue.sales.record_sale(ada.id, [SaleItem("WB250", 1)])
    catalogue.ctx.actor = owner
    assert catalogue.audit_log(5)[0].action == "backup.restore"


def test_a_restore_without_the_owner_pin_changes_nothing(catalogue, tmp_path: Path, qtbot) -> None:
    kept = catalogue.backups.backup_now(tmp_path / "copy.sqlite")
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    window = MainWindow(catalogue)
    qtbot.addWidget(window)
    dialog = open_backups(window)
    dialog.pin_input.setText("1111")
    assert dialog.restore(kept) is False
    assert "not an owner's PIN" in dialog.message.text()
    assert catalogue.customers.get(ada.id).name == "Ada"


def test_the_owner_exports_and_erases_a_customer_from_the_counter(catalogue, tmp_path: Path, qtbot) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="<b>Ada</b> Lovelace")
    sale = catalogue.sales.record_sale(ada.id, [SaleItem("BAS250", 2)])
    window = MainWindow(catalogue)
    qtbot.addWidget(window)
    assert open_privacy(window) is None  # nobody at the counter yet
    window.counter.lookup("415 555 0132")
    dialog = open_privacy(window)
    assert dialog is not None and dialog.name_label.text() == "<b>Ada</b> Lovelace"
    assert not dialog.erase_button.isEnabled()  # not before the owner ticks that it cannot be undone
    dialog.pin_input.setText("1234")
    out = tmp_path / "ada.json"
    assert dialog.export_to(out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["customer"]["name"] == "<b>Ada</b> Lovelace"
    assert [p["id"] for p in data["purchases"]] == [sale.purchase_id]
    dialog.confirm_erase.setChecked(True)
    with qtbot.waitSignal(dialog.sig_erased):
        dialog.erase_button.click()
    assert window.counter.customer_panel.customer_id is None
    window.counter.lookup("415 555 0132")
    assert window.counter.customer_panel.customer_id is None
    assert catalogue.sales.purchase(sale.purchase_id).total_cents == sale.total_cents  # reports stay true


def test_hostile_names_and_typed_codes_show_as_text_at_the_counter(catalogue, qtbot) -> None:
    from PySide6.QtCore import Qt

    name = "<h1>Ada</h1><img src=\"file:///etc/passwd\">{{ 7*7 }}"
    catalogue.customers.sign_up("+14155550132", name=name)
    window = MainWindow(catalogue)
    qtbot.addWidget(window)
    window.counter.lookup("415 555 0132")
    panel, sale = window.counter.customer_panel, window.counter.sale_panel
    assert panel.name_label.text() == name and sale.who_label.text() == f"Sale for {name}"
    shown_as_text = [panel.name_label, panel.details_label, panel.last_basket_label, sale.who_label,
                     sale.item_message]
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in shown_as_text)


def test_a_restore_waits_for_no_background_job_to_be_writing(catalogue, tmp_path: Path, qtbot) -> None:
    kept = catalogue.backups.backup_now(tmp_path / "copy.sqlite")
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")  # made after the backup
    window = MainWindow(catalogue)
    qtbot.addWidget(window)
    writing, release = threading.Event(), threading.Event()

    def watch_folder_pass(_cancelled) -> None:  # a writing job with its own connection, still going
        writing.set()
        release.wait(10)

    window.tasks.submit("watch folder", watch_folder_pass, writes=True)
    assert writing.wait(10)
    dialog = open_backups(window)
    dialog.pin_input.setText("1234")
    assert dialog.restore(kept) is False
    assert dialog.message.text() == ("restoring a backup has to wait: watch folder is still writing the shop; "
                                     "try again when it ends")
    assert catalogue.customers.get(ada.id).name == "Ada"  # nothing was swapped under the job
    release.set()
    qtbot.waitUntil(window.tasks.idle, timeout=10000)
    assert dialog.restore(kept) is True
    assert catalogue.customers.list() == []


def test_the_backups_dialog_on_its_own_waits_for_its_backup_when_closed(catalogue, tmp_path: Path, qtbot) -> None:
    from ui.backup_dialog import BackupDialog

    dialog = BackupDialog(catalogue)  # no window: the dialog has a task runner of its own
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.back_up_now()
    dialog.close()
    assert dialog.tasks.closed and dialog.tasks.idle()
    files = catalogue.backups.list_backups()
    assert len(files) == 1 and not list(Path(files[0].file).parent.glob("*.part"))
