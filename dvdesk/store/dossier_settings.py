"""The dossier's settings: where each unit's chi bộ stands, the difficult-area setting.

Which forms apply depends on where the chi bộ stands (chi bộ cơ sở, under a
đảng ủy cơ sở, under a đảng ủy bộ phận): one setting per unit (table
unit_positions) over a commune-wide default; the difficult-area setting lowers
the education minimum to tiểu học (06-HD/TW 1.2). Both live beside the office's
settings (keys "dossier.…" in the settings table), audited. The dossier
repository (dossier.py) re-checks its members after a change here.
"""

from __future__ import annotations

from dvdesk.domain.procedure import Definition
from dvdesk.errors import BadInput
from dvdesk.store.connection import Connection
from dvdesk.store.units import UnitsRepo

DIFFICULT_AREA_KEY = "dossier.difficult_area"  # "1": vùng khó khăn
DEFAULT_POSITION_KEY = "dossier.default_position"


class BadDossierInput(BadInput):
    """Dossier data that cannot be right (a vote with more in favour than present...)."""


class DossierSettings:
    """Reading and writing the dossier's settings (inside the caller's transaction)."""

    def __init__(self, conn: Connection, units: UnitsRepo, definition: Definition) -> None:
        self._conn = conn
        self._units = units
        self.definition = definition

    def _get(self, key: str) -> str:
        value = self._conn.scalar("SELECT value FROM settings WHERE key = ?", [key])
        return "" if value is None else str(value)

    def _save(self, key: str, value: str) -> None:
        old = self._get(key)
        if old == value:
            return
        self._conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
        self._conn.audit("update", "settings", "settings", {key: old}, {key: value})

    @property
    def difficult_area(self) -> bool:
        return self._get(DIFFICULT_AREA_KEY) == "1"

    def save_difficult_area(self, on: bool) -> None:
        self._save(DIFFICULT_AREA_KEY, "1" if on else "0")

    @property
    def default_position(self) -> str:
        value = self._get(DEFAULT_POSITION_KEY)
        return value if value in self.definition.positions else self.definition.default_position

    def save_default_position(self, position: str) -> None:
        self.check_position(position)
        self._save(DEFAULT_POSITION_KEY, position)

    def check_position(self, position: str) -> None:
        if position not in self.definition.positions:
            known = ", ".join(self.definition.positions)
            raise BadDossierInput(f"Vị trí chi bộ “{position}” không có (chọn một trong: {known}).")

    def unit_position(self, unit_code: str) -> str:
        """Where the chi bộ of a unit stands: its own setting, else the commune's."""
        value = self._conn.scalar(
            "SELECT p.position FROM unit_positions p JOIN units u ON u.id = p.unit_id "
            "WHERE u.code = ? AND u.deleted_at IS NULL",
            [unit_code.strip().upper()],
        )
        if value in self.definition.positions:
            return str(value)
        return self.default_position

    def position_of_unit(self, unit_id: int) -> str:
        """Where the chi bộ of the unit with this row id stands (its own, else the default)."""
        value = self._conn.scalar(
            "SELECT position FROM unit_positions WHERE unit_id = ?", [unit_id]
        )
        if value in self.definition.positions:
            return str(value)
        return self.default_position

    def save_unit_position(self, unit_code: str, position: str | None) -> int:
        """Set (or with None clear) where a unit's chi bộ stands; returns the unit's row id."""
        unit_id = self._units.id_of(unit_code)
        if unit_id is None:
            raise BadDossierInput(f"Không có đơn vị mã “{unit_code}”.")
        if position is not None:
            self.check_position(position)
        old = self._conn.one("SELECT position FROM unit_positions WHERE unit_id = ?", [unit_id])
        if position is None:
            self._conn.execute("DELETE FROM unit_positions WHERE unit_id = ?", [unit_id])
        else:
            self._conn.execute(
                "INSERT INTO unit_positions (unit_id, position) VALUES (?, ?) "
                "ON CONFLICT(unit_id) DO UPDATE SET position = excluded.position",
                (unit_id, position),
            )
        self._conn.audit("update", "unit_position", unit_code, old, {"position": position})
        return unit_id
