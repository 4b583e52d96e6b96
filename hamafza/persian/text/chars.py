"""Character-level normalisation: Arabic letter forms, digits, invisibles, kashida.

Everything here is a table lookup (``str.translate``) or one compiled regex, built
once at import, so it runs at C speed over megabytes of text.
"""

from __future__ import annotations

import re
import unicodedata

ZWNJ = "\u200c"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"

# Arabic code points that Persian writes with its own letter.
ARABIC_TO_PERSIAN = {
    "ي": "ی",
    "ى": "ی",
    "ئ": "ئ",
    "ك": "ک",
    "ة": "ه",
    "ە": "ه",
    "ھ": "ه",
    "ہ": "ه",
    "ۍ": "ی",
    "ێ": "ی",
    "ې": "ی",
    "ڪ": "ک",
    "ٱ": "ا",
}
# Invisible characters that carry no meaning in running Persian text.
INVISIBLES = "\u200b\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad\u2060"
KASHIDA = "\u0640"
DIACRITICS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"


def _presentation_forms() -> dict[int, str]:
    """Arabic presentation forms (FB50–FDFF, FE70–FEFF) mapped to their base letters."""
    table = {}
    for code in list(range(0xFB50, 0xFDFF)) + list(range(0xFE70, 0xFEFF)):
        base = unicodedata.normalize("NFKC", chr(code))
        if len(base) == 1 and base != chr(code) and "\u0600" <= base <= "\u06ff":
            table[code] = ARABIC_TO_PERSIAN.get(base, base)
    return table


LETTER_TABLE = {**_presentation_forms(), **{ord(k): v for k, v in ARABIC_TO_PERSIAN.items()}}
LETTER_TABLE.update({ord(c): None for c in INVISIBLES + KASHIDA})
LETTER_TABLE.update({0x0660 + i: PERSIAN_DIGITS[i] for i in range(10)})  # Arabic-Indic digits
# House style: Persian digits in running text; protected spans (codes, Latin) never get here.
DIGIT_TABLE = {ord("0") + i: PERSIAN_DIGITS[i] for i in range(10)}
TABLE = {**LETTER_TABLE, **DIGIT_TABLE}

# A diacritic is stray when it does not sit on a letter (start of text, after a space or
# punctuation) or repeats the one before it.
_STRAY_DIACRITIC = re.compile(
    rf"(?:(?<=[^\w{DIACRITICS}])|^)[{DIACRITICS}]+|(?<=([{DIACRITICS}]))\1+"
)
_HAS_DIACRITIC = re.compile(f"[{DIACRITICS}]")
_LETTERS = "\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\u06c0\u0654\u0670"
# A ZWNJ means something only between two letters; elsewhere (next to a space, a digit,
# punctuation) it is noise that would also hide a glued number from the spacing rules.
_STRAY_ZWNJ = re.compile(
    f"(?<![{_LETTERS}{DIACRITICS}])\u200c+|\u200c+(?![{_LETTERS}{DIACRITICS}])|(?<=\u200c)\u200c+"
)
_ODD_SPACES = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_SPACE_RUN = re.compile(r" {2,}")


def _char_class(codes) -> str:
    """A regex character class for a set of code points, as compact ranges."""
    codes, parts, i = sorted(codes), [], 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        parts.append(re.escape(chr(codes[i])) + ("-" + re.escape(chr(codes[j])) if j > i else ""))
        i = j + 1
    return "[" + "".join(parts) + "]+"


# str.translate visits every character; finding the few that change with one regex scan
# and translating only those runs is several times faster on clean text.
_TO_TRANSLATE = re.compile(_char_class(TABLE))


def normalize_chars(text: str) -> str:
    text = _TO_TRANSLATE.sub(lambda m: m.group().translate(TABLE), text)
    if _HAS_DIACRITIC.search(text):
        text = _STRAY_DIACRITIC.sub("", text)
    if ZWNJ in text:
        text = _STRAY_ZWNJ.sub("", text)
    # Two cheap passes instead of one pattern that would be tried at every position.
    if _ODD_SPACES.search(text):
        text = _ODD_SPACES.sub(" ", text)
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    return text
