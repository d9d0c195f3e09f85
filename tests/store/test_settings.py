"""Office settings: round trip through the store, audited; odd stored values handled."""

from datetime import date

import pytest

from dvdesk.domain.eligibility import Method
from dvdesk.errors import KnownError
from dvdesk.store.settings import Settings
from tests import sql

TODAY = date(2026, 11, 26)


def test_settings_round_trip_and_audit(fresh_store):
    s = fresh_store.settings.get()
    s.commune_name, s.commune_code, s.age_method, s.party_members = "Xã Đông", "12345", "B", 120
    fresh_store.settings.save(s)
    again = fresh_store.settings.get()
    assert (again.commune_name, again.commune_code, again.method, again.party_members) == (
        "Xã Đông",
        "12345",
        Method.CALENDAR,
        120,
    )
    entry = sql.rows(fresh_store, "SELECT old, new FROM audit WHERE entity = 'settings'")[-1]
    assert "Xã Đông" in entry["new"]
    n = sql.scalar(fresh_store, "SELECT count(*) FROM audit")
    fresh_store.settings.save(again)  # nothing changed: nothing logged
    assert sql.scalar(fresh_store, "SELECT count(*) FROM audit") == n


@pytest.mark.parametrize(
    ("stored", "expected"),
    [("", TODAY), ("15/12/2026", date(2026, 12, 15)), ("2026-12", TODAY)],
)
def test_consideration_date(stored, expected):
    assert Settings(consideration_date=stored).consideration_on(TODAY) == expected


def test_a_bad_stored_consideration_date_is_a_known_error():
    with pytest.raises(KnownError, match=r"ngày chi bộ dự kiến họp xét.*30/02/2026"):
        Settings(consideration_date="30/02/2026").consideration_on(TODAY)


def test_values_written_oddly_keep_their_defaults():
    s = Settings.from_pairs(
        {
            "party_members": "nhiều",
            "target_percent": "3,5",
            "commune_name": "Xã Tây",
            "unknown_key": "x",
        }
    )
    assert (s.party_members, s.target_percent, s.commune_name) == (0, 3.0, "Xã Tây")
    assert Settings(age_method="Z").method is Method.COMPLETED


@pytest.mark.parametrize(
    ("on", "end"),
    [
        (date(2026, 11, 26), date(2027, 5, 31)),
        (date(2027, 5, 31), date(2027, 5, 31)),
        (date(2027, 6, 1), date(2028, 5, 31)),
    ],
)
def test_school_year_end_after(on, end):
    assert Settings().school_year_end_after(on) == end
