"""Character rules: Arabic letters, digits, invisibles, kashida, stray diacritics."""

import pytest

from hamafza.persian.text import fix
from hamafza.persian.text.chars import normalize_chars

Z = "\u200c"
RLM, LRM, SHY, ZWSP = "\u200f", "\u200e", "\u00ad", "\u200b"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("كتاب علي", "کتاب علی"),
        ("مدرسة", "مدرسه"),
        ("سال 1403 و ٤٥", "سال ۱۴۰۳ و ۴۵"),
        ("عمـــومی", "عمومی"),
        ("سلام\ufeff", "سلام"),
        ("ﻛﺘﺎﺏ", "کتاب"),
        ("سلام  دنیا", "سلام دنیا"),
        (" َسلام", " سلام"),
    ],
)
def test_characters_are_normalised(text, expected):
    assert normalize_chars(text) == expected


@pytest.mark.parametrize("text", ["خصوصاً", "تأکید", "مسئول", "کتاب‌ها", "۱۴۰۳", "مؤسسه"])
def test_valid_characters_are_kept(text):
    assert normalize_chars(text) == text


def test_stray_zwnj_next_to_a_non_letter_goes():
    assert normalize_chars("کتاب\u200c ۱۲\u200c،") == "کتاب ۱۲،"


def test_a_zwnj_keeps_an_ending_on_its_number():
    # دهه ۱۳۶۰‌ها (the 1360s): dropping it would let the spacing rules split ها off.
    assert normalize_chars("دهه ۱۳۶۰\u200cها") == "دهه ۱۳۶۰\u200cها"


def test_two_numbers_kept_apart_by_a_zwnj_and_a_mark_stay_apart():
    assert normalize_chars("0\u200c\u200f0") == "۰ ۰"


# ---- rare letters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("کارے", "کاری"), ("مدرسۃ", "مدرسه"), ("خانۂ ما", "خانۀ ما")],
)
def test_urdu_letter_forms_become_persian(text, expected):
    assert normalize_chars(text) == expected


# ---- kashida: stretching inside a word goes, a dash stays -------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("سال تحصیلی ۱۴۰۲ـ۱۴۰۳", "سال تحصیلی ۱۴۰۲–۱۴۰۳"),
        ("سال 1402ـ1403", "سال ۱۴۰۲–۱۴۰۳"),
        # An area code's leading zero: no range, a hyphen (issue 14).
        ("تلفن ۰۵۴ـ۳۳۲۲۱۱۰۰", "تلفن ۰۵۴-۳۳۲۲۱۱۰۰"),
    ],
)
def test_a_kashida_between_numbers_becomes_a_range_dash(text, expected):
    assert fix(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ـ افزایش حقوق کارگران\nـ کاهش ساعت کار",
        "مدیرکل ـ که دیروز منصوب شد ـ گفت",
        "مسیر تهرانـاصفهان بسته شد.",
        "خبرـگزارش",
    ],
)
def test_a_kashida_used_as_a_bullet_or_a_dash_is_kept(text):
    assert fix(text) == text
    # ...while one that only stretches a word still goes.
    assert fix(f"{text} روابط عمـــومی") == f"{text} روابط عمومی"


# ---- invisible marks between letters ------------------------------------------------------


@pytest.mark.parametrize("mark", [RLM, LRM, SHY, ZWSP])
def test_an_invisible_mark_between_two_words_becomes_a_space(mark):
    assert fix(f"این{mark}یک خبر است.") == "این یک خبر است."
    assert fix(f"متن{mark}فارسی") == "متن فارسی"


@pytest.mark.parametrize("mark", [RLM, LRM, SHY, ZWSP])
def test_an_invisible_mark_inside_a_compound_becomes_a_zwnj(mark):
    # Where the two halves make one word it stood for a half-space, and stays one; where
    # they are two words (above) it becomes a space.  Either way nothing is glued.
    assert fix(f"نرم{mark}افزار و این{mark}یک") == f"نرم{Z}افزار و این یک"
    assert fix(f"می{mark}شود و کتاب{mark}ها") == f"می{Z}شود و کتاب{Z}ها"


def test_an_invisible_mark_between_a_number_and_a_word_keeps_them_apart():
    assert fix(f"ساعت ۱۰{RLM}صبح و ۱۲{RLM}۳۴") == "ساعت ۱۰ صبح و ۱۲ ۳۴"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"کاروان{Z}{Z}سرا", f"کاروان{Z}سرا"),
        (f"این{Z}{Z}{Z}یک", f"این{Z}یک"),
    ],
)
def test_a_run_of_zwnjs_is_one_zwnj(text, expected):
    assert fix(text) == expected


@pytest.mark.parametrize(
    "text", ["و\u200fزن او", "دو\u200fران", "در\u200bآمد و نشست", "سر\u200fباز بود", "با\u00adران"]
)
def test_a_mark_after_a_letter_that_does_not_join_is_kept_as_typed(text):
    # A ZWNJ would show nothing there and glue «و زن» into «وزن»; a space would split
    # «دوران»: the fixer cannot know which was meant, so it leaves the mark.
    assert fix(text) == text
