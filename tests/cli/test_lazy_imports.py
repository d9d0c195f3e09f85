"""What a command loads: the stats and list commands stay free of the window's and the
printers' libraries (and of the code they do not use), and building one sub-command's
options parses the same as building them all (cli.build_parser)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dvdesk import cli
from dvdesk.cli import main

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("PySide6", "shiboken6", "reportlab", "openpyxl", "cryptography", "sqlite_utils")

# Run the command as `python -m dvdesk` does, then list what it imported.
PROBE = """
import contextlib, io, json, runpy, sys
sys.argv = ["dvdesk", *json.loads(sys.argv[1])]
with contextlib.redirect_stdout(io.StringIO()):
    try:
        runpy.run_module("dvdesk", run_name="__main__")
    except SystemExit as exc:
        assert not exc.code, exc.code
print(json.dumps(sorted(sys.modules)))
"""


def _loaded(*argv: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv)],
        capture_output=True, text=True, env=env, check=True, cwd=ROOT,
    )  # fmt: skip
    return set(json.loads(done.stdout))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lazy") / "xa.db"
    assert main(["demo", "--db", str(path), "--members", "60"]) == 0
    return path


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


def test_stats_loads_no_window_printer_or_member_code(demo_db):
    loaded = _loaded("stats", "--db", str(demo_db), "--from", "2017", "--to", "2026", "--json")
    assert "dvdesk.services.statistics" in loaded  # the probe ran the command
    assert _heavy(loaded) == []
    unused = {"dvdesk.cli_dossier", "dvdesk.store.members", "dvdesk.store.received"}
    assert loaded & unused == set()
    assert loaded & {"dvdesk.domain.procedure", "dvdesk.domain.member", "tomllib"} == set()


def test_list_json_loads_no_window_printer_or_merge_code(demo_db):
    loaded = _loaded("list", "--db", str(demo_db), "--eligible-on", "2026-11-26", "--json")
    assert "dvdesk.services.member_list" in loaded
    assert _heavy(loaded) == []
    unused = {"dvdesk.cli_dossier", "dvdesk.store.received", "dvdesk.store.members"}
    assert loaded & unused == set()
    assert loaded & {"dvdesk.domain.procedure", "dvdesk.domain.member"} == set()


def test_age_loads_no_store():
    loaded = _loaded("age", "28/06/2008", "--on", "26/11/2026")
    assert "dvdesk.domain.eligibility" in loaded
    assert _heavy(loaded) == []
    assert not any(m.startswith("dvdesk.store") for m in loaded)


def test_every_sub_command_is_named():
    built = cli.build_parser(None)._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert tuple(built) == cli.COMMANDS


@pytest.mark.parametrize(
    "argv",
    [
        ["stats", "--db", "x.db", "--from", "2019", "--to", "2022", "--unit-kind", "thpt"],
        ["list", "--db", "x.db", "--eligible-on", "2026-11-26", "--json"],
        ["--db", "x.db", "list", "--view", "eligible", "--csv"],
        ["age", "2008", "--on", "31/12/2026", "--method", "B"],
        ["dossier", "--uid", "u1", "--vote", "6-KNĐ:9/12:11"],
        ["print", "eligible", "--out", "a.pdf", "--on", "2026-11-26"],
    ],
)
def test_one_sub_command_built_parses_as_all_built(argv):
    command = cli.command_in(argv)
    assert command == next(a for a in argv if a in cli.COMMANDS)
    one = vars(cli.build_parser(command).parse_args(argv))
    every = vars(cli.build_parser(None).parse_args(argv))
    assert one.keys() == every.keys()
    for key in one:
        if key != "func":
            assert one[key] == every[key], key
    same_function = getattr(one["func"], "__qualname__", None)
    assert same_function == getattr(every["func"], "__qualname__", None)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--db", "stats", "list"], "list"),  # --db's value is no command
        (["--db=x", "stats"], "stats"),
        (["--d", "x", "stats"], None),  # an abbreviation: argparse decides
        (["--version"], None),
        ([], None),
    ],
)
def test_command_in(argv, expected):
    assert cli.command_in(argv) == expected
