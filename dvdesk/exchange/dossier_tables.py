"""The admission dossier's CSV files in a package or a transfer file (hồ sơ kết nạp).

Five files since package format 1.2: dossiers.csv (helping member, education,
Youth Union membership), introducers.csv, votes.csv, dossier_exceptions.csv,
one or more rows per member keyed by `member_uid`, and unit_positions.csv
(where each unit's chi bộ stands), keyed by `unit_code`. Their columns are
described here once (dictionary.py ships them in data_dictionary.csv);
`to_rows` turns the store's rows (store/dossier_rows.py) into CSV text and
`from_rows` reads them back, checking every value (`RecordError`, Vietnamese).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from dvdesk.domain.procedure import DEFINITION, STEP_BY_CODE
from dvdesk.domain.procedure_dossier import PartyStatus, Vote
from dvdesk.exchange.records import RecordError

FULL_DATE = "ngày ISO: YYYY-MM-DD"


def _columns() -> dict[str, tuple[tuple[str, str, str, str], ...]]:
    uid = ("member_uid", "Mã định danh đoàn viên", "uuid", "uid có trong members.csv")
    return {
        "dossiers.csv": (
            uid,
            ("helper", "Đảng viên giúp đỡ", "text", ""),
            ("helper_since", "Giúp đỡ từ ngày", "date", FULL_DATE),
            ("education", "Trình độ học vấn (hồ sơ)", "text", "ví dụ 9/12, 12/12"),
            ("union_member", "Đoàn viên TNCS Hồ Chí Minh", "boolean", "0 | 1 | (trống)"),
        ),
        "introducers.csv": (
            uid,
            ("seq", "Thứ tự người giới thiệu", "integer", "1, 2, …"),
            ("name", "Họ và tên người giới thiệu", "text", ""),
            ("status", "Đảng tịch khi giới thiệu", "text", " | ".join(PartyStatus)),
            ("together_since", "Cùng công tác/sinh hoạt từ ngày", "date", FULL_DATE),
            ("introduced_on", "Ngày giới thiệu", "date", FULL_DATE),
            ("note", "Ghi chú", "text", ""),
        ),
        "votes.csv": (
            uid,
            ("step_code", "Bước biểu quyết", "text", "mã bước của quy trình"),
            ("in_favour", "Số tán thành", "integer", "≥ 0"),
            ("total", "Tổng số", "integer", "> 0"),
            ("present", "Số có mặt", "integer", "≥ 0 | (trống)"),
        ),
        "dossier_exceptions.csv": (
            uid,
            ("rule_code", "Quy tắc được ngoại lệ", "text", "mã quy tắc của quy trình"),
            ("step_code", "Bước", "text", "mã bước | (trống)"),
            ("note", "Lý do", "text", ""),
            ("document", "Văn bản cho phép", "text", ""),
            ("created_at", "Thời điểm ghi", "datetime", "ISO YYYY-MM-DDTHH:MM:SS"),
        ),
        "unit_positions.csv": (
            ("unit_code", "Mã chi đoàn / đơn vị", "text", "mã có trong units.csv"),
            ("position", "Vị trí chi bộ", "text", " | ".join(DEFINITION.positions)),
        ),
    }


COLUMNS = _columns()
DOSSIER_FILES = tuple(COLUMNS)  # in the order a package lists them
TABLE_OF = {f"{t}.csv": t for t in ("dossiers", "introducers", "votes", "dossier_exceptions")}
TABLE_OF["unit_positions.csv"] = "unit_positions"
MEMBER_FILES = tuple(f for f in DOSSIER_FILES if f != "unit_positions.csv")


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value)


def to_rows(tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, list[dict[str, str]]]:
    """The store's rows (by table) as CSV rows (by file name)."""
    return {
        file: [
            {c[0]: _text(r[c[0]]) for c in COLUMNS[file]} for r in tables.get(TABLE_OF[file], [])
        ]
        for file in DOSSIER_FILES
    }


def _day(text: str, column: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise RecordError(f"cột {column}: ngày “{text}” không đúng dạng YYYY-MM-DD") from exc


def _whole(text: str, column: str, *, empty: bool = False) -> int | None:
    text = text.strip()
    if not text and empty:
        return None
    if not text.isdigit():
        raise RecordError(f"cột {column}: “{text}” không phải số nguyên không âm")
    return int(text)


def _dossier(r: Mapping[str, str]) -> dict[str, Any]:
    union = r["union_member"].strip()
    if union not in ("", "0", "1"):
        raise RecordError(f"cột union_member: “{union}” (chỉ 0, 1 hoặc trống)")
    return {
        "helper": " ".join(r["helper"].split()),
        "helper_since": _day(r["helper_since"], "helper_since"),
        "education": " ".join(r["education"].split()),
        "union_member": None if union == "" else int(union),
    }


def _introducer(r: Mapping[str, str]) -> dict[str, Any]:
    seq = _whole(r["seq"], "seq")
    if not seq:
        raise RecordError("cột seq: thứ tự người giới thiệu phải từ 1")
    if not r["name"].strip():
        raise RecordError("cột name: người giới thiệu thiếu họ và tên")
    try:
        status = PartyStatus(r["status"].strip()).value
    except ValueError as exc:
        raise RecordError(f"cột status: “{r['status']}” không hợp lệ") from exc
    return {
        "seq": seq,
        "name": " ".join(r["name"].split()),
        "status": status,
        "together_since": _day(r["together_since"], "together_since"),
        "introduced_on": _day(r["introduced_on"], "introduced_on"),
        "note": r["note"].strip(),
    }


def _vote(r: Mapping[str, str]) -> dict[str, Any]:
    step = r["step_code"].strip()
    if step not in STEP_BY_CODE:
        raise RecordError(f"cột step_code: không có bước “{step}” trong quy trình")
    in_favour, total = _whole(r["in_favour"], "in_favour"), _whole(r["total"], "total")
    present = _whole(r["present"], "present", empty=True)
    assert in_favour is not None and total is not None
    if problem := Vote(step, in_favour, total, present).problem():
        raise RecordError(f"biểu quyết {step}: {problem}")
    return {"step_code": step, "in_favour": in_favour, "total": total, "present": present}


def _exception(r: Mapping[str, str]) -> dict[str, Any]:
    rule = r["rule_code"].strip()
    if not rule or not r["note"].strip() or not r["document"].strip():
        raise RecordError("ngoại lệ cần mã quy tắc, lý do và văn bản cho phép")
    return {
        "rule_code": rule,
        "step_code": r["step_code"].strip(),
        "note": r["note"].strip(),
        "document": r["document"].strip(),
        "created_at": r["created_at"].strip(),
    }


def _position(r: Mapping[str, str]) -> dict[str, Any]:
    position = r["position"].strip()
    if position not in DEFINITION.positions:
        raise RecordError(f"cột position: vị trí chi bộ “{position}” không có trong quy trình")
    code = r["unit_code"].strip().upper()
    if not code:
        raise RecordError("cột unit_code: thiếu mã đơn vị")
    return {"unit_code": code, "position": position}


_READERS: dict[str, Callable[[Mapping[str, str]], dict[str, Any]]] = {
    "dossiers.csv": _dossier,
    "introducers.csv": _introducer,
    "votes.csv": _vote,
    "dossier_exceptions.csv": _exception,
    "unit_positions.csv": _position,
}
_KEYS = {
    "dossiers.csv": ("member_uid",),
    "introducers.csv": ("member_uid", "seq"),
    "votes.csv": ("member_uid", "step_code"),
    "dossier_exceptions.csv": ("member_uid", "rule_code", "step_code"),
    "unit_positions.csv": ("unit_code",),
}


def from_rows(
    file: str, rows: Sequence[Mapping[str, str]], uids: set[str], units: set[str]
) -> list[dict[str, Any]]:
    """Read one dossier file's CSV rows; every row's member (or unit) must be in the package.

    Raises RecordError naming the line (2 = the first row) and the column.
    """
    out: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for line, r in enumerate(rows, start=2):
        try:
            row = _READERS[file](r)
            if file != "unit_positions.csv":
                uid = r["member_uid"].strip()
                if uid not in uids:
                    raise RecordError(f"mã {uid[:8]}… không có đoàn viên tương ứng")
                row = {"member_uid": uid, **row}
            elif row["unit_code"] not in units:
                raise RecordError(f"đơn vị “{row['unit_code']}” không có trong units.csv")
            key = tuple(row[k] for k in _KEYS[file])
            if key in seen:
                raise RecordError("dòng ghi hai lần")
            seen.add(key)
        except RecordError as exc:
            raise RecordError(f"tệp {file} dòng {line}: {exc}") from exc
        out.append(row)
    return out
