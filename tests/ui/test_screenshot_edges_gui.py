"""`loyalty-desk --screenshot`: a missing shop is refused without a file left behind; sign-up shows the typed phone."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_a_screenshot_of_a_missing_shop_refuses_and_creates_nothing(tmp_path: Path, monkeypatch, capsys,
                                                                    qapp) -> None:
    from ui.app import main

    missing = tmp_path / "new" / "shop.sqlite"
    shot = tmp_path / "x.png"
    assert main(["--db", str(missing), "--screenshot", str(shot)]) == 2
    assert capsys.readouterr().err == (f"loyalty-desk: no shop at {missing}: run loyalty init or loyalty demo first\n")
    assert not missing.exists() and not missing.parent.exists() and not shot.exists()
    monkeypatch.setenv("LOYALTY_DB", str(missing))  # no --db: the default shop, which does not exist yet either
    assert main(["--screenshot", str(shot)]) == 2
    assert not missing.exists() and not shot.exists()


@pytest.mark.parametrize("typed", ["(555) 123-9999", "(415) 555-0199"])
def test_the_sign_up_screenshot_opens_with_the_typed_phone(demo_shop_path: Path, tmp_path: Path, monkeypatch,
                                                          typed: str, qapp) -> None:
    from ui import app
    from ui.counter.signup_dialog import SignupDialog

    shown: list[str] = []
    real_grab = SignupDialog.grab

    def grab_and_read(self: SignupDialog, *args):
        shown.append(self.phone_input.text())
        return real_grab(self, *args)

    monkeypatch.setattr(SignupDialog, "grab", grab_and_read)
    shot = tmp_path / "signup.png"
    assert app.main(["--db", str(demo_shop_path), "--screenshot", str(shot), "--customer", typed,
                     "--screen", "signup"]) == 0
    assert shown == [typed] and shot.exists()
