"""Persian alphabetical order: what a reader expects of a list, and properties of the key."""

from hypothesis import given
from hypothesis import strategies as st

from hamafza.persian.collation import ALPHABET, compare, sort_key

Z = "\u200c"


def persian_sorted(words):
    return sorted(words, key=sort_key)


def test_counties_sort_as_a_persian_reader_expects():
    counties = ["نیک‌شهر", "چابهار", "زاهدان", "ایرانشهر", "سرباز", "خاش", "زابل", "کنارک"]
    assert persian_sorted(counties) == [
        "ایرانشهر",
        "چابهار",
        "خاش",
        "زابل",
        "زاهدان",
        "سرباز",
        "کنارک",
        "نیک‌شهر",
    ]
    # code-point order is what the lists showed before: چ after ن.
    assert sorted(["نیک‌شهر", "چابهار"]) == ["نیک‌شهر", "چابهار"]


def test_the_four_persian_letters_take_their_places():
    # پ after ب, چ after ج, ژ after ز, گ after ک: not after the whole Arabic alphabet.
    assert persian_sorted(["تهران", "پارس", "بم"]) == ["بم", "پارس", "تهران"]
    assert persian_sorted(["حسن", "چمران", "جم"]) == ["جم", "چمران", "حسن"]
    assert persian_sorted(["سینا", "ژاله", "زهرا"]) == ["زهرا", "ژاله", "سینا"]
    assert persian_sorted(["لار", "گناوه", "کرمان"]) == ["کرمان", "گناوه", "لار"]
    assert persian_sorted(["یزد", "هرمز", "آبادان", "اهواز"]) == ["آبادان", "اهواز", "هرمز", "یزد"]


def test_arabic_letters_sort_with_their_persian_letters():
    # «كرد» typed on an Arabic keyboard sits beside «کرد», not after «یزد».
    assert persian_sorted(["یزد", "كرد", "لار", "کرمان"]) == ["كرد", "کرمان", "لار", "یزد"]
    assert sort_key("علي")[0] == sort_key("علی")[0]


def test_zwnj_and_diacritics_do_not_move_a_word():
    assert sort_key(f"نیک{Z}شهر")[0] == sort_key("نیکشهر")[0]
    assert sort_key("مُحَمَّد")[0] == sort_key("محمد")[0]


def test_spaces_digits_persian_then_latin():
    words = ["Zahedan", "زاهدان", "۱۴۰۳", "زاهد آباد", "زاهدانی"]
    assert persian_sorted(words) == ["۱۴۰۳", "زاهد آباد", "زاهدان", "زاهدانی", "Zahedan"]
    assert sort_key("۱۴")[0] == sort_key("14")[0]


def test_every_letter_of_the_alphabet_follows_the_one_before():
    letters = [group[0] for group in ALPHABET]
    assert persian_sorted(reversed(letters)) == letters


text = st.text(
    alphabet=st.sampled_from("".join(ALPHABET) + f" {Z}\u064e0123456789۰۱۲۳abcXYZ-،."), max_size=12
)


@given(text, text)
def test_compare_is_antisymmetric_and_only_equal_for_equal_text(a, b):
    assert compare(a, b) == -compare(b, a)
    assert (compare(a, b) == 0) == (a == b)


@given(text, text, text)
def test_compare_is_transitive(a, b, c):
    x, y, z = sorted([a, b, c], key=sort_key)
    assert compare(x, y) <= 0 and compare(y, z) <= 0 and compare(x, z) <= 0


@given(text, text.filter(bool))
def test_a_word_sorts_before_its_longer_forms(a, b):
    assert compare(a, a + b) < 0


@given(text)
def test_arabic_letters_weigh_as_persian_ones(a):
    arabic = a.replace("ی", "ي").replace("ک", "ك")
    assert sort_key(arabic)[0] == sort_key(a)[0]
