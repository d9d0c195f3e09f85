"""Which members a list or view shows, turned into one indexed WHERE clause.

Eligibility filters use the precomputed first-eligible / first-over-age days,
so "eligible on a date" is a range condition, not a Python loop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from dvdesk.domain.dates import add_months
from dvdesk.domain.eligibility import Method
from dvdesk.domain.names import fold

_TOKEN = re.compile(r"[0-9a-z]+")
# Digits typed alone (3 or more) may be the END of a CCCD or phone number: people
# quote the last digits. The full-text index only matches from the start.
_DIGITS = re.compile(r"\d{3,}")


def matches(tokens: list[str], search_text: str) -> bool | None:
    """Whether the full-text index matches `search_text` for these folded prefix tokens
    (what `fts_query` asks), computed here; None when only the index can tell.

    For ASCII text this is exactly FTS5's unicode61 rule: the words are the runs
    of letters and digits, lower-cased, and every token must begin one of them.
    Other text (a letter the fold keeps, such as ø) is left to the index.
    """
    if not search_text.isascii():
        return None
    words = _TOKEN.findall(search_text.lower())
    return all(any(w.startswith(t) for w in words) for t in tokens)


def is_exact_name(name: str, search_text: str) -> bool:
    """`name_rank`'s test in Python: the whole name is `name` (then only numbers)."""
    if search_text == name:
        return True
    n = len(name)
    return search_text.startswith(f"{name} ") and "0" <= search_text[n + 1 : n + 2] <= "9"


def fts_query(text: str) -> str | None:
    """An FTS5 prefix query for search-as-you-type ("nguyen van du" → all three as prefixes)."""
    tokens = _TOKEN.findall(fold(text))
    return " ".join(f'"{t}"*' for t in tokens) or None


# The stored warning codes without the Youth Union age flags: those were
# judged on the day of saving and go stale; YOUTH_FLAGGED judges them again on
# the date asked (domain.eligibility.youth_flag, in SQL). Dates are ISO text,
# so "N years later" is the year digits plus N; a 29/02 birthday 31 years on
# falls in a common year and is clamped to 28/02 as add_months does (15 and 36
# years on from a leap year need no clamp: 15 is never leap again and 36 is).
STORED_ISSUES_BUT_YOUTH = (
    "trim(replace(replace(replace(' ' || m.issue_codes || ' ', ' youth.under_16 ', ' '), "
    "' youth.past_30 ', ' '), ' youth.past_35 ', ' '))"
)
_EARLIEST_BIRTH = (
    "(CASE m.dob_precision WHEN 'day' THEN m.dob WHEN 'month' THEN m.dob || '-01' "
    "ELSE m.dob || '-01-01' END)"
)
_LATEST_BIRTH = (
    "(CASE m.dob_precision WHEN 'day' THEN m.dob "
    "WHEN 'month' THEN date(m.dob || '-01', '+1 month', '-1 day') ELSE m.dob || '-12-31' END)"
)


def years_on(birth: str, years: int, clamp_leap_day: bool = False) -> str:
    """SQL: the ISO date `years` years after the ISO date expression `birth`."""
    shifted = f"printf('%04d', substr({birth}, 1, 4) + {years}) || substr({birth}, 5)"
    if not clamp_leap_day:
        return shifted
    return (
        f"(CASE WHEN substr({birth}, 6) = '02-29' "
        f"THEN printf('%04d-02-28', substr({birth}, 1, 4) + {years}) ELSE {shifted} END)"
    )


YOUTH_FLAGGED = (
    f"(m.dob IS NOT NULL AND (? <= {years_on(_EARLIEST_BIRTH, 15)} OR (m.union_officer = 0 "
    f"AND ? >= {years_on(_LATEST_BIRTH, 31, clamp_leap_day=True)} "
    f"AND (m.union_extended = 0 OR ? >= {years_on(_LATEST_BIRTH, 36)}))))"
)


# Members with a transfer file sent and not yet confirmed by the receiver's receipt.
PENDING_TRANSFERS = (
    "SELECT member_id FROM transfers WHERE transfer_id IS NOT NULL AND confirmed_at IS NULL"
)


@dataclass(frozen=True)
class MemberQuery:
    """A filter over members; every field is optional."""

    search: str = ""
    unit_code: str = ""
    eligible_on: date | None = None  # eligible on this consideration date
    upcoming_months: int | None = None  # too young on `reference`, eligible within N months
    reference: date | None = None  # the date `upcoming_months` counts from
    eligible_between: tuple[date, date] | None = None  # first eligible day in (start, end]
    method: Method = Method.COMPLETED
    stages: tuple[str, ...] = ()
    presences: tuple[str, ...] = ()
    unit_kind: str = ""
    commune_code: str | None = None
    # Students whose graduation (school_year_end "MM-DD" of graduation_year)
    # comes before their 18th: their introduction must be transferred.
    graduate_before_eligible: str = ""
    has_issues: bool = False  # records with validation warnings
    # With has_issues: the Youth Union age flags are judged on this date
    # (the consideration date), not read from the flags stored at save time.
    issues_on: date | None = None
    deleted: bool = False  # the recycle bin instead of the live list
    not_stages: tuple[str, ...] = ()  # e.g. Party members (dự bị, chính thức)
    not_presences: tuple[str, ...] = ()  # e.g. moved away, left the Youth Union
    graduation_year: int | None = None  # students of the graduating class of that year
    # "Đã chuyển đi — chờ nơi nhận xác nhận": a transfer file sent, no receipt yet
    # (the same rows as store.transfers.pending()).
    transfer_pending: bool = False

    def reads_columns(self) -> frozenset[str] | None:
        """The member columns whose change can move a member in or out of this query.

        None when the answer depends on derived checks (the "cần kiểm tra" view):
        then any change may matter. Used so a one-member edit re-reads that row
        instead of the whole id list when it cannot change who is listed.
        """
        if self.has_issues:
            return None
        cols = {"deleted_at"}
        if self.search:
            cols |= {"full_name", "cccd", "phone", "search_text", "name_sort"}
        if self.unit_code or self.unit_kind:
            cols.add("unit_id")
        if (
            self.eligible_on is not None
            or self.upcoming_months is not None
            or self.eligible_between is not None
            or self.graduate_before_eligible
        ):
            cols |= {"dob", "dob_precision", "elig_from_a", "over_from_a", "elig_to_a", "elig_to_b"}
            cols |= {"elig_from_b", "over_from_b", "graduation_year", "unit_id"}
        if self.stages or self.not_stages:
            cols.add("stage")
        if self.presences or self.not_presences:
            cols.add("presence")
        if self.commune_code is not None:
            cols.add("commune_code")
        if self.graduation_year is not None:
            cols |= {"graduation_year", "school_class"}
        return frozenset(cols)

    def _digits(self) -> str | None:
        text = self.search.strip().replace(" ", "").replace(".", "")
        return text if _DIGITS.fullmatch(text) else None

    def _fts_drives(self) -> bool:
        return fts_query(self.search) is not None and self._digits() is None

    def name_tokens(self) -> list[str]:
        """The folded words of a name search ("Nguyễn Văn Đ" → nguyen, van, d); none when
        not searching a name (digits search the CCCD and phone numbers instead)."""
        if self._digits() is not None:
            return []
        return _TOKEN.findall(fold(self.search))

    def everyone(self) -> bool:
        """Whether the query lists every live member (the method alone filters nothing)."""
        return replace(self, method=Method.COMPLETED) == MemberQuery()

    def only_search(self) -> bool:
        """Whether the query is a name search over the live list and nothing else."""
        return bool(self.name_tokens()) and replace(self, search="").everyone()

    def same_rows(self, other: MemberQuery) -> bool:
        """Whether `other` lists the same members in the same order (it may differ in
        what was typed but not searched: a space, a comma, the case of a letter)."""
        return self == other or (
            replace(self, search="") == replace(other, search="")
            and self.where() == other.where()
            and self.name_rank() == other.name_rank()
        )

    def name_rank(self) -> tuple[str, list[object]] | None:
        """An ORDER BY term that puts members whose whole name is what was typed first
        ("Nguyễn Văn Đức" before "Nguyễn Văn Đức An"), or None when not searching a name.

        `search_text` is the folded name, then the CCCD and phone (digits)."""
        tokens = self.name_tokens()
        if not tokens:
            return None
        name = " ".join(tokens)
        return (
            "(CASE WHEN m.search_text = ? OR m.search_text GLOB ? THEN 0 ELSE 1 END)",
            [name, f"{name} [0-9]*"],
        )

    def source(self, joins: str = "") -> str:
        """The FROM clause for `members m` (plus `joins`) under this query.

        When searching, the full-text index drives the query (CROSS JOIN fixes
        the loop order): its matches are looked up by rowid and sorted. As an
        `IN (subquery)` filter instead, SQLite walked all 200,000 members in name
        order and probed each, several times slower for a few hundred matches.
        Pair it with `where(fts_joined=True)`.
        """
        if self._fts_drives():
            return f"FROM members_fts CROSS JOIN members m ON m.id = members_fts.rowid {joins}"
        return f"FROM members m {joins}"

    def where(self, *, fts_joined: bool = False) -> tuple[str, list[object]]:
        """SQL condition on `members m` and its parameters.

        Args:
            fts_joined: the FROM clause came from `source()`, so the search is a
                MATCH on the joined `members_fts` rather than a subquery.
        """
        s = "b" if self.method is Method.CALENDAR else "a"
        clauses = ["m.deleted_at IS NOT NULL" if self.deleted else "m.deleted_at IS NULL"]
        params: list[object] = []
        if (digits := self._digits()) is not None:
            # From the start (the index) or at the end of the CCCD or phone number.
            # One id set, read once: the end-of-number matches scan the small
            # members_digits index (schema 1.9) instead of every member's row.
            clauses.append(
                "m.id IN (SELECT rowid FROM members_fts WHERE members_fts MATCH ? "
                "UNION ALL SELECT id FROM members WHERE cccd LIKE ? OR phone LIKE ?)"
            )
            params += [f'"{digits}"*', f"%{digits}", f"%{digits}"]
        elif q := fts_query(self.search):
            clauses.append(
                "members_fts MATCH ?"
                if fts_joined
                else "m.id IN (SELECT rowid FROM members_fts WHERE members_fts MATCH ?)"
            )
            params.append(q)
        # Units by subquery, not a join: the id list then comes from the name
        # index alone (a covering scan), which matters at 200,000 members.
        if self.unit_code:
            clauses.append("m.unit_id IN (SELECT id FROM units WHERE code = ?)")
            params.append(self.unit_code.strip().upper())
        if self.unit_kind:
            clauses.append("m.unit_id IN (SELECT id FROM units WHERE kind = ?)")
            params.append(self.unit_kind)
        if self.commune_code is not None:
            clauses.append("m.commune_code = ?")
            params.append(self.commune_code)
        if self.eligible_on is not None:
            day = self.eligible_on.isoformat()
            clauses.append(f"m.elig_from_{s} <= ? AND m.over_from_{s} > ?")
            params += [day, day]
        between = self.eligible_between
        if self.upcoming_months is not None:
            start = self.reference or date.today()
            between = (start, add_months(start, self.upcoming_months))
        if between is not None:
            # Turns 18 in (start, end] on some possible birthday. A partial date's
            # birthdays span a year at most, so the elig_from index range is the
            # window widened by a year, and elig_to (partial dates only) decides.
            clauses.append(
                f"m.elig_from_{s} > ? AND m.elig_from_{s} <= ? "
                f"AND coalesce(m.elig_to_{s}, m.elig_from_{s}) > ?"
            )
            start_day, end_day = between[0].isoformat(), between[1].isoformat()
            params += [(between[0] - timedelta(days=366)).isoformat(), end_day, start_day]
        if self.graduate_before_eligible:
            clauses.append(
                f"m.graduation_year IS NOT NULL AND m.elig_from_{s} > "
                "printf('%04d-%s', m.graduation_year, ?)"
            )
            params.append(self.graduate_before_eligible)
        if self.has_issues and self.issues_on is not None:
            day = self.issues_on.isoformat()
            clauses.append(
                f"({STORED_ISSUES_BUT_YOUTH} <> '' OR {YOUTH_FLAGGED} OR m.dossier_issues <> '')"
            )
            params += [day, day, day]
        elif self.has_issues:
            clauses.append("(m.issue_codes <> '' OR m.dossier_issues <> '')")
        if self.not_stages:
            clauses.append(f"m.stage NOT IN ({','.join('?' * len(self.not_stages))})")
            params += list(self.not_stages)
        if self.not_presences:
            clauses.append(f"m.presence NOT IN ({','.join('?' * len(self.not_presences))})")
            params += list(self.not_presences)
        if self.graduation_year is not None:
            clauses.append("m.graduation_year = ?")
            params.append(self.graduation_year)
        if self.transfer_pending:
            clauses.append(f"m.id IN ({PENDING_TRANSFERS})")
        if self.stages:
            clauses.append(f"m.stage IN ({','.join('?' * len(self.stages))})")
            params += list(self.stages)
        if self.presences:
            clauses.append(f"m.presence IN ({','.join('?' * len(self.presences))})")
            params += list(self.presences)
        return " AND ".join(clauses), params
