"""Units named in a spreadsheet: found in the catalogue, or created (đơn vị mới).

A sheet names a unit by code ("KDC01") or by name, with or without its kind
word ("Thôn Đông", "Đông", "Chi đoàn Thôn Đông"). Unknown names become new
units: a school when the name says "THPT" or "Trường", else a residential area.
"""

from __future__ import annotations

import unicodedata

from dvdesk.domain.member import Unit, UnitKind
from dvdesk.domain.names import fold

_PREFIXES = (
    "chi doan ",
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


def _bare(name: str) -> str:
    key = fold(name)
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix):
                key, changed = key[len(prefix) :], True
    return key


def looks_like_unit(text: str) -> bool:
    """A group title such as "Chi đoàn Thôn Đông" or "Trường THPT Lê Lợi"."""
    return fold(text).startswith(tuple(p for p in _PREFIXES if p != "to "))


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
        self.by_name = {fold(u.name): u for u in units}
        self.by_bare = {_bare(u.name): u for u in units}
        self.new: list[Unit] = []

    def kinds(self) -> dict[str, UnitKind]:
        return {code: u.kind for code, u in self.codes.items()}

    def find(self, text: str) -> Unit | None:
        code = text.strip().upper()
        if code in self.codes:
            return self.codes[code]
        return self.by_name.get(fold(text)) or self.by_bare.get(_bare(text))

    def resolve(self, text: str, code: str = "") -> Unit:
        """The unit with this code, else named `text`; planning a new one when none matches.

        A code the catalogue lacks is kept for the new unit, so a list exported
        from another dvdesk file comes back with the same codes.
        """
        code = "".join(code.split()).upper()
        found = self.codes.get(code) if code else self.find(text)
        if found is not None:
            return found
        name = " ".join(unicodedata.normalize("NFC", text or code).split())
        name = name[:1].upper() + name[1:]
        if name.startswith("Chi đoàn ") or name.startswith("Chi Đoàn "):
            name = name[len("Chi đoàn ") :]
        kind = guess_kind(name)
        unit = Unit(code or self._free_code(kind), name, kind)
        self.new.append(unit)
        self.codes[unit.code] = unit
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
