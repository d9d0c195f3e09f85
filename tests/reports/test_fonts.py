"""The vendored face: every Vietnamese letter, its licence, and no other font in any PDF."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest

from dvdesk.reports import fonts
from dvdesk.reports.checklist_pdf import write_checklists
from dvdesk.reports.member_lists import write_eligible_list, write_upcoming_list
from dvdesk.reports.statistics_pdf import write_statistics
from dvdesk.reports.transfer_letter import write_transfer_letter
from dvdesk.resources import resource
from dvdesk.store.gateway import Store
from tests.reports.conftest import MEETING, TODAY, pdf_fonts

# Independent oracle: every precomposed Latin letter whose Unicode name says it is
# one of Vietnamese's 12 vowels with one of its 5 tone marks, plus đ/Đ.
_BASES = {
    "A": "", "A WITH BREVE": "", "A WITH CIRCUMFLEX": "", "E": "", "E WITH CIRCUMFLEX": "",
    "I": "", "O": "", "O WITH CIRCUMFLEX": "", "O WITH HORN": "", "U": "", "U WITH HORN": "",
    "Y": "",
}  # fmt: skip
_TONES = ("", " AND GRAVE", " AND HOOK ABOVE", " AND TILDE", " AND ACUTE", " AND DOT BELOW")


def _oracle() -> set[str]:
    letters = {"đ", "Đ"}
    for case in ("SMALL", "CAPITAL"):
        for base in _BASES:
            for tone in _TONES:
                name = f"LATIN {case} LETTER {base}{tone}"
                if " WITH " not in base and tone:
                    name = f"LATIN {case} LETTER {base} WITH{tone.removeprefix(' AND')}"
                letters.add(unicodedata.lookup(name))
    return letters


def test_the_letters_are_the_146():
    assert len(_oracle()) == 146
    assert set(fonts.vietnamese_letters()) == _oracle()


@pytest.mark.parametrize("face", list(fonts.FILES))
def test_every_face_covers_every_vietnamese_letter(face: str):
    assert fonts.missing_glyphs("".join(sorted(_oracle())), face) == []


def test_licence_is_shipped():
    text = resource(*fonts.LICENCE).read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in text
    assert "Reserved Font Name Liberation" in text
    for file in fonts.FILES.values():
        assert resource("fonts", file).stat().st_size > 100_000


def test_every_document_embeds_only_liberation_serif(commune: Store, tmp_path: Path):
    people = commune.people  # type: ignore[attr-defined]
    outs = [tmp_path / f"{n}.pdf" for n in range(5)]
    write_checklists(commune, [people["tones"].uid], outs[0], MEETING, TODAY)
    write_eligible_list(commune, date(2026, 9, 10), outs[1], today=TODAY)
    write_upcoming_list(commune, 48, outs[2], on=TODAY, today=TODAY)
    write_statistics(commune, outs[3], today=TODAY)
    write_transfer_letter(commune, people["long"].uid, "Chi bộ X", outs[4], TODAY)
    for out in outs:
        used = pdf_fonts(out)
        assert used, out
        for name, embedded in used:
            assert embedded, (out.name, name)
            assert "LiberationSerif" in name and "Helvetica" not in name, (out.name, name)
