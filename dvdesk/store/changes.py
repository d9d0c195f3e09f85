"""What a write changed (the change value), so each screen refreshes only that.

Every repository write returns a `Changes` (in the spirit of Anki's `OpChanges`):
which kinds of things changed and, where known, which members. The window's op
runner broadcasts it; the member table reloads its id list only when membership
or order may have changed, and otherwise re-reads just the rows named here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """A kind of thing a write can change."""

    MEMBERS = "members"  # member rows: fields, order, membership of views
    STEPS = "steps"  # procedure steps (and so stages, checklists, statistics)
    UNITS = "units"
    SETTINGS = "settings"
    HOLIDAYS = "holidays"
    PACKAGES = "packages"  # exports recorded, packages received
    TRANSFERS = "transfers"
    FILE = "file"  # the whole file was replaced (restore, migration): reload everything


@dataclass(frozen=True)
class Changes:
    """A change value: `kinds` changed; `member_uids` names the members touched.

    `member_uids` empty while MEMBERS or STEPS is in `kinds` means "many or
    unknown members": reload the list. `reorders` says whether the member list's
    membership or order may have changed (an add, a delete, a renamed member),
    which a single field edit usually does not.
    """

    kinds: frozenset[Kind] = frozenset()
    member_uids: frozenset[str] = frozenset()
    reorders: bool = False
    count: int = 0  # how many records a bulk write added (add_many, imports)
    details: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def of(
        cls,
        *kinds: Kind,
        uids: Iterable[str] = (),
        reorders: bool = False,
        count: int = 0,
        **details: object,
    ) -> Changes:
        return cls(frozenset(kinds), frozenset(uids), reorders, count, dict(details))

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.kinds | other.kinds,
            self.member_uids | other.member_uids,
            self.reorders or other.reorders,
            self.count + other.count,
            {**self.details, **other.details},
        )

    def __bool__(self) -> bool:
        return bool(self.kinds)

    def touches(self, *kinds: Kind) -> bool:
        """True when any of `kinds` (or the whole file) changed."""
        return Kind.FILE in self.kinds or any(k in self.kinds for k in kinds)

    @property
    def reload_list(self) -> bool:
        """True when the member id list must be read again (not just some rows)."""
        return (
            Kind.FILE in self.kinds
            or self.reorders
            or (bool(self.kinds & {Kind.MEMBERS, Kind.UNITS}) and not self.member_uids)
        )


NOTHING = Changes()
