from hypothesis import given
from hypothesis import strategies as st

from hamafza.persian.typed import BIDI_CONTROLS, clean_name, fold_letters, strip_bidi_controls


def test_bidi_controls_are_removed_and_nothing_else():
    # RLO would show «رضا‮ 0912» reversed, and the row after it.
    assert strip_bidi_controls("رضا\u202e 0912\u202c") == "رضا 0912"
    assert strip_bidi_controls("\u2067علی\u2069 \u200cها\u200f") == "علی \u200cها\u200f"


def test_names_fold_arabic_ye_and_kaf():
    assert clean_name("علي كرد\u202b") == "علی کرد"
    assert fold_letters("مصطفى") == "مصطفی"


@given(st.text())
def test_cleaning_leaves_no_bidi_control_and_is_idempotent(text):
    cleaned = clean_name(text)
    assert not set(cleaned) & set(BIDI_CONTROLS)
    assert clean_name(cleaned) == cleaned
    assert not set(cleaned) & set("يىك")
