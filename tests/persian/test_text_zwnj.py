"""ZWNJ restoration: rules with positive and negative examples, and the evaluation set."""

from pathlib import Path

import pytest

from hamafza.persian.text import evaluation
from hamafza.persian.text.zwnj import restore_zwnj

Z = "\u200c"
DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("اطلاعرسانی", f"اطلاع{Z}رسانی"),
        ("عمومیهای", f"عمومی{Z}های"),
        ("میتواند", f"می{Z}تواند"),
        ("بهرهگیری", f"بهره{Z}گیری"),
        ("دستگاههای", f"دستگاه{Z}های"),
        ("برجستهترین", f"برجسته{Z}ترین"),
        ("داشتهاند", f"داشته{Z}اند"),
        ("برمیگردد", f"برمی{Z}گردد"),
        ("سالهای", f"سال{Z}های"),
        ("همافزایی", f"هم{Z}افزایی"),
    ],
)
def test_lost_zwnj_inside_a_joined_word_is_restored(text, expected):
    assert restore_zwnj(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("اطلاع رسانی", f"اطلاع{Z}رسانی"),
        ("کتاب ها", f"کتاب{Z}ها"),
        ("بزرگ ترین", f"بزرگ{Z}ترین"),
        ("نمی شود", f"نمی{Z}شود"),
        ("داشته اند", f"داشته{Z}اند"),
        ("برنامه ریزی", f"برنامه{Z}ریزی"),
        ("این گونه", f"این{Z}گونه"),
        ("کشور ها", "کشورها"),
    ],
)
def test_space_becomes_zwnj_where_orthography_wants_one(text, expected):
    assert restore_zwnj(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"کشور{Z}ها", "کشورها"),
        (f"بندر{Z}ها", "بندرها"),
        (f"کتاب{Z}{Z}ها", f"کتاب{Z}ها"),
        (f"{Z}کتاب{Z} ها", f"کتاب{Z}ها"),
        (f"می{Z} شود", f"می{Z}شود"),
    ],
)
def test_wrong_zwnj_is_removed(text, expected):
    assert restore_zwnj(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "تنها",
        "آنها",
        "اینها",
        "میز",
        "میزها",
        "ماه می",
        "۱۵ می ۲۰۲۴",
        "روابط عمومی",
        "سفرهای نوروزی",
        "نهادهای تابعه",
        "همچنین",
        "بیشتر",
        "بهترین",
        "خلیج فارس",
        "شب شعر",
        "یک گونه",
        "تعریف شده",
        "پلیس راه",
        f"می{Z}شود",
        "کشورها",
        "صنایع دستی",
    ],
)
def test_words_that_only_look_like_candidates_are_left_alone(text):
    assert restore_zwnj(text) == text


def test_perfect_tense_beats_a_plural_reading():
    assert restore_zwnj("دادهایم") == f"داده{Z}ایم"
    assert restore_zwnj("خانهای") == f"خانه{Z}ای"


@pytest.mark.parametrize(
    "name", ["zwnj_eval_dev.txt", "zwnj_eval_heldout.txt", "zwnj_eval_blind.txt"]
)
def test_restoration_meets_the_targets_on_the_evaluation_set(name):
    golds = evaluation.read_gold(DATA / name)
    assert len(golds) >= 90
    score = evaluation.score(golds, restore_zwnj)
    assert score.precision >= 0.99, score.as_dict()
    assert score.f1 >= 0.97, score.as_dict()


def test_evaluation_counts_boundaries():
    gold = f"کتاب{Z}ها و اطلاع{Z}رسانی"
    perfect = evaluation.score([gold], lambda text: gold)
    assert (perfect.tp, perfect.fp, perfect.fn) == (2, 0, 0)
    lazy = evaluation.score([gold], lambda text: text)
    assert lazy.tp + lazy.fn == 2 and lazy.fp == 0
