"""Spans no rule may touch: URLs, e-mail addresses, HTML tags and entities, codes, Latin
text, message placeholders, @handles and #hashtags.

The fixer splits the text into alternating free and protected segments and runs its
rules on the free ones only, so a protected span comes out byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

# A URL runs to the next space: its path may hold Persian (a Wikipedia title) and must
# come out byte for byte, or the link breaks. Marks that end a sentence are not its end.
_URL_CHAR = '[^\\s\u00a0\u2000-\u200b\u200d-\u200f\u2028-\u202f\u2060-\u2069\ufeff<>"«»]'
_URL_END = (
    "[^\\s\u00a0\u2000-\u200b\u200d-\u200f\u2028-\u202f\u2060-\u2069\ufeff<>\"«».,،؛:;!?؟)\\]'’]"
)
_URL = rf"(?:https?://|ftp://|www\.){_URL_CHAR}*{_URL_END}"
# The publishing formatting markup's link, "[text](https://…)": the bracket, the
# parenthesis and the address are one span, or the spacing rules part "](" and the link
# is lost.
_MARKUP_LINK = r"\]\(https?://[^\s()<>\"]+\)"
_EMAIL = (
    "[\\w.+\u0600-\u06ff\u200c-]+@" r"[\w-]+(?:\.[\w-]+)+"
)  # \w is ASCII: the pattern is compiled with re.ASCII
_TAG = r"<!--.*?-->|</?[A-Za-z][^<>]*>"  # attribute values may hold any text
_ENTITY = r"&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]{1,31});"
# Code: a Markdown fenced block, the contents of <pre> and <code>, an inline `code` span
# holding a Latin letter (backticks around Persian are quotes), a call print("…") and a
# JSON-like object {"key": …}.  Its quotes, letters and digits are the program's.
_CODE_BLOCK = (
    r"```.*?(?:```|\Z)"
    r"|<pre\b[^<>]*>.*?</pre\s*>|<code\b[^<>]*>.*?</code\s*>"
    r"|`[^`\n]*[A-Za-z][^`\n]*`"
    # A call's arguments hold a quoted string or are ASCII: "Python(پایتون)" is a gloss.
    r"|(?<![\w\u0600-\u06ff])[A-Za-z_][A-Za-z0-9_.]*"
    r"\((?:(?=[^()\n]*[\"'])[^()\n]*|[ -'*-~]*)\)"
    r'|\{\s*"[^"\n]*"\s*:[^{}\n]*\}'
)
# An address without a scheme (t.me/…, x.ir/…): a domain name and a path.
_BARE_URL = rf"(?<![\w@.\u0600-\u06ff])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{{2,}}/{_URL_CHAR}*{_URL_END}"
# A file path: ./x, ../x, ~/x, /home/…, C:\….
_PATH = (
    "(?<![\\w\u0600-\u06ff/.:\\\\])"
    r"(?:\.{1,2}/|~/|/[A-Za-z._~][A-Za-z0-9._~-]*/|[A-Za-z]:\\)"
    rf"{_URL_CHAR}*{_URL_END}"
)
# Emoticons :) ;) :( :-) :D :P <3, alone between spaces: their marks are not punctuation.
_EMOTICON = r"(?<!\S)(?:[:;]-?[()DPp]|<3)(?!\S)"
# A formula with powers (x^2 + y^2 = r^2): its digits stay Latin beside the letters.
_FORMULA = (
    r"[A-Za-z0-9]+\^[A-Za-z0-9]+"
    r"(?:[ \t]*[-+*/=][ \t]*[A-Za-z0-9]+(?:\^[A-Za-z0-9]+)?)*"
)
# Message placeholders a translator or a template leaves in the text: printf (%s, %1$s,
# %.2f), Python (%(name)s, {0}, {name}), Django and Jinja ({{ x }}, {% y %}), shell (${x}).
# Turning their digits Persian or their marks into Persian marks breaks the program.
_PLACEHOLDER = (
    r"%(?:\d+\$)?[-+0#]?\d*(?:\.\d+)?[sdifuxXoeEgGc](?![A-Za-z])"
    r"|%\([A-Za-z_][A-Za-z0-9_]*\)[sdifr]"
    r"|\{\{.*?\}\}|\{%.*?%\}"
    r"|\$?\{[A-Za-z0-9_.:!\[\]]*\}"
)
# @handles of messengers (ASCII, as Telegram and Eitaa spell them) and #hashtags, whose
# letters are a search key on the platform: a Persian hashtag keeps even its Arabic ي.
_HANDLE = r"(?<![A-Za-z0-9_.])@[A-Za-z0-9_]{3,}"
# Not after a letter or digit (\w takes Persian ones too); after ؟ ، ؛ it is a hashtag.
_HASHTAG = "(?<![\\w&])#[A-Za-z0-9_\u0600-\u06ff\u200c]+"
# Latin words with the digits and code punctuation around them: "ISO 9001", "COVID-19", "A320".
# A word ends on a letter or digit, so a full stop after it stays in the Persian text;
# a following word that is a URL or an e-mail address is left to its own pattern.
# An apostrophe between letters (It's, O'Reilly), a soft hyphen (a hyphenation point) and
# the marks of a language's name (C++, C#) are part of the word.
# A colon or comma between two digits belongs to the number (ISO 9001:2015, $1,200); a
# dollar sign before a number and a percent sign after it belong to the English text.
_LATIN_WORD = (
    r"[A-Za-z0-9](?:[A-Za-z0-9_.\-/'’\u00ad]|[:,](?=\d))*(?<=[A-Za-z0-9])"
    r"(?:\+\+|#(?![\w\u0600-\u06ff]))?"
)
_LATIN_RUN_WORD = rf"\$?{_LATIN_WORD}%?"
_LATIN = (
    rf"(?=[A-Za-z]){_LATIN_WORD}"
    rf"(?:[,;:]?[ \t]+(?!(?:https?|ftp)://|www\.|[A-Za-z0-9_.+\-]*@){_LATIN_RUN_WORD})*"
)
# A number with a decimal comma (۳,۵ and 12,5, European 1.234,56): the comma may also
# part a list (۳،۵ is 3 and 5), so the number stays as typed; the checker suggests ۳٫۵.
# A comma before exactly three digits is a thousands separator and is not one of these.
_DIGIT_ANY = "[0-9\u06f0-\u06f9]"
DECIMAL_COMMA = (
    f"(?<![0-9\u06f0-\u06f9.,\u066b\u066c]){_DIGIT_ANY}+"
    f"(?:(?:\\.{_DIGIT_ANY}{{3}})+,{_DIGIT_ANY}+|,(?!{_DIGIT_ANY}{{3}}(?!{_DIGIT_ANY})){_DIGIT_ANY}+)"
    f"(?!{_DIGIT_ANY}|[.,]{_DIGIT_ANY})"
)
# Numbers inside codes: digits glued to Latin letters (3.5GB, 12:30PM, 1,000km, A320's
# digits) or joined by code separators; an IPv4 address (and its port).
_CODE = (
    r"\d+(?:[.,:]\d+)*[A-Za-z][A-Za-z0-9\-_/]*|\d+(?:[-_/]\d+){3,}"
    r"|(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?(?![\d.])"
    # An amount in dollars, euros or pounds: the sign and the Latin digits go together.
    r"|[$€£]\d+(?:[.,]\d+)*"
)
# A line with Latin letters and no Persian is English (or a formula, "x = 2"): its digits
# and marks are its own.  A line holding a tag is left to the tag pattern, so the numbers
# of an HTML table stay Persian.
_LATIN_LINE = "(?m:^(?![^\n]*<)(?=[^\n\u0600-\u06ff]*[A-Za-z])[^\n\u0600-\u06ff]+$)"
# A Markdown table's rule row (|---|:---:|) and a thematic break or YAML fence (---).
_RULE_LINE = r"(?m:^[ \t|:]*-{3,}[-|: \t]*$)"
# A command-line option (--verbose): its two hyphens are not a dash.
_OPTION = r"(?<![\w-])--[A-Za-z][A-Za-z0-9-]*"
# Bidi marks beside Latin text steer how the mixed line is displayed ("C++" would show as
# "++C" without its LRM): they belong to the span they steer.
# So do a zero-width space, a soft hyphen or a ZWNJ between Latin and Persian text
# (iPhone‌ها): the free text beside them cannot see what they stand between.
_STEERING = "[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\u200b-\u200d\u00ad\u2060\ufeff]*"

# ASCII only (but for the explicit classes above): the fixer never changes ASCII letters,
# so a second run sees the same spans.
PROTECTED = re.compile(
    _STEERING
    + "(?:"
    + "|".join(
        f"(?:{p})"
        for p in (
            _CODE_BLOCK,
            _MARKUP_LINK,
            _LATIN_LINE,
            _RULE_LINE,
            _URL,
            _EMAIL,
            _BARE_URL,
            _PATH,
            _EMOTICON,
            _FORMULA,
            _TAG,
            _ENTITY,
            _PLACEHOLDER,
            _HANDLE,
            _HASHTAG,
            _OPTION,
            DECIMAL_COMMA,
            _CODE,
            _LATIN,
        )
    )
    + ")"
    + _STEERING,
    re.S | re.ASCII,
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


# Every protected span holds a Latin letter, one of <&@#%{`, a currency sign, ASCII digits
# joined by - _ / ., digits around a comma, a rule of hyphens, a path's ./ ../ ~/ or an
# emoticon's :) ;( : this cheap scan rules most Persian paragraphs out before the full
# pattern runs. (A bare ":" or "/" is no hint: Persian news is full of them, «گفت:» and
# ۱۴۰۵/۰۹/۱۲, and the full pattern on every such line halves the fixer's speed.)
_HINT = re.compile(
    r"[A-Za-z<&@#%{$€£`]|[0-9][-_/.][0-9]|[0-9۰-۹],[0-9۰-۹]|-{3}|\.{1,2}/|~/|[:;]-?[()DPp]"
)


def map_free(text: str, func: Callable[[str], str]) -> str:
    """Apply ``func`` to every unprotected segment; protected ones pass through."""
    if not _HINT.search(text) or not PROTECTED.search(text):
        return func(text)
    return "".join(text[s:e] if p else func(text[s:e]) for s, e, p in segments(text))
