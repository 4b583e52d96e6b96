"""House spellings: the ezafe and -ای after a silent heh, compounds, weekday names."""

import pytest

from hamafza.persian.text import check, fix

Z = "\u200c"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("خانه ی ما", f"خانه{Z}ی ما"),
        ("درباره ی این طرح", f"درباره{Z}ی این طرح"),
        ("از غم به هر بهانهء ممکن عبور کن", f"از غم به هر بهانه{Z}ی ممکن عبور کن"),
        ("بهانه ء ممکن", f"بهانه{Z}ی ممکن"),
        ("خانه ي ما", f"خانه{Z}ی ما"),
        ("دربارهی این طرح", f"درباره{Z}ی این طرح"),
    ],
)
def test_the_ezafe_after_a_silent_heh_is_a_zwnj_and_yeh(text, expected):
    assert fix(text) == expected
    # A sounded heh (راه، گروه) takes its ی joined, so a space there is left to the editor;
    # the hamza-above form is correct as it is.
    for kept in ("راه ی", "گروه ی", "توجهی نکرد", "گروهی", f"درباره{chr(0x654)} این"):
        assert fix(f"{text} {kept}") == f"{expected} {kept}"


@pytest.mark.parametrize("text", [f"خانه{Z}یی", f"خانه{Z}ئی", "خانهیی", "خانهئی"])
def test_the_old_indefinite_after_a_silent_heh_becomes_ai(text):
    assert fix(f"{text} بر روی آب") == f"خانه{Z}ای بر روی آب"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("گفتگو", f"گفت{Z}وگو"),
        ("گفت و گو کردند", f"گفت{Z}وگو کردند"),
        ("گفتگوهای دو طرف", f"گفت{Z}وگوهای دو طرف"),
        ("جستجوی خبر", f"جست{Z}وجوی خبر"),
    ],
)
def test_compounds_get_their_standard_spelling(text, expected):
    assert fix(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("روز سه شنبه", f"روز سه{Z}شنبه"),
        ("سه شنبه ۱۷ مرداد", f"سه{Z}شنبه ۱۷ مرداد"),
        ("سه شنبه، ۱۷ مرداد", f"سه{Z}شنبه، ۱۷ مرداد"),
        ("عصر پنج شنبه", f"عصر پنج{Z}شنبه"),
        ("سه شنبه گذشته", f"سه{Z}شنبه گذشته"),
    ],
)
def test_a_weekday_written_apart_is_joined_where_a_day_is_meant(text, expected):
    assert fix(text) == expected
    assert fix("دو شنبه گذشته و سهشنبه") == f"دوشنبه گذشته و سه{Z}شنبه"


def test_a_number_before_shanbeh_elsewhere_is_only_suggested():
    # «دو شنبه» may be two Saturdays: the editor decides.
    text = "فقط دو شنبه در ماه تعطیل است."
    assert fix(text) == text
    found = [f for f in check(text) if f.code == "weekday"]
    assert len(found) == 1 and found[0].suggestion == "دوشنبه" and not found[0].safe
    assert text[found[0].start : found[0].end] == "دو شنبه"


@pytest.mark.parametrize(
    "text", ["موارد مشابهی", "دلیل موجهی ندارد", "متوجهی؟", "چیز شبیهی", "بوی کریهی", "فقهی"]
)
def test_a_sounded_heh_takes_its_ending_without_a_half_space(text):
    # مشابهی is "a similar (one)": the ه is an h, not a vowel, and no ezafe is there.
    assert fix(text) == text
