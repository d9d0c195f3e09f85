"""The bench's output checks: did dvdesk and its baseline produce the same thing?

A ratio is reported only beside the result of one of these checks, so a fast
baseline cannot come from doing less work. Each reads the two outputs with
nothing but the standard library (and pypdf for page counts).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path

# Fields that mean the same in both lists (dvdesk computes the rest in Python for
# partial dates of birth: possible statuses, notes, the range).
LIST_FIELDS = (
    "uid",
    "full_name",
    "dob",
    "gender",
    "unit",
    "unit_name",
    "school_class",
    "presence",
    "stage",
)
FIGURES = ("introduced", "course", "admitted")


@dataclass
class ListCheck:
    same: bool
    text: str
    uids: list[str]


def compare_lists(mine: Path, bare: Path) -> ListCheck:
    """Same members in the same order, the same shared fields; how many whole rows agree."""
    a = json.loads(mine.read_text(encoding="utf-8"))
    b = json.loads(bare.read_text(encoding="utf-8"))
    key_a = [tuple(r.get(k) for k in LIST_FIELDS) for r in a]
    key_b = [tuple(r.get(k) for k in LIST_FIELDS) for r in b]
    whole = sum(1 for x, y in zip(a, b, strict=False) if x == y)
    same = key_a == key_b
    digest = hashlib.sha256(json.dumps(key_a, ensure_ascii=False).encode()).hexdigest()[:12]
    text = (
        f"{len(a):,} / {len(b):,} dòng, cùng thứ tự và {len(LIST_FIELDS)} trường (sha {digest}); "
        f"{whole:,} dòng giống hệt cả đối tượng"
    )
    return ListCheck(same, text, [r["uid"] for r in a])


def compare_stats(mine: Path, bare: Path) -> tuple[bool, str]:
    """Introduced / course / admitted: in total, per unit kind, for students, per year."""
    a = json.loads(mine.read_text(encoding="utf-8"))
    b = json.loads(bare.read_text(encoding="utf-8"))

    def figures(d: dict[str, object]) -> list[object]:
        def pick(x: object) -> list[object]:
            return [x.get(k) for k in FIGURES] if isinstance(x, dict) else [None]

        kinds = d.get("by_unit_kind") or {}
        assert isinstance(kinds, dict)
        return [
            *pick(d),
            *[v for kind in sorted(kinds) for v in pick(kinds[kind])],
            *pick(d.get("students")),
        ]

    years_a = [(y.get("year"), figures(y)) for y in a.get("years", [])]
    years_b = [(y.get("year"), figures(y)) for y in b.get("years", [])]
    same = figures(a) == figures(b) and years_a == years_b
    return same, (
        f"kết nạp/giới thiệu/học lớp: {a.get('admitted')}/{a.get('introduced')}/{a.get('course')} "
        f"= {b.get('admitted')}/{b.get('introduced')}/{b.get('course')}, "
        f"theo loại đơn vị, học sinh và {len(years_a)} năm"
    )


def _connect(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


def live_members(db: Path) -> int:
    with _connect(db) as conn:
        return int(
            conn.execute("SELECT count(*) FROM members WHERE deleted_at IS NULL").fetchone()[0]
        )


def table_counts(db: Path) -> dict[str, int]:
    conn = _connect(db)
    try:
        return {
            "members": live_members(db),
            "steps": int(conn.execute("SELECT count(*) FROM steps").fetchone()[0]),
        }
    finally:
        conn.close()


def table_digest(db: Path) -> tuple[str, str]:
    """Row counts and a hash of members, steps and the audit log (a backup is the same file)."""
    conn = _connect(db)
    try:
        h = hashlib.sha256()
        counts = []
        for table in ("members", "steps", "audit"):
            n = 0
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY id"):
                h.update(repr(row).encode())
                n += 1
            counts.append(f"{table} {n:,}")
        return ", ".join(counts), h.hexdigest()
    finally:
        conn.close()


def member_digest(db: Path) -> tuple[int, str]:
    """Live members' (name, CCCD), in any order: what an import must have brought in."""
    conn = _connect(db)
    try:
        pairs = sorted(conn.execute("SELECT full_name, cccd FROM members WHERE deleted_at IS NULL"))
        return len(pairs), hashlib.sha256(repr(pairs).encode()).hexdigest()
    finally:
        conn.close()


def package_counts(path: Path) -> dict[str, int]:
    """Data rows of units/members/steps/audit in a package (header rows not counted)."""
    counts = {}
    with zipfile.ZipFile(path) as archive:
        for name in ("units.csv", "members.csv", "steps.csv", "audit.csv"):
            text = archive.read(name).decode("utf-8-sig")
            counts[name.removesuffix(".csv")] = sum(1 for _ in csv.reader(io.StringIO(text))) - 1
    return counts


def eligible_count(db: Path, day: str) -> int:
    with _connect(db) as conn:
        return int(
            conn.execute(
                "SELECT count(*) FROM members m WHERE m.deleted_at IS NULL AND m.elig_from_a <= ?1 "
                "AND m.over_from_a > ?1 AND m.stage NOT IN ('probation', 'full') "
                "AND m.presence NOT IN ('moved', 'left_union')",
                [day],
            ).fetchone()[0]
        )


def candidates(db: Path, count: int) -> list[str]:
    """`count` members, those in the admission procedure first, in roster order."""
    with _connect(db) as conn:
        return [
            r[0]
            for r in conn.execute(
                "SELECT uid FROM members WHERE deleted_at IS NULL "
                "ORDER BY stage = 'member', name_sort, id LIMIT ?",
                [count],
            )
        ]


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)
