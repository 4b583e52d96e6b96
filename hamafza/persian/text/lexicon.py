"""The Persian lexicon: words with frequencies and a verb conjugator.

The big word list is not kept in this repository: it is hazm's MIT-licensed
``words.dat`` / ``verbs.dat``, installed from PyPI without hazm's heavy
dependencies (``pip install --no-deps hazm==0.10.0``).  We locate the files
through the installed distribution's metadata and never import hazm itself,
whose import pulls in nltk and friends.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ZWNJ = "\u200c"
INSTALL_HINT = "pip install --no-deps hazm==0.10.0"

# Letters that never join the letter after them: a ZWNJ after them is meaningless.
NON_JOINING = frozenset("اآأإدذرزژوؤءةۀ")

PRESENT_ENDINGS = ("م", "ی", "د", "یم", "ید", "ند")
PAST_ENDINGS = ("", "م", "ی", "یم", "ید", "ند")
PERFECT_ENDINGS = ("ام", "ای", "ایم", "اید", "اند")
# Verbal prefixes written with a ZWNJ; preverbs that precede them in compound verbs.
CONTINUOUS_PREFIXES = ("می", "نمی")
PREVERBS = ("", "بر", "در", "باز", "فرو", "فرا", "وا")
# hazm's tags of words that name or describe, and of closed-class words.
CONTENT_TAGS = frozenset(("N", "AJ", "ADV", "NUM"))
FUNCTION_TAGS = frozenset(("PRO", "P", "POSTP", "CONJ", "DET"))
# Endings that never stand as a word of their own, although some are listed (ها, ای).
BOUND_SUFFIXES = frozenset("ها های هایی تر ترین تری ای ام ات اش ان ی یی".split())


# Words that stand before another word as words of their own (هم سفر کرد: also
# travelled; کم کار می‌کند: works little; این گونه: this species; و زن: and a woman):
# joined to the next word they make another word (هم‌سفر, کم‌کار, این‌گونه, وزن), so a
# join after them is the editor's to make.
# یک too: یک بار is «one load» or «once» (یک‌بار), یک گونه «one species».
FREE_WORDS = frozenset("هم کم این آن همین همان بدین چه و یا که هر نه بس خیلی یک".split())


# Words of Arabic origin whose final ه is a sounded h although a consonant precedes it:
# مشابهی is "a similar", not مشابه‌ی. The letter before ه cannot tell them from خانه.
# The bare roots are listed; the words derived from them are generated (SOUNDED_DERIVED).
# Persian words with a sounded final h after a consonant are few: ابله, فربه, گره, زره.
SOUNDED_HEH = frozenset(
    "مشابه متشابه مشتبه موجه متوجه توجه وجه شبیه کریه فقیه سفیه نزیه وجیه نبیه تنبیه "
    "تنزیه تشبیه توجیه تنبه فقه کنه شبه نبه ابله فربه تبه سیه اله الیه واله تأله متأله تافه "
    "مکره گره زره فره انده نگه گنه سپه پگه".split()
)
# Arabic roots whose last radical is h (ش‌ب‌ه, و‌ج‌ه, ن‌ب‌ه ...), and the patterns of the
# words Persian borrows from them (1 2 3 stand for the radicals): every such word ends in
# a sounded ه, مشابهی is "a similar one", not مشابه‌ی.  Roots whose patterns also spell
# Persian words with a silent heh are left out (ک‌ر‌ه: کاره; و‌ل‌ه: توله; ا‌ل‌ه: ماله), and so is the
# pattern فاعل (فاقه).
SOUNDED_ROOTS = ("شبه", "وجه", "نبه", "فقه", "نزه", "سفه", "رفه", "تفه")
_SOUNDED_PATTERNS = "12ی3 م1ا23 م123 مت1ا23 مت123 ت12ی3 ت123 ت1ا23 م1ت23 مست123".split()
SOUNDED_DERIVED = frozenset(
    pattern.replace("1", root[0]).replace("2", root[1]).replace("3", root[2])
    for root in SOUNDED_ROOTS
    for pattern in _SOUNDED_PATTERNS
)


def sounded_heh(word: str) -> bool:
    """Is the final ه of ``word`` a sounded h after a consonant (فقه, مشابه, ترفیه)?"""
    return word in SOUNDED_HEH or word in SOUNDED_DERIVED


# After و the heh is sounded when و is a vowel (کوه, گروه, اندوه) and silent when it is
# the consonant v: after ا or ی (کاوه, یاوه, میوه, شیوه) and in these words.
SILENT_AFTER_VAV = frozenset("جلوه نحوه قهوه عشوه رشوه صفوه".split())


def ends_in_silent_heh(word: str) -> bool:
    """خانه, درباره: a final ه that only writes a vowel.  After ا or a vowel و it is a
    consonant (راه, کوه, گروه), and the endings then join without a ZWNJ (راهی, گروهم); so it is
    in the words of SOUNDED_HEH and in the derivatives of an Arabic root ending in h
    (مشابهی, فقهی, تنزیهی)."""
    if len(word) < 2 or word[-1] != "ه" or word[-2] in "اآ":
        return False
    if word[-2] == "و":
        return (len(word) >= 4 and word[-3] in "اآی") or word in SILENT_AFTER_VAV
    return not sounded_heh(word)


# Imperatives of آمدن and آوردن (the stem آ takes a glide and loses its madda).
IRREGULAR_IMPERATIVES = frozenset("بیا نیا میا بیاور نیاور بیاید".split())


class LexiconMissing(RuntimeError):
    """Raised when hazm's data files are not installed."""


@dataclass
class Lexicon:
    """Word frequencies plus the derived lookup tables the rules need."""

    core: dict[str, int] = field(default_factory=dict)  # tagged, frequency-bearing entries
    tags: dict[str, frozenset[str]] = field(default_factory=dict)
    extra: set[str] = field(default_factory=set)  # untagged tail of words.dat: attested, unranked
    joined: dict[str, str] = field(default_factory=dict)  # ZWNJ-less spelling -> ZWNJ spelling
    verbs: dict[str, str] = field(default_factory=dict)  # ZWNJ-less verb form -> correct form
    participles: set[str] = field(default_factory=set)
    present_stems: set[str] = field(default_factory=set)
    past_stems: set[str] = field(default_factory=set)
    # Simple verb forms (شد، کرد، می‌گوید) with a rough frequency: words.dat has no verbs, and
    # hazm's iverbs.dat lists the most common (irregular) verbs, so those rank highest.
    verb_freq: dict[str, int] = field(default_factory=dict)

    def knows(self, word: str) -> bool:
        return word in self.core or word in self.extra or word in self.verb_freq

    def spells(self, word: str) -> bool:
        """Is ``word`` a spelling the lexicon attests, as a word, a verb form or the
        ZWNJ-less form of a compound (میشود, نرمافزار, کتابها)?"""
        return (
            word in self.core
            or word in self.extra
            or word in self.joined
            or word in self.verbs
            or word in self.verb_freq
        )

    def spells_one_word(self, word: str) -> bool:
        """Stronger than ``spells``: a ranked word, a verb form or a compound's ZWNJ-less
        spelling, not merely a string seen in the untagged tail (which holds typos)."""
        return (
            word in self.core or word in self.joined or word in self.verbs or word in self.verb_freq
        )

    def is_word(self, word: str) -> bool:
        """A ranked word of its own (تهران, اصفهان), not a bare ending (ها) or letter."""
        return len(word) >= 2 and word in self.core and word not in BOUND_SUFFIXES

    def is_content_word(self, word: str) -> bool:
        """A noun, adjective or adverb of its own: a stem that can take a plural or an
        enclitic.  A pronoun, preposition or conjunction cannot (منهای is no من+های,
        بهای no به+ای), whatever else the tagger also called it."""
        tags = self.tags.get(word, frozenset())
        return self.is_word(word) and bool(tags & CONTENT_TAGS) and not tags & FUNCTION_TAGS

    def is_imperative(self, word: str) -> bool:
        """برو, بیا, نرو: a verb's imperative, after which ها is the interjection
        (مواظب باش ها!), not a plural."""
        if word in IRREGULAR_IMPERATIVES:
            return True
        if len(word) < 2 or word[0] not in "بنم" or word in self.past_stems:
            return False  # بافت is a past stem (and a noun), not ب + افت
        stem = word[1:]
        return stem in self.present_stems or (
            stem.startswith("ی") and "ا" + stem[1:] in self.present_stems  # بیفت, بینداز
        )

    def freq(self, word: str) -> int:
        return self.core.get(word, 0) or self.verb_freq.get(word, 0)

    def is_adjective(self, word: str) -> bool:
        return "AJ" in self.tags.get(word, ())


def data_dir() -> Path:
    """Folder holding hazm's data files, found without importing hazm."""
    try:
        dist = metadata.distribution("hazm")
    except metadata.PackageNotFoundError as exc:
        raise LexiconMissing(
            f"The Persian lexicon (hazm's words.dat) is not installed. Install it with: {INSTALL_HINT}"
        ) from exc
    folder = Path(dist.locate_file("hazm/data"))
    if not (folder / "words.dat").is_file():
        raise LexiconMissing(
            f"hazm is installed but {folder}/words.dat is missing; reinstall with: {INSTALL_HINT}"
        )
    return folder


@functools.cache
def load() -> Lexicon:
    folder = data_dir()
    lex = Lexicon()
    _read_words(folder / "words.dat", lex)
    _read_verbs(folder / "verbs.dat", lex)
    _read_common_verbs(folder / "iverbs.dat", lex)
    _build_joined(lex)
    return lex


def _read_words(path: Path, lex: Lexicon) -> None:
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 3 or not parts[0]:
            continue
        word, freq, tags = parts
        if tags == "0":
            lex.extra.add(word)
            continue
        lex.core[word] = max(lex.core.get(word, 0), int(freq or 0))
        lex.tags[word] = lex.tags.get(word, frozenset()) | frozenset(tags.split(","))


def _read_verbs(path: Path, lex: Lexicon) -> None:
    for line in path.read_text(encoding="utf-8").splitlines():
        past, _, present = line.partition("#")
        if not past or not present or " " in present:
            continue
        lex.present_stems.add(present)
        lex.past_stems.add(past)
        for neg in ("", "ن"):
            lex.participles.add(neg + past + "ه")
        for form in _conjugations(past, present):
            for pre in PREVERBS:
                for prefix in CONTINUOUS_PREFIXES:
                    lex.verbs.setdefault(pre + prefix + form, pre + prefix + ZWNJ + form)


def _read_common_verbs(path: Path, lex: Lexicon) -> None:
    common = {
        line.split("#")[0] for line in path.read_text(encoding="utf-8").splitlines() if "#" in line
    }
    for line in (
        folder_line
        for folder_line in path.parent.joinpath("verbs.dat").read_text("utf-8").splitlines()
    ):
        past, _, present = line.partition("#")
        if not past or not present or " " in present:
            continue
        freq = 10_000_000 if past in common else 10_000
        for form in [*_conjugations(past, present), present]:
            for prefix in ("", "ن", "ب"):
                lex.verb_freq[prefix + form] = max(lex.verb_freq.get(prefix + form, 0), freq)
            for prefix in CONTINUOUS_PREFIXES:
                lex.verb_freq[prefix + ZWNJ + form] = freq


def _conjugations(past: str, present: str) -> list[str]:
    forms = [past + e for e in PAST_ENDINGS]
    forms += [present + e for e in PRESENT_ENDINGS]
    # A stem ending in a vowel letter may take a glide ی before the ending (گو -> گوید).
    if present[-1] in "اوآ":
        forms += [present + "ی" + e for e in PRESENT_ENDINGS]
    return forms


def _build_joined(lex: Lexicon) -> None:
    """Map the ZWNJ-less spelling of each attested compound to its ZWNJ spelling."""
    for word in list(lex.core) + sorted(lex.extra):
        if ZWNJ not in word:
            continue
        bare = word.replace(ZWNJ, "")
        best = lex.joined.get(bare)
        if best is None or lex.core.get(word, 0) > lex.core.get(best, 0):
            lex.joined[bare] = word
