"""Normalisation for full-text search, in the spirit of Lucene's Persian analyzer.

``normalize_for_search`` turns text into space-separated tokens that SQLite FTS5 (unicode61
tokenizer) and PostgreSQL (``to_tsvector('simple', ...)``) index alike.  Index documents
and queries with the same function and these all match:

* ZWNJ, its absence and a space: اطلاع‌رسانی = اطلاعرسانی = اطلاع رسانی (the word is
  restored with the fixer's ZWNJ analysis, then indexed whole *and* by its parts);
* Arabic and Persian letter variants (ي/ی، ك/ک، ة/ه، أ/إ/آ/ا، ؤ/و، ئ/ی);
* diacritics, kashida and invisible characters are ignored; all digits become ASCII;
* a light stemmer strips plural, comparative and possessive suffixes (کتاب‌ها -> کتاب)
  but never turns a lexicon word into a shorter one (تنها stays تنها).
"""

from __future__ import annotations

import re
from functools import lru_cache

from hamafza.persian.text import lexicon
from hamafza.persian.text.chars import KASHIDA, normalize_chars
from hamafza.persian.text.zwnj import restore_zwnj

Z = "\u200c"
_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ی",
        "ۀ": "ه",
        "ء": None,
        "\u0654": None,
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        **{c: None for c in "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"},
    }
)
_MARKS = str.maketrans({c: None for c in "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"})
_TOKEN = re.compile(r"[\w\u200c]+")
# Longest first; a suffix is stripped only if what is left is a known word or long enough.
_SUFFIXES = (
    "هایشان",
    "هایتان",
    "هایمان",
    "هایش",
    "هایت",
    "هایم",
    "هایی",
    "های",
    "ها",
    "ترین",
    "تر",
    "ات",
    "ان",
    "یان",
    "شان",
    "تان",
    "مان",
    "اش",
    "ام",
    "ای",
    "یی",
    "ی",
    "ش",
)
_SUFFIX_SET = frozenset(_SUFFIXES)
_ALWAYS = frozenset(("ها", "های", "هایی", "ترین"))  # unambiguous: stripped after any 3-letter stem
_STOP = "و در به از که این را با است برای آن آنها این‌ها یک تا ها های هایی ای می نمی بر هم"
STOPWORDS = frozenset(w.translate(_FOLD).replace(Z, "") for w in _STOP.split())


def normalize_for_search(text: str) -> str:
    # A kashida the fixer keeps is a dash (تهرانـاصفهان) or a bullet: it separates words.
    text = normalize_chars(text).translate(_MARKS).replace(KASHIDA, " ")
    text = restore_zwnj(text).lower()
    tokens: list[str] = []
    for raw in _TOKEN.findall(text):
        tokens.extend(_index_forms(raw))
    return " ".join(tokens)


@lru_cache(maxsize=200_000)
def _index_forms(token: str) -> tuple[str, ...]:
    """The token whole and, for a ZWNJ compound, its parts; stemmed (on lexicon spelling), then folded."""
    parts = [p for p in token.split(Z) if p and p not in _SUFFIX_SET]
    whole = stem(token.replace(Z, "")).translate(_FOLD)
    forms = [whole] if whole not in STOPWORDS else []
    if len(parts) > 1:
        for part in parts:
            form = stem(part).translate(_FOLD)
            if form not in STOPWORDS and form not in forms:
                forms.append(form)
    return tuple(forms)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Strip up to two suffixes (عمومی‌های -> عمومی -> عموم), so a word and its parts agree."""
    for _ in range(2):
        shorter = _strip_one(word)
        if shorter == word:
            break
        word = shorter
    return word


def _strip_one(word: str) -> str:
    lex = lexicon.load()
    if len(word) <= 3 or word in lex.core:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix):
            base = word[: -len(suffix)]
            if base in lex.core or (suffix in _ALWAYS and len(base) >= 3):
                return base
    return word
