"""Text cells that a spreadsheet must never run as formulas (chống chèn công thức).

A cell starting with = + - @ (or a tab or carriage return, which some
programs strip before looking) is a formula to Excel and LibreOffice, and
so is one starting with their full-width (＝ ＋ － ＠) or small (﹦ ﹢ ﹣ ﹫)
forms, which spreadsheets fold to the plain signs. `escape_cell` is the one
function every text output uses (CSV, XLSX, `dvdesk list --csv`). Lists
for people get a leading apostrophe (one way). Package CSVs use the reversible
form: an apostrophe is also added before a value that already starts with one,
so reading removes exactly one and the data come back unchanged.
"""

from __future__ import annotations

FORMULA_STARTS = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\uff1d",  # ＝ full-width
    "\uff0b",  # ＋
    "\uff0d",  # －
    "\uff20",  # ＠
    "\ufe66",  # ﹦ small
    "\ufe62",  # ﹢
    "\ufe63",  # ﹣
    "\ufe6b",  # ﹫
)


def escape_cell(text: str) -> str:
    """For spreadsheets people open: neutralise a would-be formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def escape_reversible(text: str) -> str:
    return "'" + text if text.startswith((*FORMULA_STARTS, "'")) else text


def unescape_reversible(text: str) -> str:
    return text[1:] if text.startswith("'") else text
