"""Qt's own words (the standard Cancel, Yes and No buttons, file dialogs) in the shop's language, from the
translations that ship with PySide6."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator


def install_qt_translations(app: QCoreApplication, language: str) -> QTranslator | None:
    """Load qtbase's catalogue for ``language`` into ``app``; the translator is returned (keep it to remove it).
    English, or a language Qt does not ship, installs nothing."""
    if language == "en":
        return None
    translator = QTranslator(app)
    if not translator.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        return None
    app.installTranslator(translator)
    return translator
