"""Spelling suggestions, glued و, گذار/گزار."""

import pytest

from hamafza.persian.text import check, fix, spelling


def test_keyboard_slip_of_a_common_word_is_suggested():
    assert spelling.suggestions("شذ")[0] == "شد"


@pytest.mark.parametrize(
    "word", ["شد", "اطلاع\u200cرسانی", "تاکید", "کتاب\u200cها", "می\u200cتواند", "حسینی"]
)
def test_known_words_get_no_suggestion(word):
    assert spelling.suggestions(word) == []


def test_glued_vav_is_split_only_when_safe():
    assert spelling.split_glued_vav("ورفاه") == "و رفاه"
    assert spelling.split_glued_vav("وزیر") is None
    assert spelling.split_glued_vav("واحدها") is None


def test_gozar_table():
    assert spelling.gozar_table()["برگذاری"] == "برگزاری"
    assert spelling.gozar_table()["سرمایه\u200cگزاری"] == "سرمایه\u200cگذاری"


def test_doubled_words_are_found():
    assert spelling.doubled_words("او از از خانه آمد") == [(3, 8, "از")]


@pytest.mark.parametrize(("text", "plain"), [("سلامممم دوستان", "سلام"), ("خیلیییی خوب", "خیلی")])
def test_letters_stretched_for_emphasis_are_flagged_not_fixed(text, plain):
    assert fix(text) == text
    found = [f for f in check(text) if f.code == "stretched"]
    assert len(found) == 1 and found[0].suggestion == plain and not found[0].safe
