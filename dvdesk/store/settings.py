"""The office's settings (cài đặt): who the commune is, who signs, who receives.

`Settings` is the value; `SettingsRepo` (`store.settings`) reads and saves it.
"""

from __future__ import annotations

import contextlib
from dataclasses import asdict, dataclass, fields
from datetime import date

from dvdesk.domain.dates import DateError, parse_date
from dvdesk.domain.eligibility import Method
from dvdesk.errors import KnownError
from dvdesk.store.changes import Changes, Kind
from dvdesk.store.connection import Connection

RECEIVING_LEVELS = (
    "Đảng ủy xã/phường (Ban Xây dựng Đảng / Văn phòng Đảng ủy)",
    "Ban Tổ chức Tỉnh ủy/Thành ủy",
    "Huyện ủy (trước 01/7/2025)",
)


@dataclass
class Settings:
    commune_name: str = ""  # tên xã/phường
    commune_code: str = ""  # mã đơn vị hành chính
    province: str = ""  # tỉnh/thành phố (mô hình 2 cấp)
    party_committee: str = ""  # Đảng ủy xã ...
    youth_union: str = ""  # Đoàn xã ...
    party_secretary: str = ""  # người ký: bí thư / phó bí thư đảng ủy
    party_secretary_title: str = "BÍ THƯ"
    union_secretary: str = ""  # bí thư đoàn
    union_secretary_title: str = "BÍ THƯ ĐOÀN"
    receiving_level: str = RECEIVING_LEVELS[0]  # cấp nhận dữ liệu
    age_method: str = Method.COMPLETED.value  # A or B, notes/domain.md §1
    consideration_date: str = ""  # ngày chi bộ dự kiến họp xét; "" = hôm nay
    party_members: int = 0  # số đảng viên của đảng bộ, for the 3–4% target
    target_percent: float = 3.0  # chỉ tiêu kết nạp hằng năm (%)
    school_year_end: str = "05-31"  # ngày kết thúc năm học (MM-DD)
    export_sequence: int = 0  # số thứ tự gói dữ liệu đã gửi
    export_audit_mark: int = 0  # last audit entry already sent in a package

    @property
    def method(self) -> Method:
        return Method(self.age_method) if self.age_method in ("A", "B") else Method.COMPLETED

    def consideration_on(self, today: date) -> date:
        """The default consideration date: the setting if it is a full date, else today."""
        try:
            parsed = parse_date(self.consideration_date)
        except DateError as exc:
            # A file edited by hand or by another tool: say so instead of crashing a list.
            raise KnownError(f"Cài đặt “ngày chi bộ dự kiến họp xét” không hợp lệ: {exc}") from exc
        return parsed.as_date() if parsed and parsed.is_full else today

    def school_year_end_after(self, on: date) -> date:
        """The first end of a school year on or after `on`."""
        month, day = (int(x) for x in self.school_year_end.split("-"))
        end = date(on.year, month, day)
        return end if end >= on else date(on.year + 1, month, day)

    def as_pairs(self) -> dict[str, str]:
        return {k: str(v) for k, v in asdict(self).items()}

    @classmethod
    def from_pairs(cls, pairs: dict[str, str]) -> Settings:
        out = cls()
        for f in fields(cls):
            if f.name in pairs:
                kind = type(getattr(out, f.name))
                # keep the default for a value an older/newer version wrote oddly
                with contextlib.suppress(ValueError):
                    setattr(out, f.name, kind(pairs[f.name]))
        return out


class SettingsRepo:
    """`store.settings`: the settings table, as one `Settings` value."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self) -> Settings:
        pairs = {r[0]: r[1] for r in self._conn.tuples("SELECT key, value FROM settings")}
        return Settings.from_pairs(pairs)

    def save(self, settings: Settings) -> Changes:
        """Write the values that differ, audited; nothing (and no audit) when none do."""
        old = self.get().as_pairs()
        new = settings.as_pairs()
        changed = {k: v for k, v in new.items() if old.get(k) != v}
        if not changed:
            return Changes()
        with self._conn.transaction():
            for key, value in changed.items():
                self._conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
            self._conn.audit(
                "update", "settings", "settings", {k: old.get(k) for k in changed}, changed
            )
        return Changes.of(Kind.SETTINGS)
