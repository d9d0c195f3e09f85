"""dvdesk: Youth Union members and Party development records for a commune.

The version has one source, `pyproject.toml`. A source tree reads it from
there (so a checkout never reports the version some other installed copy was
built with); an installed copy or the bundle reads the installed metadata
(`importlib.metadata`, which the bundle carries as dvdesk's dist-info).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path


def _version() -> str:
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


__version__ = _version()


def release(version: str) -> tuple[int, ...] | None:
    """(0, 2, 1) for "0.2.1" or "0.2.1rc1"; None when the text is no version."""
    found = re.match(r"\s*v?(\d+(?:\.\d+)*)", version)
    return tuple(int(part) for part in found.group(1).split(".")) if found else None


def older_than_this(version: str) -> bool:
    """True when `version` (e.g. from a package manifest) is an older release than this one.

    An unreadable or missing version counts as older: it was written by a dvdesk
    from before manifests carried one, or by something else.
    """
    theirs, ours = release(version), release(__version__)
    if ours is None:
        return False
    if theirs is None:
        return True
    width = max(len(theirs), len(ours))
    return theirs + (0,) * (width - len(theirs)) < ours + (0,) * (width - len(ours))
