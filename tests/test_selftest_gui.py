"""`dvdesk --self-test --gui`: the window offscreen, a printed page, a package; libGL named."""

from __future__ import annotations

import ctypes
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dvdesk import selftest

ROOT = Path(__file__).resolve().parent.parent
GUI_LABELS = [
    "Tài nguyên",
    "Tệp dữ liệu",
    "In PDF tiếng Việt",
    "Thư viện cho cửa sổ",
    "Khởi động Qt",
    "Phông chữ trong cửa sổ",
    "Bản dịch",
    "Cửa sổ",
    "In một trang",
    "Gói dữ liệu",
]


def test_gui_self_test_in_a_fresh_process_touches_no_user_settings(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "TMPDIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "dvdesk", "--self-test", "--gui"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, ""), result.stdout
    lines = result.stdout.splitlines()
    assert [line.split("]", 1)[1].split(":", 1)[0].strip() for line in lines[2:-1]] == GUI_LABELS
    assert all(line.startswith("  [đạt]") for line in lines[2:-1])
    assert "danh sách hiện “Nguyễn Thị Ánh Tuyết”" in result.stdout
    assert "Dữ liệu xã Đông Hòa/đoàn viên thử.db" in result.stdout
    assert lines[-1].startswith(f"Tự kiểm tra: đạt ({len(GUI_LABELS)}/{len(GUI_LABELS)} mục;")
    # Recent files and window geometry went to the temporary folder, not the user's.
    assert list(home.rglob("*")) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]  # temp folder removed


def _without(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    real = ctypes.CDLL

    def cdll(name, *args, **kwargs):
        if name in names:
            raise OSError(f"{name}: cannot open shared object file: No such file or directory")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(selftest.ctypes, "CDLL", cdll)
    monkeypatch.setattr(sys, "platform", "linux")


@pytest.mark.parametrize(
    ("missing", "line"),
    [
        (["libGL.so.1"], "sudo apt-get install libgl1"),
        (["libEGL.so.1"], "sudo apt-get install libegl1"),
        (["libGL.so.1", "libEGL.so.1"], "sudo apt-get install libgl1 libegl1"),
    ],
)
def test_missing_graphics_libraries_fail_with_the_apt_line(monkeypatch, missing, line) -> None:
    _without(monkeypatch, *missing)
    out, err = io.StringIO(), io.StringIO()
    assert selftest.main(out, err, gui=True) == 1
    report = out.getvalue()
    assert f"[LỖI] Thư viện cho cửa sổ: thiếu thư viện hệ thống {', '.join(missing)}" in report
    # The parts that do not need the window are still checked.
    for label in ("Tệp dữ liệu", "In một trang", "Gói dữ liệu"):
        assert f"[đạt] {label}:" in report
    assert "Cửa sổ:" not in report
    last = err.getvalue().splitlines()
    assert last[0].startswith("Tự kiểm tra: không đạt — Thư viện cho cửa sổ: thiếu")
    assert last[-1] == f"Hãy cài thư viện còn thiếu rồi chạy lại: {line}"


def test_without_gui_the_window_is_not_checked(monkeypatch) -> None:
    _without(monkeypatch, "libGL.so.1")
    out, err = io.StringIO(), io.StringIO()
    assert selftest.main(out, err) == 0
    assert "Thư viện cho cửa sổ" not in out.getvalue()


@pytest.mark.parametrize(
    ("message", "named"),
    [
        ("libGL.so.1: cannot open shared object file: No such file or directory", ["libGL.so.1"]),
        (
            "libxkbcommon.so.0: cannot open shared object file: No such file or directory",
            ["libxkbcommon.so.0"],
        ),
        ("libglib-2.0.so.0: cannot open shared object file", ["libglib-2.0.so.0"]),
        ("DLL load failed while importing QtGui", []),
    ],
)
def test_libraries_named_in_an_import_error(message, named) -> None:
    assert selftest.libraries_named(message) == named


def test_apt_line_maps_libraries_to_debian_packages() -> None:
    assert (
        selftest.apt_line(["libGL.so.1", "libglib-2.0.so.0", "libgthread-2.0.so.0"])
        == "sudo apt-get install libgl1 libglib2.0-0"
    )


def test_gui_flag_needs_self_test(capsys) -> None:
    from dvdesk.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["--gui"])
    assert exit_.value.code == 2
    assert "--gui chỉ dùng cùng --self-test" in capsys.readouterr().err
