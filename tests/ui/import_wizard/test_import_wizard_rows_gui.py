"""The import wizard with a till's own CSV: a Date and a separate Time column, and the rows it will not take."""

from __future__ import annotations

import pytest

from ui.import_wizard.import_wizard import PAGE_MAPPING, ImportWizard

pytestmark = pytest.mark.gui

TILL = """Receipt,Date,Time,SKU,Qty,Total
R-1,2026-10-01,18:45,BAS250,1,14.50
R-2,01/13/2026x,10:00,WB250,1,12.00
R-3,2026-10-02,09:05,WB250,2,24.00
R-4,2026-10-02,09:30,,1,12.00
"""


def test_a_separate_date_and_time_are_both_mapped_and_each_refused_row_is_named(qtbot, catalogue, tmp_path):
    f = tmp_path / "till.csv"
    f.write_text(TILL, encoding="utf-8")
    w = ImportWizard(catalogue)
    qtbot.addWidget(w)
    w.show()
    w.file_page.path_edit.setText(str(f))
    w.next()
    assert w.currentId() == PAGE_MAPPING
    page = w.mapping_page
    assert (page.combos["date"].currentText(), page.combos["time"].currentText()) == ("Date", "Time")
    assert page.isComplete()
    w.next()
    preview = w.preview_page
    qtbot.waitUntil(preview.isComplete, timeout=10000)
    assert "2 new lines would be imported" in preview.status_label.text()
    assert preview.problems_title.text() == "2 rows will not be imported as they are:"
    assert [preview.problems_list.item(i).text() for i in range(preview.problems_list.count())] == [
        "Row 3: rejected — '01/13/2026x' is not a date",
        "Row 5: rejected — the row names no product (no SKU and no name)",
    ]
    with qtbot.waitSignal(w.sig_imported, timeout=10000):
        w.next()
    times = [r[0] for r in catalogue.ctx.db.conn.execute("SELECT occurred_at FROM purchases ORDER BY occurred_at")]
    # 18:45 and 09:05 in the shop's time zone (Los Angeles, UTC-7 in October), not midnight.
    assert times == ["2026-10-02T01:45:00Z", "2026-10-02T16:05:00Z"]
    assert w.import_page.problems_title.text() == "2 rows were not imported as they were:"
