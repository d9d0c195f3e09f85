"""Member lists as a commune keeps them in a spreadsheet, written as CSV for the tests."""

from __future__ import annotations

import csv
import random
import unicodedata
from datetime import date
from pathlib import Path

from dvdesk import demo
from dvdesk.domain.member import Gender
from dvdesk.domain.names import fold

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
TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258_form(text: str) -> str:
    """Text as Windows-1258 holds it: letters like ơ, â precomposed, tone marks apart."""
    out: list[str] = []
    base = -1
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and ch not in TONE_MARKS and base >= 0:
            out[base] = unicodedata.normalize("NFC", out[base] + ch)
        else:
            if not unicodedata.combining(ch):
                base = len(out)
            out.append(ch)
    return "".join(out)


def write_members_csv(path: Path, n: int, seed: int = 7, encoding: str = "utf-8-sig") -> int:
    """n distinct members (no two share name, date of birth and unit); returns n."""
    rng = random.Random(seed)
    units = demo.make_units(rng)
    names = {u.code: u.name for u in units}
    seen: set[tuple[str, str, str]] = set()
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow([cp1258_form(h) for h in HEADER] if encoding == "cp1258" else HEADER)
        written = 0
        for m in demo.members(n * 2, units, rng, TODAY):
            # The import matches rows by folded name: "Hà" and "Hạ" are the same key.
            key = (fold(m.full_name), m.dob.iso() if m.dob else "", m.unit_code)
            if key in seen or m.dob is None:
                continue
            seen.add(key)
            written += 1
            cells = [
                str(written),
                m.full_name,
                m.dob.vi(),
                "Nam" if m.gender is Gender.MALE else "Nữ",
                m.cccd,
                m.unit_code,
                names[m.unit_code],
                m.school_class,
                m.notes,
            ]
            if encoding == "cp1258":
                cells = [cp1258_form(c) for c in cells]
            writer.writerow(cells)
            if written == n:
                break
    return written
