"""install-linux.sh checks glibc and the window's self-test before it installs anything.

Run against a stand-in bundle: the real resources, a `dvdesk` shell script
that answers --self-test as the real one would, and the glibc minimum file
dvdesk.spec writes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux installer")

PASS = """#!/bin/sh
echo "Tự kiểm tra: đạt (10/10 mục)."
"""
NO_GL = """#!/bin/sh
echo "  [LỖI] Thư viện cho cửa sổ: thiếu thư viện hệ thống libGL.so.1, libEGL.so.1"
echo "Tự kiểm tra: không đạt — Thư viện cho cửa sổ: thiếu libGL.so.1" >&2
echo "Hãy cài thư viện còn thiếu rồi chạy lại: sudo apt-get install libgl1 libegl1" >&2
exit 1
"""


def this_glibc() -> str:
    return subprocess.run(
        ["getconf", "GNU_LIBC_VERSION"], capture_output=True, text=True, check=True
    ).stdout.split()[1]


def bundle(tmp_path: Path, program: str, glibc: str) -> Path:
    folder = tmp_path / "Tải về" / "dvdesk"
    (folder / "_internal").mkdir(parents=True)
    shutil.copytree(ROOT / "resources", folder / "_internal" / "resources")
    for name in ("install-linux.sh", "dvdesk.desktop"):
        shutil.copy2(ROOT / "installer" / name, folder / name)
    (folder / "dvdesk").write_text(program, encoding="utf-8")
    (folder / "dvdesk").chmod(0o755)
    (folder / "_internal" / "dvdesk-glibc-min").write_text(glibc + "\n", encoding="ascii")
    return folder


def install(folder: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    return subprocess.run(
        ["sh", str(folder / "install-linux.sh")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_installs_when_glibc_and_the_self_test_pass(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = install(bundle(tmp_path, PASS, this_glibc()), home)
    assert done.returncode == 0, done.stderr
    assert (home / ".local" / "opt" / "dvdesk" / "dvdesk").is_file()
    assert "Tự kiểm tra: đạt" in done.stdout


def test_an_older_glibc_is_refused_with_the_distributions_that_fit(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = install(bundle(tmp_path, PASS, "2.99"), home)
    assert done.returncode == 1
    assert f"Máy này có glibc {this_glibc()}; dvdesk cần glibc 2.99 trở lên" in done.stderr
    assert not (home / ".local").exists()


def test_the_distribution_list_follows_the_minimum(tmp_path: Path) -> None:
    # A minimum above this PC's but met by newer releases names only those.
    have = tuple(int(p) for p in this_glibc().split("."))
    if have >= (2, 39):
        pytest.skip("this PC already has glibc 2.39")
    done = install(bundle(tmp_path, PASS, "2.39"), tmp_path / "home")
    assert done.returncode == 1
    line = done.stderr.strip().splitlines()[-1]
    assert "Ubuntu 24.04" in line and "Debian 13" in line and "Linux Mint 22" in line
    assert "Debian 12" not in line and "Ubuntu 22.04" not in line


def test_missing_graphics_libraries_stop_the_install_with_the_apt_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = install(bundle(tmp_path, NO_GL, this_glibc()), home)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines[-1].strip() == "sudo apt-get install libgl1 libegl1"
    assert "Chưa cài dvdesk" in done.stderr
    assert not (home / ".local").exists()
