"""SQLite `file:` URIs for any path dvdesk may be given, on Windows and Linux.

`Path.as_uri()` is not fit for SQLite: it writes a network path
`\\\\server\\share\\xa.db` as `file://server/share/xa.db`, and SQLite (built
without SQLITE_ALLOW_URI_AUTHORITY, as Python's is) rejects every authority
other than "" and "localhost" ("invalid uri authority: server"). SQLite's own
parser (main.c, sqlite3ParseUri) names the form it accepts for a UNC path:
four slashes, `file:////server/share/xa.db` -- an empty authority followed by
the path `//server/share/xa.db`, which the Windows VFS opens as a UNC path.

What SQLite does with the text after `file:` (https://www.sqlite.org/uri.html):
- `//authority` is dropped when it is empty or `localhost`;
- the path ends at the first `?` (query) or `#` (fragment), so both must be
  escaped when they are part of a file name, and so must `%`;
- `%HH` escapes are decoded to bytes, read as UTF-8;
- on Windows a path `/C:/...` loses its leading slash (winFullPathname).

Every byte outside the unreserved set is percent-encoded as UTF-8, so spaces,
Vietnamese letters, `#`, `?`, `%`, `&` and `=` all survive.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath, PureWindowsPath
from urllib.parse import quote, urlencode

# Win32 file namespace prefixes: \\?\C:\x and \\?\UNC\server\share\x (long paths).
_LONG_UNC = "\\\\?\\UNC\\"
_LONG = ("\\\\?\\", "\\\\.\\")


def sqlite_uri(path: str | os.PathLike[str], **query: str) -> str:
    """The `file:` URI SQLite opens as exactly `path`, with `query` parameters.

    A concrete `Path` (or a string) is made absolute against the current folder
    without resolving links: resolving would turn a mapped drive `Z:\\` into
    its UNC target, which the user never chose. A `PurePath` of the other
    system (tests build `PureWindowsPath` cases on Linux) must already be
    absolute.

    Args:
        path: the data file.
        query: URI parameters, e.g. `mode="ro"`.

    Raises:
        ValueError: a pure path that is not absolute.
    """
    if isinstance(path, PurePath) and not isinstance(path, Path):
        pure: PurePath = path
        if not pure.is_absolute():
            raise ValueError(f"not an absolute path: {pure}")
    else:
        pure = Path(os.path.abspath(path))
    if isinstance(pure, PureWindowsPath):
        body = _windows_body(str(pure))
    else:
        body = quote(pure.as_posix(), safe="/")
    # An absolute path starts with "/": "file://" + "/home/…" is "file:///home/…"
    # (empty authority); a UNC body "//server/…" gives the four slashes.
    uri = f"file://{body}"
    return f"{uri}?{urlencode(query, quote_via=quote)}" if query else uri


def _windows_body(text: str) -> str:
    """`C:\\a b\\x.db` -> `/C:/a%20b/x.db`; `\\\\srv\\share\\x.db` -> `//srv/share/x.db`."""
    if text.startswith(_LONG_UNC):
        text = "\\\\" + text[len(_LONG_UNC) :]
    elif text.startswith(_LONG):
        text = text[len(_LONG[0]) :]
    text = text.replace("\\", "/")
    if text.startswith("//"):  # UNC: //server/share/...
        return "//" + quote(text[2:], safe="/")
    drive, rest = text[:2], text[2:]  # "C:" and "/..."; is_absolute() guaranteed both
    if not (drive[:1].isascii() and drive[:1].isalpha() and drive[1:] == ":"):
        raise ValueError(f"not an absolute Windows path: {text}")
    return f"/{drive}{quote(rest, safe='/')}"
