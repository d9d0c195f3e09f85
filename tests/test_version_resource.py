"""The Windows version resource is built from pyproject's version (checked without Windows).

PyInstaller reads the version file by eval() with its VSVersionInfo classes;
here the same text is evaluated with stand-ins that record what they are given.
"""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parent.parent
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def _module():
    path = ROOT / "installer" / "version_info.py"
    spec = importlib.util.spec_from_file_location("version_info", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


version_info = _module()


def _record(kind):
    return lambda *args, **kwargs: SimpleNamespace(kind=kind, args=args, **kwargs)


STAND_INS = {
    name: _record(name)
    for name in (
        "VSVersionInfo",
        "FixedFileInfo",
        "StringFileInfo",
        "StringTable",
        "StringStruct",
        "VarFileInfo",
        "VarStruct",
    )
}


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("0.1.0", (0, 1, 0, 0)),
        ("1.2", (1, 2, 0, 0)),
        ("0.2.1rc1", (0, 2, 1, 0)),
        ("1.2.3.4.5", (1, 2, 3, 4)),
    ],
)
def test_numeric(text, numbers) -> None:
    assert version_info.numeric(text) == numbers


@pytest.mark.parametrize("text", ["", "dev", "70000.1"])
def test_numeric_refuses(text) -> None:
    with pytest.raises(ValueError):
        version_info.numeric(text)


def test_version_file_as_pyinstaller_reads_it(tmp_path: Path) -> None:
    path = version_info.write_version_file(tmp_path, VERSION, "dvdesk-cli", "dvdesk (dòng lệnh)")
    info = eval(path.read_text(encoding="utf-8"), dict(STAND_INS))  # what PyInstaller does
    numbers = version_info.numeric(VERSION)
    assert info.kind == "VSVersionInfo"
    assert info.ffi.filevers == numbers and info.ffi.prodvers == numbers
    string_file, var_file = info.kids
    (table,) = string_file.args[0]
    name, entries = table.args
    assert name == "042A04B0"  # Vietnamese, UTF-16
    values = dict(e.args for e in entries)
    assert values["ProductVersion"] == VERSION
    assert values["FileVersion"] == ".".join(map(str, numbers))
    assert values["OriginalFilename"] == "dvdesk-cli.exe"
    assert values["FileDescription"] == "dvdesk (dòng lệnh)"
    assert var_file.args[0][0].args == ("Translation", [0x042A, 1200])


def test_the_spec_and_installer_take_the_version_from_the_build() -> None:
    spec = (ROOT / "installer" / "dvdesk.spec").read_text(encoding="utf-8")
    assert "write_version_file(" in spec and "VERSION" in spec
    iss = (ROOT / "installer" / "dvdesk.iss").read_text(encoding="utf-8-sig")
    assert 'GetStringFileInfo(BundleExe, "ProductVersion")' in iss
    assert "VersionInfoVersion={#NumericVersion}" in iss


READ_WITH_PYINSTALLER = """
import sys, types
sys.modules.setdefault("pefile", types.ModuleType("pefile"))  # Windows-only imports of
import PyInstaller.compat                                       # versioninfo, unused by
PyInstaller.compat.win32api = None                              # the text reader
from PyInstaller.utils.win32 import versioninfo
info = versioninfo.load_version_info_from_text_file(sys.argv[1])
assert isinstance(info, versioninfo.VSVersionInfo)
table = info.kids[0].kids[0]
print(info.ffi.fileVersionMS, info.ffi.fileVersionLS, info.ffi.productVersionMS, table.name)
for s in table.kids:
    print(s.name + "=" + s.val)
"""


def test_pyinstaller_itself_reads_the_version_file(tmp_path: Path) -> None:
    import subprocess
    import sys

    pytest.importorskip("PyInstaller")
    path = version_info.write_version_file(tmp_path, VERSION, "dvdesk", "dvdesk")
    done = subprocess.run(
        [sys.executable, "-c", READ_WITH_PYINSTALLER, str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    first, *strings = done.stdout.splitlines()
    a, b, c, d = version_info.numeric(VERSION)
    assert first.split() == [str((a << 16) | b), str((c << 16) | d), str((a << 16) | b), "042A04B0"]
    assert f"ProductVersion={VERSION}" in strings
    assert "OriginalFilename=dvdesk.exe" in strings
