"""House spellings that depend on the word: the ezafe and -ای after a silent heh, the
compounds with one standard spelling (گفت‌وگو), the weekday names (سه‌شنبه).

Each rule changes how a word is written, never which word it is: it fires only where the
lexicon knows the word before as one that takes the ending, and a weekday name is joined
only where the context shows a day is meant (دو شنبه is also "two Saturdays"); elsewhere
the checker suggests it instead (``weekday_suggestions``).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from hamafza.persian.text import lexicon
from hamafza.persian.text.lexicon import ZWNJ, ends_in_silent_heh

LETTERS = "\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\u06c0"
_WORD = f"[{LETTERS}{ZWNJ}]"
_NOT_WORD = f"(?![{LETTERS}{ZWNJ}])"
_NOT_AFTER_WORD = f"(?<![{LETTERS}{ZWNJ}])"

# خانه ی ما, بهانهء, بهانه ء -> خانه‌ی ما: the ezafe after a silent heh is a ZWNJ and ی.
# Both patterns start at the ending, rare in text, and find the word before it after.
_EZAFE = re.compile(f"(?<=ه)(?: ی|{ZWNJ}?ء| ء){_NOT_WORD}")
# دربارهی -> درباره‌ی: the ezafe glued on, which shows a sounded «هی».
_GLUED_EZAFE = re.compile(f"(?<=ه)ی{_NOT_WORD}")
# خانه‌یی, خانه‌ئی, خانهیی, خانه یی -> خانه‌ای: the older spelling of the indefinite -ای
# (یی and ئی are no words of their own, so the space before them is the ZWNJ's).
_OLD_INDEFINITE = re.compile(f"(?<=ه)[ {ZWNJ}]?(?:یی|ئی){_NOT_WORD}")
_WORD_BEFORE = re.compile(f"{_WORD}+$")
# Inflected forms of a compound keep their ending: گفتگوها -> گفت‌وگوها.
_ENDINGS = "(?:ی|یی|ای|ها|های|هایی)?"

# The house spelling of each weekday, the commoner in the lexicon (یکشنبه, پنج‌شنبه).
WEEKDAYS = {
    "یک": "یکشنبه",
    "دو": "دوشنبه",
    "سه": "سه‌شنبه",
    "چهار": "چهارشنبه",
    "پنج": "پنج‌شنبه",
}
# Weekday names written as one word without a ZWNJ: the one join the fixer makes without
# it (the meaning checks in safety.py accept exactly these).
FUSED_WORDS = frozenset(name for name in WEEKDAYS.values() if ZWNJ not in name)
# A plural ending may follow: پنج شنبه‌ها (a number takes no plural noun: the day).
_PLURAL_AFTER = f"[ {ZWNJ}]?های?{_NOT_WORD}"
_SPACED_WEEKDAY = re.compile(
    f"{_NOT_AFTER_WORD}({'|'.join(WEEKDAYS)}) شنبه(?={_PLURAL_AFTER}|{_NOT_WORD})"
)
_GLUED_WEEKDAY = re.compile(f"{_NOT_AFTER_WORD}(سه|پنج)شنبه{_NOT_WORD}")
# Words around a number + شنبه that show a day is meant: روز سه شنبه, سه شنبه گذشته.
DAY_BEFORE = frozenset("روز روزهای امروز دیروز فردا پریروز بامداد صبح ظهر عصر غروب شب".split())
DAY_AFTER = frozenset("گذشته آینده هفته بامداد صبح ظهر عصر غروب شب".split())
_DATE_AFTER = re.compile("[ ،,(]*[0-9۰-۹]")


@cache
def compound_spellings() -> dict[str, str]:
    data = resources.files("hamafza.persian.text.data").joinpath("spellings.tsv")
    rows = (line.split("\t") for line in data.read_text("utf-8").splitlines())
    return {row[0]: row[1] for row in rows if len(row) == 2 and not row[0].startswith("#")}


@cache
def _compound_stems() -> frozenset[str]:
    """The first three letters of each variant: a cheap test before the pattern runs."""
    return frozenset(variant[:3] for variant in compound_spellings())


@cache
def _compound_pattern() -> re.Pattern:
    variants = sorted(compound_spellings(), key=len, reverse=True)
    return re.compile(
        f"{_NOT_AFTER_WORD}({'|'.join(map(re.escape, variants))})(?={_ENDINGS}{_NOT_WORD})"
    )


def fix_spellings(text: str) -> str:
    """The safe spellings above; the text is unchanged where no rule fits."""
    if "ه ی" in text or "ء" in text:
        text = _EZAFE.sub(_ezafe, text)
    if "هی" in text:
        text = _GLUED_EZAFE.sub(_glued_ezafe, text)
    if "هیی" in text or "ه‌یی" in text or "ه یی" in text or "ئی" in text:
        text = _OLD_INDEFINITE.sub(_indefinite, text)
    if any(stem in text for stem in _compound_stems()):
        text = _compound_pattern().sub(lambda m: compound_spellings()[m.group(1)], text)
    if "شنبه" in text:
        text = _GLUED_WEEKDAY.sub(lambda m: WEEKDAYS[m.group(1)], text)
        text = _SPACED_WEEKDAY.sub(lambda m: WEEKDAYS[m[1]] if _names_a_day(m) else m[0], text)
    return text


def weekday_suggestions(text: str) -> list[tuple[int, int, str]]:
    """سه شنبه where nothing shows a day is meant: (start, end, joined name) for the editor."""
    if "شنبه" not in text:
        return []
    return [
        (m.start(), m.end(), WEEKDAYS[m.group(1)])
        for m in _SPACED_WEEKDAY.finditer(text)
        if not _names_a_day(m)
    ]


def ends_in_silent_heh_word(word: str) -> bool:
    """Is ``word`` a known word whose final heh only writes a vowel (خانه, درباره)?"""
    lex = lexicon.load()
    bare = word.replace(ZWNJ, "")
    return ends_in_silent_heh(bare) and len(bare) >= 3 and (lex.spells(word) or lex.spells(bare))


def _word_before(m: re.Match) -> str:
    found = _WORD_BEFORE.search(m.string, 0, m.start())
    return found.group() if found else ""


def _ezafe(m: re.Match) -> str:
    word = _word_before(m)
    # گروهی, a ranked word of its own: there the heh is sounded and ی is a suffix.
    sounded = word.replace(ZWNJ, "") + "ی" in lexicon.load().core
    return ZWNJ + "ی" if ends_in_silent_heh_word(word) and not sounded else m.group()


def _glued_ezafe(m: re.Match) -> str:
    word = _word_before(m)
    # A word the lexicon ranks is a word of its own (گروهی): left as written.  Its untagged
    # tail also holds the mistake itself (خانهی), so it is no evidence.
    known = lexicon.load().spells_one_word(word.replace(ZWNJ, "") + "ی")
    return ZWNJ + "ی" if ends_in_silent_heh_word(word) and not known else m.group()


def _indefinite(m: re.Match) -> str:
    return ZWNJ + "ای" if ends_in_silent_heh_word(_word_before(m)) else m.group()


def _names_a_day(m: re.Match) -> bool:
    text = m.string
    before = text[: m.start()].rstrip(" ،,").rpartition(" ")[2]
    after = text[m.end() :].lstrip(" ،,").split(" ", 1)[0]
    return (
        before in DAY_BEFORE
        or bool(re.match(_PLURAL_AFTER, text[m.end() :]))
        or after.rstrip(".،,؛:)") in DAY_AFTER
        or bool(_DATE_AFTER.match(text, m.end()))
        or bool(_AND_A_DAY.match(text, m.end()))
        or bool(_A_DAY_AND.search(text, 0, m.start()))
    )


# پنج شنبه و جمعه: another weekday beside it, joined by و or یا, shows a day is meant.
_A_WEEKDAY = (
    "(?:جمعه|شنبه|یکشنبه|دوشنبه|سه\u200cشنبه|چهارشنبه|پنج\u200cشنبه"
    "|(?:یک|دو|سه|چهار|پنج)[ \u200c]?شنبه)"
)
_AND_A_DAY = re.compile(f"[ ،,]*(?:و|یا) {_A_WEEKDAY}(?![\u0621-\u06cc])")
_A_DAY_AND = re.compile(f"(?<![\u0621-\u06cc]){_A_WEEKDAY}[ ،,]+(?:و|یا) $")
