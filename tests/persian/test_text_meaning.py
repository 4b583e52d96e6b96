"""Safe fixes never change meaning: the regression set, and the checks that define it."""

from pathlib import Path

import pytest

from hamafza.persian.text import evaluation, fix
from hamafza.persian.text.safety import meaning_changes

Z = "\u200c"
DATA = Path(__file__).parent / "data"
CASES = evaluation.read_cases(DATA / "meaning_cases.tsv")


def test_the_regression_set_has_no_meaning_change():
    assert len(CASES) >= 60
    failed = evaluation.meaning_regressions(CASES, fix)
    assert not failed, [(c.note, c.text, got, problems) for c, got, problems in failed]


@pytest.mark.parametrize("case", CASES, ids=[c.note for c in CASES])
def test_each_case_fixes_once_and_for_all(case):
    assert fix(case.expected) == case.expected


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("سال ۱۴۰۲ـ۱۴۰۳", "سال ۱۴۰۲۱۴۰۳"),  # a range glued into one number
        ("ـ افزایش حقوق", " افزایش حقوق"),  # a list mark lost
        ("خبر ـ گزارش", "خبر گزارش"),  # a dash lost
        ("این\u200fیک", "اینیک"),  # two words glued
        (f"کاروان{Z}{Z}سرا", "کاروانسرا"),  # the writer's half-space dropped
        ("ده منهای سه", f"ده من{Z}های سه"),  # a word of the lexicon split
        ("بهای نفت", f"به{Z}ای نفت"),
        ("%1$s پیام", "%۱$s پیام"),  # a placeholder changed
        ("#علي_آباد", "#علی_آباد"),  # a hashtag changed
        ("سلام دنیا", "سلامدنیا"),  # two words glued
        ("شماره ۱۲۳", "شماره ۱۲"),  # a digit lost
    ],
)
def test_the_checks_catch_each_kind_of_harm(before, after):
    assert meaning_changes(before, after)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("كتاب ها", f"کتاب{Z}ها"),  # letters re-encoded, an ending joined with a ZWNJ
        ("کشور ها", "کشورها"),  # after a letter that does not join, no ZWNJ is needed
        ("چرا؟؟؟!!!", "چرا؟!"),  # repeated marks may go
        ("سال 1403", "سال ۱۴۰۳"),
        ("خانه ی ما", f"خانه{Z}ی ما"),  # spellings of one ezafe
        ("گفتگو", f"گفت{Z}وگو"),  # a house spelling may add a letter
        ("عمـــومی", "عمومی"),  # stretching is no mark
        ("۱۴۰۲ـ۱۴۰۳", "۱۴۰۲–۱۴۰۳"),  # the mark changes its form
        ("روز یک شنبه", "روز یکشنبه"),  # the weekday names, joined by the house style
    ],
)
def test_the_checks_accept_what_a_safe_fix_may_do(before, after):
    assert meaning_changes(before, after) == []
