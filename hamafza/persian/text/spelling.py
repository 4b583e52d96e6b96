"""Spelling: unknown words with suggestions, glued و, doubled words, گذار/گزار, letters
stretched for emphasis.

Suggestions are never applied automatically (a proper noun may look like a typo); the
glued-و split is safe only when the glued form is unknown and the rest is a common word.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from hamafza.persian.text import lexicon
from hamafza.persian.text.lexicon import ZWNJ

ALPHABET = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآئ"
# Persian standard keyboard rows (ISIRI 9147): a slip hits a neighbouring key (شذ for شد).
_ROWS = ("ضصثقفغعهخحجچ", "شسیبلاتنمکگ", "ظطزرذدپو")
COMMON = 1_000_000  # a neighbour this frequent makes an attested rare word suspicious
GLUED_VAV_MIN_FREQ = 10_000
# ومن, وتو: a pronoun glued to و (no word starts so); ورفت: a form of a common verb (the
# lexicon ranks the irregular verbs of hazm's iverbs.dat at this frequency).
GLUED_VAV_PRONOUNS = frozenset("من تو او ما شما".split())
GLUED_VAV_VERB_FREQ = 10_000_000
SUGGEST_MIN_FREQ = 100_000  # an unknown word gets only well-attested suggestions


@cache
def keyboard_neighbours() -> dict[str, dict[str, int]]:
    """Neighbouring keys with a weight: the key beside is the likeliest slip (3), above/below 1."""
    near: dict[str, dict[str, int]] = {}
    for r, row in enumerate(_ROWS):
        for i, ch in enumerate(row):
            cells = {(r + d, i + k): 1 for d in (-1, 1) for k in (-1, 0, 1)}
            cells.update({(r, i - 1): 3, (r, i + 1): 3})
            near[ch] = {
                _ROWS[rr][ii]: w
                for (rr, ii), w in cells.items()
                if 0 <= rr < 3 and 0 <= ii < len(_ROWS[rr])
            }
    return near


@cache
def gozar_table() -> dict[str, str]:
    text = resources.files("hamafza.persian.text.data").joinpath("gozar.tsv").read_text("utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {wrong: right for wrong, right in rows}


@cache
def known_words() -> frozenset[str]:
    text = (
        resources.files("hamafza.persian.text.data").joinpath("known_words.txt").read_text("utf-8")
    )
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def split_glued_vav(word: str, lex: lexicon.Lexicon | None = None) -> str | None:
    """ورفاه -> 'و رفاه' when ورفاه is no word and رفاه a common one."""
    lex = lex or lexicon.load()
    rest = word[1:]
    if (
        not word.startswith("و")
        or len(word) < (3 if rest in GLUED_VAV_PRONOUNS or _common_verb(rest, lex) else 4)
        or _known(word, lex)
        or word.endswith(("ها", "های"))
    ):
        return None  # a plural (ورها) is left alone: و+رها and ور+ها both read
    if (
        lex.core.get(rest, 0) >= GLUED_VAV_MIN_FREQ
        or lex.core.get(lex.joined.get(rest, ""), 0) >= GLUED_VAV_MIN_FREQ
        or rest in GLUED_VAV_PRONOUNS
        or _common_verb(rest, lex)  # ورفت, وشد
    ):
        return "و " + lex.joined.get(rest, rest)
    return None


def _common_verb(form: str, lex: lexicon.Lexicon) -> bool:
    return lex.verb_freq.get(form, 0) >= GLUED_VAV_VERB_FREQ


def _known(word: str, lex: lexicon.Lexicon) -> bool:
    bare = word.replace(ZWNJ, "")
    return (
        lex.knows(word)
        or word in known_words()
        or bare in lex.core
        or bare in lex.extra
        or bare in lex.joined
        or bare in lex.verbs
        or _has_known_stem(bare, lex)
    )


_INFLECTIONS = (
    "هایشان",
    "هایمان",
    "هایش",
    "هایی",
    "های",
    "ها",
    "ترین",
    "تر",
    "ان",
    "ات",
    "ی",
    "ای",
    "یی",
    "ام",
    "اش",
    "ش",
    "م",
    "ت",
    "مان",
    "تان",
    "شان",
    "ند",
    "ید",
    "یم",
    "د",
    "اند",
    "ایم",
)


def _has_known_stem(bare: str, lex: lexicon.Lexicon) -> bool:
    for suffix in _INFLECTIONS:
        if bare.endswith(suffix) and len(bare) - len(suffix) >= 2:
            stem = bare[: -len(suffix)]
            if (
                stem in lex.core
                or stem in lex.joined
                or stem in lex.participles
                or stem in lex.present_stems
            ):
                return True
    return False


def suggestions(word: str, lex: lexicon.Lexicon | None = None, limit: int = 3) -> list[str]:
    """Known words one edit away, most frequent first ('' when the word looks fine)."""
    lex = lex or lexicon.load()
    bare = word.replace(ZWNJ, "")
    if len(bare) < 2 or not all(ch in ALPHABET for ch in bare):
        return []
    if lex.freq(word) or lex.freq(bare) or word in known_words():
        return []
    if bare in lex.extra or word in lex.extra:
        # Attested but unranked: suspicious only if short and one key beside a very
        # common word (شذ for شد); longer rare words are usually right.
        if len(bare) > 3:
            return []
        return [c for c in _neighbour_slips(bare, lex, min_weight=3) if lex.freq(c) >= COMMON][
            :limit
        ]
    if _known(word, lex):
        return []
    scored = {}
    for cand in _edits(bare):
        form = lex.joined.get(cand, cand)
        freq = lex.freq(form)
        if freq >= SUGGEST_MIN_FREQ:
            scored[form] = freq
    return sorted(scored, key=lambda c: -scored[c])[:limit]


def _neighbour_slips(word: str, lex: lexicon.Lexicon, min_weight: int = 1) -> list[str]:
    near = keyboard_neighbours()
    found: dict[str, int] = {}
    for i, ch in enumerate(word):
        for c, weight in near.get(ch, {}).items():
            if weight < min_weight:
                continue
            cand = word[:i] + c + word[i + 1 :]
            if lex.freq(cand):
                found[cand] = max(found.get(cand, 0), lex.freq(cand) * weight)
    return sorted(found, key=lambda c: -found[c])


def _edits(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in ALPHABET}
    inserts = {a + c + b for a, b in splits for c in ALPHABET}
    return deletes | swaps | replaces | inserts


def doubled_words(text: str) -> list[tuple[int, int, str]]:
    """Any word written twice in a row: (start, end, single form); only function words are safe."""
    return [
        (m.start(), m.end(), m.group(1))
        for m in re.finditer(r"(?<![\w\u200c])([\w\u200c]{2,})( \1)(?![\w\u200c])", text)
    ]


# No Persian word has a letter three times in a row: سلامممم, خیلیییی stretch it for emphasis.
_STRETCHED = re.compile(r"([\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc])\1{2,}")


def unstretched(word: str, lex: lexicon.Lexicon | None = None) -> str | None:
    """The word a stretched one stands for (سلامممم -> سلام), or None if none is stretched.

    Each run becomes one letter, or two where only that makes a known word (الله); the
    kashidas after the last letter go.
    Never applied by the fixer: a stretched word is the writer's tone, not a typo.
    """
    # Kashidas after the last letter stretch it too (سلامـــ): they all go.
    trimmed = word.rstrip("\u0640")
    if not _STRETCHED.search(trimmed):
        return trimmed if trimmed != word and trimmed else None
    word = trimmed
    lex = lex or lexicon.load()
    single = _STRETCHED.sub(r"\1", word)
    double = _STRETCHED.sub(r"\1\1", word)
    return double if not lex.spells(single) and lex.spells(double) else single
