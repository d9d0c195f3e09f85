"""Many candidates' checklists at once, and their derived columns (kiểm tra hồ sơ hàng loạt).

`DossierRepository.refresh` (dossier.py) derives one member's stage and
violation codes after a write, from a checklist built out of a dozen small
queries. A merge at the receiving level brings thousands of candidates at
once (and a demo file hundreds), so `Checks` reads the same data — steps,
dossier, introducers, votes, exceptions, where each unit's chi bộ stands —
for a whole set of members in a few queries and builds the same checklists;
`refresh` then writes the same columns in one executemany. `dossier_of` is
the one place a `Dossier` is made from its rows (dossier.py's `get` uses it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from dvdesk.domain.checklist import Checklist, build_checklist
from dvdesk.domain.dates import parse_date
from dvdesk.domain.deadline_rules import FlagKind
from dvdesk.domain.eligibility import Method
from dvdesk.domain.procedure import (
    DEFINITION,
    STEP_CODES,
    Definition,
    StepRecord,
    StepState,
    default_record,
)
from dvdesk.domain.procedure_dossier import Dossier, DossierException, Introducer, PartyStatus, Vote
from dvdesk.domain.workdays import Holidays
from dvdesk.store.connection import Connection

# Live members with any procedure step or dossier data, or derived columns that may now be
# stale (their steps were removed): the ones a refresh derives.
_HAS_DATA = " OR ".join(
    [
        "m.stage <> 'member'",
        "m.dossier_issues <> ''",
        *(
            f"EXISTS (SELECT 1 FROM {t} x WHERE x.member_id = m.id)"
            for t in ("steps", "dossiers", "introducers", "votes", "dossier_exceptions")
        ),
    ]
)
_CHUNK = 500
_DEFAULTS = {code: default_record(code) for code in STEP_CODES}  # StepRecord is frozen


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def violation_codes(checklist: Checklist) -> str:
    """The codes kept on the member row (members.dossier_issues): each violated rule once."""
    return " ".join(
        dict.fromkeys(f.rule.code for f in checklist.flags if f.kind is FlagKind.VIOLATION)
    )


def dossier_of(
    row: Mapping[str, Any],
    introducers: Sequence[Mapping[str, Any]],
    votes: Sequence[Mapping[str, Any]],
    exceptions: Sequence[Mapping[str, Any]],
    member_education: str,
    position: str,
    difficult_area: bool,
) -> Dossier:
    """A member's Dossier from its rows (`row`: the dossiers row, or {} when none)."""
    union = row.get("union_member")
    return Dossier(
        introducers=tuple(
            Introducer(
                r["name"],
                PartyStatus(r["status"]),
                _day(r["together_since"]),
                _day(r["introduced_on"]),
                r["note"],
            )
            for r in introducers
        ),
        votes={
            r["step_code"]: Vote(r["step_code"], r["in_favour"], r["total"], r["present"])
            for r in votes
        },
        # The dossier's own entry, else the member's trình độ học vấn (domain/fields.py).
        education=row.get("education", "") or member_education,
        union_member=None if union is None else bool(union),
        helper=row.get("helper", ""),
        helper_since=_day(row.get("helper_since")),
        exceptions=tuple(
            DossierException(r["rule_code"], r["note"], r["document"], r["step_code"])
            for r in exceptions
        ),
        position=position,
        difficult_area=difficult_area,
        checked_version=row.get("checked_version", ""),
    )


@dataclass(frozen=True)
class Options:
    """What every checklist of a file reads besides the member's own rows."""

    method: Method
    meeting: date | None  # the planned branch meeting (settings), None: today
    holidays: Holidays
    default_position: str  # where a chi bộ stands when its unit has no setting
    difficult_area: bool
    definition: Definition = DEFINITION


class Checks:
    """Checklists of many members, read in bulk (inside or outside a transaction)."""

    def __init__(self, conn: Connection, options: Options) -> None:
        self._conn = conn
        self.options = options

    def candidates(self, commune_code: str | None = None) -> list[int]:
        """Row ids of the live members with steps or dossier data, or a stage or violation
        codes to clear (of one commune)."""
        where, params = ("AND m.commune_code = ?", [commune_code]) if commune_code else ("", [])
        return [
            r[0]
            for r in self._conn.tuples(
                f"SELECT m.id FROM members m WHERE m.deleted_at IS NULL {where} "
                f"AND ({_HAS_DATA}) ORDER BY m.id",
                params,
            )
        ]

    def checklists(
        self, member_ids: Sequence[int], today: date
    ) -> Iterator[tuple[dict[str, Any], Checklist]]:
        """(member row: id, uid, commune_code, stage, dossier_issues; checklist) per member,
        as `DossierRepository.checklist` builds it, a few hundred members per query."""
        o = self.options
        meeting = o.meeting
        for start in range(0, len(member_ids), _CHUNK):
            chunk = list(member_ids[start : start + _CHUNK])
            marks = ",".join("?" * len(chunk))
            members = self._conn.rows(
                "SELECT id, uid, commune_code, dob, unit_id, education, stage, dossier_issues "
                f"FROM members WHERE id IN ({marks}) ORDER BY id",
                chunk,
            )
            steps = self._by_member(
                "SELECT member_id, code, state, done_on, doc_number, note FROM steps "
                f"WHERE member_id IN ({marks})",
                chunk,
            )
            dossiers = {
                r["member_id"]: r
                for r in self._conn.rows(
                    f"SELECT * FROM dossiers WHERE member_id IN ({marks})", chunk
                )
            }
            introducers = self._by_member(
                f"SELECT * FROM introducers WHERE member_id IN ({marks}) ORDER BY member_id, seq",
                chunk,
            )
            votes = self._by_member(f"SELECT * FROM votes WHERE member_id IN ({marks})", chunk)
            exceptions = self._by_member(
                f"SELECT * FROM dossier_exceptions WHERE member_id IN ({marks}) "
                "ORDER BY member_id, id",
                chunk,
            )
            positions = self._positions({m["unit_id"] for m in members})
            for m in members:
                i = m["id"]
                records = dict(_DEFAULTS)
                for r in steps.get(i, ()):
                    if r["code"] in records:
                        records[r["code"]] = StepRecord(
                            r["code"],
                            StepState(r["state"]),
                            _day(r["done_on"]),
                            r["doc_number"],
                            r["note"],
                        )
                dossier = dossier_of(
                    dossiers.get(i, {}),
                    introducers.get(i, ()),
                    votes.get(i, ()),
                    exceptions.get(i, ()),
                    m["education"],
                    positions.get(m["unit_id"], o.default_position),
                    o.difficult_area,
                )
                dob = parse_date(m["dob"])
                yield (
                    m,
                    build_checklist(
                        records, dob, meeting, today, o.method, o.holidays, dossier, o.definition
                    ),
                )

    def refresh(self, member_ids: Sequence[int], today: date) -> int:
        """Derive the stage and violation codes of these members again; how many changed.

        The columns `DossierRepository.refresh` writes, and the definition version
        noted on the dossier rows there are (none is created: a merge keeps a
        commune's dossier rows exactly as its package carried them). Call inside
        the caller's transaction.
        """
        updates: list[tuple[str, str, int]] = []
        for m, checklist in self.checklists(member_ids, today):
            stage, codes = checklist.stage.value, violation_codes(checklist)
            if (stage, codes) != (m["stage"], m["dossier_issues"]):
                updates.append((stage, codes, m["id"]))
        self._conn.executemany(
            "UPDATE members SET stage = ?, dossier_issues = ? WHERE id = ?", updates
        )
        version = self.options.definition.version
        self._conn.executemany(
            "UPDATE dossiers SET checked_version = ? WHERE member_id = ? AND checked_version <> ?",
            [(version, i, version) for i in member_ids],
        )
        return len(updates)

    def _by_member(self, sql: str, params: list[int]) -> dict[int, list[dict[str, Any]]]:
        out: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for r in self._conn.rows(sql, params):
            out[r["member_id"]].append(r)
        return out

    def _positions(self, unit_ids: set[int]) -> dict[int, str]:
        if not unit_ids:
            return {}
        ids = sorted(unit_ids)
        marks = ",".join("?" * len(ids))
        known = self.options.definition.positions
        return {
            unit_id: position
            for unit_id, position in self._conn.tuples(
                f"SELECT unit_id, position FROM unit_positions WHERE unit_id IN ({marks})", ids
            )
            if position in known
        }
