"""Run real `dvdesk` processes, kill them mid-write, and read back what the file holds."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from dvdesk.store.gateway import Store
from tests import sql

ENV = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}


def dvdesk(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "dvdesk", *map(str, args)]


def run(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(dvdesk(*args), capture_output=True, text=True, timeout=timeout, env=ENV)


def kill_after(cmd: list[str], seconds: float) -> int | None:
    """Start `cmd`, SIGKILL it after `seconds`; its exit code if it ended first, else None."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        if proc.stderr:
            proc.stderr.close()
        return None
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    assert proc.returncode == 0, err
    return proc.returncode


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=ENV)
    return time.perf_counter() - start


@dataclass(frozen=True)
class Contents:
    """What a data file holds, in the terms the tests compare."""

    integrity: list[str]
    version: tuple[int, int]
    members: int
    units: int
    steps: int
    member_inserts: int  # audit rows "insert member"
    unaudited: int  # members without their insert audit row
    orphan_audits: int  # insert audit rows without their member
    digest: str  # hash of every member row, in uid order
    tables: frozenset[str]


def contents(path: Path) -> Contents:
    """Read a file as a user's next `dvdesk` would find it, without migrating it."""
    with Store.open(path, create=False, migrate=False) as store:
        if "members" not in sql.table_names(store):
            # Killed while the new file got its first tables: nothing was ever in it.
            return Contents(
                store.integrity_problems(),
                store.format_version(),
                0,
                0,
                0,
                0,
                0,
                0,
                hashlib.sha256().hexdigest(),
                frozenset(sql.table_names(store)),
            )
        digest = hashlib.sha256()
        for row in sql.execute(
            store,
            "SELECT uid, full_name, dob, cccd, unit_id, stage, notes FROM members ORDER BY uid",
        ):
            digest.update(repr(row).encode())
        return Contents(
            integrity=store.integrity_problems(),
            version=store.format_version(),
            members=sql.scalar(store, "SELECT count(*) FROM members"),
            units=sql.scalar(store, "SELECT count(*) FROM units"),
            steps=sql.scalar(store, "SELECT count(*) FROM steps"),
            member_inserts=sql.scalar(
                store, "SELECT count(*) FROM audit WHERE entity = 'member' AND action = 'insert'"
            ),
            unaudited=sql.scalar(
                store,
                "SELECT count(*) FROM members m WHERE NOT EXISTS (SELECT 1 FROM audit a "
                "WHERE a.entity_uid = m.uid AND a.entity = 'member' AND a.action = 'insert')",
            ),
            orphan_audits=sql.scalar(
                store,
                "SELECT count(*) FROM audit a WHERE a.entity = 'member' AND a.action = 'insert' "
                "AND NOT EXISTS (SELECT 1 FROM members m WHERE m.uid = a.entity_uid)",
            ),
            digest=digest.hexdigest(),
            tables=frozenset(sql.table_names(store)),
        )


def assert_audit_matches(c: Contents) -> None:
    assert c.integrity == []
    assert (c.member_inserts, c.unaudited, c.orphan_audits) == (c.members, 0, 0)
