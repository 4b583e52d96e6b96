"""Property tests: a safe fix never changes what the text says, and is idempotent.

Random text is built from words, marks and protected spans that exercise every rule; real
text is the evaluation sentences (with their ZWNJs damaged), the Mehr article and the
regression set.  ``safety.meaning_changes`` states what "never changes" means: no letter or
digit lost, no two tokens glued except with a ZWNJ, no lexicon word split, protected spans
byte for byte, marks kept (repeated ones may collapse).
"""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamafza.persian.text import evaluation, fix
from hamafza.persian.text.protect import protected_spans
from hamafza.persian.text.safety import meaning_changes

Z = "\u200c"
DATA = Path(__file__).parent / "data"
WORDS = [
    *"اطلاع رسانی روابط عمومی ها های می نمی تواند شود کتاب کشور بزرگ ترین تر".split(),
    *"تنها آنها میز ماه خانه ای داشته اند برنامه ریزی و رفاه ورفاه از سال دستگاه".split(),
    *"يك كتاب مدرسة عمـومی شذ ۱۷ مرداد 1403 ٤٥ ۳.۵".split(),
    # words of the lexicon that look like stem + ending, endings written apart, spellings
    *"منهای بهای خانهای جوانهای ی ء یی تان شان گر اخلال آبی درباره گفتگو گفت گو".split(),
    *"سه دو یک شنبه روز ۱۴۰۲ سلامممم کارے مدرسۃ تهران اصفهان".split(),
]
MARKS = [
    *(" ", " ", " ", Z, Z + Z, "", "\n"),
    *("،", ",", ".", "...", "?", "??", "؟", "!", "!!", ";", ":", "(", ")", "«", "»"),
    *('"', "'", "`", "“", "”", "%", "-", "--", "---", "ـ"),
    *("\u200b", "\u200f", "\u200e", "\u00ad", "\u200d"),
]
PROTECTED = [
    "https://www.mehrnews.com/news/6189034",
    "https://fa.wikipedia.org/wiki/روابط_عمومي",
    "pr@example.ir",
    "<b>",
    "</p>",
    "&amp;",
    "COVID-19",
    "ISO 9001",
    "A320",
    "%1$s",
    "{name}",
    "{0}",
    "@hamafza_ir",
    "#روابط_عمومي",
    "It's",
    "C++",
    "--verbose",
]

pieces = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from(MARKS), st.sampled_from(PROTECTED)),
    max_size=40,
)


def _persian_text(parts: list[str]) -> str:
    # Protected spans are set off by spaces, as they are in real text.
    return "".join(f" {p} " if p in PROTECTED else p for p in parts)


# Derandomized: the suite gives the same answer on every run, as CI gates the merge on
# it. Run a random search (derandomize=False, more examples) by hand when working here:
# it found "0 )," fixed in two runs, "0‌‏0" glued into one number, "? ?" collapsed in
# two runs (all fixed), and still finds a rare one: quotes whose inside starts with
# spaces pair only on the second run.
SETTINGS = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.mark.slow
@SETTINGS
@given(pieces)
def test_a_safe_fix_never_changes_meaning(parts):
    text = _persian_text(parts)
    assert meaning_changes(text, fix(text)) == []


@pytest.mark.slow
@SETTINGS
@given(pieces)
def test_fix_is_idempotent(parts):
    text = _persian_text(parts)
    once = fix(text)
    assert fix(once) == once


@pytest.mark.slow
@SETTINGS
@given(pieces)
def test_fix_keeps_protected_spans(parts):
    text = _persian_text(parts)
    fixed = fix(text)
    pos = 0
    for start, end in protected_spans(text):
        found = fixed.find(text[start:end], pos)
        assert found >= 0, text[start:end]
        pos = found + end - start


@SETTINGS
@given(st.text(alphabet="ابپتسشکگلمنوهیي ك\u200c\u200fـ،,.؟?!«»()'\"۰۱۲0123", max_size=60))
def test_fix_is_safe_and_idempotent_on_arbitrary_persian_strings(text):
    once = fix(text)
    assert fix(once) == once
    assert meaning_changes(text, once) == []


# Mixed text: Latin words and codes, ASCII and Persian digits, the marks of both scripts,
# invisible marks, emoji, and the words the join rules look at.
MIXED = [
    *"hello GB PM km x ISO In of is".split(),
    *"0 1 2 9 12 45 1000 ۱ ۱۲ ۱۴۰۳".split(),
    *(".", ",", ":", ";", "%", "$", "(", ")", "{", "}", "|", "-", "---", '"', "'", "`", "°"),
    *("،", "؛", "؟", "«", "»", "ـ"),
    *(" ", " ", " ", "\n", Z, "\u200d", "\u200f", "\u200e", "\u00ad", "\u200b", "👨", "💻"),
    *"هم کم این گونه سفر کار گر گران ام البنین باش ها تنها ست مشابه ی ای خانه مان".split(),
    *"و زن دو ران نا امید نهاد هایم عمومی ات رحمة الله ه ش".split(),
]


@SETTINGS
@given(st.lists(st.sampled_from(MIXED), max_size=30))
def test_mixed_latin_digits_marks_and_invisibles(parts):
    text = "".join(parts)
    once = fix(text)
    assert fix(once) == once
    assert meaning_changes(text, once) == []
    pos = 0
    for start, end in protected_spans(text):
        found = once.find(text[start:end], pos)
        assert found >= 0, text[start:end]
        pos = found + end - start


def _real_texts() -> list[str]:
    texts = [line for line in (DATA / "mehr-6189034.txt").read_text("utf-8").split("\n")]
    for name in ("zwnj_eval_dev.txt", "zwnj_eval_heldout.txt", "zwnj_eval_blind.txt"):
        golds = evaluation.read_gold(DATA / name)
        texts += [evaluation.corrupt(g, i) for i, g in enumerate(golds)]
    for name in ("meaning_cases.tsv", "meaning_cases_2.tsv"):
        texts += [case.text for case in evaluation.read_cases(DATA / name)]
    return texts


@pytest.mark.slow
def test_real_text_is_fixed_safely_and_once():
    unsafe, unstable = [], []
    for text in _real_texts():
        once = fix(text)
        if meaning_changes(text, once):
            unsafe.append((text, once, meaning_changes(text, once)))
        if fix(once) != once:
            unstable.append(text)
    assert not unsafe and not unstable, (unsafe[:3], unstable[:3])
