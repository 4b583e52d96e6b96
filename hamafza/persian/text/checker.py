"""The editorial checker and fixer.

``fix`` runs the safe rules as fast text passes (characters, punctuation, ZWNJ, glued و,
house spellings) over the unprotected parts of the text.  A safe rule never changes what the
text says (``safety.py`` states what that means and the tests hold every rule to it).
``check`` explains them: it diffs each line with its fixed form and reports every change
as a ``Finding`` marked safe, then adds the findings that need a human (spelling
suggestions, a joined word with two readings, a weekday that may be a count, stretched
letters, duplicated paragraphs, impossible dates), marked unsafe.  Applying the safe
findings to the text gives exactly ``fix(text)``.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from hamafza.persian.text import chars, orthography, punctuation, spelling, structure
from hamafza.persian.text.protect import DECIMAL_COMMA, map_free, protected_spans, segments
from hamafza.persian.text.zwnj import ZWNJ, restore_zwnj, restorer


@dataclass(frozen=True, order=True)
class Finding:
    start: int
    end: int
    code: str
    message: str
    suggestion: str
    safe: bool

    def as_dict(self) -> dict:
        data = asdict(self)
        return {k: data[k] for k in ("code", "start", "end", "message", "suggestion", "safe")}


def _fix_free(text: str) -> str:
    text = chars.normalize_chars(text)
    text = punctuation.fix_punctuation(text, quotes=False)
    # After the ZWNJ pass, which also mends a glued و: وگفتگو -> و گفتگو -> و گفت‌وگو.
    return orthography.fix_spellings(restore_zwnj(text))


def fix(text: str) -> str:
    """The text with every safe correction applied; ``fix(fix(t)) == fix(t)``."""
    if _QUOTE.search(text):
        # Quotes pair across the line, a Latin word inside them or not ("کتاب Python را").
        text = punctuation.guillemets(text, protected_spans(text))
    fixed = map_free(text, _fix_free)
    if _MARK_THEN_LATIN.search(fixed):
        fixed = _space_before_latin(text)
    return fixed


_QUOTE = re.compile(f"[{re.escape(punctuation.QUOTES)}]")
_MARK_THEN_LATIN = re.compile("[؟،؛][A-Za-z]")


def _space_before_latin(text: str) -> str:
    """A Persian mark that ends the free text takes a space before the Latin word after
    it, as before a Persian one (سلام ?Hello -> سلام؟ Hello); inside a protected span
    (an address) nothing moves."""
    parts = [(text[s:e], p) if p else (_fix_free(text[s:e]), p) for s, e, p in segments(text)]
    out = []
    for k, (part, protected) in enumerate(parts):
        out.append(part)
        nxt = parts[k + 1] if k + 1 < len(parts) else ("", False)
        if (
            not protected
            and nxt[1]
            and part.endswith(("؟", "،", "؛"))
            and _LATIN_START.match(nxt[0])
        ):
            out.append(" ")
    return "".join(out)


_LATIN_START = re.compile("[A-Za-z]")


def check(text: str) -> list[Finding]:
    findings = list(_safe_findings(text))
    findings += spelling_findings(text)
    findings += weekday_findings(text)
    findings += decimal_comma_findings(text)
    findings += join_findings(text)
    findings += structure.findings(text)
    if "\n" in text:
        # The lines are checked one by one; a code block or a <pre> runs over several, so
        # what falls inside one is dropped here.
        blocks = [(s, e) for s, e in protected_spans(text) if "\n" in text[s:e]]
        findings = [f for f in findings if not any(s <= f.start and f.end <= e for s, e in blocks)]
    return sorted(findings)


def apply(text: str, findings: Iterable[Finding]) -> str:
    """Replace each finding's span by its suggestion (non-overlapping, safe ones by default)."""
    out, pos = [], 0
    for f in sorted(f for f in findings if f.safe):
        if f.start < pos:
            continue
        out.append(text[pos : f.start])
        out.append(f.suggestion)
        pos = f.end
    out.append(text[pos:])
    return "".join(out)


# ---- safe findings: explain the fixer's changes -----------------------------

_WORDISH = re.compile(r"[\w\u200c\u064b-\u0652]")


def _safe_findings(text: str) -> Iterable[Finding]:
    offset = 0
    for line in text.split("\n"):
        fixed = fix(line)
        if fixed != line:
            for i1, i2, j1, j2 in _word_changes(line, fixed):
                before, after = line[i1:i2], fixed[j1:j2]
                code, message = _explain(before, after)
                yield Finding(offset + i1, offset + i2, code, message, after, True)
        offset += len(line) + 1


def _word_changes(a: str, b: str) -> list[tuple[int, int, int, int]]:
    """Diff hunks widened to whole words and merged when they touch."""
    hunks: list[list[int]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        while i1 > 0 and j1 > 0 and a[i1 - 1] == b[j1 - 1] and _WORDISH.match(a[i1 - 1]):
            i1, j1 = i1 - 1, j1 - 1
        while i2 < len(a) and j2 < len(b) and a[i2] == b[j2] and _WORDISH.match(a[i2]):
            i2, j2 = i2 + 1, j2 + 1
        if hunks and i1 <= hunks[-1][1]:
            hunks[-1][1:] = [max(i2, hunks[-1][1]), hunks[-1][2], max(j2, hunks[-1][3])]
        else:
            hunks.append([i1, i2, j1, j2])
    return [tuple(h) for h in hunks]


MESSAGES = {
    "zwnj": "نیم‌فاصله: «{0}» باید «{1}» نوشته شود.",
    "spacing": "فاصله: «{0}» باید «{1}» نوشته شود.",
    "digits": "ارقام فارسی: «{0}» ← «{1}».",
    "arabic-letters": "حروف عربی به فارسی: «{0}» ← «{1}».",
    "invisible": "نویسه‌های نامرئی، کشیده یا اعراب نابه‌جا حذف شد: «{0}» ← «{1}».",
    "punctuation": "نشانه‌گذاری و فاصله‌گذاری: «{0}» ← «{1}».",
    "house-spelling": "املای معیار: «{0}» ← «{1}».",
    "doubled-word": "واژه تکراری «{0}» یک بار بس است.",
}


def _explain(before: str, after: str) -> tuple[str, str]:
    code = _classify(before, after)
    if code == "doubled-word":
        return code, MESSAGES[code].format(before.split()[0] if before.split() else before)
    return code, MESSAGES[code].format(before, after)


def _classify(before: str, after: str) -> str:
    def skeleton(s: str) -> str:
        return s.replace(ZWNJ, "").replace(" ", "")

    if skeleton(before) == skeleton(after):
        if ZWNJ in before or ZWNJ in after:
            return "zwnj"
        return "spacing"
    words = before.split()
    if len(words) >= 2 and len(words) > len(after.split()) and words[0] == words[-1]:
        return "doubled-word"
    if chars.KASHIDA in before and chars.EN_DASH in after:
        return "punctuation"  # ۱۴۰۲ـ۱۴۰۳ -> ۱۴۰۲–۱۴۰۳: a range written with a kashida
    normal = chars.normalize_chars(before)
    if skeleton(normal) == skeleton(after):
        if any(c.isdigit() for c in before) and before.translate(
            chars.LETTER_TABLE
        ) != before.translate(chars.TABLE):
            return "digits"
        if any(c in chars.INVISIBLES or c == chars.KASHIDA for c in before) or len(normal) < len(
            before.translate(chars.LETTER_TABLE)
        ):
            return "invisible"
        return "digits" if any(c.isdigit() for c in before) else "arabic-letters"
    if _letters(normal) != _letters(after):
        return "house-spelling"  # بهانهء -> بهانه‌ی, گفتگو -> گفت‌وگو, سه شنبه -> سه‌شنبه
    return "punctuation"


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isalnum() and c != chars.KASHIDA)


# ---- unsafe findings ----------------------------------------------------------

_TOKEN = re.compile(r"[\u0621-\u064b\u067e\u0686\u0698\u06a9\u06af\u06cc\u200c]+")


def spelling_findings(text: str) -> list[Finding]:
    found = []
    for m in _TOKEN.finditer(text):
        issue = _word_issue(m.group())
        if issue:
            found.append(Finding(m.start(), m.end(), *issue, False))
    # A doubled word is left to the editor: کم کم and آرام آرام are doubled on purpose.
    for start, end, single in spelling.doubled_words(text):
        found.append(
            Finding(start, end, "doubled-word", f"واژه «{single}» دو بار آمده است.", single, False)
        )
    return found


_DECIMAL_COMMA = re.compile(DECIMAL_COMMA)


def decimal_comma_findings(text: str) -> list[Finding]:
    """۳,۵ (or 1.234,56) is left as typed: a decimal comma, or a list (۳، ۵)?  The
    editor is offered the Persian decimal point."""
    findings = []
    for m in _DECIMAL_COMMA.finditer(text):
        number = m.group().translate(chars.DIGIT_TABLE)
        decimal = number.replace(".", "").replace(",", "٫")
        findings.append(
            Finding(
                m.start(),
                m.end(),
                "decimal-comma",
                f"اگر «{m.group()}» عدد اعشاری است، «{decimal}» نوشته شود.",
                decimal,
                False,
            )
        )
    return findings


def weekday_findings(text: str) -> list[Finding]:
    """سه شنبه with nothing around it that says a day: the day or three Saturdays?"""
    return [
        Finding(
            start,
            end,
            "weekday",
            f"اگر «{text[start:end]}» نام روز هفته است، «{joined}» نوشته شود.",
            joined,
            False,
        )
        for start, end, joined in orthography.weekday_suggestions(text)
    ]


_LETTER = "\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc"
# Two words with one space between them, and the word after them if there is one; the
# second and third are looked ahead at, so every pair of neighbours is seen.
_PAIR = re.compile(
    f"(?<![{_LETTER}{ZWNJ}])([{_LETTER}{ZWNJ}]+) (?=([{_LETTER}{ZWNJ}]+)(?: ([{_LETTER}]+))?)"
)


def join_findings(text: str) -> list[Finding]:
    """Two words that may be one (این گونه: thus, or this species?): the fixer leaves them
    apart; the editor is offered the joined spelling."""
    found = []
    restore = restorer()
    for m in _PAIR.finditer(text):
        first, second, third = m.group(1), m.group(2), m.group(3) or ""
        if second == "ام" and third.startswith("ال"):
            continue  # ام البنین, ام القری: the Arabic «mother», no ending
        joined = restore.join_suggestion(first, second)
        if joined:
            start, end = m.start(1), m.end(1) + 1 + len(second)
            found.append(
                Finding(
                    start,
                    end,
                    "join-ambiguous",
                    f"اگر «{text[start:end]}» یک واژه است، «{joined}» نوشته شود.",
                    joined,
                    False,
                )
            )
    return found


@functools.lru_cache(maxsize=100_000)
def _word_issue(token: str) -> tuple[str, str, str] | None:
    word = fix(token).strip(ZWNJ)
    if " " in word:
        return None  # a glued word: already reported as a safe spacing fix
    plain = spelling.unstretched(word)
    if plain:
        return "stretched", f"«{word}» کشیده نوشته شده است؛ شکل نوشتاری آن «{plain}» است.", plain
    readings = restorer().readings(word)
    if readings:
        listed = " یا ".join(f"«{r}»" for r in readings)
        return (
            "zwnj-ambiguous",
            f"«{word}» را می‌توان {listed} خواند؛ نیم‌فاصله را به خوانش درست بگذارید.",
            readings[0],
        )
    right = spelling.gozar_table().get(word)
    if right:
        return "gozar-gozar", f"گذار/گزار: «{word}» درست نیست؛ «{right}» درست است.", right
    options = spelling.suggestions(word)
    if options:
        listed = "، ".join(options)
        return (
            "spelling",
            f"واژه «{word}» در واژه‌نامه نیست یا اشتباه تایپی است؛ پیشنهاد: {listed}",
            options[0],
        )
    return None
