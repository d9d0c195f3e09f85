"""The two kinds of Youth Union unit: in its own module so the statistics need not load members'."""

from __future__ import annotations

from enum import StrEnum


class UnitKind(StrEnum):
    """Residential area (khu dân cư, thôn, tổ dân phố) or high school (trường THPT)."""

    RESIDENTIAL = "residential"
    SCHOOL = "school"


UNIT_KIND_LABELS = {UnitKind.RESIDENTIAL: "Khu dân cư", UnitKind.SCHOOL: "Trường THPT"}
