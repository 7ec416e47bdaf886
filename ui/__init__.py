"""The desktop app: Qt (PySide6) screens, table models and background tasks. Qt lives here and nowhere else."""
