"""Units named in a spreadsheet: found in the catalogue, or created (đơn vị mới).

A sheet names a unit by code ("KDC01") or by name, with or without its kind
word ("Thôn Đông", "Đông", "Chi đoàn Thôn Đông"). Unknown names become new
units: a school when the name says "THPT" or "Trường", else a residential area.
"""

from __future__ import annotations

import re
import unicodedata

from dvdesk.domain.member import Unit, UnitKind
from dvdesk.domain.names import fold

_PREFIXES = (
    "chi doan ",
    "chi bo ",
    "khu dan cu ",
    "to dan pho ",
    "truong thpt ",
    "truong ",
    "thon ",
    "xom ",
    "khu ",
    "ap ",
    "ban ",
    "to ",
)


# How clerks shorten the kind word of a unit ("TDP Phú Lợi" is "Tổ dân phố Phú Lợi").
_SHORT_KINDS = (
    ("tdp ", "to dan pho ", "Tổ dân phố "),
    ("kdc ", "khu dan cu ", "Khu dân cư "),
    ("kp ", "khu pho ", "Khu phố "),
    ("th. ", "thon ", "Thôn "),
    ("th.", "thon ", "Thôn "),
)


def _expanded(key: str) -> str:
    for short, long, _ in _SHORT_KINDS:
        if key.startswith(short):
            return long + key[len(short) :]
    return key


def written_out(name: str) -> str:
    """A unit name with its shortened kind word written in full: "TDP Phú Lợi" →
    "Tổ dân phố Phú Lợi"."""
    key = fold(name)
    for short, _, written in _SHORT_KINDS:
        if key.startswith(short) and len(name) > len(short):
            return written + name[len(short) :].lstrip()
    return name


def _bare(name: str) -> str:
    key = _expanded(fold(name))
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix):
                key, changed = key[len(prefix) :], True
    return key


def looks_like_unit(text: str) -> bool:
    """A group title such as "Chi đoàn Thôn Đông" or "Trường THPT Lê Lợi"."""
    key = _expanded(fold(strip_numbering(text)))
    if key.startswith(("ban chap hanh", "ban thuong vu", "ban can su")):
        return False
    return key.startswith(tuple(p for p in _PREFIXES if p != "to ")) or bool(
        re.match(r"to (dan pho )?\d", key)
    )


# "I. ", "1. ", "2) ", "A. ", "II - ", "1/": the numbering of a group row.
_NUMBERING = re.compile(r"^\s*(?:[IVXLC]{1,6}|\d{1,3}|[A-Za-zĐđ])\s*[.)/:\-–]\s*(?=\S)")
_CLASS = re.compile(r"^(?:lop\s+)?(1[0-2])\s*([a-z]{1,2})\s*(\d{0,2})$")
# Words that name no unit after a unit word in a title ("… THÔN ĐÔNG NĂM 2026").
_TITLE_TAIL = re.compile(r"\s+(?:nam hoc|nam|nhiem ky|tinh den|den ngay|thang)\b.*$")
_TITLE_WORDS = (
    "chi doan",
    "khu dan cu",
    "to dan pho",
    "khu pho",
    "thon",
    "xom",
    "ap",
    "ban",
    "bon",
    "truong thpt",
    "truong",
    "lop",
    "to",
)
ACRONYMS = {"THPT", "THCS", "TDP", "KDC", "TH", "PTDTNT", "DTNT", "CĐ", "ĐH"}


_TAIL = re.compile(
    r"\s*(?:[(\[][^)\]]*[)\]]|[:–-]\s*\d+\s*(?:đoàn viên|đv|người)?\.?|[:]\s*.*)\s*$",
    re.IGNORECASE,
)
_GENERIC_SHEETS = re.compile(
    r"^(?:sheet|trang tinh|trang|bang|ds|danh sach|tong hop|du lieu|data|doan vien|mau)"
    r"(?:\s|\d|$)"
)


def clean_group(text: str) -> str:
    """A group title without its count or remark: "Thôn Đông (15 đoàn viên)" → "Thôn Đông"."""
    stripped = _TAIL.sub("", text).strip()
    return stripped if len(stripped) > 2 else text


def above_units(text: str) -> bool:
    """ "Đảng ủy xã Demo", "Đoàn xã Demo": the commune's party or Đoàn body, which a
    column such as "Tổ chức Đảng đang sinh hoạt" may hold; it names no unit."""
    return fold(text).startswith(_ABOVE_UNITS)


_ABOVE_UNITS = ("dang uy", "dang bo", "ban chap hanh", "bch doan", "doan xa", "doan phuong")


def generic_sheet_name(name: str) -> bool:
    """ "Sheet1", "Trang tính1", "DS đoàn viên", "Tổng hợp": a sheet name that names no unit."""
    return bool(_GENERIC_SHEETS.match(fold(name).strip())) or not name.strip()


def strip_numbering(text: str) -> str:
    """A group row's text without its "I." / "1." / "A." numbering."""
    stripped = _NUMBERING.sub("", text, count=1)
    return stripped if stripped != text and len(stripped) > 2 else text


def class_of(text: str) -> str:
    """The class a group or title names ("Chi đoàn 12A1", "Lớp 10A2", "12A1"); "" if none."""
    key = fold(strip_numbering(text)).strip()
    for prefix in ("chi doan ", "chi doan lop "):
        if key.startswith(prefix):
            key = key[len(prefix) :]
    m = _CLASS.match(key.strip())
    return f"{m.group(1)}{m.group(2)}{m.group(3)}".upper() if m else ""


# How a unit's kind words are written at the start of its name.
_KIND_WORDS = (
    ("khu dan cu", "Khu dân cư"),
    ("to dan pho", "Tổ dân phố"),
    ("khu pho", "Khu phố"),
    ("chi doan", "Chi đoàn"),
    ("truong thpt", "Trường THPT"),
)


def titled(text: str) -> str:
    """A name written in capitals as a name: "THÔN ĐÔNG" → "Thôn Đông", "KHU DÂN CƯ SỐ 1" →
    "Khu dân cư số 1", THPT kept."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    if text != text.upper():
        return text[:1].upper() + text[1:]
    words = []
    for w in text.split(" "):
        keep = w in ACRONYMS or any(ch.isdigit() for ch in w) or len(w) == 1
        words.append(w if keep else w[:1] + w[1:].lower())
    key = fold(" ".join(words))
    for folded, written in _KIND_WORDS:
        n = len(folded.split())
        if key == folded or key.startswith(folded + " "):
            words[:n] = written.split()
            break
    if len(words) > 2 and fold(words[-2]) == "so" and words[-1][:1].isdigit():
        words[-2] = "số"  # "Khu dân cư số 1"
    return " ".join(words)


def units_in_title(text: str) -> list[str]:
    """The units or classes a title line names, as written (e.g. "THÔN ĐÔNG").

    "DANH SÁCH ĐOÀN VIÊN CHI ĐOÀN 12A1 - TRƯỜNG THPT LÊ LỢI" names a class and a school.
    """
    found: list[str] = []
    for part in re.split(r"\s+[-–,;]\s+|\s*[()]\s*", text):
        words = part.split()
        keys = [fold(w) for w in words]
        for i in range(len(words)):
            rest = " ".join(keys[i:])
            word = next((w for w in _TITLE_WORDS if rest.startswith(w + " ")), None)
            if word is None or (word == "ban" and rest.startswith(("ban chap", "ban thuong"))):
                continue
            if word == "to" and not re.match(r"to (dan pho )?\d", rest):
                continue
            tail = _TITLE_TAIL.sub("", rest)
            n = len(tail.split())
            if n > len(word.split()):
                found.append(" ".join(words[i : i + n]).strip(" .:"))
            break
    return found


def guess_kind(name: str) -> UnitKind:
    key = fold(name)
    return (
        UnitKind.SCHOOL
        if "thpt" in key.split() or key.startswith("truong")
        else UnitKind.RESIDENTIAL
    )


class UnitResolver:
    """Finds units by code or name; plans the ones to create."""

    def __init__(self, units: list[Unit]) -> None:
        self.codes = {u.code: u for u in units}
        self.kind_of = {u.code: u.kind for u in units}  # kept up to date by resolve()
        self.by_name = {fold(u.name): u for u in units}
        self.by_bare = {_bare(u.name): u for u in units}
        self.new: list[Unit] = []

    def kinds(self) -> dict[str, UnitKind]:
        return self.kind_of

    def find(self, text: str) -> Unit | None:
        code = text.strip().upper()
        if code in self.codes:
            return self.codes[code]
        text = strip_numbering(text)
        return (
            self.by_name.get(fold(text))
            or self.by_name.get(fold(written_out(text)))
            or self.by_bare.get(_bare(text))
        )

    def names(self, unit: Unit, text: str) -> bool:
        """Whether `text` is a way of writing this unit's name."""
        text = strip_numbering(text)
        return fold(text) == fold(unit.name) or _bare(text) == _bare(unit.name)

    def resolve(self, text: str, code: str = "") -> Unit:
        """The unit with this code, else named `text`; planning a new one when none matches.

        A code the catalogue lacks is kept for the new unit, so a list exported
        from another dvdesk file comes back with the same codes.
        """
        code = "".join(code.split()).upper()
        found = self.codes.get(code) if code else self.find(text)
        if found is not None:
            return found
        name = written_out(titled(strip_numbering(text or code)))
        for organisation in ("Chi đoàn ", "Chi bộ "):  # the unit, not its organisation
            if fold(name).startswith(fold(organisation) + " "):
                name = name[len(organisation)].upper() + name[len(organisation) + 1 :]
        kind = guess_kind(name)
        unit = Unit(code or self._free_code(kind), name, kind)
        self.new.append(unit)
        self.codes[unit.code] = unit
        self.kind_of[unit.code] = unit.kind
        self.by_name[fold(unit.name)] = unit
        self.by_bare[_bare(unit.name)] = unit
        return unit

    def _free_code(self, kind: UnitKind) -> str:
        n = 1
        while True:
            code = f"THPT{n}" if kind is UnitKind.SCHOOL else f"KDC{n:02d}"
            if code not in self.codes:
                return code
            n += 1
