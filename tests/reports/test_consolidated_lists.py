"""Printed lists at the receiving level: without --commune they are grouped by commune, then
unit; two communes' "KDC01" are two sections, each with that commune's own members."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

from dvdesk.exchange.merge import merge_files
from dvdesk.exchange.package import PackageFile, write_package
from dvdesk.reports.member_lists import write_view_list
from dvdesk.store.gateway import Store
from dvdesk.store.views import preset_views
from tests.exchange.conftest import TODAY, make_commune
from tests.reports.conftest import flat, pdf_pages

COMMUNES = (("00012", "Xã Yên Phú", 4), ("00013", "Xã Đông Hòa", 5))


def test_the_all_list_is_grouped_by_commune_then_unit(tmp_path: Path):
    expected: Counter[tuple[str, str]] = Counter()
    files = []
    for code, name, seed in COMMUNES:
        with make_commune(tmp_path / f"{code}.db", code, name, 18, seed) as store:
            expected.update((name, m.unit_code) for m in store.packages.members())
            write_package(store, tmp_path / f"{code}.zip")
        files.append(PackageFile.open(tmp_path / f"{code}.zip"))
    shared = {u for n, u in expected if n == "Xã Yên Phú"} & {
        u for n, u in expected if n == "Xã Đông Hòa"
    }
    assert shared, "the demo communes share unit codes"
    with Store.open(tmp_path / "tinh.db") as level:
        plan, _ = merge_files(level, files, commit=True, today=TODAY)
        assert plan.committed
        view = next(v for v in preset_views(level.settings.get(), TODAY) if v.key == "all")
        out = tmp_path / "all.pdf"
        write_view_list(level, view, date(2026, 11, 26), out, today=TODAY)
    text = flat(pdf_pages(out))
    headings = re.findall(r"\d+\. (Xã [^—]+?) — [^()]+ \(([A-Z0-9]+)\) — (\d+) đoàn viên", text)
    got = Counter({(n.strip(), u): int(c) for n, u, c in headings})
    assert got == expected
    # Commune by commune: every heading of 00012 comes before those of 00013.
    order = [n.strip() for n, _, _ in headings]
    assert order == sorted(order, key=["Xã Yên Phú", "Xã Đông Hòa"].index)
    assert f"Tổng cộng: {sum(expected.values())} đoàn viên." in text


def test_partial_dates_at_the_receiving_level_name_their_commune(tmp_path: Path):
    """Section II (partial dates of birth) of a list of every commune: "Thôn Đông" of two
    communes are two places, so each row names its commune as the tables' headings do."""
    from dvdesk.domain.dates import PartialDate
    from dvdesk.domain.member import Gender, Member
    from dvdesk.reports.member_lists import write_eligible_list

    files, unit_names = [], {}
    for (code, name, seed), person in zip(COMMUNES, ("Hà Văn Năm", "Lò Thị Năm"), strict=True):
        with make_commune(tmp_path / f"{code}.db", code, name, 12, seed) as store:
            unit = store.units.all()[0]
            unit_names[person] = (name, unit.name)
            store.members.add(Member(person, unit.code, PartialDate(2000), Gender.MALE), TODAY)
            write_package(store, tmp_path / f"{code}.zip")
        files.append(PackageFile.open(tmp_path / f"{code}.zip"))
    with Store.open(tmp_path / "tinh.db") as level:
        plan, _ = merge_files(level, files, commit=True, today=TODAY)
        assert plan.committed
        out = tmp_path / "du-tuoi.pdf"
        write_eligible_list(level, date(2026, 11, 26), out, today=TODAY)
    section = flat(pdf_pages(out)).partition("II. Đoàn viên chưa rõ ngày sinh đầy đủ")[2]
    for person, (commune, unit) in unit_names.items():
        row = section.split(person, 1)[1][:80]
        assert row.startswith(f" {commune} — {unit}"), (person, row)
