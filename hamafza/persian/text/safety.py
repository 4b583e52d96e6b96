"""What a safe fix may do to a text, checked on a (before, after) pair.

A safe fix may change how a letter or a digit is encoded (ي -> ی, 1 -> ۱), the spaces and
half-spaces between words, and the punctuation.  It must keep what the text says:

* no letter or digit is lost (a house spelling may add one: گفتگو -> گفت‌وگو);
* two tokens that were apart stay apart, or are joined with a ZWNJ (کتاب ها -> کتاب‌ها;
  after a letter that does not join, the ZWNJ is implied: کشور ها -> کشورها);
* a word the lexicon lists whole is not split (تنها, منهای), nor read another way: a
  sounded heh as a silent one (فقهی), a word and its copula as a plural (تنهاست), the
  Arabic plural -یات as -ی + ات, a plural and its possessive as a verb (نهادهایم);
* a join of two tokens is no fusion of two words of their own (هم سفر, کم کار, این
  گونه, و زن, کار گر, آهن گران, باش ها); a soft hyphen or a bidi mark inside a word may
  go, but not after ا د ر و … where it may be all that kept two words apart;
* a half-space that tied an ending to its word (دهه ۱۳۶۰‌ها) does not become a space,
  and two numbers do not become one (۱۲۳،۴۵۶ is not ۱۲۳٬۴۵۶);
* a punctuation mark between two words stays, though it may change its form
  (, -> ،, " -> «, -- -> –, a kashida between digits -> –);
* protected spans (URLs, e-mails, codes, placeholders, handles, hashtags, Latin text)
  come out byte for byte; an emoji sequence keeps its ZWJs and a number its unit marks
  (۱۵", ۴۲').

Repeated marks are the one thing that may disappear (؟؟؟ -> ؟).  ``meaning_changes`` names
each breach; the property tests run it over random and real text, bench/textfix.py over
the regression set.  It shares with the fixer the lexicon and what a stretching kashida
is, none of its rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hamafza.persian.text import lexicon
from hamafza.persian.text.chars import (
    DIGIT_TABLE,
    GLUING_INVISIBLES,
    KASHIDA,
    LETTER_TABLE,
    SEPARATING_INVISIBLES,
    stretches,
)
from hamafza.persian.text.lexicon import FREE_WORDS, NON_JOINING, ZWNJ, ends_in_silent_heh
from hamafza.persian.text.orthography import FUSED_WORDS
from hamafza.persian.text.protect import protected_spans
from hamafza.persian.text.zwnj import keep_words

_FOLD = {**LETTER_TABLE, **DIGIT_TABLE}
_NO_GLUE = {ord(c): None for c in GLUING_INVISIBLES}
_KASHIDAS = re.compile(f"{KASHIDA}+")
# Spellings of one word that the house style turns into each other: the ezafe after a
# silent heh (خانه ی, بهانهء, خانهٔ -> خانه‌ی), the indefinite (خانه‌یی -> خانه‌ای) and
# the percent sign's place (%۵۰ -> ۵۰٪).
_GAP = f"[ {ZWNJ}{SEPARATING_INVISIBLES}]"
_EQUIVALENT = (
    (re.compile(f"(?<=ه){_GAP}*[ء\u0654]"), ZWNJ + "ی"),
    (re.compile(f"(?<=ه){_GAP}+ی(?![\u0621-\u06cc])"), ZWNJ + "ی"),
    (re.compile(f"(?<=ه){_GAP}*(?:یی|ئی)(?![\u0621-\u06cc])"), ZWNJ + "ای"),
    # A percent typed before its number (%50) is the one Persian writes after it (۵۰٪).
    (re.compile("(?<![^ \t(«\n])%([۰-۹]+(?:[.٫][۰-۹]+)?)(?![۰-۹])"), "\\1٪"),
)
# The gap before a letter: none, a ZWNJ, a mark that may stand inside a word (a soft
# hyphen, a bidi mark) with no space, anything else.
JOINED, HALF, MARK, APART = 0, 1, 2, 3
_INSIDE_WORD_MARKS = "\u00ad\u200e\u200f\u061c"
# Teh marbuta before an Arabic article is read t (رحمة الله): it is not the letter ه.
_TEH_READ_T = re.compile("ة(?=[\u064b-\u0652]*[ \u200c]*ال)")
# Endings of derivation that are words of their own: کار گران (expensive work) is not
# کارگران (workers), آهن گران شد not آهن‌گران, کار گر (if the work) not کارگر.
FREE_ENDINGS = frozenset("گر گران".split())
_PLURALS = frozenset("ها های هایی".split())
_PERSIAN_LETTER = re.compile("[\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\u06c0]")


@dataclass(frozen=True)
class Unit:
    char: str  # a letter or a digit, folded (ي -> ی, 1 -> ۱); "" ends the text
    gap: int  # what separated it from the unit before
    marked: bool = False  # a punctuation mark stood in that gap


def meaning_changes(before: str, after: str) -> list[str]:
    """Every way ``after`` says something ``before`` did not (empty when the fix is safe)."""
    problems = _protected_changes(before, after) + _sign_changes(before, after)
    b, a = units(before), units(after)
    aligned = _align(b, a)
    if aligned is None:
        lost, now = _spell(b, 0, len(b)), _spell(a, 0, len(a))
        return [*problems, f"a letter or digit was lost: «{lost}» -> «{now}»"]
    for i in range(len(b)):
        problem = _gap_change(b, a, aligned, i)
        if problem:
            problems.append(problem)
    return problems


def units(text: str) -> list[Unit]:
    """The letters and digits of a text, each with the kind of gap before it."""
    # One character for one: the letters as the fixer reads them, without the marks that
    # only ask for joining (the text looks the same without them).
    kept_teh = "ة" in text and bool(_TEH_READ_T.search(text))
    if kept_teh:  # kept out of the fold, and still a letter that does not join
        text = _TEH_READ_T.sub("\ue000", text)
    text = _KASHIDAS.sub(_unstretch, text.translate(_FOLD).translate(_NO_GLUE))
    if kept_teh:
        text = text.replace("\ue000", "ة")
    for pattern, repl in _EQUIVALENT:
        text = pattern.sub(repl, text)
    text = _NUMBER_SEPARATOR.sub(r"\1", text)
    out: list[Unit] = []
    gap, marked = APART, False
    for n, ch in enumerate(text):
        if ch.isalnum() and ch != KASHIDA:
            if _is_mark(ch):
                continue  # diacritics ride on their letter; a stray one may go
            out.append(Unit(ch, gap, marked))
            gap, marked = JOINED, False
        elif ch == ZWNJ:
            gap = HALF if gap in (JOINED, MARK) else gap  # a ZWNJ says what a mark beside it meant
        elif ch in _INSIDE_WORD_MARKS:
            if gap == JOINED:
                gap = MARK  # a soft hyphen inside کتاب, or an RLM between two words
        elif ch.isspace() or ch in SEPARATING_INVISIBLES:
            gap = APART  # a zero-width space kept two words apart, as a space does
        elif ch in _IN_NUMBER and _between_digits(text, n):
            pass  # ۱,۰۰۰ and ۳.۵ are one number, whatever the separator's form (٬ ٫)
        else:
            gap, marked = APART, True
    out.append(Unit("", APART, marked))  # the end, holding the marks after the last word
    return out


# Separators inside one number.  The Persian comma is not one: ۱۲۳،۴۵۶ may be two codes.
_IN_NUMBER = ",.٬٫"
_INVISIBLE = ZWNJ + SEPARATING_INVISIBLES + GLUING_INVISIBLES
_DROP_INVISIBLE = {ord(c): None for c in _INVISIBLE}


# Invisible marks beside a separator inside a number mean nothing there.
_NUMBER_SEPARATOR = re.compile(f"(?<=\\d)[{_INVISIBLE}]*([{_IN_NUMBER}])[{_INVISIBLE}]*(?=\\d)")


def _between_digits(text: str, n: int) -> bool:
    return 0 < n < len(text) - 1 and text[n - 1].isdigit() and text[n + 1].isdigit()


def _is_mark(ch: str) -> bool:
    return "\u064b" <= ch <= "\u065f" or ch == "\u0670"


def _unstretch(m: re.Match) -> str:
    """A kashida that only stretches a word is not there; one that is a dash is a mark."""
    return "" if stretches(m.string, m.start(), m.end()) else m.group()


def _align(b: list[Unit], a: list[Unit]) -> list[int] | None:
    """Where each unit of ``b`` is in ``a`` (``a`` may hold added letters), or None."""
    positions, j = [], 0
    for unit in b:
        while j < len(a) and a[j].char != unit.char:
            j += 1
        if j == len(a):
            return None
        positions.append(j)
        j += 1
    return positions


def _gap_change(b: list[Unit], a: list[Unit], aligned: list[int], i: int) -> str | None:
    """What happened in the gap before ``b[i]``, if it changed the meaning."""
    start = aligned[i - 1] + 1 if i else 0
    end = aligned[i]
    now = max(u.gap for u in a[start : end + 1])
    if b[i].marked and not any(u.marked for u in a[start : end + 1]):
        return f"a punctuation mark removed before «{_word(b, i)}»"
    if i == 0:
        return None
    left = b[i - 1].char
    was = b[i].gap
    glued = f"two tokens glued: «{_word(b, i - 1)}» + «{_word(b, i)}» -> «{_word(a, end)}»"
    if was == MARK and now == HALF:
        whole = _word(a, end)
        bare = whole.replace(ZWNJ, "")
        lex = lexicon.load()
        if bare in lex.core and lex.joined.get(bare) != whole and bare not in lex.verbs:
            return f"a word split at its hyphenation point: «{bare}» -> «{whole}»"
    if was == MARK and now == JOINED:
        # A hyphenation point or a bidi mark inside a word the lexicon lists whole may go
        # (کت­اب); after ا د ر و … it may have been the only thing between two words.
        whole = _piece(a, end)  # ofکتاب, ۷۸۹کتاب: the Persian letters around the mark
        return None if _joins(left) and lexicon.load().spells_one_word(whole) else glued
    if was == APART and now == JOINED and _word(a, end).split(ZWNJ)[0] in FUSED_WORDS:
        return None
    if was == APART and (now == HALF or (now == JOINED and left in NON_JOINING)):
        # After a letter that does not join, the ZWNJ is implied: کشور ها -> کشورها.
        return _fusion(b, a, aligned, i)
    if was == APART and now == JOINED:
        return glued
    if was == HALF and now == JOINED and _joins(left):  # a ZWNJ after ر or ۷ shows nothing
        return f"a ZWNJ between two letters dropped: «{_word(a, end)}»"
    if was == HALF and now > MARK and b[i].char.isalpha() and (_joins(left) or left.isdigit()):
        # Before a digit or after و, ر … the ZWNJ meant nothing (و‌رفت -> و رفت).
        return f"a half-space became a space: «{_word(b, i)}» -> «{_word(a, end)}»"
    if was == JOINED and now > JOINED and end - start == 0:
        ws, we = _word_span(b, i)
        split = _spell(a, aligned[ws], aligned[we - 1] + 1)
        if not _may_split(_spell(b, ws, we), split, i - ws):
            return f"a word of the lexicon split: «{_spell(b, ws, we)}» -> «{split}»"
    return None


def _fusion(b: list[Unit], a: list[Unit], aligned: list[int], i: int) -> str | None:
    """Two tokens joined with a (shown or implied) ZWNJ: a meaning change when the first is
    a word that stands before others (هم, کم, این, و), the second an ending that is a word
    of its own (گر, گران), a plural ending after a verb (باش ها: an interjection), or the
    Arabic «mother» before an article (فاطمه ام البنین).

    When the first token is joined to the word before it in the same change, it is the
    second part of a compound (تصمیم گیری ها -> تصمیم‌گیری‌ها): a noun, not a verb."""
    ws, _ = _word_span(b, i - 1)
    compound = ws > 0 and max(u.gap for u in a[aligned[ws - 1] + 1 : aligned[ws] + 1]) <= HALF
    _, we = _word_span(b, i)
    left, right = _spell(b, ws, i), _spell(b, i, we)
    lex = lexicon.load()
    why = None
    if left in FREE_WORDS and (lex.is_word(right) or right in lex.verb_freq):
        why = "a word of its own before another"
    elif right in FREE_ENDINGS:
        why = "an ending that is a word of its own"
    elif (
        right in _PLURALS
        and not (compound and _compound_noun(b, ws, left, lex))
        and (lex.is_imperative(left) or (left in lex.verb_freq and not lex.is_content_word(left)))
    ):
        why = "a plural ending after a verb"
    elif right == "ام" and _spell(b, we, _word_span(b, we)[1]).startswith("ال"):
        why = "the Arabic ام (mother) before an article"
    return f"two words fused ({why}): «{left}» + «{right}»" if why else None


_SEPARATORS = {JOINED: "", HALF: ZWNJ, MARK: "", APART: " "}


def _compound_noun(b: list[Unit], ws: int, left: str, lex) -> bool:
    """Is ``left``, joined to the word before it, a compound noun (تصمیم‌گیری, a noun in
    -ی as گیری پذیری end them) rather than a verb (خوب‌باش)?"""
    first = _spell(b, _word_span(b, ws - 1)[0], ws)
    return left.endswith("ی") or lex.is_content_word(f"{first}{ZWNJ}{left}")


def _joins(ch: str) -> bool:
    return ch.isalpha() and ch not in NON_JOINING


def _word_span(us: list[Unit], i: int) -> tuple[int, int]:
    """The units of the word around ``us[i]``: joined directly or by a ZWNJ."""
    start = i
    while start > 0 and us[start].gap <= HALF:
        start -= 1
    end = i + 1
    while end < len(us) and us[end].gap <= HALF and us[end].char:
        end += 1
    return start, end


def _piece(us: list[Unit], i: int) -> str:
    """The Persian letters joined directly around ``us[i]`` (a ZWNJ, a digit or a Latin
    letter ends a piece)."""
    start, end = i, i + 1
    while start > 0 and us[start].gap == JOINED and _PERSIAN_LETTER.match(us[start - 1].char):
        start -= 1
    while end < len(us) and us[end].gap == JOINED and _PERSIAN_LETTER.match(us[end].char):
        end += 1
    return _spell(us, start, end)


def _word(us: list[Unit], i: int) -> str:
    return _spell(us, *_word_span(us, i))


def _spell(us: list[Unit], start: int, end: int) -> str:
    return "".join((_SEPARATORS[u.gap] if n else "") + u.char for n, u in enumerate(us[start:end]))


def _may_split(word: str, result: str, at: int) -> bool:
    """Splitting ``word`` into ``result`` keeps its meaning unless the lexicon lists the
    word whole (and the lexicon's own spelling is not the split one), or the split reads
    the word another way: a sounded heh as a silent one (فقهی -> فقه‌ی), a ranked word
    with its copula as a plural (تنهاست -> تن‌هاست), the Arabic plural -یات as -ی + ات
    (عمومیات), a plural with its possessive as a perfect verb (نهادهایم -> نهاده‌ایم)."""
    lex = lexicon.load()
    bare = word.replace(ZWNJ, "")
    if result.replace(" ", ZWNJ) in (lex.verbs.get(bare), lex.joined.get(bare)):
        return True
    if bare in lex.core or bare in keep_words():
        return False
    # The split falls after the first ``at`` letters of the word.
    right = bare[at:]
    if _reads_otherwise(bare, bare[:at], right, lex):
        return False
    if bare in lex.extra:
        first = re.split(f"[ {ZWNJ}]", result)[0]
        if right in ("تر", "ترین"):  # نزدیکتر: a gradable adjective, a preposition too
            return {"AJ", "ADV"} <= lex.tags.get(first, frozenset())
        return lex.is_content_word(first)  # کتابها -> کتاب‌ها, never منهای -> من‌های
    return True


_HEH_ENDINGS = frozenset("ی ای ام ات اش ایم اید اند ایی".split())
_VOWEL_ENDINGS = ("ست", "یم", "یت", "یش", "یمان", "یتان", "یشان")


def _reads_otherwise(bare: str, left: str, right: str, lex) -> bool:
    """Does the split (``left`` + ZWNJ + ``right``) give the word another reading?"""
    if left.endswith("ه") and right in _HEH_ENDINGS and not ends_in_silent_heh(left):
        return True  # مشابهی is «a similar one», not مشابه‌ی
    for ending in _VOWEL_ENDINGS:
        base = bare[: -len(ending)]
        if bare.endswith(ending) and base[-1:] in ("ا", "و", "ی") and base in lex.core:
            if len(left) < len(base):
                return True  # تنهاست = تنها + ست
    if right == "ات" and left.endswith("ی"):
        tags = lex.tags.get(left, frozenset())
        return "N" not in tags or "AJ" in tags  # عمومیات, دینیات: the Arabic plural
    if left.endswith("ه") and right in ("ایم", "اید"):
        noun = left[:-1]  # نهاده‌ایم or نهاد + ها + یم?
        if lex.is_content_word(noun) and bare == noun + "ها" + right[1:]:
            return lex.freq(left) < 1000 * lex.freq(noun)
    return False


# Signs that are no letters but say something: the ZWJ that makes one emoji of several
# (👨‍💻), and an inch, foot, minute or second mark after a number (۱۵", ۴۲'), which a
# quote closing after a number («ماده ۱۲») is not.
_EMOJI = "\u2600-\u27bf\U0001f000-\U0001faff"
_EMOJI_JOINT = re.compile(f"(?<=[{_EMOJI}\ufe0f\U0001f3fb-\U0001f3ff])\u200d(?=[{_EMOJI}])")
# A quote opened right after a number was its unit mark (۱۵" -> ۱۵«): no quote opens so.
_OPENED_AFTER_NUMBER = re.compile("(?<=[0-9۰-۹٠-٩])[«\u201c\u2018]")


def _visible(text: str) -> str:
    return text.translate(_DROP_INVISIBLE)


def _sign_changes(before: str, after: str) -> list[str]:
    problems = []
    if "\u200d" in before and len(_EMOJI_JOINT.findall(after)) < len(_EMOJI_JOINT.findall(before)):
        problems.append("an emoji sequence split: a ZWJ between two emoji removed")
    seen_after, seen_before = (_OPENED_AFTER_NUMBER.findall(_visible(t)) for t in (after, before))
    if len(seen_after) > len(seen_before):
        problems.append("a unit mark after a number (۱۵\", ۴۲') made an opening quote")
    return problems


def _protected_changes(before: str, after: str) -> list[str]:
    problems, pos = [], 0
    for start, end in protected_spans(before):
        span = before[start:end]
        found = after.find(span, pos)
        if found < 0:
            problems.append(f"a protected span changed: «{span}»")
            continue
        pos = found + len(span)
    return problems
