"""Every `loyalty` command pays for the CLI's imports: the heavy libraries only a few commands need stay unloaded."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("reportlab", "psycopg", "httpx", "keyring")


def test_starting_the_cli_loads_no_pdf_hub_http_or_keyring_library() -> None:
    probe = ("import sys, loyalty_app.cli.main, loyalty_app.shop; "
             f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
