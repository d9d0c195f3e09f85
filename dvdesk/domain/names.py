"""Vietnamese names: storage form, search key and sort key (họ tên).

- Stored NFC, trimmed, single-spaced, each word capitalised.
- Search key: case and diacritics folded, including đ/Đ → d (NFD does not
  decompose đ), so "nguyen van duc" finds "Nguyễn Văn Đức".
- Sort key: roster order compares the given name (tên, last word) with its
  tone first, then the surname (họ, first word), then the middle names (tên
  đệm); within a word letters in the order a ă â b c d đ e ê … o ô ơ … u ư …,
  then tones in the order ngang, huyền, hỏi, ngã, sắc, nặng. The key is plain text that
  sorts correctly under SQLite's BINARY collation, so it is stored in an
  indexed column and ordering is an index scan.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_TONE_MARKS = {
    "\u0300": 1,  # huyền
    "\u0309": 2,  # hỏi
    "\u0303": 3,  # ngã
    "\u0301": 4,  # sắc
    "\u0323": 5,  # nặng
}
# Marks that make a distinct letter (ă â ê ô ơ ư); kept in the base letter.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)
def normalize_name(text: str) -> str:
    """NFC, trimmed, single spaces, each word capitalised ("nguyễn  văn an" → "Nguyễn Văn An")."""
    s = _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return " ".join(_capitalise(w) for w in s.split(" ")) if s else ""


@lru_cache(maxsize=1 << 16)
def _capitalise(word: str) -> str:
    # Mixed case is the clerk's choice (H'Hen, McLain); only all-lower or
    # all-upper words are recased.
    if word.islower() or word.isupper():
        return word[:1].title() + word[1:].lower()  # title(): "ß" → "Ss", not "SS"
    return word


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower case without diacritics, đ → d, single spaces (the search key)."""
    if text.isascii():
        return " ".join(text.lower().split())
    # Word by word: names repeat their words, a whole name seldom (an import of
    # 200,000 people would miss the cache on every one).
    return " ".join(w for w in map(_fold_word, text.split()) if w)


@lru_cache(maxsize=1 << 16)
def _fold_word(word: str) -> str:
    s = unicodedata.normalize("NFD", word.lower().replace("đ", "d").replace("Đ", "d"))
    return "".join(c for c in s if not unicodedata.combining(c))


# Names repeat words endlessly (Nguyễn, Văn, Thị, Anh): per-word caches make a
# 200k-member import spend its time in SQLite, not here.
@lru_cache(maxsize=1 << 16)
def _letters_and_tones(word: str) -> tuple[str, str]:
    """Base letters (with ă â ê ô ơ ư đ kept) and one tone digit per letter (0 = ngang)."""
    out = []
    tones = []
    for ch in word.lower():
        if ch == "đ":
            out.append(ch)
            tones.append("0")
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        tone = 0
        for mark in marks:
            if mark in _TONE_MARKS:
                tone = _TONE_MARKS[mark]
            elif mark in _LETTER_MARKS:
                base += mark
        out.append(unicodedata.normalize("NFC", base))
        tones.append(str(tone))
    return "".join(out), "".join(tones)


@lru_cache(maxsize=1 << 16)
def _encode(letters: str) -> str:
    # Each known letter becomes one character from "B" upward so BINARY order
    # is alphabet order; a space between middle names sorts before every
    # letter; anything else (digits, foreign letters) sorts after.
    return "".join(
        chr(0x42 + _ALPHABET.index(c)) if c in _ALPHABET else "#" if c == " " else "~" + c
        for c in letters
    )


def split_name(full_name: str) -> tuple[str, str, str]:
    """(surname họ, middle names tên đệm, given name tên)."""
    words = normalize_name(full_name).split(" ")
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


@lru_cache(maxsize=1 << 16)
def _column_key(text: str) -> str:
    letters, tones = _letters_and_tones(text)
    return f"{_encode(letters)}!{tones}"


def sort_key(full_name: str) -> str:
    """Text key giving the roster order under a BINARY comparison.

    The order a clerk gets sorting a sheet on Tên, then Họ, then Đệm: the
    given name as a whole word with its tone decides first ("Anh" of every
    surname before "Ánh"), then the surname, then the middle names. Within a
    column letters come first (a ă â b c d đ e ê …), then the tones letter by
    letter (ngang, huyền, hỏi, ngã, sắc, nặng) — as ICU's Vietnamese collation
    compares one column. Per column the key is letter codes, "!", tone digits;
    columns are joined by " ". Both separators sort before every letter code
    and "!" before the middle names' "#", so "An" comes before "Anh" and
    "Nguyễn An" before "Nguyễn Văn An".
    """
    surname, middle, given = split_name(full_name)
    return " ".join(_column_key(c) for c in (given, surname, middle))
