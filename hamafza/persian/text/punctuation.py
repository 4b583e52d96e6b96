"""Persian punctuation and spacing: ، ؛ ؟ « » … ٪ ٫ ٬, spaces around marks, glued numbers.

Each rule is one compiled regex; they run in a fixed order chosen so that a second run
finds nothing left to do (the fixer must be idempotent).
"""

from __future__ import annotations

import re
from collections.abc import Callable

FA = "\u0600-\u06ff\u200c"  # Persian/Arabic block, digits included, plus ZWNJ
# Persian letters, without the kashida (U+0640) between them: a kept kashida is a dash.
LETTER = "\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\u06c0"
DIGIT = "۰-۹"
DIGITS = "۰۱۲۳۴۵۶۷۸۹"
CLOSERS = ".،؛:!؟…)»\\]"
# Ordinal and plural endings that legitimately follow a number (۱۷ام، ۱۴۰۰مین).
_ORDINAL = "(?:امین|مین|ام|م)(?![" + LETTER + "])"


_CLOSER_CHARS = CLOSERS.replace("\\", "")
# Stands in the rule list for the space-before-closer step, done by _drop_space_before_closers.
_SPACE_BEFORE_CLOSER = re.compile(f" +(?=[{CLOSERS}])")


_HAS_LETTER = re.compile(f"[{LETTER}]")
# Straight quotes pair up in order within a line; the doubled ASCII forms ('' and ``) are
# one quote each, so they are tried first.
_STRAIGHT_QUOTES = ('"', "''", "``", "'", "`")
_CURLY_PAIRS = re.compile("\u201c([^\u201c\u201d\n]*)\u201d|\u2018([^\u2018\u2019\n]*)\u2019")


def _guillemets(text: str) -> str:
    """ "...", '...', `...` and the curly quotes -> «...» when they hold Persian text.

    Straight quotes are paired in order within a line; an odd count is left alone as
    ambiguous.  Latin apostrophes (It's) sit inside protected Latin words and never get here.
    """
    lines = text.split("\n")
    for n, line in enumerate(lines):
        for quote in _STRAIGHT_QUOTES:
            if quote in line:
                line = _pair_quotes(line, quote)
        lines[n] = line
    text = "\n".join(lines)
    if "\u201c" in text or "\u2018" in text:
        text = _CURLY_PAIRS.sub(_curly, text)
    return text


def _pair_quotes(line: str, quote: str) -> str:
    parts = line.split(quote)
    if len(parts) < 3 or len(parts) % 2 == 0:
        return line
    out = [parts[0]]
    for i in range(1, len(parts), 2):
        inner = parts[i]
        out.append(f"«{inner}»" if _HAS_LETTER.search(inner) else f"{quote}{inner}{quote}")
        out.append(parts[i + 1])
    return "".join(out)


def _curly(m: re.Match) -> str:
    inner = m.group(1) if m.group(1) is not None else m.group(2)
    return f"«{inner}»" if _HAS_LETTER.search(inner) else m.group()


def _marks_run(m: re.Match) -> str:
    """؟؟؟!!! -> ؟!, !!!!????? -> ؟!: one question mark and one exclamation at most,
    the question first, as Persian style writes them."""
    run = m.group()  # with the spaces before it, which no closing mark takes
    return ("؟" if "?" in run or "؟" in run else "") + ("!" if "!" in run else "")


def _after_bracket(m: re.Match) -> str:
    return "،" if m.group().endswith(",") else "؛"


def _ellipsis(dots: str) -> str:
    """Three or more dots, or dots around …, are one ellipsis; '..' stays as typed."""
    return "…" if "…" in dots or len(dots) >= 3 else dots


def _decimal(number: str) -> str:
    """۳.۵ -> ۳٫۵; a dotted date (۱۴۰۳.۰۵.۱۷) keeps its dots."""
    return number.replace(".", "٫") if number.count(".") == 1 else number


# (pattern, replacement, trigger): a rule runs only when one of its trigger characters is
# in the text.  Patterns start with the rare character and check what precedes it with a
# lookbehind placed after it, so the regex engine can skip ahead to candidate positions.
_RULES: list[tuple[re.Pattern | None, Callable | str, str]] = [
    # 1. Latin marks next to Persian text become Persian marks.  The lookbehind admits
    #    the Latin marks too, so ",?" converts fully in one run.  Percent comes first
    #    because ٪ is a Persian character the later lookbehinds rely on.
    (re.compile(f"(?<=[{DIGIT}]) ?%"), "٪", "%"),
    (None, _guillemets, "\"'`\u201c\u2018"),
    (re.compile(f"(?<=[{FA},;?]) ?,"), "،", ","),
    (re.compile(f",(?= ?[{LETTER}])"), "،", ","),
    # After a closing bracket that ends Persian text: «سلام», (ع), -> «سلام»، (ع)،
    (re.compile(f"(?:(?<=»)|(?<=[{FA}][)\\]])) ?[,;]"), _after_bracket, ",;"),
    (re.compile(f"(?<=[{FA},;?]) ?;"), "؛", ";"),
    (re.compile(f"(?<=[{FA},;]) ?\\?"), "؟", "?"),
    # -- and --- are the en and em dash; four or more (a rule line), <!-- and --> are not.
    (re.compile("(?<![-<!])-{2,3}(?![->])"), lambda m: "–" if len(m.group()) == 2 else "—", "-"),
    # 2. No space before a closing mark; then runs of marks are one mark, of dots an ellipsis.
    (_SPACE_BEFORE_CLOSER, "", _CLOSER_CHARS),
    # Marks typed more than once, now side by side: ؟؟؟!!! -> ؟!, ،، -> ،.  A run of ? and
    # ! after Persian (or holding a ؟) collapses whole, so no Latin ? is left half-converted.
    (
        re.compile(f"(?:(?<=[{FA}]) *| *(?=[!?]*؟))[!?؟]{{2,}}"),
        _marks_run,
        "!?؟",
    ),
    (re.compile("([،؛])\\1+"), r"\1", "،؛"),
    (re.compile(r"[.…]{2,}|…"), lambda m: _ellipsis(m.group()), "…."),
    # 3. Numbers: thousands separator, decimal point (not the dots of a date).
    (re.compile(f"[,،](?<=[{DIGIT}][,،])(?=[{DIGIT}]{{3}}(?![{DIGIT}]))"), "٬", ",،"),
    (
        re.compile(f"[{DIGIT}](?<![{DIGIT}.٫][{DIGIT}])[{DIGIT}]*(?:\\.[{DIGIT}]+)+"),
        lambda m: _decimal(m.group()),
        ".",
    ),
    # 4. None inside brackets, one after a mark or before an opening bracket.
    (re.compile(r"([(«\[]) +"), r"\1", "(«["),
    (re.compile(f"[.،؛!؟…:](?=[{LETTER}«(])"), r"\g<0> ", ".،؛!؟…:"),
    # ...and before a number after a comma, unless a digit precedes it: ۱،۵ may be a decimal.
    (re.compile(f"[،؛](?<![{DIGIT}][،؛])(?=[{DIGIT}])"), r"\g<0> ", "،؛"),
    (re.compile(f"[)»\\]](?=[{LETTER}{DIGIT}«(])"), r"\g<0> ", ")»]"),
    (re.compile(f"[(«](?<=[{LETTER}][(«])"), r" \g<0>", "(«"),
    # 5. A number glued to a word: ۱۷مرداد -> ۱۷ مرداد, سال۱۴۰۳ -> سال ۱۴۰۳.
    (re.compile(f"[{DIGIT}](?!{_ORDINAL})(?=[{LETTER}])"), r"\g<0> ", DIGITS),
    (re.compile(f"[{DIGIT}](?<=[{LETTER}][{DIGIT}])"), r" \g<0>", DIGITS),
]


def _drop_space_before_closers(text: str) -> str:
    """No space before a closing mark; str.replace beats a regex tried at every space."""
    for mark in _CLOSER_CHARS:
        while " " + mark in text:
            text = text.replace(" " + mark, mark)
    return text


# One character-class search per rule: a C loop that stops at the first hit.
_TRIGGERS = [re.compile(f"[{re.escape(trigger)}]") for _pattern, _repl, trigger in _RULES]


def fix_punctuation(text: str) -> str:
    for (pattern, repl, _trigger), trigger in zip(_RULES, _TRIGGERS, strict=True):
        if not trigger.search(text):
            continue
        if pattern is _SPACE_BEFORE_CLOSER:
            text = _drop_space_before_closers(text)
        elif pattern is None:  # a whole-text function
            text = repl(text)
        else:
            text = pattern.sub(repl, text)
    return text
