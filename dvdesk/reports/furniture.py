"""Page furniture: letterhead, number line, place and date, signature, page numbers, output.

Party documents follow Hướng dẫn 36-HD/VPTW (2018) on the format of Party
documents; Youth Union documents follow Hướng dẫn 29-HD/TWĐTN-VP (2013), as
summarised in notes/documents.md (third-party copies of both, MED confidence):

- top left the level above (regular caps) and the issuing body (bold caps),
  then "*" (Party) or "***" (Youth Union), then the number "Số 12-BC/ĐU" —
  no colon after "Số" (HD 36 and HD 29 alike);
- top right the tiêu đề "ĐẢNG CỘNG SẢN VIỆT NAM" / "ĐOÀN TNCS HỒ CHÍ MINH"
  (15 pt bold, underlined), the place and date beneath it in 14 pt italic;
- bottom "Nơi nhận:" (12 pt bold, underlined) and its list (11 pt, black)
  on the left, the signature block on the right: "T/M ĐẢNG ỦY" / "BÍ THƯ"
  (Party) or "TM. BAN CHẤP HÀNH ĐOÀN XÃ …" / "BÍ THƯ" (Youth Union), bold
  caps, the name in bold; kept on one page with the last lines of text;
- page numbers from page 2, centred in the top margin, Arabic numerals.

When the settings lack the body's name the state letterhead with the commune
stands in (Nghị định 30/2020), so a document is never printed headless.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
)

from dvdesk.errors import KnownError
from dvdesk.files import atomic_output
from dvdesk.reports import styles as st
from dvdesk.reports.fonts import BOLD, ITALIC, REGULAR, nfc, register_fonts
from dvdesk.reports.line_blocks import Line, LineColumns, wrap_number
from dvdesk.reports.progress import Tracker
from dvdesk.store.settings import Settings


class Letterhead(StrEnum):
    PARTY = "party"  # ĐẢNG CỘNG SẢN VIỆT NAM
    UNION = "union"  # ĐOÀN TNCS HỒ CHÍ MINH
    STATE = "state"  # CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM


def para(text: str, style: object) -> Paragraph:
    """A paragraph of plain text: NFC, XML special characters escaped."""
    return Paragraph(escape(nfc(text)), style)


# Words a phrase of a title starts with: Vietnamese words run to several syllables
# ("HỒ SƠ", "PHÁT TRIỂN"), so a title breaks only before one of these, or after
# punctuation, never between two syllables of one word.
_PHRASE_STARTS = frozenset((
    "CÓ", "CỦA", "KHI", "VÀ", "HOẶC", "TRONG", "TỪ", "ĐẾN", "CHỜ", "SẼ", "ĐỦ", "THEO",
    "VỀ", "CHO", "VỚI", "TẠI", "KHÓA", "NĂM", "LẬP", "ĐÃ", "ĐANG", "CHƯA", "TRƯỚC", "SAU",
))  # fmt: skip


def _phrase_break(before: str, after: str) -> bool:
    return (
        before[-1] in ",;:—"  # after a dash, not before it
        or after.startswith("(")
        or after.upper() in _PHRASE_STARTS
    )


def balanced(text: str, style: Any, width: float | None = None) -> Paragraph:
    """A centred title (trích yếu) broken between its phrases, in lines of even length.

    Filled greedily a title broke before its last syllable ("… CẦN KIỂM" / "TRA").
    Here it breaks only between phrases (`_PHRASE_STARTS`, punctuation), choosing
    the breaks that make the longest line shortest, in two or three lines; a
    title with no such breaks that fit is wrapped as before.
    """
    width = float(width if width is not None else st.FRAME_WIDTH)
    words = nfc(" ".join(text.split())).split(" ")
    register_fonts()

    def measure(part: Sequence[str]) -> float:
        return float(stringWidth(" ".join(part), style.fontName, style.fontSize))

    if measure(words) <= width:
        return para(text, style)
    places = [i for i in range(1, len(words)) if _phrase_break(words[i - 1], words[i])]
    best: tuple[float, list[list[str]]] | None = None
    for count in (2, 3):
        for cuts in combinations(places, count - 1):
            parts = [words[a:b] for a, b in pairwise([0, *cuts, len(words)])]
            longest = max(measure(p) for p in parts)
            if longest <= width and (best is None or longest < best[0]):
                best = (longest, parts)
        if best is not None:
            break
    if best is None:
        return para(text, style)
    return Paragraph("<br/>".join(escape(" ".join(p)) for p in best[1]), style)


def escape_text(text: str) -> str:
    """Plain text made safe inside paragraph markup."""
    return escape(nfc(text))


def markup(text: str, style: object) -> Paragraph:
    """A paragraph whose text carries reportlab markup (<b>, <u>, <i>)."""
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


# "Đảng" (the Party) keeps its capital; "đảng viên", "đảng ủy", "đảng bộ" do not.
_PARTY_WORD = re.compile(r"\bđảng\b(?!\s+(?:viên|ủy|bộ|phí|vụ))")


def document_title(caps: str) -> str:
    """A PDF's title from a document's caps title, in sentence case.

    "DANH SÁCH … KẾT NẠP ĐẢNG" → "Danh sách … kết nạp Đảng": str.capitalize
    lowercased the Party's name.
    """
    text = nfc(" ".join(caps.split())).lower()
    text = _PARTY_WORD.sub("Đảng", text)
    return text[:1].upper() + text[1:]


def count(n: int) -> str:
    """A whole number the Vietnamese way: 11.686."""
    return f"{n:_}".replace("_", ".")


def date_words(day: date) -> str:
    """ "ngày 05 tháng 01 năm 2026": a zero before days under 10 and months 1–2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date(settings: Settings, day: date) -> str:
    place = place_name(settings)
    return f"{place}, {date_words(day)}" if place else date_words(day).capitalize()


def effective(kind: Letterhead, settings: Settings) -> Letterhead:
    """The letterhead the settings can fill: a missing body name falls back."""
    if kind is Letterhead.UNION and not settings.youth_union.strip():
        kind = Letterhead.PARTY
    # The state letterhead needs the commune's name; with neither name (a receiving
    # level's file) the Party's stays, its body left to be written by hand.
    if kind is Letterhead.PARTY and not settings.party_committee.strip():
        kind = Letterhead.STATE if settings.commune_name.strip() else Letterhead.PARTY
    return kind


# A body's name the settings do not have: room to write it by hand.
BLANK_BODY = "." * 40


# Where the number is blank the office writes it by hand (space kept by no-break spaces).
BLANK_NUMBER = "\u00a0" * 10
_ISSUER_CODE = {Letterhead.PARTY: "ĐU", Letterhead.UNION: "ĐTN", Letterhead.STATE: "UBND"}


def number_line(kind: Letterhead, settings: Settings, type_code: str, number: str = "") -> str:
    """ "Số 12-BC/ĐU" (HD 36) or "Số 05-DS/ĐTN" (HD 29): no colon after "Số".

    `type_code` is the document type's abbreviation (BC báo cáo, DS danh sách,
    GGT giấy giới thiệu); an empty `number` leaves room to write it by hand.
    A whole number as the office writes it ("12-GGT/ĐU": it has a "/") is
    printed as typed, never given a second type code ("12-GGT/ĐU-GGT/ĐU").
    A state document (the fallback letterhead) keeps Nghị định 30's "Số:".
    """
    kind = effective(kind, settings)
    number = " ".join(number.split()).removeprefix("Số:").removeprefix("Số").strip()
    lead = "Số:" if kind is Letterhead.STATE else "Số"
    if "/" in number:
        return f"{lead} {number}"
    return f"{lead} {number or BLANK_NUMBER}-{type_code}/{_ISSUER_CODE[kind]}"


def _body_lines(kind: Letterhead, s: Settings) -> list[tuple[str, bool]]:
    province = s.province.strip()
    if kind is Letterhead.PARTY:
        lines = [(f"ĐẢNG BỘ {province.upper()}", False)] if province else []
        return [*lines, (s.party_committee.upper() or BLANK_BODY, True), ("*", False)]
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
    """The tiêu đề lines, each with whether it is underlined."""
    if kind is Letterhead.PARTY:
        return [("ĐẢNG CỘNG SẢN VIỆT NAM", True)]
    if kind is Letterhead.UNION:
        return [("ĐOÀN TNCS HỒ CHÍ MINH", True)]
    return [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", False), ("Độc lập - Tự do - Hạnh phúc", True)]


LEFT_SHARE = 0.46  # the issuer's column; the tiêu đề and date take the rest


def letterhead(
    kind: Letterhead, settings: Settings, day: date, type_code: str = "", number: str = ""
) -> Flowable:
    """The two-column letterhead: issuer and number left, tiêu đề and place-date right."""
    kind = effective(kind, settings)
    size = st.LETTERHEAD_SIZE
    left = [
        Line(text, BOLD if bold else REGULAR, size)
        for text, bold in _body_lines(kind, settings)
        if text.strip()
    ]
    if type_code:
        # A long typed number wraps after "/" or "-" within the column: never cut.
        # (A blank number's no-break spaces are kept: only a line too wide is wrapped.)
        text = number_line(kind, settings, type_code, number)
        column = st.FRAME_WIDTH * LEFT_SHARE
        register_fonts()
        if stringWidth(nfc(text), REGULAR, size) <= column:
            left.append(Line(text, REGULAR, size))
        else:
            left += [
                Line(part, REGULAR, size)
                for part in wrap_number(text, REGULAR, size, column).split("\n")
            ]
    # Nghị định 30's quốc hiệu at 12 pt: at 13 it broke before "NAM" in its column.
    motto_size = st.MOTTO_SIZE if kind is not Letterhead.STATE else 12
    right = [Line(text, BOLD, motto_size, underline=underline) for text, underline in _motto(kind)]
    right.append(Line(place_date(settings, day), ITALIC, size, space_before=size * 1.2 + 2))
    width = st.FRAME_WIDTH
    return LineColumns([left, right], [width * LEFT_SHARE, width * (1 - LEFT_SHARE)])


@dataclass(frozen=True)
class Signer:
    """A signature block: the capacity lines (bold caps) and the signer's name."""

    titles: tuple[str, ...]
    name: str


def party_signer(settings: Settings) -> Signer:
    """ "T/M ĐẢNG ỦY" / "BÍ THƯ" (HD 36: a collective body signs "T/M")."""
    title = " ".join(settings.party_secretary_title.split()).upper() or "BÍ THƯ"
    return Signer(("T/M ĐẢNG ỦY", title), settings.party_secretary)


def union_signer(settings: Settings) -> Signer:
    """ "TM. BAN CHẤP HÀNH ĐOÀN XÃ …" / "BÍ THƯ" (HD 29-HD/TWĐTN-VP)."""
    body = " ".join(settings.youth_union.split()).upper()
    title = " ".join(settings.union_secretary_title.split()).upper() or "BÍ THƯ"
    # The setting's default "BÍ THƯ ĐOÀN": the block already names the Đoàn.
    title = title.removesuffix(" ĐOÀN")
    lead = f"TM. BAN CHẤP HÀNH {body}".rstrip()
    if _too_wide(lead):  # break before the body's name rather than anywhere
        return Signer(("TM. BAN CHẤP HÀNH", body, title), settings.union_secretary)
    return Signer((lead, title), settings.union_secretary)


def signature_width() -> float:
    """The signature column's width (the right-hand column)."""
    return float(st.FRAME_WIDTH * (1 - LEFT_SHARE))


def _too_wide(line: str) -> bool:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_fonts()
    return bool(stringWidth(nfc(line), BOLD, st.LETTERHEAD_SIZE) > signature_width())


def maker(role: str) -> Signer:
    """The person who drew up a list or a sheet ("NGƯỜI LẬP BIỂU")."""
    return Signer((role,), "")


SIGN_GAP = 24 * mm  # room for the signature and the seal


SignerLike = Signer | tuple[Sequence[str], str]


def party_signature(settings: Settings) -> tuple[list[str], str]:
    """The Party signer as ([titles], name), the form older callers pass to `signatures`."""
    signer = party_signer(settings)
    return list(signer.titles), signer.name


def union_signature(settings: Settings) -> tuple[list[str], str]:
    """The Youth Union signer as ([titles], name)."""
    signer = union_signer(settings)
    return list(signer.titles), signer.name


def signatures(
    signers: Sequence[SignerLike], recipients: Sequence[str] = (), gap: float = SIGN_GAP
) -> Flowable:
    """Signature blocks side by side, the last on the right.

    Each signer is a `Signer` or a ([title lines], name) pair. `recipients`
    ("Nơi nhận:") fills the left column when there is one signer.
    """
    blocks = [s if isinstance(s, Signer) else Signer(tuple(s[0]), s[1]) for s in signers]
    size = st.LETTERHEAD_SIZE
    columns: list[list[Line]] = []
    for signer in blocks:
        lines = [Line(t, BOLD, size) for t in signer.titles]
        columns.append([*lines, Line(signer.name or " ", BOLD, size, space_before=gap)])
    if len(blocks) == 1:
        note: list[Line] = []
        if recipients:
            note.append(Line("Nơi nhận:", BOLD, 12, underline=True, centred=False))
            note += [Line(text, REGULAR, 11, centred=False) for text in recipients]
        columns.insert(0, note)
    width = st.FRAME_WIDTH
    widths = [width * LEFT_SHARE, width * (1 - LEFT_SHARE)] if len(columns) == 2 else None
    return LineColumns(columns, widths or [width / len(columns)] * len(columns))


def closing(last: Sequence[Flowable], signature: Flowable) -> Flowable:
    """The last lines of text and the signature, never split apart (HD 36)."""
    return KeepTogether([*last, signature])


class DocumentStart(Flowable):
    """Marks where one document of a batch begins: its pages are numbered from 1.

    `label` names the document on its continuation pages (e.g. the candidate
    of a checklist), above the page number.
    """

    def __init__(self, label: str = "", tracker: Tracker | None = None) -> None:
        super().__init__()
        self.label = label
        self.tracker = tracker  # counts one document done when it starts printing
        self.width = self.height = 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        doc = getattr(self.canv, "_doctemplate", None)
        if isinstance(doc, _Document):
            doc.start_document(self.label)
        if self.tracker is not None:
            self.tracker.advance()


class _Document(BaseDocTemplate):
    """One frame per page; page numbers from page 2 of each document, at the top."""

    def __init__(self, filename: str, tracker: Tracker | None, **kw: Any) -> None:
        pad = st.FRAME_PADDING
        super().__init__(
            filename,
            pagesize=(st.PAGE_WIDTH, st.PAGE_HEIGHT),
            leftMargin=st.LEFT_MARGIN - pad,
            rightMargin=st.RIGHT_MARGIN - pad,
            topMargin=st.TOP_MARGIN - pad,
            bottomMargin=st.BOTTOM_MARGIN - pad,
            # Without it every page's stream opens with Helvetica, listed unembedded.
            initialFontName=REGULAR,
            initialFontSize=st.BODY_SIZE,
            creator="dvdesk",
            **kw,
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate("page", [frame], onPageEnd=self._page_end)])
        self.tracker = tracker
        self._first_page = 1
        self._label = ""

    def start_document(self, label: str) -> None:
        self._first_page = self.page
        self._label = label

    def _page_end(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        number = self.page - self._first_page + 1
        if number >= 2:
            canvas.saveState()
            canvas.setFont(REGULAR, 13)
            canvas.drawCentredString(st.PAGE_WIDTH / 2, st.PAGE_NUMBER_Y, str(number))
            if self._label:  # under the number, still in the top margin
                canvas.setFont(ITALIC, 10)
                canvas.drawCentredString(
                    st.PAGE_WIDTH / 2, st.PAGE_NUMBER_Y - 5 * mm, nfc(self._label)
                )
            canvas.restoreState()
        if self.tracker is not None:
            self.tracker.check()


def write_pdf(
    out: Path,
    story: list[Flowable],
    title: str,
    author: str = "",
    tracker: Tracker | None = None,
    *,
    overwrite: bool = False,
) -> int:
    """Build `story` into `out` atomically; returns the number of pages.

    The output path is checked first and the PDF goes to a private temporary
    file renamed over `out` only when complete (dvdesk/files.py): a failure
    (or a cancel) never leaves a half-written PDF, and an existing file is
    replaced only with `overwrite` (the user agreed). `title` is the PDF's
    title as shown by viewers (see `document_title`).
    """
    out = Path(out)
    if out.suffix.lower() != ".pdf":
        raise KnownError(f"Tệp kết quả “{out}” phải có đuôi .pdf.")
    if not out.parent.is_dir():
        raise KnownError(f"Không có thư mục “{out.parent}” để lưu tệp PDF.")
    register_fonts()
    with atomic_output(out, overwrite=overwrite) as tmp:
        doc = _Document(str(tmp), tracker, title=nfc(title), author=nfc(author), lang="vi-VN")
        doc.build(story)
    if tracker is not None:
        tracker.finish()
    return int(doc.page)
