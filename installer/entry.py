"""PyInstaller entry point: the same `loyalty-desk` the pip-installed app starts."""

from ui.app import main

raise SystemExit(main())
