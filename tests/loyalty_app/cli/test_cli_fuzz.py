"""Every command of `loyalty`, fed hostile arguments through main(): a result or one clear line, never a traceback,
exit codes 0, 1 or 2 only, and the shop still checks clean."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyalty_app.cli.main import build_parser

# Left out: the demo builder (slow by design), talking to a real mail server, and loops that never end on purpose.
SKIP_COMMANDS = {("demo",), ("mail", "test"), ("mail", "check-inbox")}
SKIP_OPTIONS = {"--send", "--watch", "--help", "--retune"}
HOSTILE = st.one_of(
    st.text(max_size=20),
    st.integers(-5, 60).map(str),
    st.sampled_from(["<script>alert(1)</script>", "'; DROP TABLE customers; --", "{{ 7*7 }}", "{% for %}",
                     "\x00\x1b[2J", "=HYPERLINK(\"http://x\")", "BAS250:2", "BAS250:-1", "4155550132",
                     "+14155550132", "2026-13-45", "9" * 30, "-1", "ädä", "x" * 5000, "../escape"]),
)


def _commands() -> list[tuple[tuple[str, ...], list[str]]]:
    found: list[tuple[tuple[str, ...], list[str]]] = []

    def walk(parser: argparse.ArgumentParser, prefix: tuple[str, ...]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    nested = [a for a in sub._actions if isinstance(a, argparse._SubParsersAction)]
                    if nested:
                        walk(sub, (*prefix, name))
                    elif (*prefix, name) not in SKIP_COMMANDS:
                        opts = [o for a in sub._actions for o in a.option_strings if o.startswith("--")
                                and o not in SKIP_OPTIONS]
                        found.append(((*prefix, name), opts))

    walk(build_parser(), ())
    return found


COMMANDS = _commands()


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    words, opts = draw(st.sampled_from(COMMANDS))
    argv = list(words)
    for _ in range(draw(st.integers(0, 3))):
        argv.append(draw(HOSTILE))
    for opt in draw(st.lists(st.sampled_from(opts), max_size=3)) if opts else []:
        argv += [opt, draw(HOSTILE)]
    return argv


def test_the_fuzzer_knows_every_command() -> None:
    assert len(COMMANDS) >= 40 and {("sale",), ("restore",), ("customer", "erase")} <= {c for c, _ in COMMANDS}


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(argv=command_lines())
def test_every_command_with_hostile_arguments_ends_cleanly(cli, catalogue, tmp_path: Path, argv: list[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # anything a command writes lands in the test's folder
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", "1234")
    result = cli(*argv)
    assert result.code in (0, 1, 2), (argv, result.err)
    assert "Traceback" not in result.err, (argv, result.err)
    if result.code == 1:
        assert result.err.startswith("loyalty: "), (argv, result.err)
