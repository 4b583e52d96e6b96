"""Clean what people type into one-line fields and names.

Bidi control characters (U+202A–U+202E embeddings and overrides, U+2066–U+2069
isolates) let a name reorder the text around it wherever it is shown: in a table row, a
PDF card or a spreadsheet. No name or one-line field needs them, so they are removed on
input. Names also fold the Arabic letters ي/ى and ك, which Arabic keyboard layouts type,
to the Persian ی and ک, so one name is spelt one way. Free text keeps what was typed.
"""

from hamafza.persian.text.chars import ARABIC_TO_PERSIAN

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# The text engine's own table, narrowed to the letters a keyboard swaps: in a name, ة and
# the rest are spelling, not a keyboard's slip, and stay as written.
ARABIC_TO_PERSIAN_LETTERS = {letter: ARABIC_TO_PERSIAN[letter] for letter in "يىك"}

_NO_BIDI = str.maketrans({c: None for c in BIDI_CONTROLS})
_FOLD = str.maketrans(ARABIC_TO_PERSIAN_LETTERS)


def strip_bidi_controls(text: str) -> str:
    """``text`` without embedding, override and isolate controls."""
    return text.translate(_NO_BIDI)


def fold_letters(text: str) -> str:
    """``text`` with the Arabic ي، ى and ك written as the Persian ی and ک."""
    return text.translate(_FOLD)


def clean_name(text: str) -> str:
    """A name as it is stored and searched: no bidi controls, Persian ی and ک."""
    return fold_letters(strip_bidi_controls(text))
