"""Page furniture: letterhead, place-and-date line, signatures, "Trang x/y", safe output.

Letterheads follow the layout of the bodies that sign them (Hướng dẫn
36-HD/VPTW for the Party, the Youth Union's own, Nghị định 30/2020 for the
state): issuing body on the left, the national motto on the right with the
place and date beneath it. Which one a document uses is its choice; when the
settings lack the body's name the state letterhead with the commune stands in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

from dvdesk.errors import KnownError
from dvdesk.files import atomic_output
from dvdesk.reports import styles as st
from dvdesk.reports.fonts import SANS, SERIF, SERIF_BOLD, nfc
from dvdesk.reports.line_blocks import Line, LineColumns
from dvdesk.store.settings import Settings


class Letterhead(StrEnum):
    PARTY = "party"  # ĐẢNG CỘNG SẢN VIỆT NAM
    UNION = "union"  # ĐOÀN TNCS HỒ CHÍ MINH
    STATE = "state"  # CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM


def para(text: str, style: object) -> Paragraph:
    """A paragraph of plain text: NFC, XML special characters escaped."""
    return Paragraph(escape(nfc(text)), style)


def markup(text: str, style: object) -> Paragraph:
    """A paragraph whose text carries reportlab markup (<b>, <u>, <font>)."""
    return Paragraph(nfc(text), style)


def place_name(settings: Settings) -> str:
    """The commune without its administrative prefix, as on a date line."""
    name = settings.commune_name.strip()
    for prefix in ("Xã ", "xã ", "Phường ", "phường ", "Thị trấn ", "thị trấn ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


_BODY_KINDS = ("ĐẢNG ỦY", "ĐOÀN", "BAN CHẤP HÀNH", "ỦY BAN NHÂN DÂN", "CHI BỘ")
_PLACE_KINDS = ("XÃ", "PHƯỜNG", "THỊ TRẤN", "ĐẶC KHU", "TỈNH", "THÀNH PHỐ")


def in_sentence(name: str) -> str:
    """A body's name as written inside a sentence: "ĐẢNG ỦY XÃ AN HÒA" → "Đảng ủy xã An Hòa".

    Names the office typed in mixed case are kept as typed.
    """
    name = " ".join(name.split())
    if not name.isupper():
        return name
    words = name.split()
    out: list[str] = []
    i = 0
    for kind in (*_BODY_KINDS, *_PLACE_KINDS):
        parts = kind.split()
        if words[i : i + len(parts)] == parts:
            out += [w.lower() for w in parts]
            i += len(parts)
    out += [w.capitalize() for w in words[i:]]
    text = " ".join(out)
    return text[:1].upper() + text[1:]


def date_words(day: date) -> str:
    """ "ngày 05 tháng 01 năm 2026": a zero before days under 10 and months 1–2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date(settings: Settings, day: date) -> str:
    place = place_name(settings)
    return f"{place}, {date_words(day)}" if place else date_words(day).capitalize()


def _body_lines(kind: Letterhead, s: Settings) -> list[tuple[str, bool]]:
    province = s.province.strip()
    if kind is Letterhead.PARTY:
        lines = [(f"ĐẢNG BỘ {province.upper()}", False)] if province else []
        return [*lines, (s.party_committee.upper(), True), ("*", False)]
    if kind is Letterhead.UNION:
        # The body above a commune's Youth Union: Tỉnh đoàn, or Thành đoàn in a city.
        if province.startswith("Thành phố "):
            upper = f"THÀNH ĐOÀN {province.removeprefix('Thành phố ').upper()}"
        else:
            upper = f"TỈNH ĐOÀN {province.removeprefix('Tỉnh ').upper()}"
        lines = [(upper, False)] if province else []
        return [*lines, (f"BCH {s.youth_union.upper()}", True), ("***", False)]
    return [("ỦY BAN NHÂN DÂN", False), (s.commune_name.upper(), True)]


def _motto(kind: Letterhead) -> list[tuple[str, bool]]:
    """The motto lines, each with whether it is underlined."""
    if kind is Letterhead.PARTY:
        return [("ĐẢNG CỘNG SẢN VIỆT NAM", True)]
    if kind is Letterhead.UNION:
        return [("ĐOÀN TNCS HỒ CHÍ MINH", True)]
    return [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", False), ("Độc lập - Tự do - Hạnh phúc", True)]


def effective(kind: Letterhead, settings: Settings) -> Letterhead:
    """The letterhead the settings can fill: a missing body name falls back."""
    if kind is Letterhead.UNION and not settings.youth_union.strip():
        kind = Letterhead.PARTY
    if kind is Letterhead.PARTY and not settings.party_committee.strip():
        kind = Letterhead.STATE
    return kind


def letterhead(kind: Letterhead, settings: Settings, day: date, number: str = "") -> Flowable:
    """The two-column letterhead with the place and date under the motto."""
    kind = effective(kind, settings)
    size = 10.5
    left = [
        Line(text, SERIF_BOLD if bold else SERIF, size)
        for text, bold in _body_lines(kind, settings)
        if text.strip()
    ]
    if number:
        left.append(Line(number, SERIF, size, space_before=2))
    right = [Line(text, SERIF_BOLD, size, underline=underline) for text, underline in _motto(kind)]
    right.append(Line(place_date(settings, day), SERIF, size, space_before=4))
    return LineColumns([left, right], [st.FRAME_WIDTH * 0.42, st.FRAME_WIDTH * 0.58])


def signatures(
    blocks: Sequence[tuple[Sequence[str], str]], left_note: Sequence[str] = (), gap: float = 20 * mm
) -> Flowable:
    """Signature blocks side by side: ([title lines], signer's name) each.

    `left_note` (e.g. "Nơi nhận:" and its lines) fills the left column when
    there is a single block.
    """
    columns: list[list[Line]] = []
    for titles, name in blocks:
        lines = [Line(t, SERIF_BOLD, 11) for t in titles]
        columns.append([*lines, Line(name or " ", SERIF_BOLD, 11, space_before=gap)])
    if len(blocks) == 1:
        note = [Line(left_note[0], SERIF_BOLD, 9, centred=False)] if left_note else []
        note += [Line(text, SERIF, 9, centred=False, color=st.MUTED) for text in left_note[1:]]
        columns.insert(0, note)
    width = st.FRAME_WIDTH / len(columns)
    return LineColumns(columns, [width] * len(columns))


def party_signature(settings: Settings) -> tuple[list[str], str]:
    return ["T/M ĐẢNG ỦY", settings.party_secretary_title.upper()], settings.party_secretary


def union_signature(settings: Settings) -> tuple[list[str], str]:
    return (["T/M BAN CHẤP HÀNH", settings.union_secretary_title.upper()], settings.union_secretary)


class NumberedCanvas(Canvas):
    """Draws "Trang x/y" once the total page count is known (second pass over pages)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, 1):
            self.__dict__.update(state)
            self.setFont(SANS, 8)
            self.setFillColor(st.MUTED)
            self.drawCentredString(st.PAGE_WIDTH / 2, 10 * mm, f"Trang {number}/{total}")
            super().showPage()
        super().save()


def write_pdf(
    out: Path, story: list[Flowable], title: str, author: str = "", *, overwrite: bool = False
) -> int:
    """Build `story` into `out` atomically; returns the number of pages.

    The output path is checked first and the PDF goes to a private temporary
    file renamed over `out` only when complete (dvdesk/files.py): a failure
    never leaves a half-written PDF, and an existing file is replaced only
    with `overwrite` (the user agreed).
    """
    out = Path(out)
    if out.suffix.lower() != ".pdf":
        raise KnownError(f"Tệp kết quả “{out}” phải có đuôi .pdf.")
    if not out.parent.is_dir():
        raise KnownError(f"Không có thư mục “{out.parent}” để lưu tệp PDF.")
    pad = st.FRAME_PADDING
    with atomic_output(out, overwrite=overwrite) as tmp:
        doc = SimpleDocTemplate(
            str(tmp),
            pagesize=(st.PAGE_WIDTH, st.PAGE_HEIGHT),
            title=nfc(title),
            author=nfc(author),
            creator="dvdesk",
            leftMargin=st.LEFT_MARGIN - pad,
            rightMargin=st.RIGHT_MARGIN - pad,
            topMargin=st.TOP_MARGIN - pad,
            bottomMargin=st.BOTTOM_MARGIN - pad,
        )
        doc.build(story, canvasmaker=NumberedCanvas)
    return doc.page
