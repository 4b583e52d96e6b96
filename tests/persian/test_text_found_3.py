"""The independent tester's third round of findings (issue 14): meaning_cases_3.tsv holds
each input with the output decided for it, detector_false_positives.tsv correct fixes the
meaning checks used to object to.

Cases not fixed yet are strict xfails, so the next session sees them and a fix shows up.
"""

from pathlib import Path

import pytest

from hamafza.persian.text import check, evaluation, fix
from hamafza.persian.text.safety import meaning_changes

DATA = Path(__file__).parent / "data"
CASES = evaluation.read_cases(DATA / "meaning_cases_3.tsv")

# Cases still failing, by the start of their note, with the reason.
OPEN: dict[str, str] = {}


def _param(case):
    marks = [
        pytest.mark.xfail(strict=True, reason=reason)
        for start, reason in OPEN.items()
        if case.note.startswith(start)
    ]
    return pytest.param(case, marks=marks, id=case.note[:60])


def test_every_finding_is_a_case():
    assert len(CASES) == 45


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_found_case(case):
    fixed = fix(case.text)
    assert fixed == case.expected
    assert meaning_changes(case.text, fixed) == []
    assert fix(fixed) == fixed


def _false_positives():
    rows = []
    for line in (DATA / "detector_false_positives.tsv").read_text("utf-8").splitlines()[2:]:
        text, fixed, _objection, _note = line.split("\t")
        rows.append((evaluation._unescape(text), evaluation._unescape(fixed)))
    return rows


@pytest.mark.parametrize(("before", "after"), _false_positives())
def test_a_correct_compound_fix_is_not_a_meaning_change(before, after):
    assert fix(before) == after
    assert meaning_changes(before, after) == []


def test_a_verb_fused_with_a_plural_is_still_a_meaning_change():
    z = "\u200c"
    assert meaning_changes("خوب باش ها", f"خوب{z}باش{z}ها")


def test_a_stretched_word_suggestion_drops_every_kashida():
    text = "سلام\u0640\u0640\u0640"
    assert fix(text) == text
    assert any(f.suggestion == "سلام" for f in check(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("كتاب Python(پايتون) را", "کتاب Python(پایتون) را"),  # a gloss, not a call
        ("نام `كتاب` را", "نام «کتاب» را"),  # backticks around Persian are quotes
        ("سلام :) علي", "سلام :) علی"),  # the text beside an emoticon is still fixed
        ("علي و/يا رضا", "علی و/یا رضا"),  # a slash between words is no path
    ],
)
def test_protection_does_not_reach_past_the_code(text, expected):
    assert fix(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("کارے", "کاری"),  # a Persian word typed on an Urdu keyboard gets its ی
        ("مدرسہ", "مدرسه"),  # one Urdu ہ that Persian writes ه
        ("كتاب ہے", "کتاب ہے"),  # Urdu ہے (is) stays, the Persian word beside it is fixed
    ],
)
def test_only_kurdish_and_urdu_words_keep_their_letters(text, expected):
    assert fix(text) == expected


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [("۳,۵ میلیارد", "۳٫۵"), ("12,5 درصد", "۱۲٫۵"), ("1.234,56 یورو", "۱۲۳۴٫۵۶")],
)
def test_a_decimal_comma_is_left_as_typed_and_offered_as_a_decimal_point(text, suggestion):
    assert fix(text) == text
    assert any(not f.safe and f.suggestion == suggestion for f in check(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("۱,۰۰۰ تومان", "۱٬۰۰۰ تومان"),  # a thousands separator is still one
        ("قیمت ۳.۵ دلار", "قیمت ۳٫۵ دلار"),  # a decimal that is no clock time
        ("سال‌های ۱۴۰۲ـ۱۴۰۳", "سال‌های ۱۴۰۲–۱۴۰۳"),  # a range keeps its en dash
    ],
)
def test_the_number_rules_still_apply_beside_the_exceptions(text, expected):
    assert fix(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("۱۴۰۰ : تاریخ", "۱۴۰۰: تاریخ"),  # a label colon, no clock time
        ("کوه یی", "کوه یی"),  # a sounded heh takes no -ای
        ("نرخ 5 %", "نرخ ۵٪"),
        ("https://fa.wikipedia.org/wiki/چیست؟a", "https://fa.wikipedia.org/wiki/چیست؟a"),
    ],
)
def test_the_new_spacing_rules_stay_in_their_place(text, expected):
    assert fix(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("سه شنبه یا چهار شنبه", "سه\u200cشنبه یا چهارشنبه"),
        ("جمعه و پنج شنبه", "جمعه و پنج\u200cشنبه"),
        ("پنج شنبه و یک کتاب", "پنج شنبه و یک کتاب"),  # no weekday beside it: a suggestion
    ],
)
def test_a_weekday_beside_another_names_a_day(text, expected):
    assert fix(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('قد ۱۵" و ۱۷"', 'قد ۱۵" و ۱۷"'),  # inch marks glued to their numbers stay
        ('"سلام"و', "«سلام» و"),
    ],
)
def test_glued_quotes_pair_but_inch_marks_stay(text, expected):
    assert fix(text) == expected


def test_the_checker_suggests_nothing_inside_a_code_block_of_several_lines():
    text = '```\nx = "علي" # 12\n```\nعلي'
    findings = check(text)
    assert [f.suggestion for f in findings if f.safe] == ["علی"]
    assert findings[0].start == text.rindex("علي")
