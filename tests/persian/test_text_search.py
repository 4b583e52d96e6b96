"""Search normalisation: variants that must meet in the index."""

import sqlite3

import pytest

from hamafza.persian.text.search import normalize_for_search as norm

Z = "\u200c"


@pytest.mark.parametrize(
    "variants",
    [
        (f"اطلاع{Z}رسانی", "اطلاعرسانی", "اطلاع رسانی"),
        (f"کتاب{Z}ها", "کتابها", "کتاب ها", "كتاب"),
        ("رئیس", "رییس"),
        ("مَدرسه", "مدرسه", "مدرسة"),
        ("۱۴۰۳", "1403", "١٤٠٣"),
        ("تأکید", "تاکید"),
        (f"بزرگ{Z}ترین", "بزرگترین", "بزرگ"),
        ("عمـومی", "عمومی"),
    ],
)
def test_variants_normalise_alike(variants):
    assert len({norm(v) for v in variants}) == 1, [norm(v) for v in variants]


def test_lexicon_words_are_not_over_stemmed():
    assert norm("تنها") == "تنها"
    assert norm("میز") == "میز"


def test_stopwords_and_suffix_fragments_are_dropped():
    assert norm("کتاب ها و دفتر") == "کتاب دفتر"


def test_works_as_an_fts5_index():
    db = sqlite3.connect(":memory:")
    try:
        db.execute("CREATE VIRTUAL TABLE doc USING fts5(body)")
    except sqlite3.OperationalError:
        pytest.skip("SQLite without FTS5")
    texts = ["روابط عمومیهای دستگاهها در اطلاع رسانی", "مسابقات فوتبال در ورزشگاه آزادی"]
    db.executemany("INSERT INTO doc(body) VALUES (?)", [(norm(t),) for t in texts])
    query = norm(f"اطلاع{Z}رسانی روابط عمومی{Z}ها")
    rows = db.execute("SELECT rowid FROM doc WHERE doc MATCH ?", (query,)).fetchall()
    assert rows == [(1,)]


def test_a_kashida_used_as_a_dash_separates_words():
    assert norm("مسیر تهرانـاصفهان") == norm("مسیر تهران اصفهان")
    assert norm("ـ افزایش حقوق") == norm("افزایش حقوق")
