"""Validation rules as data: every rule fires on a case made for it, and only where it should."""

from dataclasses import replace
from datetime import date

import pytest

from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Member, UnitKind
from dvdesk.domain.validation import RULES, Severity, validate_member

TODAY = date(2026, 11, 26)
KINDS = {"KDC01": UnitKind.RESIDENTIAL, "THPT1": UnitKind.SCHOOL}
BASE = Member(
    full_name="Nguyễn Văn An",
    unit_code="KDC01",
    dob=PartialDate(2000, 5, 10),
    cccd="001200012345",
    phone="0912345678",
    uid="u-self",
)


def owner(cccd: str, uid: str) -> str | None:
    """A commune where 001200099999 is held by someone else."""
    return "Trần Thị Bình" if cccd == "001200099999" and uid != "u-other" else None


def codes(member: Member, **kw) -> set[str]:
    report = validate_member(member, today=TODAY, unit_kinds=KINDS, cccd_owner=owner, **kw)
    return {i.code for i in report.issues}


CASES = [
    ("name.required", dict(full_name="   ")),
    ("name.digits", dict(full_name="Nguyễn Văn An 2")),
    ("name.symbols", dict(full_name="Nguyễn Văn @n")),
    ("name.single_word", dict(full_name="An")),
    ("name.too_long", dict(full_name="Nguyễn " + "Văn " * 30 + "An")),
    ("dob.missing", dict(dob=None)),
    ("dob.partial", dict(dob=PartialDate(2000, 5))),
    ("dob.partial", dict(dob=PartialDate(2000))),
    ("dob.future", dict(dob=PartialDate(2026, 11, 27))),
    ("dob.future", dict(dob=PartialDate(2027))),
    ("dob.too_old", dict(dob=PartialDate(1925, 1, 1))),
    ("cccd.format", dict(cccd="12345678901")),  # 11 digits
    ("cccd.format", dict(cccd="0012000123456")),  # 13 digits
    ("cccd.format", dict(cccd="00120001234A")),
    ("cccd.duplicate", dict(cccd="001200099999")),
    ("unit.required", dict(unit_code="")),
    ("unit.unknown", dict(unit_code="KDC99")),
    ("class.missing", dict(unit_code="THPT1", dob=PartialDate(2010, 3, 3))),
    ("joined.before_birth", dict(union_joined=date(1999, 1, 1))),
    ("joined.future", dict(union_joined=date(2026, 12, 1))),
    ("phone.format", dict(phone="12345")),
    ("youth.under_16", dict(dob=PartialDate(2011, 11, 26))),  # exactly 15 years
    ("youth.past_30", dict(dob=PartialDate(1995, 11, 26))),  # 31
    ("youth.past_35", dict(dob=PartialDate(1990, 1, 1), union_extended=True)),  # 36
]


@pytest.mark.parametrize(
    ("code", "change"), CASES, ids=[f"{c}-{i}" for i, (c, _) in enumerate(CASES)]
)
def test_each_rule_fires_on_its_case(code, change):
    assert codes(replace(BASE, **change)) == {code}


def test_every_rule_has_a_case():
    assert {code for code, _ in CASES} == set(RULES)


def test_a_clean_record_has_no_issue():
    assert codes(BASE) == set()


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_message_is_vietnamese_text(code):
    rule = RULES[code]
    assert rule.code == code and rule.field and rule.message.strip()
    assert rule.severity in (Severity.ERROR, Severity.WARNING)


@pytest.mark.parametrize(
    ("change", "ok"),
    [
        (dict(cccd="001 200 012 345"), True),  # spaces are removed before checking
        (dict(cccd=""), True),  # no CCCD yet is allowed
        (dict(cccd="001200099999", uid="u-other"), True),  # one's own number is no duplicate
        (dict(phone="+84912345678"), True),
        (dict(phone="0912.345.678"), True),
        (dict(full_name="H'Hen Niê"), True),
        (dict(full_name="Y-Blăk Êban"), True),
        (dict(full_name="nguyễn   văn  an"), True),
        (dict(dob=PartialDate(2026, 11, 26)), False),  # born today: under 16, a warning
        (dict(union_joined=date(2000, 5, 10)), True),
    ],
)
def test_edges_that_are_not_errors(change, ok):
    report = validate_member(
        replace(BASE, **change), today=TODAY, unit_kinds=KINDS, cccd_owner=owner
    )
    assert report.is_valid
    assert (not report.warnings) is ok


@pytest.mark.parametrize(
    ("dob", "officer", "extended", "code"),
    [
        (PartialDate(2011, 11, 25), False, False, None),  # 15 years + 1 day: in Đoàn age
        (PartialDate(1996, 1, 1), False, False, None),  # 30
        (PartialDate(1995, 11, 26), True, False, None),  # officer: no limit
        (PartialDate(1993, 1, 1), False, True, None),  # extended, 33
        (PartialDate(1995), False, False, None),  # partial: judged on the latest birth
        (PartialDate(1994), False, False, "youth.past_30"),
    ],
)
def test_doan_age_warnings(dob, officer, extended, code):
    m = replace(BASE, dob=dob, union_officer=officer, union_extended=extended)
    found = {c for c in codes(m) if c.startswith("youth.")}
    assert found == ({code} if code else set())
    if code:
        assert RULES[code].severity is Severity.WARNING


def test_errors_block_and_warnings_inform():
    report = validate_member(
        replace(BASE, full_name="An 2", dob=PartialDate(2000), phone="1"),
        today=TODAY,
        unit_kinds=KINDS,
    )
    assert not report.is_valid
    assert [i.code for i in report.errors] == ["name.digits"]
    assert {i.code for i in report.warnings} == {"dob.partial", "phone.format"}
    assert report.for_field("full_name")[0].message == "Họ và tên không được có chữ số."
    assert "Họ và tên không được có chữ số." in report.summary()


def test_unit_catalogue_check_is_skipped_without_a_catalogue():
    report = validate_member(replace(BASE, unit_code="KDC99"), today=TODAY)
    assert report.is_valid and not report.issues


def test_duplicate_message_names_the_other_member():
    report = validate_member(replace(BASE, cccd="001200099999"), today=TODAY, cccd_owner=owner)
    assert report.errors[0].message == "Số CCCD 001200099999 đã có ở đoàn viên Trần Thị Bình."
