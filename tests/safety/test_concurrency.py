"""Two processes on one file: a writer waits briefly or is told clearly; readers never stop."""

from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from dvdesk.store.gateway import Store
from tests.safety.killing import ENV, assert_audit_matches, contents, run

# Holds a write transaction on argv[1] for argv[2] seconds, then commits.
HOLD_WRITE = """
import sys, time
from dvdesk.store.gateway import Store
store = Store.open(sys.argv[1])
store._conn.sqlite.execute("BEGIN IMMEDIATE")
store._conn.sqlite.execute("INSERT INTO settings (key, value) VALUES ('probe', 'x')")
store._conn.sqlite.execute("UPDATE members SET notes = 'uncommitted'")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
store._conn.sqlite.execute("COMMIT")
store.close()
"""


@pytest.fixture
def hold_write(tmp_path: Path):
    procs: list[subprocess.Popen[str]] = []

    def start(db: Path, seconds: float) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-c", HOLD_WRITE, str(db), str(seconds)],
            stdout=subprocess.PIPE,
            text=True,
            env=ENV,
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if proc.stdout:
            proc.stdout.close()


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    db = tmp_path / "xa.db"
    assert run("demo", "--db", db, "--members", "200").returncode == 0
    return db


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    db = tmp_path / "moi.db"
    Store.open(db).close()  # the schema, no members
    return db


def test_write_during_a_long_write_is_refused_clearly_and_harms_nothing(
    empty_db: Path, hold_write
) -> None:
    holder = hold_write(empty_db, 30)
    start = time.perf_counter()
    result = run("demo", "--db", empty_db, "--members", "50")
    waited = time.perf_counter() - start
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "đang được một cửa sổ hoặc chương trình khác ghi" in lines[0]
    assert waited < 20  # the busy timeout, not the other writer's whole transaction
    holder.kill()  # the other writer dies mid-transaction too
    holder.wait()
    c = contents(empty_db)
    assert_audit_matches(c)
    assert (c.members, c.units) == (0, 0)
    assert run("demo", "--db", empty_db, "--members", "50").returncode == 0


def test_write_waits_for_a_short_write_to_finish(empty_db: Path, hold_write) -> None:
    hold_write(empty_db, 2.0)
    result = run("demo", "--db", empty_db, "--members", "50")
    assert result.returncode == 0, result.stderr
    c = contents(empty_db)
    assert_audit_matches(c)
    assert c.members == 50


def test_two_readers_keep_working_during_a_write(small_db: Path, hold_write) -> None:
    def two_readers() -> tuple[list[subprocess.CompletedProcess[str]], float]:
        start = time.perf_counter()
        with ThreadPoolExecutor(2) as pool:
            done = list(
                pool.map(
                    lambda args: run(*args),
                    [("list", "--db", small_db, "--json"), ("list", "--db", small_db, "--csv")],
                )
            )
        return done, time.perf_counter() - start

    _, alone = two_readers()
    holder = hold_write(small_db, 30)
    results, elapsed = two_readers()
    for result in results:
        assert result.returncode == 0, result.stderr
        assert "uncommitted" not in result.stdout  # readers see the last commit only
    assert results[0].stdout.count('"uid"') == 200
    assert len(results[1].stdout.strip().splitlines()) == 201
    # Slower than alone would mean a reader waited on the writer's lock (busy timeout 3 s).
    assert elapsed < alone + 2.0, f"readers took {elapsed:.1f} s with a writer, {alone:.1f} s alone"
    assert holder.poll() is None  # the writer was still in its transaction throughout
