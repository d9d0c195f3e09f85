"""The window quits cleanly in every state: during a batch print, an import, a merge and
background reads, 50 times each, under `python -X dev` with faulthandler, with no abort,
no Qt warning, and a sound data file afterwards."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dvdesk.exchange.package import write_package
from tests.exchange.conftest import make_commune
from tests.safety.killing import ENV, contents
from tests.safety.sheets import write_members_csv

ROUNDS = 50
DEV = [sys.executable, "-X", "dev", "-X", "faulthandler"]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("quit")
    db = folder / "xa.db"
    make_commune(db, "00021", "Xã Đích", 1500, 3).close()
    package = folder / "goi-xa-khac.zip"
    with make_commune(folder / "khac.db", "00022", "Xã Khác", 1500, 4) as store:
        write_package(store, package)
    sheet = folder / "danh-sach.csv"
    write_members_csv(sheet, 3000)
    return {"db": db, "package": package, "sheet": sheet}


@pytest.mark.parametrize("scenario", ["print", "import", "merge", "read"])
def test_quitting_mid_job_never_aborts(
    tmp_path: Path, files: dict[str, Path], scenario: str
) -> None:
    db = tmp_path / "xa.db"
    db.write_bytes(files["db"].read_bytes())
    work = files["package"] if scenario == "merge" else files["sheet"]
    done = subprocess.run(
        [
            sys.executable,
            "-X",
            "dev",
            "-X",
            "faulthandler",
            "-m",
            "tests.safety.quit_driver",
            scenario,
            str(db),
            str(work),
            str(ROUNDS),
            "7",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**ENV, "QT_QPA_PLATFORM": "offscreen"},
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Fatal Python error" not in done.stderr and "QThread" not in done.stderr
    c = contents(db)
    assert c.integrity == []
    assert (c.member_inserts, c.unaudited, c.orphan_audits) == (c.members, 0, 0)


def test_the_programs_own_exit_with_reads_in_flight_never_crashes(
    tmp_path: Path, files: dict[str, Path]
) -> None:
    """dvdesk.ui.app.run itself: Ctrl+Q with background reads running, ten times."""
    db = tmp_path / "xa.db"
    db.write_bytes(files["db"].read_bytes())
    for seed in range(10):
        done = subprocess.run(
            [*DEV, "-m", "tests.safety.exit_driver", str(db), str(seed)],
            capture_output=True,
            text=True,
            timeout=300,
            env={**ENV, "QT_QPA_PLATFORM": "offscreen"},
            cwd=Path(__file__).resolve().parents[2],
        )
        assert done.returncode == 0, done.stderr[-3000:]
        assert "Fatal Python error" not in done.stderr
    assert contents(db).integrity == []
