"""Member lists as a commune keeps them in a spreadsheet, written as CSV for the tests."""

from __future__ import annotations

import csv
import random
from datetime import date
from pathlib import Path

from dvdesk import demo
from dvdesk.domain.member import Gender

HEADER = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD",
    "Mã chi đoàn",
    "Chi đoàn",
    "Lớp",
    "Ghi chú",
]
TODAY = date(2026, 11, 26)


def write_members_csv(path: Path, n: int, seed: int = 7, encoding: str = "utf-8-sig") -> int:
    """n distinct members (no two share name, date of birth and unit); returns n."""
    rng = random.Random(seed)
    units = demo.make_units(rng)
    names = {u.code: u.name for u in units}
    seen: set[tuple[str, str, str]] = set()
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        written = 0
        for m in demo.members(n * 2, units, rng, TODAY):
            key = (m.full_name, m.dob.iso() if m.dob else "", m.unit_code)
            if key in seen or m.dob is None:
                continue
            seen.add(key)
            written += 1
            writer.writerow(
                [
                    written,
                    m.full_name,
                    m.dob.vi(),
                    "Nam" if m.gender is Gender.MALE else "Nữ",
                    m.cccd,
                    m.unit_code,
                    names[m.unit_code],
                    m.school_class,
                    m.notes,
                ]
            )
            if written == n:
                break
    return written
