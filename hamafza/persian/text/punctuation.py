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
# The German low-high pair („…“) is one too.
_CURLY_PAIRS = re.compile(
    "\u201e([^\u201c\u201d\u201e\n]*)[\u201c\u201d]"
    "|\u201c([^\u201c\u201d\n]*)\u201d|\u2018([^\u2018\u2019\n]*)\u2019"
)


QUOTES = "\"'`\u201c\u2018\u201e"
# What may stand before an opening quote and after a closing one: a space, the edge of
# the line, a bracket or a mark.  A quote glued to a digit (۱۵" و ۱۷") is an inch or a
# minute mark, and a line whose quotes do not pair that way is left as typed.
_OPEN_AFTER = " \t([{«\u2014\u2013\u0640-:،,؛;"
_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u00ad\u061c\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CLOSE_BEFORE = " \t)]}».,،؛;:!?؟…\u0640\u2014\u2013-"


def guillemets(text: str, spans: list[tuple[int, int]] = ()) -> str:
    """ "...", '...', `...` and the curly quotes -> «...» when they hold Persian text.

    Straight quotes are paired in order within a line, across protected spans (a Latin
    word inside the quotes) but never inside one; a pair holding no Persian letter stays
    ("hello").  An odd count, or a quote that cannot open or close where it stands, leaves
    the line's quotes of that kind as typed.  Latin apostrophes (It's) sit inside
    protected Latin words.
    """
    out, pos, first = [], 0, 0
    spans = sorted(spans)
    for line in text.split("\n"):
        # Which characters of the line are protected; kept in step as quotes are replaced.
        mask = [False] * len(line)
        while first < len(spans) and spans[first][1] <= pos:
            first += 1
        k = first
        while k < len(spans) and spans[k][0] < pos + len(line):
            for i in range(max(spans[k][0], pos), min(spans[k][1], pos + len(line))):
                mask[i - pos] = True
            k += 1
        pos += len(line) + 1
        for _ in range(3):  # `"…"`: the inner pair can open once the outer one is «
            before = line
            for quote in _STRAIGHT_QUOTES:
                if quote in line:
                    line, mask = _pair_quotes(line, mask, quote)
            if line == before:
                break
        out.append(line)
    text = "\n".join(out)
    if "\u201c" in text or "\u2018" in text or "\u201e" in text:
        text = _CURLY_PAIRS.sub(_curly, text)
    return text


def _pair_quotes(line: str, mask: list[bool], quote: str) -> tuple[str, list[bool]]:
    at = [i for i in _find_all(line, quote) if not mask[i]]
    if len(at) < 2 or len(at) % 2:
        return line, mask
    n = len(quote)
    for k in range(0, len(at), 2):
        start, end = at[k], at[k + 1]
        # Invisible marks beside a quote are looked through: the fixer drops them next.
        before = line[:start].rstrip(_INVISIBLE)[-1:] or " "
        after_open = line[start + n :].lstrip(_INVISIBLE)[:1] or " "
        before_close = line[:end].rstrip(_INVISIBLE)[-1:] or " "
        after = line[end + n :].lstrip(_INVISIBLE)[:1] or " "
        # Two quotations side by side ("سلام""خداحافظ") and a closing quote glued to the
        # Persian word after it (گفت:"می‌آیم"و رفت) still pair; the spacing rules part them.
        glued = _HAS_LETTER.match(before_close) and _HAS_LETTER.match(after)
        if (
            (
                before not in _OPEN_AFTER
                and not (k and before == quote[-1] and start == at[k - 1] + n)
            )
            or after_open.isspace()
            or before_close.isspace()
            or (after not in _CLOSE_BEFORE and not glued and not _next_opens(at, k, end, n))
        ):
            return line, mask  # an inch mark, a minute, a quote inside a word: not ours
    out, new_mask, last = [], [], 0
    for k in range(0, len(at), 2):
        start, end = at[k], at[k + 1]
        inner = line[start + n : end]
        if _HAS_LETTER.search(inner):
            out += [line[last:start], "«", inner, "»"]
            new_mask += [*mask[last:start], False, *mask[start + n : end], False]
            last = end + n
    out.append(line[last:])
    new_mask += mask[last:]
    return "".join(out), new_mask


def _next_opens(at: list[int], k: int, end: int, n: int) -> bool:
    """Does the next quotation open right where this one closes?"""
    return k + 2 < len(at) and at[k + 2] == end + n


def _find_all(line: str, quote: str) -> list[int]:
    found, i = [], line.find(quote)
    while i >= 0:
        found.append(i)
        i = line.find(quote, i + len(quote))
    return found


def _curly(m: re.Match) -> str:
    inner = next(g for g in m.groups() if g is not None)
    return f"«{inner}»" if _HAS_LETTER.search(inner) else m.group()


def _marks_run(m: re.Match) -> str:
    """؟؟؟!!! -> ؟!, !!!!????? -> ؟!: one question mark and one exclamation at most,
    the question first, as Persian style writes them."""
    run = m.group()  # with the spaces before it, which no closing mark takes
    return ("؟" if "?" in run or "؟" in run else "") + ("!" if "!" in run else "")


def _after_bracket(m: re.Match) -> str:
    return "،" if m.group().endswith(",") else "؛"


_LETTER_RE = re.compile(f"[{LETTER}]")


def _space_after_mark(m: re.Match) -> str:
    """A space after a mark before a word, but not inside an abbreviation (ه.ش, ق.م)."""
    mark, text, i = m.group(), m.string, m.start()
    if mark == ".":
        j = i - 1 if i and text[i - 1] != "\u200d" else i - 2  # ه‍.ش: the ZWJ form
        lone_before = (
            j >= 0
            and _LETTER_RE.match(text[j])
            and not _is_letter_at(text, j - 1)
            and text[j - 1 : j] != "\u200c"  # ا‌ش.ی: the ZWNJ goes, اش is a word
        )
        lone_after = not _is_letter_at(text, i + 2) and text[i + 2 : i + 3] != "\u200c"
        if lone_before and lone_after:
            return mark
    return mark + " "


def _is_letter_at(text: str, i: int) -> bool:
    return 0 <= i < len(text) and bool(_LETTER_RE.match(text[i]))


def _ellipsis(dots: str) -> str:
    """Three or more dots, or dots around …, are one ellipsis; '..' stays as typed."""
    return "…" if "…" in dots or len(dots) >= 3 else dots


def _decimal(m: re.Match) -> str:
    """۳.۵ -> ۳٫۵; a dotted date (۱۴۰۳.۰۵.۱۷) and a clock time (ساعت ۹.۳۰) keep their dots."""
    number = m.group()
    if number.count(".") != 1:
        return number
    if _CLOCK.fullmatch(number) and _AFTER_HOUR.search(m.string, 0, m.start()):
        return number
    return number.replace(".", "٫")


_CLOCK = re.compile(f"[{DIGIT}]{{1,2}}\\.[۰-۵][{DIGIT}]")
_AFTER_HOUR = re.compile("ساعت[ \u200c]*$")


# (pattern, replacement, trigger): a rule runs only when one of its trigger characters is
# in the text.  Patterns start with the rare character and check what precedes it with a
# lookbehind placed after it, so the regex engine can skip ahead to candidate positions.
_RULES: list[tuple[re.Pattern | None, Callable | str, str]] = [
    # 1. Latin marks next to Persian text become Persian marks.  The lookbehind admits
    #    the Latin marks too, so ",?" converts fully in one run.  Percent comes first
    #    because ٪ is a Persian character the later lookbehinds rely on.
    (re.compile(f"(?<=[{DIGIT}]) ?[%٪]"), "٪", "%٪"),
    # A Latin percent typed before the number (%50): Persian writes it after (۵۰٪).
    (
        re.compile(f"(?<![^ \t(«\n])%([{DIGIT}]+(?:[.٫][{DIGIT}]+)?)(?![{DIGIT}.٫٪%])"),
        r"\1٪",
        "%",
    ),
    # A comma between two decimal numbers is a list: ۱.۵,۲.۵ -> ۱.۵، ۲.۵
    (
        re.compile(f"(?<=[.٫][{DIGIT}])([{DIGIT}]*) ?[,،](?=[{DIGIT}]+[.٫][{DIGIT}])"),
        r"\1، ",
        ",،",
    ),
    # A space typed before the comma of a list of numbers shows it is a list, so it moves
    # after the comma: ۱۳۹۰ ،۱۳۹۱ -> ۱۳۹۰، ۱۳۹۱ (without it ۱،۵ may be a decimal).
    (re.compile(f"(?<=[{DIGIT}]) +،(?=[{DIGIT}])"), "، ", "،"),
    # A clock time typed with spaces around its colon: ۱۲ : ۳۰ -> ۱۲:۳۰ (a label colon
    # would take no space before it, so the spaces on both sides show the time).
    (
        re.compile(f"(?<![{DIGIT}])([{DIGIT}]{{1,2}}) : ([۰-۵][{DIGIT}])(?![{DIGIT}])"),
        r"\1:\2",
        ":",
    ),
    # A comma between digits before three more is the thousands separator: ۱,۰۰۰ -> ۱٬۰۰۰
    # (the Persian comma there is a list: ۱۲۳،۴۵۶ و ۷۸۹ are two codes).
    (re.compile(f",(?<=[{DIGIT}],)(?=[{DIGIT}]{{3}}(?![{DIGIT}]))"), "٬", ","),
    (re.compile(f"(?<=[{FA},;?]) ?,"), "،", ","),
    (re.compile(f",(?= ?[{LETTER}])"), "،", ","),
    # After a closing bracket that ends Persian text: «سلام», (ع), -> «سلام»، (ع)،
    # The space the next step drops before the bracket may still be there: ۰ ), -> ۰)،
    (
        re.compile(f"(?:(?<=»)|(?<=[{FA},;?][)\\]}}])|(?<=[{FA},;?] [)\\]}}])) ?[,;]"),
        _after_bracket,
        ",;",
    ),
    # The comma named in brackets, (,): in Persian text it is written (،).
    (re.compile("(?<=\\() *[,;] *(?=\\))"), lambda m: "،" if "," in m.group() else "؛", ",;"),
    (re.compile(f"(?<=[{FA},;?]) ?;"), "؛", ";"),
    (re.compile(f"(?<=[{FA},;]) ?\\?"), "؟", "?"),
    # -- and --- are the en and em dash; four or more (a rule line), <!-- and --> are not.
    (re.compile("(?<![-<!])-{2,3}(?![->])"), lambda m: "–" if len(m.group()) == 2 else "—", "-"),
    # 2. No space before a closing mark; then runs of marks are one mark, of dots an ellipsis.
    (_SPACE_BEFORE_CLOSER, "", _CLOSER_CHARS),
    # Marks typed more than once, now side by side: ؟؟؟!!! -> ؟!, ،، -> ،.  A run of ? and
    # ! after Persian (or holding a ؟) collapses whole, so no Latin ? is left half-converted.
    (
        re.compile(f"(?:(?<=[{FA}]) *| *(?=[!? ]*؟))[!?؟](?: *[!?؟])+"),
        _marks_run,
        "!?؟",
    ),
    (re.compile("([،؛])\\1+"), r"\1", "،؛"),
    (re.compile(r"[.…]{2,}|…"), lambda m: _ellipsis(m.group()), "…."),
    # 3. Numbers: thousands separator, decimal point (not the dots of a date).
    (
        re.compile(f"[{DIGIT}](?<![{DIGIT}.٫][{DIGIT}])[{DIGIT}]*(?:\\.[{DIGIT}]+)+"),
        _decimal,
        ".",
    ),
    # 4. None inside brackets, one after a mark or before an opening bracket.
    (re.compile(r"([(«\[]) +"), r"\1", "(«["),
    (re.compile(f"[.،؛!؟…:](?=[{LETTER}«(])"), _space_after_mark, ".،؛!؟…:"),
    # ...and before a number after a comma, unless a digit precedes it: ۱،۵ may be a decimal.
    (re.compile(f"[،؛](?<![{DIGIT}][،؛])(?=[{DIGIT}])"), r"\g<0> ", "،؛"),
    (re.compile(f"[)»\\]](?=[{LETTER}{DIGIT}«(])"), r"\g<0> ", ")»]"),
    (re.compile(f"[(«](?<=[{LETTER}][(«])"), r" \g<0>", "(«"),
    # 5. A number glued to a word: ۱۷مرداد -> ۱۷ مرداد, سال۱۴۰۳ -> سال ۱۴۰۳.
    # The plural ending on a number takes a ZWNJ, not a space: ۱۰ها -> ۱۰‌ها.
    (re.compile(f"[{DIGIT}](?=ها(?:ی|یی)?(?![{LETTER}]))"), "\\g<0>\u200c", DIGITS),
    (re.compile(f"[{DIGIT}](?!{_ORDINAL})(?=[{LETTER}])"), r"\g<0> ", DIGITS),
    (re.compile(f"[{DIGIT}](?<=[{LETTER}][{DIGIT}])"), r" \g<0>", DIGITS),
]


def _drop_space_before_closers(text: str) -> str:
    """No space before a closing mark; str.replace beats a regex tried at every space."""
    for mark in _CLOSER_CHARS:
        if mark == ".":
            if " ." in text:  # not before a number: A320 .5 is no A320.5
                text = _SPACE_BEFORE_DOT.sub(".", text)
            continue
        while " " + mark in text:
            text = text.replace(" " + mark, mark)
    return text


_SPACE_BEFORE_DOT = re.compile(f" +\\.(?![0-9{DIGIT}])")


_QUOTE_TRIGGER = re.compile(f"[{re.escape(QUOTES)}]")
# One character-class search per rule: a C loop that stops at the first hit.
_TRIGGERS = [re.compile(f"[{re.escape(trigger)}]") for _pattern, _repl, trigger in _RULES]


def fix_punctuation(text: str, quotes: bool = True) -> str:
    """The rules above; ``quotes=False`` when the caller paired the quotes of the whole
    line already (the fixer does, across protected spans)."""
    if quotes and _QUOTE_TRIGGER.search(text):
        text = guillemets(text)
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
