"""Persian punctuation and spacing: ، ؛ ؟ « » … ٪ ٫ ٬, spaces around marks, glued numbers.

Each rule is one compiled regex; they run in a fixed order chosen so that a second run
finds nothing left to do (the fixer must be idempotent).
"""

from __future__ import annotations

import re
from collections.abc import Callable

FA = "\u0600-\u06ff\u200c"  # Persian/Arabic block, digits included, plus ZWNJ
LETTER = "\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\u06c0"
DIGIT = "۰-۹"
DIGITS = "۰۱۲۳۴۵۶۷۸۹"
CLOSERS = ".،؛:!؟…)»\\]"
# Ordinal and plural endings that legitimately follow a number (۱۷ام، ۱۴۰۰مین).
_ORDINAL = "(?:امین|مین|ام|م)(?![" + LETTER + "])"


_CLOSER_CHARS = CLOSERS.replace("\\", "")
# Stands in the rule list for the space-before-closer step, done by _drop_space_before_closers.
_SPACE_BEFORE_CLOSER = re.compile(f" +(?=[{CLOSERS}])")


_HAS_LETTER = re.compile(f"[{LETTER}]")


def _guillemets(text: str) -> str:
    """ "..." -> «...»: straight quotes are paired in order within a line (an odd count is
    left alone as ambiguous) and a pair becomes «» when it holds Persian text."""
    lines = text.split("\n")
    for n, line in enumerate(lines):
        parts = line.split('"')
        if len(parts) < 3 or len(parts) % 2 == 0:
            continue
        out = [parts[0]]
        for i in range(1, len(parts), 2):
            inner = parts[i]
            out.append(f"«{inner}»" if _HAS_LETTER.search(inner) else f'"{inner}"')
            out.append(parts[i + 1])
        lines[n] = "".join(out)
    return "\n".join(lines)


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
    (None, _guillemets, '"'),
    (re.compile(f"(?<=[{FA},;?]) ?,"), "،", ","),
    (re.compile(f",(?= ?[{LETTER}])"), "،", ","),
    (re.compile(f"(?<=[{FA},;?]) ?;"), "؛", ";"),
    (re.compile(f"(?<=[{FA},;?]) ?\\?"), "؟", "?"),
    # 2. No space before a closing mark; then runs of dots are one ellipsis.
    (_SPACE_BEFORE_CLOSER, "", _CLOSER_CHARS),
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


def fix_punctuation(text: str) -> str:
    for pattern, repl, trigger in _RULES:
        if not any(ch in text for ch in trigger):
            continue
        if pattern is _SPACE_BEFORE_CLOSER:
            text = _drop_space_before_closers(text)
        elif pattern is None:  # a whole-text function
            text = repl(text)
        else:
            text = pattern.sub(repl, text)
    return text
