"""One version, read from pyproject.toml: the package, `--version`, the bundle's resources."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import dvdesk
from dvdesk import older_than_this, release
from dvdesk.cli import main

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_version_is_pyprojects() -> None:
    assert dvdesk.__version__ == PYPROJECT["version"]


def test_no_other_file_spells_the_version() -> None:
    version = PYPROJECT["version"]
    for path in [ROOT / "dvdesk" / "__init__.py", *ROOT.glob("installer/*")]:
        if path.is_file():
            assert f'"{version}"' not in path.read_text(encoding="utf-8-sig"), path


def test_version_option(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"dvdesk {PYPROJECT['version']}\n"


def test_version_option_in_a_fresh_process() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "dvdesk", "--version"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, f"dvdesk {PYPROJECT['version']}\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.1.0", (0, 1, 0)),
        ("1.2", (1, 2)),
        ("0.2.1rc1", (0, 2, 1)),
        ("v3", (3,)),
        ("", None),
        ("không rõ", None),
    ],
)
def test_release(text, expected) -> None:
    assert release(text) == expected


@pytest.mark.parametrize(
    ("theirs", "ours", "older"),
    [
        ("0.1.0", "0.1.0", False),
        ("0.1", "0.1.0", False),
        ("0.0.9", "0.1.0", True),
        ("0.9.0", "0.10.0", True),  # numeric, not text order
        ("0.10.0", "0.9.0", False),
        ("1.0.0", "0.9.9", False),
        ("", "0.1.0", True),  # a manifest from before versions were written
        ("rác", "0.1.0", True),
    ],
)
def test_older_than_this(monkeypatch, theirs, ours, older) -> None:
    monkeypatch.setattr(dvdesk, "__version__", ours)
    assert older_than_this(theirs) is older
