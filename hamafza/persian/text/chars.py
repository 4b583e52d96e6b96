"""Character-level normalisation: Arabic letter forms, digits, invisibles, kashida.

The letters and digits are a table lookup (``str.translate``) built once at import, so it
runs at C speed over megabytes of text.  Invisible marks and the kashida are decided by
their neighbours, because the same character is noise in one place and the only thing
keeping two words (or two numbers) apart in another.
"""

from __future__ import annotations

import re
import unicodedata

from hamafza.persian.text import lexicon
from hamafza.persian.text.lexicon import NON_JOINING

ZWNJ = "\u200c"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"

# Arabic (and Urdu) code points that Persian writes with its own letter.
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
    "ے": "ی",  # Urdu yeh barree
    "ۓ": "ئ",
    "ۃ": "ه",  # Urdu teh marbuta goal
    "ۂ": "ۀ",  # Urdu heh goal with hamza: the ezafe after a silent heh
}
# Invisible marks that keyboards and word processors leave where a ZWNJ or a space
# belongs (RLM/LRM, the soft hyphen of old Word files, zero-width space, bidi controls):
# between two letters they separate words.
SEPARATING_INVISIBLES = (
    "\u200b\u200e\u200f\u061c\u00ad\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Marks that only ask for joining (ZWJ, word joiner, BOM as ZWNBSP): the text looks the
# same without them.
GLUING_INVISIBLES = "\u200d\u2060\ufeff"
INVISIBLES = SEPARATING_INVISIBLES + GLUING_INVISIBLES
KASHIDA = "\u0640"
EN_DASH = "\u2013"
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
_LETTER = re.compile(f"[{_LETTERS}]")
_MARK = re.compile(f"[{DIACRITICS}\u0654]")
_WORD_CHAR = re.compile(f"[{_LETTERS}{DIACRITICS}0-9۰-۹٠-٩]")
_DIGIT = re.compile("[0-9۰-۹٠-٩]")
# The letters of the words on either side of a position (ZWNJ and kashida end a piece).
# A run of invisible marks with the ZWNJs beside it: ۰‌‏۰ is two numbers kept apart.
_INVISIBLE_RUN = re.compile(f"{ZWNJ}*[{INVISIBLES}][{INVISIBLES}{ZWNJ}]*")
ZWJ = "\u200d"
# Marks that may stand inside a word without meaning anything there: a hyphenation point
# (the soft hyphen) and the bidi marks a copy from a mixed line leaves.
_INSIDE_WORD_NOISE = "\u00ad\u200e\u200f\u061c"
_KASHIDA_RUN = re.compile(f"{KASHIDA}+")
_HAS_GLUE = re.compile(f"[{GLUING_INVISIBLES}]")
_IDLE_GLUE = re.compile(
    f"(?<=[{_LETTERS}{DIACRITICS}])[{GLUING_INVISIBLES}]+(?=[{_LETTERS}])"
    f"|(?<=[{SEPARATING_INVISIBLES}{ZWNJ}])[{GLUING_INVISIBLES}]+"
    f"|[{GLUING_INVISIBLES}]+(?=[{SEPARATING_INVISIBLES}{ZWNJ}])"
)
_GLUE_BY_KASHIDA = re.compile(
    f"[{GLUING_INVISIBLES}]+(?={KASHIDA})|(?<={KASHIDA})[{GLUING_INVISIBLES}]+"
)
_ZWNJ_RUN = re.compile(f"{ZWNJ}{{2,}}")
# A ZWNJ means something only between two letters; elsewhere (next to a space, a digit,
# punctuation) it is noise that would also hide a glued number from the spacing rules.
# Beside a kashida that stays (a dash) it is kept, so the dash is read the same next time.
_NEXT_TO_ZWNJ = f"{_LETTERS}{DIACRITICS}{KASHIDA}"
# After a digit, before a letter, it keeps the ending on its number (دهه ۱۳۶۰‌ها).
_STRAY_ZWNJ = re.compile(
    f"(?<![{_NEXT_TO_ZWNJ}0-9۰-۹]){ZWNJ}|{ZWNJ}(?![{_NEXT_TO_ZWNJ}])|(?<=[0-9۰-۹]){ZWNJ}(?![{_LETTERS}])"
)
# Teh marbuta before an Arabic article is read t (رحمة الله, آیة الله): it stays.
_TEH_MARBUTA = re.compile("ة(?![\u064b-\u0652]*[ \u200c]*ال)")
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
_TO_TRANSLATE = re.compile(_char_class(set(TABLE) - {ord("ة")}))
_HAS_INVISIBLE = re.compile(f"[{INVISIBLES}]")
_JOINER_BETWEEN_DIGITS = re.compile(f"(?<=[0-9۰-۹])[{ZWNJ}{GLUING_INVISIBLES}]+(?=[0-9۰-۹])")

# Kurdish and Urdu words quoted in Persian text keep their letters: هەولێر (Erbil) made
# ههولیر is no word, and Urdu کے (of) made کی reads "which".  A word is one of theirs
# when it holds a letter Persian has no use for (ێ ڕ ۆ ڵ ڤ ں ٹ ڈ ڑ), two different
# letters of theirs that Persian writes otherwise (ە ے ہ ھ …), or is a two-letter word
# ending in the Urdu ے (کے سے نے ہے).  A Persian word typed on such a keyboard (کارے)
# still gets the Persian letter.
_FOREIGN_ONLY = "ێڕۆڵڤںٹڈڑ"
_FOREIGN_MAPPED = "ەےہھۃۂېۍۓ"
_FOREIGN_WORD = re.compile(f"[\u0621-\u06ff]*[{_FOREIGN_ONLY}{_FOREIGN_MAPPED}][\u0621-\u06ff]*")
# One letter of theirs, looked for first: the word pattern, scanned over a Persian line
# with none, would try every start of every word.
_FOREIGN_LETTER = re.compile(f"[{_FOREIGN_ONLY}{_FOREIGN_MAPPED}]")


def _is_foreign_word(word: str) -> bool:
    if any(c in _FOREIGN_ONLY for c in word):
        return True
    if len({c for c in word if c in _FOREIGN_MAPPED}) > 1:
        return True
    return len(word) == 2 and word[1] == "\u06d2"


def _translate(text: str) -> str:
    def one(m: re.Match) -> str:
        return m.group().translate(TABLE)

    if not _FOREIGN_LETTER.search(text):
        return _TO_TRANSLATE.sub(one, text)
    out, pos = [], 0
    for m in _FOREIGN_WORD.finditer(text):
        if _is_foreign_word(m.group()):
            out.append(_TO_TRANSLATE.sub(one, text[pos : m.start()]))
            out.append(m.group())
            pos = m.end()
    out.append(_TO_TRANSLATE.sub(one, text[pos:]))
    return "".join(out)


def normalize_chars(text: str) -> str:
    if "ة" in text:
        text = _TEH_MARBUTA.sub("ه", text)
    text = _translate(text)
    # Kashidas first: one that only stretches a word is gone before the invisible marks
    # are read by the words beside them (ی‏کـن: the word after the mark is کن).
    if KASHIDA in text:
        if _GLUE_BY_KASHIDA.search(text):
            text = _GLUE_BY_KASHIDA.sub("", text)  # a ZWJ beside a kashida asks for nothing
        text = _KASHIDA_RUN.sub(_resolve_kashida, text)
    if _JOINER_BETWEEN_DIGITS.search(text):
        # ۱۲‌۳۴ is two numbers: glued they would read ۱۲۳۴.
        text = _JOINER_BETWEEN_DIGITS.sub(" ", text)
    if _HAS_INVISIBLE.search(text):
        if _HAS_GLUE.search(text):
            # A ZWJ between two letters or beside another mark asks for nothing: it goes
            # first, so the marks beside it are read by the words they stand between.
            text = _IDLE_GLUE.sub("", text)
        text = _INVISIBLE_RUN.sub(_resolve_invisible, text)
    if _HAS_DIACRITIC.search(text):
        text = _STRAY_DIACRITIC.sub("", text)
    if ZWNJ in text:
        # A run of ZWNJs is one half-space typed twice, not a reason to drop it.
        text = _STRAY_ZWNJ.sub("", _ZWNJ_RUN.sub(ZWNJ, text))
    # Two cheap passes instead of one pattern that would be tried at every position.
    if _ODD_SPACES.search(text):
        text = _ODD_SPACES.sub(" ", text)
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    return text


# ---- invisible marks -----------------------------------------------------------------


def _resolve_invisible(m: re.Match) -> str:
    """What an invisible run becomes: nothing, a ZWNJ or a space, by its neighbours."""
    run, text = m.group(), m.string
    before = text[m.start() - 1] if m.start() else ""
    after = text[m.end()] if m.end() < len(text) else ""
    if run == ZWJ and (_emoji_joint(before, after) or _abbreviation_joint(before, after)):
        return run  # 👨‍💻 is one emoji; ه‍.ش shows the joined form of an abbreviation
    zwnj = ZWNJ if ZWNJ in run else ""
    if not any(c in SEPARATING_INVISIBLES for c in run):
        return zwnj  # it only glued; the writer's ZWNJ is judged by the ZWNJ rules
    if KASHIDA in (before, after):
        return zwnj or " "  # the kashida beside it is a dash, kept apart from the word
    if _is_letter(before) and _is_letter(after):
        if zwnj:
            return zwnj  # the ZWNJ already separates
        if before in NON_JOINING:
            # After ا د ر و … a ZWNJ shows nothing and would be dropped, gluing و‏زن into
            # وزن; a space would split دو‏ران. Neither is safe: the mark stays as typed.
            return run
        return _separator(text, m.start(), m.end(), run)
    if _WORD_CHAR.match(before or " ") and _WORD_CHAR.match(after or " "):
        if zwnj and _DIGIT.match(before) and _is_letter(after):
            return zwnj  # ۱۳۶۰‌‏ها: the ending stays on its number
        return " "  # ۱۰‏صبح, ۱۲‏۳۴, ۰‌‏۰: keep the two apart
    return zwnj  # beside a space, a mark or the edge of the text it is noise


def _emoji_joint(before: str, after: str) -> bool:
    """A ZWJ inside an emoji sequence (👨‍👩‍👧, 🏃‍♀️): it makes one picture of several."""
    return (
        bool(before)
        and bool(after)
        and unicodedata.category(after) == "So"
        and (unicodedata.category(before) in ("So", "Sk") or before == "\ufe0f")
    )


def _abbreviation_joint(before: str, after: str) -> bool:
    """ه‍.ش: after a letter that joins, before a mark, the ZWJ shows its joined form."""
    return (
        _is_letter(before)
        and before not in NON_JOINING
        and bool(after)
        and not after.isspace()
        and not _is_letter(after)
        and not _WORD_CHAR.match(after)
        and after not in INVISIBLES
    )


def _separator(text: str, start: int, end: int, run: str) -> str:
    """Between two letters: a ZWNJ when the two halves of the word make one the lexicon
    spells with a ZWNJ there (نرم‌افزار, می‌شود); nothing when they make a word and the
    mark is a hyphenation point or a bidi mark (کت­اب); a space when they are two words
    (این یک).  A zero-width space separates words by definition: never nothing.

    The halves are the letters on each side up to a ZWNJ that shows (کت­اب‌ها is کتاب +
    ها); one after ا د ر و … shows nothing and is read through (با‌ش‏ل is باش + ل).
    A token holding another such mark (سی‏ل‏ب) is left as typed: which word is meant
    is unsure."""
    left_start = start
    while left_start > 0 and _TOKEN_CHAR.match(text[left_start - 1]):
        if _visible_zwnj(text, left_start - 1):
            break
        left_start -= 1
    right_end = end
    while right_end < len(text) and _TOKEN_CHAR.match(text[right_end]):
        if _visible_zwnj(text, right_end):
            break
        right_end += 1
    # Marks at the token's edges, beside a space or the text's edge, go: not counted.
    while left_start < start and not _is_letter(text[left_start]):
        left_start += 1
    while right_end > end and not _is_letter(text[right_end - 1]):
        right_end -= 1
    if _HAS_INVISIBLE.search(text, left_start, start) or _HAS_INVISIBLE.search(
        text, end, right_end
    ):
        return run
    left_half = _letters_only(text[left_start:start])
    right_half = _letters_only(text[end:right_end])
    if left_half.endswith("ه") and right_half == "ی":
        return ZWNJ  # خانه‏ی: the ezafe after a heh, kept apart as ‌ی
    glued = left_half + right_half
    lex = lexicon.load()
    noise = all(c in _INSIDE_WORD_NOISE for c in run)
    if not lex.spells_one_word(glued) or (not noise and left_half in lexicon.FREE_WORDS):
        return " "  # two words; after هم, کم, این … a word separator keeps them two
    spelled = lex.joined.get(glued) or lex.verbs.get(glued) or glued
    if _zwnj_at(spelled, len(left_half)):
        return ZWNJ
    return "" if noise else ZWNJ  # کت­اب is کتاب


_TOKEN_CHAR = re.compile(f"[{_LETTERS}{DIACRITICS}{ZWNJ}{INVISIBLES}]")
_NOT_LETTER = re.compile(f"[^{_LETTERS}]")


def _visible_zwnj(text: str, i: int) -> bool:
    """Is ``text[i]`` a ZWNJ after a letter that joins, so that it shows as a boundary?"""
    return text[i] == ZWNJ and i > 0 and _is_letter(text[i - 1]) and text[i - 1] not in NON_JOINING


def _letters_only(text: str) -> str:
    return _NOT_LETTER.sub("", text)


def _zwnj_at(spelled: str, letters: int) -> bool:
    """Does ``spelled`` hold a ZWNJ after its first ``letters`` letters?"""
    count = 0
    for ch in spelled:
        if ch == ZWNJ:
            if count == letters:
                return True
        else:
            count += 1
    return False


def _is_letter(ch: str) -> bool:
    return bool(ch) and bool(_LETTER.match(ch) or _MARK.match(ch))


# ---- kashida ---------------------------------------------------------------------------


_SEE_THROUGH = ZWNJ + INVISIBLES


_DIGITS_BEFORE = re.compile("[0-9۰-۹٠-٩]*$")


def _resolve_kashida(m: re.Match) -> str:
    """Inside a word the kashida stretches a letter and goes; elsewhere it is a mark.

    Between digits it is a range (۱۴۰۲ـ۱۴۰۳) and becomes an en dash, after an area code
    (۰۵۴ـ۳۳…) a hyphen; at
    a line start it marks a list item, between spaces it is a dash, after a letter that
    does not join (خبرـ) it cannot stretch anything: all kept as typed.
    """
    text = m.string
    # A ZWNJ or another invisible mark beside it is looked through: beside a digit it goes.
    before = text[: m.start()].rstrip(_SEE_THROUGH)[-1:]
    after = text[m.end() :].lstrip(_SEE_THROUGH)[:1]
    if _DIGIT.match(before or " ") and _DIGIT.match(after or " "):
        # A number with a leading zero is an area code (۰۵۴ـ۳۳۴۴…), not a range's start.
        number = _DIGITS_BEFORE.search(text[: m.start()].rstrip(_SEE_THROUGH)).group()
        return "-" if len(number) > 1 and number[0] in "0۰٠" else EN_DASH
    return "" if stretches(text, m.start(), m.end()) else m.group()


def stretches(text: str, start: int, end: int) -> bool:
    """Does the kashida run ``text[start:end]`` only stretch a word (عمـــومی)?

    It must follow a letter that joins the next one and precede a letter, and not stand
    between two words of their own that glued would be none (تهرانـاصفهان is a dash).
    """
    after = text[end] if end < len(text) else ""
    return (
        _joining_letter_before(text, start)
        and _is_letter(after)
        and not _between_two_words(text, start, end)
    )


def _joining_letter_before(text: str, pos: int) -> bool:
    """Does a letter that joins the next one stand before ``pos`` (diacritics skipped)?"""
    i = pos - 1
    while i >= 0 and _MARK.match(text[i]):
        i -= 1
    return i >= 0 and bool(_LETTER.match(text[i])) and text[i] not in NON_JOINING


def _between_two_words(text: str, start: int, end: int) -> bool:
    """تهرانـاصفهان: a dash typed as a kashida between two words, which glued are none."""
    word_start, word_end = start, end
    while word_start > 0 and (_is_letter(text[word_start - 1]) or text[word_start - 1] == KASHIDA):
        word_start -= 1
    while word_end < len(text) and (_is_letter(text[word_end]) or text[word_end] == KASHIDA):
        word_end += 1
    lex = lexicon.load()
    if lex.spells(text[word_start:word_end].replace(KASHIDA, "")):
        return False  # عمـــومی, سلامـــت: the whole is a word, the kashida stretched it
    left = text[word_start:start].replace(KASHIDA, "")
    right = text[end:word_end].replace(KASHIDA, "")
    # A verb form is a word too (برنامهـگفت‌وگو, after the spelling rule split گفتگو).
    return all(lex.is_word(w) or w in lex.verb_freq for w in (left, right))
