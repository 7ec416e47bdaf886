"""`loyalty backup FILE | --auto | list`: a verified copy where asked, the daily one once a day, the list."""

from __future__ import annotations

import stat
from pathlib import Path


def test_backup_to_a_file_daily_once_and_the_list(catalogue, cli, tmp_path: Path) -> None:
    catalogue.close()
    copy = tmp_path / "usb" / "copy.sqlite"
    made = cli("backup", str(copy), "--json")
    assert made.code == 0 and made.json()["file"] == str(copy)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    first = cli("backup", "--auto", "--json").json()["file"]
    assert first and Path(first).parent == tmp_path / "backups"
    again = cli("backup", "--auto")
    assert again.code == 0 and "already there" in again.out
    listed = cli("backup", "list", "--json").json()
    assert [row["file"] for row in listed] == [first]
    assert cli("backups", "--json").json() == listed
    refused = cli("backup", str(copy), "--auto")
    assert refused.code == 1 and "leave out the file name" in refused.err
