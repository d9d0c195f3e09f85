"""Lists typed in the old TCVN3 (ABC) fonts, read as Unicode (phông .VnTime cũ).

Before Unicode (TCVN 6909:2001) commune offices typed with the ".VnTime" fonts:
the file holds Latin-1 characters the font draws as Vietnamese letters, so
"NguyÔn V¨n An" is Nguyễn Văn An. Such a sheet has no header dvdesk knows;
when its cells read as TCVN3 do name one, every text cell is converted.

Capitals typed in the ".VnTimeH" font are stored as the small letters' codes:
they come back in small letters (the name is then written as a name).
"""

from __future__ import annotations

from collections.abc import Sequence

from dvdesk.exchange.headers import find_header
from dvdesk.exchange.sheet_reader import Grid

# TCVN3 code (as Latin-1) → the letter the font draws.
_TCVN3 = dict(
    zip(
        "µ¶·¸¹¨»¼½¾Æ©ÇÈÉÊË®ÌÎÏÐÑªÒÓÔÕÖ×ØÜÝÞßáâãä«åæçèé¬êëìíîïñòóô\xadõö÷øùúûüýþ¡¢£¤¥¦§",
        "àảãáạăằẳẵắặâầẩẫấậđèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵĂÂÊÔƠƯĐ",
        strict=True,
    )
)
_TABLE = str.maketrans(_TCVN3)
# Codes that never occur in Vietnamese written in Unicode: one of them marks a TCVN3 text.
_MARKS = frozenset("µ¶·¸¹¨»¼½¾Æ©ÇËÎÏÐÑª®Ö×ØÜÞß«¬\xad÷øûüþ¡¢£¤¥¦§")


TCVN3_NOTE = (
    "Trang này gõ bằng phông chữ cũ TCVN3 (.VnTime): đã chuyển sang Unicode; "
    "kiểm tra lại họ tên (chữ in hoa có dấu gõ bằng phông .VnTimeH có thể thành chữ thường)."
)


def from_tcvn3(text: str) -> str:
    return text.translate(_TABLE)


def _looks_tcvn3(rows: Sequence[Sequence[object]]) -> bool:
    return any(isinstance(v, str) and not _MARKS.isdisjoint(v) for row in rows[:30] for v in row)


def _converted(row: list[object]) -> list[object]:
    return [from_tcvn3(v) if isinstance(v, str) else v for v in row]


def convert_tcvn3(grid: Grid) -> bool:
    """Convert a sheet typed in TCVN3 (its held rows now, the streamed rest as read);
    True if it was one.

    Only a sheet with no header as written, whose header is found once read as
    TCVN3, is converted: a Unicode list is never touched.
    """
    rows = grid.rows
    if not _looks_tcvn3(rows) or find_header(rows) is not None:
        return False
    if find_header([_converted(row) for row in rows[:30]]) is None:
        return False
    grid.rows = [_converted(row) for row in rows]
    if grid.more is not None:
        grid.more = map(_converted, grid.more)
    return True
