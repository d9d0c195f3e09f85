"""A package export holds its CSV bytes, not every member as objects (gói dữ liệu xã).

Peak memory of real `dvdesk export` processes at two file sizes: the old
export kept members, rows and audit entries as Python objects (about 10 kB a
member, 2 GB at 200,000); streaming keeps about the bytes it writes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = (
    "import resource, sys\n"
    "from dvdesk.cli import main\n"
    "code = main(['export', '--db', sys.argv[1], '--out', sys.argv[2]])\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
    "sys.exit(code)\n"
)


def _run(*args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    done = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


@pytest.mark.slow
def test_export_memory_grows_with_the_bytes_not_the_objects(tmp_path):
    peaks = {}
    for n in (2_000, 16_000):
        db = tmp_path / f"xa-{n}.db"
        _run("-m", "dvdesk", "demo", "--db", str(db), "--members", str(n), "--seed", "2")
        out = _run("-c", PROBE, str(db), str(tmp_path / f"goi-{n}.zip"))
        peaks[n] = int(out.strip().splitlines()[-1])
    per_member_kb = (peaks[16_000] - peaks[2_000]) * 1024 / 14_000
    # About 1 kB of CSV (member + audit lines) per member; objects cost ~10 kB.
    assert per_member_kb < 4, peaks
