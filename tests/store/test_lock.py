"""The one-window-per-file lock: taken, refused with the holder, stale locks taken over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from dvdesk.errors import KnownError
from dvdesk.store.errors import FileLocked
from dvdesk.store.lock import (
    DataFileLock,
    Holder,
    _busy_message,
    lock_path,
    pid_alive,
    read_holder,
    this_host,
)

HOLD = (
    "import sys, time\n"
    "from dvdesk.store.lock import DataFileLock\n"
    "lock = DataFileLock.acquire(sys.argv[1])\n"
    "print('held', flush=True)\n"
    "time.sleep(60)\n"
)


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.fixture
def holder_process(tmp_path: Path):
    """Another process holding the lock on tmp_path/xa.db."""
    db = tmp_path / "xa.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def test_acquire_records_this_process_and_release_removes_the_file(tmp_path: Path) -> None:
    db = tmp_path / "xa.db"
    with DataFileLock.acquire(db) as lock:
        holder = read_holder(db)
        assert holder == lock.holder
        assert (holder.pid, holder.host) == (os.getpid(), this_host())
        assert lock.took_over is None
    assert not lock_path(db).exists()
    assert not lock.held
    lock.release()  # twice is harmless


def test_second_open_in_the_same_process_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "xa.db"
    with DataFileLock.acquire(db) as first:
        with pytest.raises(FileLocked) as err:
            DataFileLock.acquire(db)
        since = first.holder.since.strftime("%H:%M")
        assert str(err.value).startswith(
            f"Tệp dữ liệu đang được mở ở một cửa sổ khác (máy {this_host()}, từ {since})"
        )
    DataFileLock.acquire(db).release()  # free again once the first closed


def test_lock_held_by_another_live_process_is_refused(tmp_path: Path, holder_process) -> None:
    with pytest.raises(FileLocked, match=f"máy {this_host()}"):
        DataFileLock.acquire(tmp_path / "xa.db")
    assert read_holder(tmp_path / "xa.db").pid == holder_process.pid


def test_killed_holder_leaves_a_stale_lock_that_is_taken_over(
    tmp_path: Path, holder_process
) -> None:
    holder_process.send_signal(signal.SIGKILL)
    holder_process.wait()
    db = tmp_path / "xa.db"
    assert lock_path(db).exists()  # SIGKILL left the file behind
    assert read_holder(db).is_stale()
    with DataFileLock.acquire(db) as lock:
        assert lock.took_over is not None and lock.took_over.pid == holder_process.pid
        assert read_holder(db).pid == os.getpid()


@pytest.mark.parametrize(
    "content",
    [
        None,  # filled in below: a dead pid of this host
        "",
        "garbage \0\0",
        '{"pid": "x", "host": 1}',
        '{"pid": 1, "host": "other-machine", "since": "2020-01-01T08:00:00"}',
    ],
)
def test_leftover_lock_files_without_a_live_byte_lock_are_taken(
    tmp_path: Path, content: str | None
) -> None:
    db = tmp_path / "xa.db"
    if content is None:
        content = Holder(dead_pid(), this_host(), datetime(2026, 1, 2, 7, 5)).to_json()
    lock_path(db).write_text(content, encoding="utf-8")
    with DataFileLock.acquire(db) as lock:
        assert lock.holder.pid == os.getpid()
        assert read_holder(db) == lock.holder


def test_unwritable_folder_is_a_known_error(tmp_path: Path) -> None:
    with pytest.raises(KnownError, match="Không tạo được tệp khóa"):
        DataFileLock.acquire(tmp_path / "missing-folder" / "xa.db")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '{"pid": 12, "host": "pc-1", "since": "2026-11-26T09:05:00"}',
            Holder(12, "pc-1", datetime(2026, 11, 26, 9, 5)),
        ),
        ('{"pid": 12, "host": "pc-1"}', None),
        ('{"pid": 12, "host": "pc-1", "since": "hôm qua"}', None),
        ("[]", None),
        ("", None),
    ],
)
def test_holder_from_text(text: str, expected: Holder | None) -> None:
    assert Holder.from_text(text) == expected


@pytest.mark.parametrize(
    ("holder", "stale"),
    [
        (Holder(os.getpid(), this_host(), datetime.now()), False),
        (Holder(os.getpid(), "another-machine", datetime.now()), False),
        (Holder(0, this_host(), datetime.now()), True),
    ],
)
def test_is_stale(holder: Holder, stale: bool) -> None:
    assert holder.is_stale() is stale


def test_pid_alive_edges() -> None:
    assert pid_alive(os.getpid())
    assert not pid_alive(dead_pid())
    assert not pid_alive(0)
    assert not pid_alive(-5)


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        (datetime.now().replace(hour=7, minute=4), "(máy pc-2, từ 07:04)"),
        (datetime(2025, 3, 9, 16, 30), "(máy pc-2, từ 16:30 ngày 09/03/2025)"),
    ],
)
def test_busy_message_names_machine_and_time(since: datetime, expected: str) -> None:
    assert expected in _busy_message(Holder(1, "pc-2", since))
    assert "cửa sổ khác" in _busy_message(None)
