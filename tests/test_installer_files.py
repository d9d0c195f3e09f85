"""The installer files agree with each other and with what they ship (no build needed).

The Windows installer cannot be compiled on the Linux build machine, so these
checks catch what a compile would: a custom message used but never defined, a
file referenced but missing, a file Inno would read with the wrong encoding.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"
ICONS = ROOT / "resources" / "icons"
ISS = INSTALLER / "dvdesk.iss"
ISL = INSTALLER / "Vietnamese.isl"
BOM = b"\xef\xbb\xbf"


def _isl_section(name: str) -> dict[str, str]:
    text = ISL.read_text(encoding="utf-8-sig")
    section = re.search(rf"^\[{name}\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
    assert section, name
    return dict(
        line.split("=", 1)
        for line in section.group(1).splitlines()
        if line and not line.startswith(";")
    )


@pytest.mark.parametrize("path", [ISS, ISL])
def test_inno_files_are_utf8_with_bom(path: Path):
    # Without a BOM Inno Setup 6 reads the file in the PC's ANSI code page.
    assert path.read_bytes().startswith(BOM)


def test_every_custom_message_is_translated():
    script = ISS.read_text(encoding="utf-8-sig")
    used = set(re.findall(r"\{cm:(\w+)", script)) | set(
        re.findall(r"CustomMessage\('(\w+)'\)", script)
    )
    assert used, "the script uses custom messages"
    assert used - set(_isl_section("CustomMessages")) == set()


def test_vietnamese_language_options():
    options = _isl_section("LangOptions")
    assert options["LanguageName"] == "Tiếng Việt"
    assert options["LanguageID"] == "$042A"


@pytest.mark.parametrize(
    "pattern",
    [r"SetupIconFile=(.+)", r'MessagesFile: "compiler:Default\.isl,(.+?)"'],
)
def test_files_referenced_by_the_script_exist(pattern: str):
    found = re.search(pattern, ISS.read_text(encoding="utf-8-sig"))
    assert found
    assert (INSTALLER / found.group(1).replace("\\", "/")).is_file()


def test_uninstall_never_deletes_the_data_folder():
    script = ISS.read_text(encoding="utf-8-sig")
    assert "[UninstallDelete]" not in script.replace("; No [UninstallDelete]", "")
    assert "PrivilegesRequired=lowest" in script.splitlines()
    assert "PrivilegesRequiredOverridesAllowed=dialog" in script.splitlines()


def test_desktop_entry():
    entry = configparser.ConfigParser(interpolation=None, strict=True)
    entry.optionxform = str  # keep Name[vi] as written
    entry.read(INSTALLER / "dvdesk.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Exec"] == "dvdesk"  # install-linux.sh rewrites it to the full path
    assert (ICONS / f"{desktop['Icon']}.svg").is_file()
    assert "Office" in desktop["Categories"].split(";")
    assert desktop["Name[vi]"] and "đoàn viên" in desktop["Comment[vi]"]


@pytest.mark.parametrize("size", [16, 32, 48, 64, 128, 256])
def test_icon_sizes(size: int):
    with Image.open(ICONS / f"dvdesk-{size}.png") as png:
        assert png.size == (size, size)
        assert png.mode == "RGBA"
    with Image.open(ICONS / "dvdesk.ico") as ico:
        assert (size, size) in ico.ico.sizes()


def _icons() -> list[dict[str, str]]:
    script = ISS.read_text(encoding="utf-8-sig")
    section = re.search(r"^\[Icons\]\n(.*?)(?=^\[)", script, re.M | re.S)
    assert section
    entries = []
    for line in section.group(1).splitlines():
        if line and not line.startswith(";"):
            fields = re.findall(r'(\w+): ("(?:[^"]|"")*"|[^;]+)', line)
            entries.append({k: v.strip().strip('"') for k, v in fields})
    return entries


def test_shortcuts_start_in_the_users_documents_not_the_program_folder():
    started = [e for e in _icons() if e["Filename"] != "{uninstallexe}"]
    assert len(started) == 6  # window, self-test, desktop: each per user and for all users
    for entry in started:
        assert "{app}" not in entry.get("WorkingDir", "{app}")
        if entry["Check"] == "not IsAdminInstallMode":
            assert entry["WorkingDir"] == "{userdocs}"
        else:
            assert entry["Check"] == "IsAdminInstallMode"
            assert entry["WorkingDir"] == r"%USERPROFILE%\Documents"


def test_the_self_test_shortcut_checks_the_window_too():
    selftest = [e for e in _icons() if "SelfTestShortcut" in e["Name"]]
    assert selftest and all("--self-test --gui" in e["Parameters"] for e in selftest)


def test_signing_is_wired_to_the_build_script():
    script = ISS.read_text(encoding="utf-8-sig")
    block = re.search(r"^#ifdef Sign\n(.*?)^#endif", script, re.M | re.S)
    assert block
    assert {"SignTool=dvdesksign", "SignedUninstaller=yes"} <= set(block.group(1).splitlines())
    build = (INSTALLER / "build-windows.ps1").read_text(encoding="utf-8-sig")
    assert "/Sdvdesksign=" in build and "/DSign" in build
