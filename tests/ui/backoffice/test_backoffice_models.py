"""The back office's Qt table models, checked by pytest-qt's model tester and for what they display."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from loyalty_app.reports.model import Column, ReportTable
from ui.backoffice.product_table_model import COL_PRICE, COL_STATUS, ProductTableModel
from ui.backoffice.report_table_model import SORT_ROLE, ReportTableModel
from ui.backoffice.text_table_model import ROW_ROLE, TextTableModel

pytestmark = pytest.mark.gui


def test_report_table_model(qtmodeltester):
    model = ReportTableModel("EUR")
    model.set_table(ReportTable("Best", [Column("name", "Product"), Column("rev", "Revenue", "money"),
                                         Column("chg", "Change", "change")],
                                [["Basil", 123450, 425], ["=Lemon", 0, None], ["Fig", 99, "new"]]))
    qtmodeltester.check(model)
    assert model.index(0, 1).data() == "€1,234.50" and model.index(0, 2).data() == "+42.5%"
    assert model.index(1, 0).data() == "=Lemon"  # shown as typed on screen; only CSV neutralises
    assert model.index(1, 2).data() == "–" and model.index(2, 2).data() == "new"
    assert model.index(0, 1).data(SORT_ROLE) == 123450
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Revenue"


def test_product_table_model(catalogue, qtmodeltester):
    model = ProductTableModel("USD")
    model.set_rows(catalogue.products.list())
    qtmodeltester.check(model)
    assert model.rowCount() == 4
    prices = {model.index(r, 0).data(): model.index(r, COL_PRICE).data() for r in range(4)}
    assert prices["BAS500"] == "$25.00"
    assert {model.index(r, COL_STATUS).data() for r in range(4)} == {"Active"}


def test_text_table_model(qtmodeltester):
    model = TextTableModel(["Name", "Role"])
    model.set_rows([["sam", "Cashier"]], [{"name": "sam"}])
    qtmodeltester.check(model)
    assert model.index(0, 0).data(ROW_ROLE) == {"name": "sam"}
