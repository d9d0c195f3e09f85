"""A small commune with names that exercise every tone mark, đ, and long names."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Gender, Member
from dvdesk.domain.procedure import StepRecord, StepState
from dvdesk.store.gateway import Store

TODAY = date(2026, 6, 1)
MEETING = date(2026, 7, 15)
# Every tone (ngang, huyền, hỏi, ngã, sắc, nặng) and đ/Đ, capital and small.
TONES = "Đặng Thị Ngọc Hưởng"
CAPITALS = "Lưu Quỳnh Nguyễn Ễ Ỵ"
LONG = "Tôn Nữ Hoàng Thị Phương Thảo Nguyên Khánh Linh Đoan Trang Diễm Kiều Hạnh Dung"


def _steps(uid: str, **done: str) -> dict[str, list[StepRecord]]:
    return {
        uid: [
            StepRecord(c, StepState.DONE, date.fromisoformat(d), f"{i}-NQ/ĐU")
            for i, (c, d) in enumerate(done.items(), 1)
        ]
    }


@pytest.fixture
def commune(fresh_store: Store) -> Iterator[Store]:
    yield populate(fresh_store)


def populate(fresh_store: Store) -> Store:
    """Settings, five members and three candidates at different stages."""
    s = fresh_store.settings.get()
    s.commune_name = "Xã Đông Hòa"
    s.province = "Tỉnh Quảng Ngãi"
    s.party_committee = "ĐẢNG ỦY XÃ ĐÔNG HÒA"
    s.youth_union = "ĐOÀN XÃ ĐÔNG HÒA"
    s.party_secretary = "Nguyễn Văn Bình"
    s.union_secretary = "Trần Thị Hương"
    s.party_members = 60
    fresh_store.settings.save(s)
    people = {
        "tones": Member(
            TONES,
            "KDC01",
            PartialDate(2000, 5, 17),
            Gender.FEMALE,
            uid="00000000-0000-4000-8000-000000000001",
        ),
        "capitals": Member(
            CAPITALS,
            "KDC01",
            PartialDate(1999, 12, 31),
            Gender.MALE,
            uid="00000000-0000-4000-8000-000000000002",
        ),
        "long": Member(
            LONG,
            "THPT1",
            PartialDate(2008, 9, 10),
            Gender.FEMALE,
            school_class="12A1",
            school_year="2025-2026",
            graduation_year=2026,
            uid="00000000-0000-4000-8000-000000000003",
        ),
        "young": Member(
            "Phạm Minh Đức",
            "THPT1",
            PartialDate(2010, 3, 3),
            Gender.MALE,
            school_class="10A2",
            uid="00000000-0000-4000-8000-000000000004",
        ),
        "soon": Member(
            "Võ Thị Ánh",
            "KDC01",
            PartialDate(2008, 8, 20),
            Gender.FEMALE,
            uid="00000000-0000-4000-8000-000000000005",
        ),
    }
    for m in people.values():
        fresh_store.members.add(m, today=TODAY)
    fresh_store.steps.record_many(
        _steps(
            people["tones"].uid,
            source="2024-01-10",
            course="2024-03-02",
            application="2024-04-01",
            biography="2024-04-20",
            verification="2024-05-30",
            introduction="2025-06-02",
            union_resolution="2025-06-01",
            opinions="2025-06-10",
        )
        | _steps(
            people["capitals"].uid,
            source="2020-09-01",
            course="2021-05-20",
            decision="2025-05-04",
            ceremony="2025-05-20",
        )
        | _steps(people["long"].uid, source="2025-09-15", course="2025-11-20")
    )
    fresh_store.people = people  # type: ignore[attr-defined]
    return fresh_store


def pdf_pages(path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(str(path)).pages]


def flat(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


def pdf_fragments(path) -> list[list[tuple[str, float, float, float]]]:
    """Per page, the text pieces drawn: (text, x, y, size in points)."""
    from pypdf import PdfReader

    out = []
    for page in PdfReader(str(path)).pages:
        found: list[tuple[str, float, float, float]] = []

        def visit(text, cm, tm, font, size, found=found):
            if text.strip():
                scale = (tm[0] * cm[0]) or 1
                found.append((text, tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], size * scale))

        page.extract_text(visitor_text=visit)
        out.append(found)
    return out


def pdf_fonts(path) -> set[tuple[str, bool]]:
    """Every font a PDF's pages use: (base font name, embedded)."""
    from pypdf import PdfReader

    fonts = set()
    for page in PdfReader(str(path)).pages:
        resources = page.get("/Resources") or {}
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add((str(font["/BaseFont"]), embedded))
    return fonts
