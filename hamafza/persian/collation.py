"""Persian alphabetical order, as a sort key.

Unicode code-point order puts the four Persian letters that Arabic lacks (پ چ ژ گ) after
the Arabic alphabet, and the Persian ی and ک after letters they come before, so
«چابهار» would sort after «نیک‌شهر». ``sort_key`` orders text as a Persian dictionary
does (آ ا ب پ ت … ک گ ل م ن و ه ی), close to ICU's ``fa`` collation, which PostgreSQL
uses; SQLite uses this key.

Levels, compared in turn:

1. letters: the Arabic forms (ي ى ئ، ك، ة ۀ، أ إ، ؤ) share their Persian letter's place;
   ZWNJ, diacritics, kashida and bidi controls are ignored, so «نیک‌شهر» and «نیکشهر» are
   neighbours; spaces and punctuation come before digits, digits (of any script) before
   Persian letters, Persian before Latin letters (case-blind), anything else last;
2. the variant of each letter (the Persian form first, lower case first);
3. the text itself, so that different strings never compare equal.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# One group per place in the alphabet; a group's first letter is its Persian form.
ALPHABET: tuple[str, ...] = (
    "ء",
    "آ",
    "اأإٱ",
    "ب",
    "پ",
    "ت",
    "ث",
    "ج",
    "چ",
    "ح",
    "خ",
    "د",
    "ذ",
    "ر",
    "ز",
    "ژ",
    "س",
    "ش",
    "ص",
    "ض",
    "ط",
    "ظ",
    "ع",
    "غ",
    "ف",
    "ق",
    "کكڪ",
    "گ",
    "ل",
    "م",
    "ن",
    "وؤ",
    "هةۀھە",
    "یيىئ",
)

_SPACE, _PUNCTUATION, _DIGIT, _PERSIAN, _LATIN, _OTHER = range(6)

_IGNORED = frozenset(
    "\u200c\u200d\u200e\u200f\u0640\ufeff\u00ad\u2060"  # joiners, marks, kashida, soft hyphen
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # bidi controls
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0654\u0670"  # diacritics
)

_LETTERS: dict[str, tuple[int, int]] = {
    letter: (place, variant)
    for place, group in enumerate(ALPHABET)
    for variant, letter in enumerate(group)
}


def _weights(char: str) -> tuple[tuple[int, int], int] | None:
    """(primary, secondary) weights of one character, or None when it is ignored."""
    if char in _IGNORED:
        return None
    if char in _LETTERS:
        place, variant = _LETTERS[char]
        return (_PERSIAN, place), variant
    if char.isspace():
        return (_SPACE, 0), 0
    digit = unicodedata.digit(char, None)
    if digit is not None:
        return (_DIGIT, digit), ord(char)
    if "a" <= char.lower() <= "z" and char.isascii():
        return (_LATIN, ord(char.lower())), int(char.isupper())
    category = unicodedata.category(char)
    if category[0] in "PSZ":
        return (_PUNCTUATION, ord(char)), 0
    return (_OTHER, ord(char)), 0


@lru_cache(maxsize=10_000)  # a few MB at most: names repeat, long texts are not sorted
def sort_key(text: str) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...], str]:
    """A key that sorts ``text`` in Persian alphabetical order (see the module's notes)."""
    primary: list[tuple[int, int]] = []
    secondary: list[int] = []
    for char in unicodedata.normalize("NFC", text):
        weights = _weights(char)
        if weights is not None:
            primary.append(weights[0])
            secondary.append(weights[1])
    return tuple(primary), tuple(secondary), text


def compare(a: str, b: str) -> int:
    """-1, 0 or 1 as ``a`` sorts before, with or after ``b`` (a database collation)."""
    key_a, key_b = sort_key(a), sort_key(b)
    return (key_a > key_b) - (key_a < key_b)
