"""SQLite URIs for Windows and Linux paths (dvdesk.store.uri).

Windows paths are checked on Linux with `PureWindowsPath`: against a table of
URIs written out by hand, and against an independent decoder that follows
SQLite's own parser (main.c sqlite3ParseUri: authority, `?`/`#` end the path,
%HH decoded as UTF-8) and the Windows VFS (a leading "/" before "C:" dropped).
POSIX paths are opened for real with sqlite3.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from dvdesk.store.uri import sqlite_uri

WINDOWS = [
    # (path, expected URI)
    (r"C:\Users\Lan\Documents\xa.db", "file:///C:/Users/Lan/Documents/xa.db"),
    (r"c:\xa.db", "file:///c:/xa.db"),
    # mapped network drive: a drive letter like any other (never resolved to UNC)
    (r"Z:\Dữ liệu xã\xa.db", "file:///Z:/D%E1%BB%AF%20li%E1%BB%87u%20x%C3%A3/xa.db"),
    # UNC: four slashes, the empty authority SQLite accepts, then //server/share
    (r"\\may-chu\chia-se\xa.db", "file:////may-chu/chia-se/xa.db"),
    (
        r"\\192.168.1.10\Tài liệu\Đoàn xã\dvdesk.db",
        "file:////192.168.1.10/T%C3%A0i%20li%E1%BB%87u/%C4%90o%C3%A0n%20x%C3%A3/dvdesk.db",
    ),
    # long-path prefixes are dropped: \\?\C:\ is C:\, \\?\UNC\srv\share is \\srv\share
    (r"\\?\C:\very\long\xa.db", "file:///C:/very/long/xa.db"),
    (r"\\?\UNC\srv\share\xa.db", "file:////srv/share/xa.db"),
    # characters that end or escape an SQLite URI path
    (r"C:\a#b\x?.db", "file:///C:/a%23b/x%3F.db"),
    (r"C:\100% đúng\x.db", "file:///C:/100%25%20%C4%91%C3%BAng/x.db"),
    (r"C:\a&b=c;d\x.db", "file:///C:/a%26b%3Dc%3Bd/x.db"),
    (
        r"D:\Nguyễn Văn Đức\xã.db",
        "file:///D:/Nguy%E1%BB%85n%20V%C4%83n%20%C4%90%E1%BB%A9c/x%C3%A3.db",
    ),
    # forward slashes are accepted by Windows and by PureWindowsPath
    ("E:/du lieu/xa.db", "file:///E:/du%20lieu/xa.db"),
]

POSIX_NAMES = [
    "xa.db",
    "Nguyễn Văn Đức/xã.db",
    "a b/c d.db",
    "a#b/x?y.db",
    "100%/%41.db",
    "a&b=c/mode=rw.db",
    "tab\tand'quote\".db",
]


def sqlite_decode(uri: str, windows: bool) -> str:
    """The file name SQLite (default build) opens for `uri`, written independently."""
    assert uri.startswith("file:")
    rest = uri[5:]
    if rest.startswith("//"):
        authority, _, path = rest[2:].partition("/")
        if authority not in ("", "localhost"):
            raise ValueError(f"invalid uri authority: {authority}")
        rest = "/" + path
    end = min((i for i in (rest.find("?"), rest.find("#")) if i >= 0), default=len(rest))
    raw = re.sub(
        rb"%([0-9A-Fa-f]{2})",
        lambda m: bytes([int(m.group(1), 16)]),
        rest[:end].encode("utf-8"),
    )
    name = raw.decode("utf-8")
    if windows and re.match(r"/[A-Za-z]:", name):
        name = name[1:]
    return name


def windows_name(text: str) -> str:
    """What Windows opens, with "/" separators: long-path prefixes dropped."""
    text = text.replace("\\", "/")
    if text.startswith("//?/UNC/"):
        return "//" + text[8:]
    if text.startswith("//?/"):
        return text[4:]
    return text


@pytest.mark.parametrize(("text", "expected"), WINDOWS)
def test_windows_paths_against_the_table(text: str, expected: str) -> None:
    assert sqlite_uri(PureWindowsPath(text)) == expected


@pytest.mark.parametrize(("text", "expected"), WINDOWS)
def test_windows_uri_decodes_back_to_the_same_file(text: str, expected: str) -> None:
    assert sqlite_decode(sqlite_uri(PureWindowsPath(text)), windows=True) == windows_name(text)


def test_as_uri_is_what_broke_unc_paths() -> None:
    unc = PureWindowsPath(r"\\may-chu\chia-se\xa.db")
    with pytest.raises(ValueError, match="authority"):
        sqlite_decode(unc.as_uri(), windows=True)
    assert sqlite_decode(sqlite_uri(unc), windows=True) == "//may-chu/chia-se/xa.db"


def test_query_parameters_follow_the_path() -> None:
    uri = sqlite_uri(PureWindowsPath(r"\\srv\share\a?b.db"), mode="ro")
    assert uri == "file:////srv/share/a%3Fb.db?mode=ro"
    assert sqlite_decode(uri, windows=True) == "//srv/share/a?b.db"


@pytest.mark.parametrize("text", [r"xa.db", r"du lieu\xa.db", r"C:xa.db", r"\xa.db"])
def test_a_relative_pure_windows_path_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        sqlite_uri(PureWindowsPath(text))


def test_a_relative_pure_posix_path_is_refused() -> None:
    with pytest.raises(ValueError):
        sqlite_uri(PurePosixPath("xa.db"))


@pytest.mark.parametrize("name", POSIX_NAMES)
def test_posix_uri_opens_exactly_that_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(sqlite_uri(path, mode="rwc"), uri=True)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    assert path.is_file()
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    ro = sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True)
    try:
        assert ro.execute("SELECT name FROM sqlite_master").fetchall() == [("t",)]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            ro.execute("CREATE TABLE u (x)")
    finally:
        ro.close()


def test_a_string_or_relative_path_is_made_absolute(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    expected = sqlite_uri(tmp_path / "xa.db")
    assert sqlite_uri("xa.db") == expected
    assert sqlite_uri(Path("xa.db")) == expected


def test_links_are_not_resolved(tmp_path: Path) -> None:
    # On Windows resolving turns a mapped drive into its UNC target; here a symlink stands in.
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert "/link/xa.db" in sqlite_uri(tmp_path / "link" / "xa.db")


def test_sqlite_accepts_four_slashes_as_an_empty_authority(tmp_path: Path) -> None:
    # On POSIX "//tmp/x" names the same file as "/tmp/x": the UNC form's shape,
    # opened by the real SQLite, reaches the file rather than failing on the authority.
    path = tmp_path / "xa.db"
    sqlite3.connect(path).close()
    conn = sqlite3.connect(f"file:///{sqlite_uri(path)[len('file://') :]}?mode=ro", uri=True)
    conn.execute("SELECT 1")
    conn.close()
    with pytest.raises(sqlite3.OperationalError, match="authority"):
        sqlite3.connect("file://may-chu/chia-se/xa.db", uri=True)
