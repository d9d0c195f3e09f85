"""What each row of a member list is: a person, a group title, a total, a signature (bố cục).

Offices number their group rows ("I. CHI ĐOÀN THÔN ĐÔNG", "1. Thôn Nam"),
end a block with "Cộng: 12" and the list with "Tổng cộng", then the place and
date, "Người lập biểu", "TM. BAN CHẤP HÀNH", "BÍ THƯ" and the signers' names.
None of those is a member; each is listed in the preview with its reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from dvdesk.domain.names import fold
from dvdesk.exchange import cell_values as cv
from dvdesk.exchange.headers import HeaderGuess, field_of, is_header_like
from dvdesk.exchange.sheet_reader import Grid
from dvdesk.exchange.units_in_sheet import class_of, looks_like_unit

_NOT_WORD = re.compile(r"[^0-9a-z/]+")
_TOTAL = re.compile(
    r"^(?:tong cong|tong so|tong|cong)(?:\s*$|\s*[:=\d]|\s+(?:so|doan vien|nguoi|\d))"
)
_SIGNATURE = re.compile(
    r"^(?:nguoi lap|nguoi ky|lap bieu|bi thu|pho bi thu|t/m|tm |tm\.|thay mat|xac nhan|"
    r"ky ghi ro|ky va ghi ro|ky ten|ky, ghi ro|\(ky|chu tich|truong ban|kt\.? bi thu|"
    r"noi nhan)"
)
_DATE_LINE = re.compile(r"\bngay\b.*\bthang\b.*\bnam\b")
_NOTE = re.compile(r"^(?:ghi chu|luu y|chu y)\s*:")
_NUMBER = re.compile(r"^\d{1,6}\.?$")


class RowKind(StrEnum):
    DATA = "data"
    BLANK = "blank"
    GROUP = "group"  # names the unit (or class) of the rows under it
    TOTAL = "total"  # "Cộng", "Tổng cộng"
    SIGNATURE = "signature"  # date line, "Người lập biểu", signer, and all under them
    NOTE = "note"  # "Ghi chú: …" under the list, or a text row with no name
    HEADER = "header"  # the header (or its column numbers) repeated above another block


SKIP_REASONS = {
    RowKind.TOTAL: "dòng tổng cộng",
    RowKind.SIGNATURE: "phần ký tên cuối danh sách",
    RowKind.NOTE: "dòng chữ không có họ tên",
    RowKind.GROUP: "dòng tên nhóm",
    RowKind.HEADER: "dòng tiêu đề cột lặp lại",
}


@dataclass(frozen=True)
class RowSense:
    kind: RowKind
    text: str = ""  # the row's text as written (group title, total, signature)
    group_class: str = ""  # for a GROUP naming a class ("Chi đoàn 12A1")


def _key(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())


def is_total(text: str) -> bool:
    # Every person's name is asked: a name that cannot start "tổng"/"cộng" is not folded.
    head = text.lstrip()[:1]
    if head.isalpha() and fold(head) not in ("t", "c"):
        return False
    return bool(_TOTAL.match(_key(text)))


def is_signature(text: str) -> bool:
    key = _key(text)
    return bool(_SIGNATURE.match(key) or _DATE_LINE.search(key))


def numbered(stt: str) -> bool:
    """An STT cell holding a row number ("1", "12.")."""
    return bool(_NUMBER.match(stt))


def group_text(texts: list[str], stt: str) -> str:
    """The group title a row holds, or "" (one text, maybe after a numbering cell)."""
    others = [t for t in texts if t and t != stt]
    if len(others) != 1 and not (len(others) == 0 and stt):
        return ""
    if len(set(others)) != 1 and others:
        return ""
    text = others[0] if others else stt
    if stt and others and not re.match(r"^(?:[IVXLC]{1,6}|\d{1,3}|[A-Za-z])\.?$", stt):
        return ""
    if looks_like_unit(text) or class_of(text):
        return text
    return ""


def classify(
    cells: list[object],
    *,
    name: str,
    stt: str,
    in_signature: bool,
    merged_across: bool,
    name_columns: frozenset[int],
) -> RowSense:
    """What one row is. `in_signature`: a signature row was seen above (and no group since)."""
    if not name and not any(v is not None and v != "" for v in cells):  # a name: not blank
        return RowSense(RowKind.BLANK)
    # Most rows are people: the name alone decides, without reading every cell.
    if name and numbered(stt) and not in_signature and not is_total(name):
        return RowSense(RowKind.DATA)
    texts = [cv.text(v) for v in cells]
    distinct = list(dict.fromkeys(t for t in texts if t))
    joined = " ".join(distinct)
    if sum(1 for t in distinct if field_of(t)) >= 2 or (distinct and is_header_like(distinct)):
        return RowSense(RowKind.HEADER, joined)
    group = group_text(distinct, stt)
    if group:
        return RowSense(RowKind.GROUP, group, class_of(group))
    if not name and distinct == [stt]:
        return RowSense(RowKind.BLANK)  # a numbered line of an unfilled template
    # A given name "Công" in a split name column is not "Cộng".
    if any(is_total(t) for i, t in enumerate(texts) if t and i not in name_columns) or (
        name and is_total(name)
    ):
        return RowSense(RowKind.TOTAL, joined)
    if any(is_signature(t) for t in distinct):
        return RowSense(RowKind.SIGNATURE, joined)
    if in_signature and not numbered(stt):
        return RowSense(RowKind.SIGNATURE, joined)
    if any(_NOTE.match(_key(t)) for t in distinct):
        return RowSense(RowKind.NOTE, joined)
    if not name and not stt:
        return RowSense(RowKind.NOTE, joined)
    if len(distinct) == 1 and merged_across:
        return RowSense(RowKind.NOTE, joined)
    if distinct == [name] and (any(c.isdigit() for c in name) or len(name.split()) > 6):
        return RowSense(RowKind.NOTE, joined)  # "Danh sách có 25 đoàn viên" under the list
    return RowSense(RowKind.DATA)


def letter(column: int) -> str:
    """The spreadsheet letter of a 0-based column (0 → A, 26 → AA)."""
    out = ""
    n = column + 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def name_columns(grid: Grid, guess: HeaderGuess) -> tuple[tuple[int, ...], str]:
    """The columns of a "Họ và tên" written over two columns (merged, or an empty header),
    and the preview's note about it."""
    c = guess.column_of("full_name")
    if c is None:
        return (), ""
    first, last = grid.span(guess.row, c)
    columns = tuple(range(first, last + 1))
    if len(columns) == 1:
        nxt = c + 1
        head = grid.rows[guess.row]
        if nxt in guess.fields or (nxt < len(head) and cv.text(head[nxt])):
            return (), ""
        rows = grid.rows[guess.data_start : guess.data_start + 200]
        both = sum(
            1
            for r in rows
            if nxt < len(r)
            and cv.text(r[c])
            and cv.text(r[nxt])
            and cv.text(r[nxt]) != cv.text(r[c])
        )
        named = sum(1 for r in rows if c < len(r) and cv.text(r[c]))
        if not named or both * 2 < named:
            return (), ""
        columns = (c, nxt)
    if any(x in guess.fields and x != c for x in columns):
        return (), ""
    letters = "–".join(letter(x) for x in (columns[0], columns[-1]))
    note = f"“{guess.labels[c]}” gồm {len(columns)} cột ({letters}): đã ghép họ, tên đệm và tên."
    return columns, note


def ignored_columns(
    header_row: list[object], unknown: list[int], filled: dict[int, int]
) -> list[str]:
    """The columns read into nothing, for the preview: with data first, then empty ones."""
    out: list[str] = []
    empty: list[str] = []
    for c in unknown:
        head = cv.text(header_row[c]) if c < len(header_row) else ""
        if head and c in filled:
            out.append(f"“{head}” (cột {letter(c)}, {filled[c]} ô có dữ liệu)")
        elif head:
            empty.append(f"“{head}”")
        elif c in filled:
            out.append(f"cột {letter(c)} không có tiêu đề ({filled[c]} ô có dữ liệu)")
    if empty:
        out.append(f"{len(empty)} cột không nhận ra, đều trống: {', '.join(empty)}")
    return out
