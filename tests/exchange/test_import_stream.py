"""A large import streamed: the same data file as before, memory that does not grow.

The dump digests below were taken with the import as it was before it streamed
(every row held in memory, validated in the plan, written by `add_many`): the
streaming import must write exactly the same units, members, steps, audit and
search index for the same sheet.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from dvdesk.exchange.sheet_import import RowStatus, apply_import, plan_import
from dvdesk.store.gateway import Store

ROOT = Path(__file__).resolve().parents[2]

TODAY = date(2026, 11, 26)
HEADER = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Mã chi đoàn",
    "Chi đoàn",
    "Số CCCD",
    "Lớp",
    "Ngày vào Đoàn",
    "Số điện thoại",
    "Dân tộc",
    "Quê quán",
    "Ghi chú",
    "Ngày học lớp nhận thức về Đảng",
    "Số giấy chứng nhận",
    "Người giới thiệu",
    "Mã dvdesk",
]
UNITS = [("KDC01", "Thôn Đông"), ("KDC02", "Thôn Nam"), ("THPT1", "Trường THPT Lê Lợi")]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thu", "Ngọc", "Quang", "Hữu"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Khoa", "Lan", "Phúc", "Quân", "Yến"]
NOTES = ["", "", "", "đi làm ăn xa", "XKLĐ Nhật Bản", "Nghề nghiệp: sinh viên"]


def people(n: int, seed: int = 7) -> list[list[object]]:
    """`n` data rows as an office keeps them, a few of them wrong on purpose."""
    rnd = random.Random(seed)
    rows: list[list[object]] = []
    for i in range(1, n + 1):
        code, unit = UNITS[rnd.randrange(len(UNITS))]
        year = rnd.randrange(1990, 2011)
        dob = f"{rnd.randrange(1, 29):02d}/{rnd.randrange(1, 13):02d}/{year}"
        if i % 97 == 0:
            dob = str(year)  # a year alone: a warning
        if i % 331 == 0:
            dob = "31/02/2005"  # no such day: invalid
        cccd = f"{rnd.randrange(1, 96):03d}{rnd.randrange(10**9):09d}" if i % 5 else ""
        if i % 401 == 0:
            cccd = "12345"  # wrong length: invalid
        course = f"{rnd.randrange(1, 28):02d}/05/2025" if i % 13 == 0 else ""
        rows.append(
            [
                i,
                f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}",
                dob,
                "Nữ" if rnd.random() < 0.5 else "Nam",
                code,
                unit,
                cccd,
                f"1{rnd.randrange(3)}A{rnd.randrange(1, 5)}" if code == "THPT1" else "",
                f"26/03/{year + 16}" if year < 2009 else "",
                f"09{rnd.randrange(10**8):08d}" if i % 3 == 0 else "",
                "Kinh" if i % 7 else "Tày",
                f"xã Demo, thôn {unit}",
                rnd.choice(NOTES),
                course,
                f"GCN-{i}" if course else "",
                "Nguyễn Văn Giới" if i % 26 == 0 else "",
                f"00000000-0000-4000-8000-{i:012d}",
            ]
        )
    return rows


def write_sheet(path: Path, rows: list[list[object]]) -> Path:
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f).writerows([HEADER, *rows])
        return path
    book = Workbook(write_only=True)
    ws = book.create_sheet("Danh sách")
    ws.append(["DANH SÁCH ĐOÀN VIÊN XÃ DEMO"])
    ws.append([])
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    book.save(path)
    return path


def dump(db: Path) -> str:
    """Every row a user could see of the tables an import writes, time stamps left out."""
    conn = sqlite3.connect(db)
    out = {}
    for table, order, skip in (
        ("units", "id", ()),
        ("members", "id", ("created_at", "updated_at")),
        ("steps", "member_id, code", ("updated_at",)),
        ("audit", "id", ("at",)),
        ("members_fts", "rowid", ()),
    ):
        cur = conn.execute(f"SELECT * FROM {table} ORDER BY {order}")
        names = [d[0] for d in cur.description]
        keep = [i for i, n in enumerate(names) if n not in skip]
        out[table] = [[names[i] for i in keep]] + [[r[i] for i in keep] for r in cur]
    if "members_fts" in out:
        out["fts_rowids"] = conn.execute("SELECT rowid FROM members_fts ORDER BY rowid").fetchall()
    conn.close()
    return json.dumps(out, ensure_ascii=False, sort_keys=True, default=str)


def edited(rows: list[list[object]]) -> list[list[object]]:
    """The list sent back after the chi đoàn fixed it: new phones, a moved person, new people."""
    out = [list(r) for r in rows]
    for r in out[::50]:
        r[9] = "0912000111"
    for r in out[3::200]:
        r[4], r[5] = "KDC02", "Thôn Nam"
    extra = people(120, seed=8)
    for r in extra:
        r[0] = int(str(r[0])) + len(rows)
        r[16] = f"00000000-0000-4000-9000-{r[0]:012d}"
    return out + extra


def imported(tmp_path: Path, sheet: Path, again: Path) -> tuple[str, list[dict[str, int]]]:
    """The dump after importing `sheet` then `again`, and the two previews' lines."""
    db = tmp_path / f"xa-{sheet.suffix[1:]}.db"
    store = Store.open(db)
    summaries = []
    lines: list[str] = []
    try:
        for path in (sheet, again):
            plan = plan_import(store, path, today=TODAY)
            summaries.append(plan.summary())
            lines.extend(plan.lines())
            apply_import(store, plan, today=TODAY)
    finally:
        store.close()
    return dump(db) + "\n".join(lines), summaries


N = 2_600  # more than one chunk of spilled rows
INVALID = N // 331 + N // 401  # the impossible dates and the short CCCDs
SUMMARIES = [
    {
        "rows": N,
        "new": N - INVALID,
        "update": 0,
        "existing": 0,
        "conflict": 0,
        "invalid": INVALID,
        "warnings": 1338,
        "new_units": 3,
    },
    {
        "rows": N + 120,
        "new": 120,
        "update": 58,
        "existing": N - INVALID - 58,
        "conflict": 0,
        "invalid": INVALID,
        "warnings": 78,
        "new_units": 0,
    },
]


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_streamed_import_writes_the_same_file_as_before(tmp_path: Path, ext: str) -> None:
    rows = people(N)
    sheet = write_sheet(tmp_path / f"danh-sach.{ext}", rows)
    again = write_sheet(tmp_path / f"gui-lai.{ext}", edited(rows))
    text, summaries = imported(tmp_path, sheet, again)
    digest = hashlib.sha256(text.encode()).hexdigest()
    assert summaries == SUMMARIES
    assert digest == GOLDEN[ext]


# sha256 of the dump and the preview lines, as the import before streaming wrote them.
GOLDEN = {
    "csv": "a68023a0c6c829c68b83c2da4b6f5bcc47b540bf96727138431566a839b7cde6",
    "xlsx": "e289dccafcbb14368cc1ba1cc96c964a0095e559bd69e38072aad5117868d603",
}


def test_a_plan_past_one_chunk_reads_back_every_row_as_it_was(tmp_path: Path) -> None:
    """The spilled rows come back as the objects the preview made (members, issues, order)."""
    sheet = write_sheet(tmp_path / "danh-sach.csv", people(N))
    store = Store.open(tmp_path / "xa.db")
    try:
        plan = plan_import(store, sheet, today=TODAY)
        rows = plan.rows
        assert [r.row for r in rows] == list(range(2, N + 2))  # sheet order, nothing lost
        new = [r for r in rows if r.status is RowStatus.NEW]
        assert len(new) == plan.summary()["new"] == N - INVALID
        assert len(plan.sheets[0].spill) == len(new)  # the new rows are all on disk
        assert len(plan.kept) == INVALID
        first = new[0]
        assert first.member is not None
        assert first.member.uid == "00000000-0000-4000-8000-000000000001"
        assert first.unit_reason == "theo cột “Mã chi đoàn”"
        # The same problems whether read from the objects or the spilled records.
        issues = plan.issues
        assert [(i.row, i.code) for i in issues] == [
            (r.row, i.code) for r in rows for i in r.issues
        ]
        assert sum(1 for i in issues if i.code == "dob.partial") == N // 97 - N // (97 * 331)
        steps = dict(plan.steps_to_record())
        assert len(steps) == sum(1 for r in new if r.steps) > 0
    finally:
        store.close()


def _peak_kb(db: Path, sheet: Path, *flags: str) -> int:
    """Peak RSS of a `dvdesk import` process, by GNU time: a child forked from this (big)
    test process would report the test's own size (Linux keeps maxrss across exec)."""
    command = [sys.executable, "-m", "dvdesk", "import", "--db", str(db), str(sheet), *flags]
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *command],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return int(done.stderr.split()[-1])


@pytest.mark.slow
def test_the_preview_memory_does_not_grow_with_the_sheet(tmp_path: Path) -> None:
    """8,000 rows, then 32,000: the preview streams them (the import held ~4.5 KB a row).

    What may still grow is the workbook's duplicate check (name + birthday + unit,
    CCCD: ~0.5 KB a person); the margin allows twice that, a third of the old growth.
    """
    small, large = 8_000, 32_000
    rows = people(large, seed=11)
    db = tmp_path / "xa.db"
    Store.open(db).close()
    peaks = []
    for n in (small, large):
        sheet = write_sheet(tmp_path / f"ds-{n}.csv", rows[:n])
        peaks.append(_peak_kb(db, sheet, "--dry-run", "--skip-invalid"))
    per_row = (peaks[1] - peaks[0]) * 1024 / (large - small)
    assert per_row < 1_500, (peaks, per_row)


def test_a_cccd_taken_between_the_preview_and_the_write_refuses_the_whole_import(
    tmp_path: Path,
) -> None:
    """The write checks again what may have changed since the preview: all or nothing."""
    from dvdesk.domain.member import Member, Unit, UnitKind
    from dvdesk.errors import ValidationFailed

    rows = people(2_500)
    sheet = write_sheet(tmp_path / "danh-sach.csv", rows)
    store = Store.open(tmp_path / "xa.db")
    try:
        store.units.add(Unit("KDC01", "Thôn Đông", UnitKind.RESIDENTIAL))
        plan = plan_import(store, sheet, today=TODAY)
        taken = next(str(r[6]) for r in rows[2_100:] if r[6] and len(str(r[6])) == 12)
        # Someone typed in the window meanwhile, with a CCCD the sheet has past row 2,100.
        store.members.add(Member("Người Khác Nhập Trước", "KDC01", cccd=taken), TODAY)
        with pytest.raises(ValidationFailed, match="CCCD"):
            apply_import(store, plan, today=TODAY)
        assert store.members.count() == 1  # nobody from the sheet: not the first 2,000 either
    finally:
        store.close()
