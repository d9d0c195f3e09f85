"""The mypy settings of `make lint` (pyproject [tool.mypy]) reject the old store pattern.

Before issue #10 the Store was a class built from mixins whose methods were typed
`self: Store` and reached the other mixins' helpers through it. The check runs
mypy with the project's own config on a small package written that way, and on
the same code composed the new way as the control: the first must fail, the
second must pass, so the failure is the pattern's and not the harness's.
"""

from pathlib import Path

from mypy import api

CONFIG = Path(__file__).resolve().parent.parent / "pyproject.toml"

MIXIN_MEMBERS = """\
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from old.gateway import Store


class MembersMixin:
    def member_count(self: Store) -> int:
        return self.scalar("SELECT count(*) FROM member")
"""

MIXIN_GATEWAY = """\
from __future__ import annotations

from old.members import MembersMixin


class Store(MembersMixin):
    def scalar(self, sql: str) -> int:
        return len(sql)
"""

UNTYPED_HELPER = """\
def scalar(conn, sql):
    return conn.execute(sql).fetchone()[0]
"""

COMPOSED_MEMBERS = """\
from __future__ import annotations

from new.connection import Connection


class MembersRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def count(self) -> int:
        return self._conn.scalar("SELECT count(*) FROM member")
"""

COMPOSED_CONNECTION = """\
class Connection:
    def scalar(self, sql: str) -> int:
        return len(sql)
"""

COMPOSED_GATEWAY = """\
from __future__ import annotations

from new.connection import Connection
from new.members import MembersRepo


class Store:
    def __init__(self) -> None:
        self._conn = Connection()
        self.members = MembersRepo(self._conn)
"""


def _write(root: Path, package: str, files: dict[str, str]) -> None:
    folder = root / package
    folder.mkdir()
    (folder / "__init__.py").write_text("", encoding="utf-8")
    for name, text in files.items():
        (folder / f"{name}.py").write_text(text, encoding="utf-8")


def _mypy_errors(tmp_path: Path) -> dict[str, list[str]]:
    """Run mypy with the project config on both packages; error lines by file."""
    src = tmp_path / "src"
    src.mkdir()
    _write(src, "old", {"members": MIXIN_MEMBERS, "gateway": MIXIN_GATEWAY})
    _write(src, "helpers", {"sql": UNTYPED_HELPER})
    _write(
        src,
        "new",
        {
            "connection": COMPOSED_CONNECTION,
            "members": COMPOSED_MEMBERS,
            "gateway": COMPOSED_GATEWAY,
        },
    )
    out, err, status = api.run(
        [
            "--config-file",
            str(CONFIG),
            "--cache-dir",
            str(tmp_path / "cache"),
            "--no-error-summary",
            "--show-error-codes",
            str(src / "old"),
            str(src / "helpers"),
            str(src / "new"),
        ]
    )
    assert err == "", err  # a config or usage problem, not a type error
    assert status == (1 if out else 0), out
    errors: dict[str, list[str]] = {}
    for line in out.splitlines():
        if ": error: " in line:
            where = Path(line.split(":", 1)[0]).as_posix()
            errors.setdefault(where.split("src/", 1)[-1], []).append(line)
    return errors


def test_the_old_mixin_pattern_fails_and_the_composed_store_passes(tmp_path):
    errors = _mypy_errors(tmp_path)
    assert set(errors) == {"old/members.py", "helpers/sql.py"}, errors
    [mixin] = errors["old/members.py"]
    assert 'erased type of self "old.gateway.Store"' in mixin
    assert "[misc]" in mixin
    # disallow_untyped_defs is mypy's default off: this error shows the project config was read.
    assert any("[no-untyped-def]" in e for e in errors["helpers/sql.py"]), errors
