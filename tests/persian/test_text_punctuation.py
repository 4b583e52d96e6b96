"""Punctuation and spacing rules."""

import pytest

from hamafza.persian.text import fix
from hamafza.persian.text.punctuation import fix_punctuation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("سلام , خوبی ?", "سلام، خوبی؟"),
        ("اول;دوم", "اول؛ دوم"),
        ('او گفت "سلام" و رفت', "او گفت «سلام» و رفت"),
        ("و ...", "و…"),
        ("( متن )", "(متن)"),
        ("« نقل »", "«نقل»"),
        ("تمام شد.بعد", "تمام شد. بعد"),
        ("گفت:سلام", "گفت: سلام"),
        ("امام رضا(ع)", "امام رضا (ع)"),
        ("۱۲,۵۰۰ تومان", "۱۲٬۵۰۰ تومان"),
        ("۳.۵ درصد", "۳٫۵ درصد"),
        ("۲۰ %", "۲۰٪"),
        ("۱۷مرداد", "۱۷ مرداد"),
        ("سال۱۴۰۳", "سال ۱۴۰۳"),
    ],
)
def test_punctuation_is_fixed(text, expected):
    assert fix_punctuation(text) == expected


@pytest.mark.parametrize(
    "text", ["۱۷ام", "۱۴۰۰مین", "ساعت ۱۲:۳۰", "۱۴۰۳.۰۵.۱۷", "سلام، خوبی؟", "(متن)"]
)
def test_correct_text_is_left_alone(text):
    assert fix_punctuation(text) == text


# ---- the rules editors expect (issue 14) -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("چرا؟؟؟!!!", "چرا؟!"),
        ("کتاب!!!!?????", "کتاب؟!"),
        ("واقعاً!؟", "واقعاً؟!"),
        ("عالی!!!", "عالی!"),
        ("چه خبر?????", "چه خبر؟"),
        ("گفت ?? بله", "گفت؟ بله"),
        ("اول،، دوم", "اول، دوم"),
    ],
)
def test_repeated_marks_collapse_to_one(text, expected):
    assert fix_punctuation(text) == expected
    # Marks after Latin text are the Latin text's own.
    assert fix(f"گفت: wow!!! و {text}") == f"گفت: wow!!! و {expected}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("او گفت 'سلام' و رفت", "او گفت «سلام» و رفت"),
        ("او گفت `سلام` و رفت", "او گفت «سلام» و رفت"),
        ("او گفت ''سلام'' و رفت", "او گفت «سلام» و رفت"),
        ("او گفت “سلام” و رفت", "او گفت «سلام» و رفت"),
        ("او گفت ‘سلام’ و رفت", "او گفت «سلام» و رفت"),
    ],
)
def test_quotes_around_persian_become_guillemets(text, expected):
    assert fix(text) == expected
    # Quotes around Latin are the Latin text's own.
    assert fix(f'{text} و "OK"') == f'{expected} و "OK"'


def test_latin_apostrophes_survive_the_quote_rule():
    assert fix("او گفت 'سلام' و It's done") == "او گفت «سلام» و It's done"
    assert fix("‘سلام’ از O’Reilly") == "«سلام» از O’Reilly"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("او گفت «سلام»,", "او گفت «سلام»،"),
        ("امام رضا (ع), ۱۲ نفر", "امام رضا (ع)، ۱۲ نفر"),
        ("[ویراستار]; بعد", "[ویراستار]؛ بعد"),
    ],
)
def test_a_comma_after_a_closing_bracket_in_persian_becomes_persian(text, expected):
    assert fix(text) == expected


def test_a_comma_after_latin_brackets_stays_latin():
    assert fix("(this), that و") == "(this), that و"
    assert fix("گفت «سلام»,") == "گفت «سلام»،"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("در سال،۱۴۰۲", "در سال، ۱۴۰۲"), ("گفت ،۱۲ نفر", "گفت، ۱۲ نفر")],
)
def test_a_space_follows_a_comma_before_a_number(text, expected):
    assert fix_punctuation(text) == expected
    # A Persian comma between digits may be a decimal (۱،۵), a thousands mark or a list
    # (کدهای ۱۲۳،۴۵۶ و ۷۸۹): no space there, and no thousands separator made of it.
    assert fix_punctuation(f"{text} با نرخ ۱،۵ و ۱۲،۵۰۰") == f"{expected} با نرخ ۱،۵ و ۱۲،۵۰۰"
    assert fix_punctuation("۱۲,۵۰۰ نفر") == "۱۲٬۵۰۰ نفر"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("بهار -- تابستان", "بهار – تابستان"), ("بهار --- تابستان", "بهار — تابستان")],
)
def test_double_and_triple_hyphens_are_dashes(text, expected):
    assert fix(text) == expected
    # A rule line, an HTML comment and a command-line option keep their hyphens.
    for kept in ("----", "<!-- یادداشت -->", "گزینه --verbose را بزنید"):
        assert fix(f"{text}\n{kept}") == f"{expected}\n{kept}"
