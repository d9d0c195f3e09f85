"""Any text a clerk or a spreadsheet can produce: validation judges it, nothing crashes."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dvdesk.domain.dates import DateError, PartialDate, parse_date
from dvdesk.domain.member import Member, Unit, UnitKind
from dvdesk.domain.names import fold, normalize_name, sort_key
from dvdesk.domain.validation import RULES, Severity, validate_member
from dvdesk.errors import ValidationFailed
from dvdesk.store.gateway import Store

TODAY = date(2026, 11, 26)
KINDS = {"KDC01": UnitKind.RESIDENTIAL, "THPT1": UnitKind.SCHOOL}
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text shaped like what people type into date cells: digits, separators, a little noise.
date_like = st.text(alphabet="0123456789/-. \t年x", max_size=14)
partial_dates = st.builds(
    lambda y, m, d: PartialDate(y, m, d if m else None),
    st.integers(1, 9999),
    st.none() | st.integers(1, 12),
    st.none() | st.integers(1, 28),
)
VI_LETTERS = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)
vi_word = st.text(alphabet=VI_LETTERS, min_size=1, max_size=7)
vi_names = st.lists(vi_word, min_size=2, max_size=5).map(" ".join)


def codes(member: Member) -> set[str]:
    report = validate_member(member, today=TODAY, unit_kinds=KINDS)
    for found in report.issues:
        assert found.code in RULES and found.message.strip()
        assert found.severity in (Severity.ERROR, Severity.WARNING)
    return {i.code for i in report.errors}


@FAST
@given(st.text(max_size=30) | date_like)
def test_parse_date_reads_or_refuses_with_a_message(text: str) -> None:
    try:
        result = parse_date(text)
    except DateError as exc:
        assert str(exc) and not str(exc).isascii()
        return
    assert result is None or isinstance(result, PartialDate)
    if result is not None:
        assert parse_date(result.iso()) == result
        assert parse_date(result.vi()) == result


@FAST
@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
def test_full_dates_round_trip_in_every_typed_form(d: date) -> None:
    expected = PartialDate.of(d)
    for text in (
        d.isoformat(),
        f"{d.day:02d}/{d.month:02d}/{d.year:04d}",
        f"{d.day}.{d.month}.{d.year:04d}",
        f" {d.day:02d}-{d.month:02d}-{d.year:04d} ",
    ):
        assert parse_date(text) == expected


@FAST
@given(partial_dates)
def test_partial_dates_round_trip(pd: PartialDate) -> None:
    assert parse_date(pd.iso()) == pd
    assert parse_date(pd.vi()) == pd


@FAST
@given(st.text(max_size=120))
def test_any_name_is_judged_never_crashes(name: str) -> None:
    found = codes(Member(full_name=name, unit_code="KDC01"))
    normal = normalize_name(name)
    if not normal:
        assert "name.required" in found
    elif any(c.isdigit() for c in normal):
        assert "name.digits" in found
    sort_key(normal)
    assert normalize_name(normal) == normal  # normalizing twice changes nothing


@FAST
@given(vi_names)
def test_vietnamese_names_pass_and_fold_to_ascii(name: str) -> None:
    assert not {
        c for c in codes(Member(full_name=name, unit_code="KDC01")) if c.startswith("name.")
    }
    assert fold(name).isascii()
    assert fold(name.upper()) == fold(name)


@FAST
@given(st.from_regex(r"[0-9]{12}", fullmatch=True))
def test_twelve_ascii_digits_are_a_valid_cccd(cccd: str) -> None:
    assert "cccd.format" not in codes(Member("Lê Văn An", "KDC01", cccd=cccd))


@FAST
@given(st.text(max_size=20))
def test_anything_else_is_a_cccd_format_error(cccd: str) -> None:
    compact = "".join(cccd.split())
    found = codes(Member("Lê Văn An", "KDC01", cccd=cccd))
    if not compact or re.fullmatch(r"[0-9]{12}", compact):
        assert "cccd.format" not in found
    else:
        # Includes look-alike digits from other scripts (Arabic-Indic, full-width).
        assert "cccd.format" in found


@pytest.mark.parametrize("cccd", ["٠١٢٣٤٥٦٧٨٩٠١", "０１２３４５６７８９０１", "01234567890١"])
def test_non_ascii_digits_are_not_a_cccd(cccd: str) -> None:
    assert "cccd.format" in codes(Member("Lê Văn An", "KDC01", cccd=cccd))


# What a spreadsheet cell can hold in a free-text column, control characters included.
cells = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes=cells, address=cells, hometown=cells, school_class=st.text(max_size=12))
def test_free_text_cells_are_stored_exactly_as_normalized(
    notes: str, address: str, hometown: str, school_class: str
) -> None:
    member = Member(
        "Trần Thị Bình",
        "THPT1",
        PartialDate(2009, 3, 1),
        notes=notes,
        address=address,
        hometown=hometown,
        school_class=school_class or "10A1",
    )
    with Store.open(":memory:") as store:
        store.units.add(Unit("KDC01", "Thôn Đông", UnitKind.RESIDENTIAL))
        store.units.add(Unit("THPT1", "Trường THPT Nguyễn Trãi", UnitKind.SCHOOL))
        try:
            store.members.add(member, today=TODAY)
        except ValidationFailed as exc:
            assert str(exc) and exc.report.errors
            assert store.members.count() == 0
            return
        saved = store.members.get(member.uid)
        assert saved == member.normalized()
        assert unicodedata.is_normalized("NFC", saved.notes)
        (audit,) = [h for h in store.audit.history(member.uid) if h["action"] == "insert"]
        assert audit["new"]
