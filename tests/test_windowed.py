"""Windowed dvdesk.exe (no stdout/stderr) runs commands; a PDF held open gets a clear message."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from dvdesk.cli import main


@pytest.fixture
def no_streams(monkeypatch: pytest.MonkeyPatch):
    """What PyInstaller's bootloader gives a console=False program on Windows."""
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)


@pytest.mark.usefixtures("no_streams")
@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["age", "25/03/2008", "--on", "2026-03-25", "--json"], 0),
        (["list", "--db", "/khong-co/xa.db"], 1),  # KnownError printed to stderr
        (["age", "không phải ngày", "--on", "2026-03-25"], 1),
        (["--version"], 0),
        (["--khong-co-tuy-chon"], 2),  # argparse writes usage to stderr
        (["age"], 2),
    ],
)
def test_a_command_without_a_console_does_not_crash(argv, code) -> None:
    try:
        result = main(argv)
    except SystemExit as exit_:
        result = exit_.code
    assert result == code
    assert sys.stdout is not None and sys.stderr is not None


@pytest.mark.usefixtures("no_streams")
def test_demo_with_progress_and_no_console(tmp_path: Path) -> None:
    path = tmp_path / "xa.db"
    assert main(["demo", "--db", str(path), "--members", "3"]) == 0
    assert path.exists()


def test_streams_that_exist_are_kept(capsys) -> None:
    before = sys.stdout
    assert main(["age", "2000", "--on", "2026-01-01", "--json"]) == 0
    assert sys.stdout is before
    assert '"status"' in capsys.readouterr().out


def test_a_pdf_open_in_a_viewer_says_to_close_it(tmp_path: Path, monkeypatch, capsys) -> None:
    db = tmp_path / "xa.db"
    assert main(["demo", "--db", str(db), "--members", "20"]) == 0
    out = tmp_path / "danh sách.pdf"
    out.write_bytes(b"%PDF-1.4 the old list, open in a viewer")
    real = os.replace

    def locked(src, dst):
        if Path(dst) == out:  # Windows: the viewer holds the file without FILE_SHARE_DELETE
            raise PermissionError(13, "Access is denied", str(dst))
        return real(src, dst)

    from dvdesk import files

    monkeypatch.setattr(files.os, "replace", locked)
    capsys.readouterr()
    argv = ["print", "eligible", "--db", str(db), "--out", str(out), "--overwrite"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "đang mở trong chương trình khác (trình xem PDF" in err
    assert "Hãy đóng tệp trong chương trình đó rồi làm lại" in err
    assert out.read_bytes() == b"%PDF-1.4 the old list, open in a viewer"
    assert sorted(
        p.name for p in tmp_path.iterdir() if p.suffix != ".db" and "db-" not in p.name
    ) == ["danh sách.pdf"]
