"""Structure: repeated paragraphs, boilerplate lines, impossible dates, misdated occasions.

All findings here are unsafe: removing a paragraph or changing a date needs an editor.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from importlib import resources

import jdatetime

from hamafza.persian.dates import JALALI_MONTHS, weekday_name
from hamafza.persian.digits import to_latin_digits, to_persian_digits

NEAR_DUPLICATE = 0.9
_BOILERPLATE = re.compile(
    r"^\s*(?:کد خبر\s*[:：]?\s*[\d۰-۹]+.*|(?:به گزارش|بە گزارش)[^،,]{0,60}[،,])"
)
# «به گزارش روابط عمومی …،» is how a PR office opens its own news: the house style, not
# an agency's text copied in.
_HOUSE_OPENING = re.compile(
    "^\\s*به گزارش (?:(?:اداره کل|اداره|دفتر|واحد|حوزه|مدیریت) )?روابط[ \u200c]*عموم[یي]"
)
_WEEKDAYS = (
    "شنبه|یکشنبه|یک‌شنبه|یک شنبه|دوشنبه|سه‌شنبه|سه شنبه|چهارشنبه|پنجشنبه|پنج‌شنبه|پنج شنبه|جمعه"
)
_DIGITS = "[0-9۰-۹]"
_DATE = re.compile(
    rf"(?:(?P<weekday>{_WEEKDAYS})\s*،?\s*)?(?P<day>{_DIGITS}{{1,2}})\s*(?P<month>{'|'.join(JALALI_MONTHS)})"
    rf"(?:\s*(?:ماه\s*)?(?:سال\s*)?(?P<year>{_DIGITS}{{4}}))?"
)


@cache
def occasions() -> dict[str, tuple[int, int]]:
    text = resources.files("hamafza.persian.text.data").joinpath("occasions.tsv").read_text("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return {name: (int(month), int(day)) for name, month, day in rows}


def findings(text: str) -> list:
    from hamafza.persian.text.checker import Finding  # the dataclass lives with the checker

    issues = list(_paragraph_issues(text)) + list(date_issues(text))
    return [Finding(start, end, code, msg, sug, False) for start, end, code, msg, sug in issues]


def paragraphs_with_offsets(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def comparable(paragraph: str) -> str:
    """Letters only, ZWNJ-insensitive, so copies that differ in spacing still match."""
    return (
        re.sub(r"[^\w]|_", "", paragraph.replace("\u200c", "")).replace("ي", "ی").replace("ك", "ک")
    )


def similar(a: str, b: str) -> bool:
    if a == b:
        return True
    if not a or not b or min(len(a), len(b)) / max(len(a), len(b)) < NEAR_DUPLICATE:
        return False
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= NEAR_DUPLICATE


def _paragraph_issues(text: str):
    seen: list[str] = []
    for start, end in paragraphs_with_offsets(text):
        para = text[start:end]
        m = _BOILERPLATE.match(para)
        if m and not _HOUSE_OPENING.match(para):
            yield (
                start,
                start + m.end(),
                "boilerplate",
                f"عبارت تکراری خبرگزاری: «{m.group().strip()}»",
                "",
            )
        key = comparable(para)
        if len(key) >= 40 and any(similar(key, other) for other in seen):
            yield (
                start,
                end,
                "duplicate-paragraph",
                "این بند (یا بندی بسیار شبیه آن) پیش‌تر آمده است.",
                "",
            )
        seen.append(key)


def date_issues(text: str):
    for m in _DATE.finditer(text):
        day, month = int(to_latin_digits(m["day"])), JALALI_MONTHS.index(m["month"]) + 1
        year = int(to_latin_digits(m["year"])) if m["year"] else None
        problem = _impossible(day, month, year)
        if problem:
            yield m.start("day"), m.end(), "date-invalid", problem, ""
            continue
        if year and m["weekday"]:
            actual = weekday_name(jdatetime.date(year, month, day).togregorian())
            if actual.replace("\u200c", "").replace(" ", "") != m["weekday"].replace(
                "\u200c", ""
            ).replace(" ", ""):
                date_text = to_persian_digits(f"{day} {m['month']} {year}")
                yield (
                    m.start(),
                    m.end(),
                    "date-weekday",
                    f"{date_text} {actual} است، نه {m['weekday']}.",
                    m.group().replace(m["weekday"], actual, 1),
                )
        yield from _occasion_issue(text, m, day, month)


def _impossible(day: int, month: int, year: int | None) -> str | None:
    length = 31 if month <= 6 else 30
    if month == 12:
        length = 30 if year is None or jdatetime.date(year, 1, 1).isleap() else 29
    if 1 <= day <= length:
        return None
    where = f" سال {to_persian_digits(year)}" if year else ""
    return to_persian_digits(
        f"تاریخ {day} {JALALI_MONTHS[month - 1]}{where} وجود ندارد؛ این ماه {length} روز دارد."
    )


def _occasion_issue(text: str, m: re.Match, day: int, month: int):
    window = text[max(0, m.start() - 40) : m.end() + 40]
    for name, (o_month, o_day) in occasions().items():
        if (
            name in window
            and (o_month, o_day) != (month, day)
            and _mentions_as_date_of(window, name, m.group())
        ):
            right = to_persian_digits(f"{o_day} {JALALI_MONTHS[o_month - 1]}")
            yield m.start("day"), m.end("month"), "occasion-date", f"{name} {right} است.", right


def _mentions_as_date_of(window: str, name: str, date_text: str) -> bool:
    """The occasion and the date sit side by side (روز خبرنگار ۱۸ مرداد / ۱۸ مرداد، روز خبرنگار)."""
    i, j = window.find(name), window.find(date_text)
    gap = window[min(i + len(name), j + len(date_text)) : max(i, j)]
    return i >= 0 and j >= 0 and not gap.strip(" ،,()-:")
