"""Vietnamese names: storage form, search key and sort key (họ tên).

- Stored NFC, trimmed, single-spaced, each word capitalised.
- Search key: case and diacritics folded, including đ/Đ → d (NFD does not
  decompose đ), so "nguyen van duc" finds "Nguyễn Văn Đức".
- Sort key: Vietnamese order compares the given name (tên, last word) first,
  then the surname (họ, first word), then the middle names (tên đệm); letters
  in the order a ă â b c d đ e ê … o ô ơ … u ư …, and tones only to break ties
  in the order ngang, huyền, hỏi, ngã, sắc, nặng. The key is plain text that
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
    s = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return _SPACE.sub(" ", s).strip()


# Names repeat words endlessly (Nguyễn, Văn, Thị, Anh): per-word caches make a
# 200k-member import spend its time in SQLite, not here.
@lru_cache(maxsize=1 << 16)
def _letters_and_tone(word: str) -> tuple[str, int]:
    """Base letters (with ă â ê ô ơ ư kept) and the word's tone (0 = ngang)."""
    tone = 0
    out = []
    for ch in word.lower():
        if ch == "đ":
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        for mark in marks:
            if mark in _TONE_MARKS:
                tone = _TONE_MARKS[mark]
            elif mark in _LETTER_MARKS:
                base += mark
        out.append(unicodedata.normalize("NFC", base))
    return "".join(out), tone


@lru_cache(maxsize=1 << 16)
def _encode(letters: str) -> str:
    # Each known letter becomes one character from "B" upward so BINARY order
    # is alphabet order; anything else (digits, foreign letters) sorts after.
    return "".join(chr(0x42 + _ALPHABET.index(c)) if c in _ALPHABET else "~" + c for c in letters)


def split_name(full_name: str) -> tuple[str, str, str]:
    """(surname họ, middle names tên đệm, given name tên)."""
    words = normalize_name(full_name).split(" ")
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def sort_key(full_name: str) -> str:
    """Text key giving Vietnamese order under a BINARY comparison.

    Primary: given name, surname, middle names by letters; secondary: the same
    words' tones. "!" separates words and " " separates the levels: both sort
    before every letter code, so "An" comes before "Anh" and "Nguyễn An"
    before "Nguyễn Văn An".
    """
    surname, middle, given = split_name(full_name)
    words = [given, surname, *middle.split(" ")] if middle else [given, surname]
    parts = [_letters_and_tone(w) for w in words if w]
    primary = "!".join(_encode(letters) for letters, _ in parts)
    tones = "".join(str(tone) for _, tone in parts)
    return f"{primary} {tones}"
