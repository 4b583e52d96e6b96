"""Spans no rule may touch: URLs, e-mail addresses, HTML tags and entities, codes, Latin text.

The fixer splits the text into alternating free and protected segments and runs its
rules on the free ones only, so a protected span comes out byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

_URL = r"(?:https?://|ftp://|www\.)[!#-;=?-~]*[A-Za-z0-9/#=&_%~+-]"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # \w is ASCII: the pattern is compiled with re.ASCII
_TAG = r"<!--.*?-->|</?[A-Za-z][^<>]*>"  # attribute values may hold any text
_ENTITY = r"&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]{1,31});"
# Latin words with the digits and code punctuation around them: "ISO 9001", "COVID-19", "A320".
# A word ends on a letter or digit, so a full stop after it stays in the Persian text;
# a following word that is a URL or an e-mail address is left to its own pattern.
_LATIN_WORD = r"[A-Za-z0-9](?:[A-Za-z0-9_.\-/]*[A-Za-z0-9])?"
_LATIN = rf"(?=[A-Za-z]){_LATIN_WORD}(?:[ \t]+(?!(?:https?|ftp)://|www\.|[A-Za-z0-9_.+\-]*@){_LATIN_WORD})*"
# Numbers inside codes: digits glued to Latin letters or joined by code separators.
_CODE = r"\d+[A-Za-z][A-Za-z0-9\-_/]*|\d+(?:[-_/]\d+){3,}"

# ASCII only: the fixer never changes ASCII letters, so a second run sees the same spans.
PROTECTED = re.compile(
    "|".join(f"(?:{p})" for p in (_URL, _EMAIL, _TAG, _ENTITY, _CODE, _LATIN)), re.S | re.ASCII
)


def segments(text: str) -> Iterator[tuple[int, int, bool]]:
    """Yield (start, end, protected) covering the text in order."""
    pos = 0
    for m in PROTECTED.finditer(text):
        if m.start() > pos:
            yield pos, m.start(), False
        yield m.start(), m.end(), True
        pos = m.end()
    if pos < len(text):
        yield pos, len(text), False


def protected_spans(text: str) -> list[tuple[int, int]]:
    return [(s, e) for s, e, p in segments(text) if p]


# Every protected span holds a Latin letter, one of <&@, or ASCII digits joined by - _ /;
# this cheap scan rules most Persian paragraphs out before the full pattern runs.
_HINT = re.compile(r"[A-Za-z<&@]|[0-9][-_/][0-9]")


def map_free(text: str, func: Callable[[str], str]) -> str:
    """Apply ``func`` to every unprotected segment; protected ones pass through."""
    if not _HINT.search(text) or not PROTECTED.search(text):
        return func(text)
    return "".join(text[s:e] if p else func(text[s:e]) for s, e, p in segments(text))
