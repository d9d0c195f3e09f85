"""installer/scrub_paths.py takes build-machine paths out of ELF files and they still load.

Checked on a real extension module of the running Python, with binutils'
readelf as the independent reader of the result.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "installer"))
import scrub_paths  # noqa: E402

READELF = shutil.which("readelf")
pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or READELF is None, reason="needs Linux and readelf"
)


def runpath(path: Path) -> list[str] | None:
    out = subprocess.run([READELF, "-d", str(path)], capture_output=True, text=True, check=True)
    assert "Warning" not in out.stderr and "Error" not in out.stderr, out.stderr
    found = re.search(r"\((?:RUNPATH|RPATH)\)\s+Library r(?:un)?path: \[(.*)\]", out.stdout)
    return found.group(1).split(":") if found else None


@pytest.fixture
def extension(tmp_path: Path) -> Path:
    spec = importlib.util.find_spec("_bisect")
    if spec is None or not spec.origin or not spec.origin.endswith(".so"):
        pytest.skip("this Python has _bisect built in")
    copy = tmp_path / Path(spec.origin).name
    shutil.copy2(spec.origin, copy)
    return copy


def _set_runpath(path: Path, text: str) -> None:
    """Overwrite the existing RUNPATH string in place (never longer than the original)."""
    old = runpath(path)
    if not old:
        pytest.skip("this Python's extension modules have no RUNPATH to rewrite")
    data = bytearray(path.read_bytes())
    old_bytes = ":".join(old).encode() + b"\0"
    at = data.index(old_bytes)
    new = text.encode()
    assert len(new) < len(old_bytes)
    data[at : at + len(old_bytes)] = new + b"\0" * (len(old_bytes) - len(new))
    path.write_bytes(bytes(data))


def _still_loads(path: Path) -> None:
    code = (
        "import importlib.machinery, importlib.util, sys;"
        f"loader = importlib.machinery.ExtensionFileLoader('_bisect', {str(path)!r});"
        "spec = importlib.util.spec_from_loader('_bisect', loader);"
        "m = importlib.util.module_from_spec(spec); loader.exec_module(m);"
        "sys.exit(0 if m.bisect_left([1, 2, 3], 2) == 1 else 3)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_a_host_runpath_is_removed_and_the_module_still_loads(extension: Path) -> None:
    _set_runpath(extension, "/build/host/lib")
    assert runpath(extension) == ["/build/host/lib"]
    assert scrub_paths.scrub_file(extension, ["/build/host"]) == 1
    assert runpath(extension) is None
    assert b"/build/host" not in extension.read_bytes()
    _still_loads(extension)


def test_origin_is_kept_when_only_a_host_folder_goes(extension: Path) -> None:
    _set_runpath(extension, "$ORIGIN:/b/h")
    assert scrub_paths.scrub_file(extension, ["/b/h"]) == 1
    assert runpath(extension) == ["$ORIGIN"]
    _still_loads(extension)


def test_a_file_without_host_paths_is_not_rewritten(extension: Path) -> None:
    before = extension.read_bytes()
    assert scrub_paths.scrub_file(extension, ["/no/such/build/host"]) == 0
    assert extension.read_bytes() == before


def test_strings_starting_with_a_host_folder_become_neutral() -> None:
    data = bytearray(
        b"\0/srv/build/py\0keep /srv/build/py/x\0/srv/build/python\0/srv/build/py/lib\0"
    )
    assert scrub_paths.scrub_strings(data, ["/srv/build/py"]) == 2
    assert data == bytearray(
        b"\0/usr/local///\0keep /srv/build/py/x\0/srv/build/python\0/usr/local////lib\0"
    )


def test_a_merged_string_tail_survives() -> None:
    """The linker stores PY_VERSION "3.11.7" as the tail of PREFIX: keep the tail."""
    prefix = b"/root/.pyenv/versions/3.11.7"
    data = bytearray(b"\0" + prefix + b"\0EXEC_PREFIX\0")
    version_at = 1 + len(prefix) - len(b"3.11.7")
    hosts = ["/root/.pyenv/versions/3.11.7", "/root/.pyenv"]
    assert scrub_paths.scrub_strings(data, hosts) == 1
    assert b"/root/.pyenv" not in data
    assert bytes(data[version_at : data.index(b"\0", version_at)]) == b"3.11.7"
    assert len(data) == len(prefix) + len(b"\0EXEC_PREFIX\0") + 1


def test_other_files_are_left_alone(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_bytes(b"\0/srv/build/py\0")
    assert scrub_paths.scrub_file(text, ["/srv/build/py"]) == 0
    assert text.read_bytes() == b"\0/srv/build/py\0"
