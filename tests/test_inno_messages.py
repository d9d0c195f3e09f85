"""installer/Vietnamese.isl against Inno Setup 6.3's Default.isl, message by message.

The reference list (tests/fixtures/inno-setup-6.3-messages.tsv) was made from
Files/Default.isl of Inno Setup 6.3.3 by installer/inno_messages.py; this test
parses the translation itself, with its own reader.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ISL = ROOT / "installer" / "Vietnamese.isl"
REFERENCE = ROOT / "tests" / "fixtures" / "inno-setup-6.3-messages.tsv"
DVDESK_OWN = {"SelfTestShortcut", "DataKept", "AppDirIsDataDir"}  # used by dvdesk.iss
PLACEHOLDER = re.compile(r"%[1-9]|\[(?:name|name/ver|mb|gb)\]")


def reference() -> dict[tuple[str, str], tuple[set[str], bool]]:
    out = {}
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        section, name, placeholders, alt = line.split("\t")
        out[(section, name)] = (
            set() if placeholders == "-" else set(placeholders.split()),
            alt == "&",
        )
    return out


def translation() -> list[tuple[str, str, str]]:
    entries, section = [], None
    for line in ISL.read_bytes().decode("utf-8-sig").splitlines():
        if not line.strip() or line.lstrip().startswith(";"):
            continue
        if line.startswith("["):
            section = line.strip("[] ")
            continue
        name, sep, value = line.partition("=")
        assert sep, f"not a message line: {line!r}"
        entries.append((section, name, value))
    return entries


MESSAGES = {(s, n): v for s, n, v in translation() if s != "LangOptions"}
REF = reference()


def alt_key(value: str) -> str | None:
    keys = re.findall(r"&([^&])", value.replace("&&", ""))
    assert len(keys) <= 1, f"more than one & in {value!r}"
    return keys[0].lower() if keys else None


def test_the_reference_list_is_inno_setup_6_3() -> None:
    assert len(REF) == 273
    assert ("Messages", "PrivilegesRequiredOverrideText1") in REF
    assert ("Messages", "AbortRetryIgnoreSelectAction") in REF
    assert ("Messages", "FileExistsOverwriteOrKeepAll") in REF  # new in 6.3


def test_no_message_twice() -> None:
    twice = [k for k, n in Counter((s, n) for s, n, _ in translation()).items() if n > 1]
    assert twice == []


def test_every_message_of_6_3_is_translated() -> None:
    assert sorted(set(REF) - set(MESSAGES)) == []


def test_no_unknown_message() -> None:
    unknown = set(MESSAGES) - set(REF) - {("CustomMessages", n) for n in DVDESK_OWN}
    assert sorted(unknown) == []


@pytest.mark.parametrize("key", sorted(REF), ids=lambda k: k[1])
def test_placeholders_and_alt_keys_match_the_english(key) -> None:
    placeholders, has_alt = REF[key]
    value = MESSAGES[key]
    assert set(PLACEHOLDER.findall(value)) == placeholders
    assert (alt_key(value) is not None) == has_alt
    if alt_key(value):
        assert alt_key(value).isascii(), "an Alt key every keyboard layout can type"


def test_english_is_not_left_in() -> None:
    # Messages whose English text would be the same in Vietnamese.
    same = {
        "ComponentSize1",
        "ComponentSize2",
        "UninstallDisplayNameMark",
        "UninstallDisplayNameMarks",
        "UninstallDisplayNameMark32Bit",
        "UninstallDisplayNameMark64Bit",
    }
    empty = {"HelpTextNote", "AboutSetupNote", "BeveledLabel"}
    for (_, name), value in MESSAGES.items():
        if name in empty:
            assert value == ""
        elif name not in same:
            ascii_vietnamese = {"ButtonFinish", "RunEntryShellExec"}  # "&Xong", "Xem %1"
            assert re.search(r"[À-ỹĐđ]", value) or name in ascii_vietnamese, name


# Controls shown together, whose Alt keys must differ. The wizard's Back, Next,
# Install and Finish buttons are on every page that shows them.
NAV = ["ButtonBack", "ButtonNext", "ButtonInstall", "ButtonFinish"]
DIALOGS = {
    "message box": ["ButtonYes", "ButtonYesToAll", "ButtonNo", "ButtonNoToAll"],
    "install mode": [
        "PrivilegesRequiredOverrideAllUsers",
        "PrivilegesRequiredOverrideCurrentUser",
    ],
    "install mode, all users recommended": [
        "PrivilegesRequiredOverrideAllUsersRecommended",
        "PrivilegesRequiredOverrideCurrentUser",
    ],
    "install mode, me recommended": [
        "PrivilegesRequiredOverrideAllUsers",
        "PrivilegesRequiredOverrideCurrentUserRecommended",
    ],
    "password page": [*NAV, "PasswordEditLabel"],
    "licence page": [*NAV, "LicenseAccepted", "LicenseNotAccepted"],
    "user information page": [*NAV, "UserInfoName", "UserInfoOrg", "UserInfoSerial"],
    "destination page": [*NAV, "ButtonWizardBrowse"],
    "start menu page": [*NAV, "ButtonWizardBrowse", "NoProgramGroupCheck2"],
    "tasks page": [*NAV, "CreateDesktopIcon", "CreateQuickLaunchIcon", "AssocFileExtension"],
    "preparing page": [*NAV, "CloseApplications", "DontCloseApplications"],
    "finished page": [*NAV, "YesRadio", "NoRadio"],
    "download page": [*NAV, "ButtonStopDownload"],
    "browse for folder": ["ButtonNewFolder"],
    "next disk": ["PathLabel", "ButtonBrowse"],
    "error while installing": [
        "AbortRetryIgnoreRetry",
        "AbortRetryIgnoreIgnore",
        "FileAbortRetryIgnoreSkipNotRecommended",
        "FileAbortRetryIgnoreIgnoreNotRecommended",
    ],
    "read-only file": ["ExistingFileReadOnlyRetry", "ExistingFileReadOnlyKeepExisting"],
    "file exists": [
        "FileExistsOverwriteExisting",
        "FileExistsKeepExisting",
        "FileExistsOverwriteOrKeepAll",
    ],
    "existing file is newer": [
        "ExistingFileNewerOverwriteExisting",
        "ExistingFileNewerKeepExisting",
        "ExistingFileNewerOverwriteOrKeepAll",
    ],
}


def _value(name: str) -> str:
    return MESSAGES.get(("Messages", name), MESSAGES.get(("CustomMessages", name), ""))


@pytest.mark.parametrize("dialog", sorted(DIALOGS))
def test_alt_keys_are_unique_per_dialog(dialog) -> None:
    keys = {name: alt_key(_value(name)) for name in DIALOGS[dialog]}
    assert all(keys.values()), keys
    clashes = {k: [n for n in keys if keys[n] == k] for k in keys.values()}
    assert {k: v for k, v in clashes.items() if len(v) > 1} == {}


def test_every_alt_key_message_is_in_some_dialog() -> None:
    grouped = {name for names in DIALOGS.values() for name in names}
    with_alt = {name for (_, name), value in MESSAGES.items() if alt_key(value)}
    assert with_alt - grouped == {"AboutSetupMenuItem"}  # alone in the window menu
