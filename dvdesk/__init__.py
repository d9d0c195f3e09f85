"""dvdesk: Youth Union members and Party development records for a commune.

The version has one source, `pyproject.toml`. A source tree reads it from
there (so a checkout never reports the version some other installed copy was
built with); an installed copy or the bundle reads the installed metadata
(`importlib.metadata`, which the bundle carries as dvdesk's dist-info).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    __version__: str


def __getattr__(name: str) -> str:
    """`__version__`, read on first use: a command that never shows it does not pay for it."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    version = globals()["__version__"] = _version()
    return version


def _version() -> str:
    import tomllib
    from pathlib import Path

    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        with pyproject.open("rb") as f:
            project = tomllib.load(f).get("project", {})
        if project.get("name") == "dvdesk":
            return str(project["version"])
    except (OSError, tomllib.TOMLDecodeError, KeyError):
        pass
    from importlib import metadata  # ~15 ms: only where there is no pyproject.toml

    try:
        return metadata.version("dvdesk")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def release(version: str) -> tuple[int, ...] | None:
    """(0, 2, 1) for "0.2.1" or "0.2.1rc1"; None when the text is no version."""
    import re

    found = re.match(r"\s*v?(\d+(?:\.\d+)*)", version)
    return tuple(int(part) for part in found.group(1).split(".")) if found else None


def older_than_this(version: str) -> bool:
    """True when `version` (e.g. from a package manifest) is an older release than this one.

    An unreadable or missing version counts as older: it was written by a dvdesk
    from before manifests carried one, or by something else.
    """
    theirs, ours = (
        release(version),
        release(globals().get("__version__") or __getattr__("__version__")),
    )
    if ours is None:
        return False
    if theirs is None:
        return True
    width = max(len(theirs), len(ours))
    return theirs + (0,) * (width - len(theirs)) < ours + (0,) * (width - len(ours))
