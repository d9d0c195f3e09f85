"""Wording a Party office uses (notes/domain.md §4): no message contradicts itself."""

from __future__ import annotations

from dvdesk.domain.eligibility import YOUTH_FLAG_LABELS, YouthFlag
from dvdesk.domain.member import PRESENCE_LABELS, Presence
from dvdesk.domain.names import fold


def test_trưởng_thành_đoàn_is_not_leaving_the_union():
    label = PRESENCE_LABELS[Presence.LEFT_UNION]
    assert "ra khỏi Đoàn" not in label and "trưởng thành Đoàn" in label


def test_the_under_age_flag_does_not_contradict_itself():
    label = YOUTH_FLAG_LABELS[YouthFlag.UNDER_16]
    # "Chưa đủ 16 tuổi (… đủ 15 tuổi + 1 ngày)" said two different ages
    assert "16" not in label and "đủ 15 tuổi + 1 ngày" in label


def test_old_exports_still_import_their_presence():
    from dvdesk.exchange.sheet_rows import _PRESENCE

    assert _PRESENCE[fold("Đã ra khỏi Đoàn")] is Presence.LEFT_UNION
    assert _PRESENCE[fold(PRESENCE_LABELS[Presence.LEFT_UNION])] is Presence.LEFT_UNION
