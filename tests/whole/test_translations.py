"""The German, French and Spanish catalogues: complete, placeholders intact, compiled, and covering every string
the window, slips, cards, reports and emails show; a new literal in ui/ that skips the catalogue fails here."""

from __future__ import annotations

import ast
import re

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.paths import ROOT

LOCALE = ROOT / "loyalty_app" / "locale"
LANGUAGES = ("de", "fr", "es")
PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_0-9]*)\}(?!\})")
TAG = re.compile(r"</?[a-z]+>")
# Qt calls whose string arguments a person reads; their literals must go through _() (accessible names are
# the screen reader's and the tests' handles and stay English).
SHOWN = {"setText", "setWindowTitle", "setPlaceholderText", "setToolTip", "setTitle", "setSubTitle", "addRow",
         "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "addTab", "addItem",
         "addItems", "warning", "critical", "information", "question", "about", "setStatusTip", "showMessage",
         "addMenu", "setLabelText", "QProgressDialog", "setHorizontalHeaderLabels", "getOpenFileName",
         "getSaveFileName", "getExistingDirectory", "setPrefix", "setSuffix", "setSpecialValueText", "QMessageBox"}
NOT_WORDS = {"Loyalty Desk"}  # the product's name is the same in every language


def _catalogue(lang: str):
    with open(LOCALE / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=lang)


def _key(value: object) -> object:
    return tuple(value) if isinstance(value, (list, tuple)) else value


def _forms(message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple) else [message.id]


def _strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_is_translated_with_the_same_placeholders_and_markup(lang: str) -> None:
    catalogue = _catalogue(lang)
    problems = []
    for m in catalogue:
        if not m.id:
            continue
        wanted = {p for form in _forms(m) for p in PLACEHOLDER.findall(form)}
        tags = sorted(TAG.findall(_forms(m)[0]))
        for s in _strings(m):
            if not s.strip():
                problems.append(f"untranslated: {_forms(m)[0]!r}")
            elif {p for p in PLACEHOLDER.findall(s)} != wanted:
                problems.append(f"placeholders differ: {_forms(m)[0]!r} -> {s!r}")
            elif sorted(TAG.findall(s)) != tags:
                problems.append(f"markup differs: {_forms(m)[0]!r} -> {s!r}")
            elif s.replace("&&", "").count("&") > 1 + _forms(m)[0].replace("&&", "").count("& "):
                problems.append(f"two keyboard accelerators: {s!r}")
        if "fuzzy" in m.flags:
            problems.append(f"fuzzy: {_forms(m)[0]!r}")
    assert problems == []
    assert not catalogue.fuzzy, "a fuzzy header makes the compiler skip the whole catalogue"


def test_the_catalogues_hold_every_string_of_the_code_and_nothing_else() -> None:
    with open(ROOT / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {**DEFAULT_KEYWORDS, "N_": None, "ngettext": (1, 2)}
    in_code = {msg if isinstance(msg, str) else tuple(msg)
               for _file, _line, msg, _comments, _context in extract_from_dir(
                   str(ROOT), method_map, options_map, keywords=keywords)}
    in_code = {m[0] if isinstance(m, tuple) and len(m) == 1 else m for m in in_code}
    with open(LOCALE / "messages.pot", "rb") as f:
        template = {m.id for m in read_po(f) if m.id}
    assert sorted(map(str, in_code - template)) == [], "run scripts/translations, then translate the new entries"
    for lang in LANGUAGES:
        assert {m.id for m in _catalogue(lang) if m.id} == template, f"{lang}: run scripts/translations"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_shipped_mo_file_is_the_compiled_catalogue(lang: str) -> None:
    with open(LOCALE / lang / "LC_MESSAGES" / "messages.mo", "rb") as f:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(f) if m.id}
    source = {_key(m.id): _key(m.string) for m in _catalogue(lang) if m.id}
    assert compiled == source, "run scripts/translations (pybabel compile) and commit the .mo files"


def unwrapped_literals(source: str) -> list[str]:
    """The string literals (and f-strings) handed straight to a Qt call that shows them, outside _()."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        if name not in SHOWN:
            continue
        for arg in node.args:
            items = arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else [arg]
            for a in items:
                if isinstance(a, ast.Constant) and isinstance(a.value, str):
                    text = a.value
                elif isinstance(a, ast.JoinedStr):
                    text = "".join(v.value for v in a.values if isinstance(v, ast.Constant))
                else:
                    continue
                if re.search(r"[A-Za-z]{2}", text) and text.strip() not in NOT_WORDS:
                    found.append(f"line {a.lineno}: {name}({ast.unparse(a)[:60]})")
    return found


def test_the_scan_catches_a_label_that_skips_the_catalogue() -> None:
    assert unwrapped_literals('QLabel("Points")\nb.setText(f"Total {x}")\nc.setText(_("Fine"))') == [
        'line 1: QLabel(\'Points\')', "line 2: setText(f'Total {x}')"]


def test_every_string_the_window_shows_goes_through_the_catalogue() -> None:
    problems = [f"{path.relative_to(ROOT)} {hit}" for path in sorted((ROOT / "ui").rglob("*.py"))
                for hit in unwrapped_literals(path.read_text(encoding="utf-8"))]
    assert problems == []
