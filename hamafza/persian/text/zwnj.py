"""Zero-width non-joiner (U+200C) restoration and cleanup.

Three jobs, all driven by the lexicon (hazm's words.dat and verbs.dat) plus affix rules:

* restore a ZWNJ lost inside a joined word: اطلاعرسانی -> اطلاع‌رسانی, میتواند -> می‌تواند;
* turn a space into a ZWNJ where orthography wants one: کتاب ها -> کتاب‌ها, نمی شود -> نمی‌شود;
* remove wrong ones: after a non-joining letter (کشور‌ها -> کشورها), at a word's edge, doubled.

A word that is itself in the tagged lexicon (تنها، میز) is never split.  Each distinct
word is analysed once and memoised, so a megabyte of news costs mostly dict look-ups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from hamafza.persian.text import lexicon, spelling
from hamafza.persian.text.lexicon import FREE_WORDS, NON_JOINING, ZWNJ, ends_in_silent_heh

KASHIDA = "\u0640"
LETTERS = "\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\u06c0"
MARKS = "\u064b-\u0652\u0654\u0670"
WORD = f"[{LETTERS}{MARKS}\u200c]+"
_WORD = re.compile(WORD)
_MARK = re.compile(f"[{MARKS}]")

PLURAL = ("ها", "های", "هایی", "هاست", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان")
COMPARATIVE = ("تر", "ترین", "تری", "ترها")
# Enclitics written with a ZWNJ after a silent ه (خانه‌ای، رفته‌اند) or, some, after ی.
AFTER_HEH = ("ای", "ام", "ات", "اش", "ایم", "اید", "اند", "ایی")
AFTER_YEH = ("ام", "ات", "اش")
# Perfect-tense endings; -ای is left out: after a stem ending in د it usually is -های
# (نهادهای = نهاد + های, not نهاده + ای).
PERSONAL = ("ایم", "اید", "اند", "ام")
# Second halves of compounds that take a ZWNJ after a joining letter (تصمیم‌گیری).
HEADS = frozenset(
    (
        "گیری",
        "سازی",
        "رسانی",
        "گذاری",
        "کننده",
        "کنندگان",
        "ریزی",
        "افزایی",
        "پذیری",
        "برداری",
        "آمیز",
        "انگیز",
        "پذیر",
    )
)
# Suffixes that join without a ZWNJ (plural -ان, relational -ی ...).
PLAIN_SUFFIXES = ("ان", "ی", "یی", "یان", "ات")
# First halves that fuse with any second half the lexicon knows (هم زمان، کلان شهر).
BOUND_FIRST = frozenset("هم بی نا کلان فرا کم".split())
# Prefixes that are no words of their own: نا امید is ناامید.
BOUND_PREFIXES = frozenset("نا بی".split())
# Nouns that end compounds written as one word (گواهی‌نامه، اجاره‌بها).
FUSING_NOUNS = frozenset("نامه بها".split())
# Pronoun + گونه (این گونه): fused, whereas یک گونه (one species) is a phrase.
GUNEH_FIRST = frozenset("این آن همین همان بدین چه".split())
# Stand-alone tokens that are really suffixes of the word before (کتاب ها، بزرگ ترین).
SUFFIX_TOKENS = frozenset((*PLURAL, "ترین", "تری"))
# Function words never fused with the next word by the compound rule.
STOP_FIRST = frozenset("به در با از بر تا که و یا را هر چه نه اگر چون پس".split())
# Possessive endings written apart after a plural: خواب‌های تان -> خواب‌های‌تان.
POSSESSIVES = frozenset(("تان", "مان", "شان"))
# Derivational endings that are (rare, poetic) words too, گر "if" among them: joined only
# where the lexicon lists the compound (اخلال گر -> اخلال‌گر, هدف مند -> هدفمند).
DERIVATIONAL = frozenset("گر گری گران گرا گرایی مند مندی مندان وار واری ناک".split())
# A copula or possessive glued after a word ending in a vowel (تنهاست, تنهایم): a word of
# the lexicon before them is not stem + plural (تن‌هاست).
_VOWEL_ENDINGS = ("ست", "یم", "یت", "یش", "یمان", "یتان", "یشان")
# Possessive and personal endings after the plural -ها (نهادهایم: my institutions).
_AFTER_PLURAL = ("یم", "یت", "یش", "یمان", "یتان", "یشان")
# A reading whose stem is this many times rarer (ساله beside سال in سالهای) is no rival.
DOMINANT = 1000
_SUFFIXES = sorted(
    [(s, "plural") for s in PLURAL]
    + [(s, "comparative") for s in COMPARATIVE]
    + [(s, "heh") for s in AFTER_HEH]
    + [(s, "yeh") for s in AFTER_YEH],
    key=lambda item: -len(item[0]),
)


@dataclass(frozen=True, order=True)
class Reading:
    """One way to split a joined word: its score, whether the lexicon ranks its stem as a
    word, and whether the stem surely takes the suffix (see Restorer._takes)."""

    score: int
    ranked: bool
    sure: bool


@cache
def keep_words() -> frozenset[str]:
    text = resources.files("hamafza.persian.text.data").joinpath("zwnj_keep.txt").read_text("utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


class Restorer:
    def __init__(self) -> None:
        self.lex = lexicon.load()
        self.keep = keep_words()
        self.memo: dict[str, str] = {}
        self.glued: dict[str, str] = {}
        self.gaps: dict[tuple[str, str], str] = {}
        self.chunks: dict[str, tuple] = {}
        self.ambiguous: dict[str, tuple[str, ...]] = {}
        # First halves of the lexicon's ZWNJ compounds: only these can fuse with a next word.
        self.first_parts = (
            frozenset(w.split(ZWNJ)[0] for w in self.lex.core if ZWNJ in w) | BOUND_FIRST
        )

    # ---- single words -------------------------------------------------
    def word(self, token: str) -> str:
        fixed = self.memo.get(token)
        if fixed is None:
            fixed = self.memo[token] = self._word(token)
        return fixed

    def _word(self, token: str) -> str:
        w = cleanup(token)
        if _MARK.search(w.rstrip("\u064b")):  # vowelled words are left as written
            return w
        if ZWNJ not in w:
            return self.restore(w)
        restored = self.restore(w.replace(ZWNJ, ""))
        # Keep the writer's ZWNJs unless our analysis agrees with all of them.
        return restored if _zwnj_positions(w) <= _zwnj_positions(restored) else w

    def restore(self, w: str, depth: int = 0) -> str:
        lex = self.lex
        if len(w) < 3 or w in self.keep or w in lex.core:
            return w
        if w in lex.verbs:
            return lex.verbs[w]
        if w.endswith("گونه") and w[:-4] in GUNEH_FIRST:
            return w[:-4] + ZWNJ + "گونه"
        if depth == 0 and self._word_with_ending(w):
            return w  # تنهاست = تنها + ست, not تن + هاست
        if w in lex.extra:
            # Attested but unranked spellings (دستگیری، سالها): only the suffixes whose
            # ZWNJ standard orthography requires (plural, comparative, enclitic) split off,
            # and only from a stem that can take them.
            kinds = ("plural", "comparative", "heh")
            return self._split_suffix(w, depth, kinds=kinds, listed=True) or w
        if w in lex.joined:
            return lex.joined[w]
        if self._derived_from_core(w):
            return w
        return (
            self._split_suffix(w, depth) or self._inflected_compound(w) or self._split_head(w) or w
        )

    def _split_suffix(
        self, w: str, depth: int, kinds: tuple[str, ...] = (), listed: bool = False
    ) -> str | None:
        """``w`` as stem + suffix; None when no split fits.

        ``listed``: the lexicon lists ``w`` whole, so it may be a word of its own (منهای
        is "minus", not من+های; کلانتری a police station); a split then needs a stem that
        surely takes the suffix (``_takes``).  When two readings have ranked stems
        (خانهای: خانه‌ای or خان‌های), the reading is the editor's to choose: ``w`` comes
        back as written and the readings are kept for the checker's suggestion.
        """
        for suffix in PERSONAL:  # دادهایم = داده + ایم (perfect tense), not داد + هایم
            if (
                w.endswith(suffix)
                and w[: -len(suffix)] in self.lex.participles
                and w[-len(suffix) - 1] == "ه"
            ):
                perfect = w[: -len(suffix)] + ZWNJ + suffix
                plural = self._plural_reading(w)
                if plural and self._freq(w[: -len(suffix)]) < DOMINANT * self._freq(plural[0]):
                    # نهادهایم: my institutions (نهاد) or we have placed (نهاده)?
                    self.ambiguous[w] = (perfect, plural[1])  # the change first
                    return w
                return perfect
        found: dict[str, Reading] = {}
        for suffix, kind in _SUFFIXES:
            if not w.endswith(suffix) or len(w) - len(suffix) < 2 or (kinds and kind not in kinds):
                continue
            stem = w[: -len(suffix)]
            if not self._suffix_fits(stem, kind):
                continue
            if kind == "yeh" and suffix == "ات" and self._suffix_is_arabic_plural(stem):
                continue  # -یات is mostly the Arabic plural (عمومیات, دینیات), not -ی + ات
            stem_form = self._stem(stem, depth)
            if stem_form is None and kind == "plural" and len(stem) >= 3 and len(suffix) >= 3:
                stem_form = stem  # گوشیهای: -های after an unknown stem is a plural
            if stem_form is None:
                continue
            fixed = stem_form + _sep(stem) + suffix
            if fixed == w and stem in self.lex.core:  # سفرهای: a valid reading needs no change
                return w
            # Among weaker readings the more frequent stem wins, with a bias towards the
            # enclitic, by far the commoner in news prose.
            reading = Reading(
                score=self._freq(stem) * (10 if kind == "heh" else 1),
                ranked=self.lex.is_word(stem) or self.lex.is_word(stem_form),
                sure=self._takes(stem, stem_form, kind, suffix),
            )
            found[fixed] = max(found.get(fixed, reading), reading)
        return self._one_reading(w, found, listed)

    def _word_with_ending(self, w: str) -> bool:
        """Is ``w`` a word the lexicon ranks plus a copula or possessive (تنهاست, منهایش)?"""
        for ending in _VOWEL_ENDINGS:
            base = w[: -len(ending)]
            if w.endswith(ending) and len(base) >= 3 and base[-1] in "اوی":
                if (base in self.lex.core or base in self.keep) and self.restore(base, 1) == base:
                    return True
        return False

    def _plural_reading(self, w: str) -> tuple[str, str] | None:
        """نهادهایم as نهاد + های + م: (the noun, the spelling), when the noun is one."""
        for ending in _AFTER_PLURAL:
            stem = w[: -len(ending) - 2] if w.endswith("ها" + ending) else ""
            if len(stem) >= 2 and self.lex.is_content_word(stem):
                return stem, stem + _sep(stem) + "ها" + ending
        return None

    def _takes(self, stem: str, stem_form: str, kind: str, suffix: str) -> bool:
        """Does the stem surely take the suffix, so that a listed word may be split?

        A content word takes a plural; a gradable adjective (an adjective also used as an
        adverb: گران, بزرگ) a comparative, not دف or کلان (دفتری, کلانتری); an enclitic
        needs a stem of three letters before its heh and is not -ات, which after a heh is
        mostly the Arabic plural (ترهات, شبهات)."""
        lex = self.lex
        if kind == "comparative":  # نزدیکتر: نزدیک is a preposition too, and gradable
            return {"AJ", "ADV"} <= lex.tags.get(stem, frozenset())
        if not (lex.is_content_word(stem) or lex.is_content_word(stem_form)):
            return False
        if kind == "heh":
            return len(stem) >= 4 and suffix != "ات"
        return True

    def _one_reading(self, w: str, found: dict[str, Reading], listed: bool) -> str | None:
        """The reading to write, ``w`` itself when two are close, None when none fits."""
        ranked = sorted((r.score, fixed) for fixed, r in found.items() if r.ranked)
        # A rival whose stem the lexicon ranks at 0 (جوان) is unknown, not rare: close.
        rival = ranked[-2][0] if len(ranked) > 1 else None
        if rival is not None and (rival == 0 or ranked[-1][0] < DOMINANT * rival):
            self.ambiguous[w] = tuple(sorted(fixed for _score, fixed in ranked))
            return w
        best = ranked[-1][1] if ranked else max(found, key=found.get, default=None)
        if best is not None and listed and not found[best].sure:
            return None
        return best

    def readings(self, token: str) -> tuple[str, ...]:
        """The splits of a joined word that are equally possible (خانهای), if any."""
        self.word(token)
        return self.ambiguous.get(cleanup(token).replace(ZWNJ, ""), ())

    def _derived_from_core(self, w: str) -> bool:
        """چشمگیری = چشمگیر + ی: the lexicon writes the base joined, so is the derivative."""
        return any(w.endswith(s) and w[: -len(s)] in self.lex.core for s in PLAIN_SUFFIXES)

    def _inflected_compound(self, w: str) -> str | None:
        """محیطبانان = محیط‌بان + ان: a ZWNJ compound from the lexicon plus a joined suffix."""
        for suffix in PLAIN_SUFFIXES:
            base = self.lex.joined.get(w[: -len(suffix)]) if w.endswith(suffix) else None
            if base:
                return base + suffix
        return None

    def _suffix_fits(self, stem: str, kind: str) -> bool:
        if kind == "plural":
            return True
        if kind == "comparative":
            if stem + "تر" in self.keep:  # بیشتری، کمترین follow بیشتر، کمتر
                return False
            return self.lex.is_adjective(stem) or self.lex.is_adjective(
                self.lex.joined.get(stem, "")
            )
        if kind == "heh":
            return ends_in_silent_heh(stem)  # راهام is راه+ام written راهم, not راه‌ام
        return stem.endswith("ی") and len(stem) >= 3  # yeh

    def _suffix_is_arabic_plural(self, stem: str) -> bool:
        """Is stem + ات likely the Arabic plural: the stem is not a plain noun (زندگی‌ات)?"""
        tags = self.lex.tags.get(stem, frozenset())
        return "N" not in tags or "AJ" in tags

    def _stem(self, stem: str, depth: int) -> str | None:
        lex = self.lex
        if stem in lex.core or stem in lex.participles or stem in self.keep:
            return stem
        if stem in lex.joined:
            return lex.joined[stem]
        if stem in lex.extra:
            return stem
        if depth == 0:
            inner = self.restore(stem, depth + 1)
            if inner != stem:
                return inner
        return None

    def _split_head(self, w: str) -> str | None:
        for head in HEADS:
            if w.endswith(head) and len(w) - len(head) >= 2:
                stem = w[: -len(head)]
                if self.lex.core.get(stem, 0) >= 100 and stem[-1] not in NON_JOINING:
                    return stem + ZWNJ + head
        return None

    def _freq(self, w: str) -> int:
        return self.lex.core.get(w, self.lex.core.get(self.lex.joined.get(w, ""), 0))

    # ---- pairs of words -----------------------------------------------
    def gap(self, a: str, b_token: str, before: str) -> str:
        """What goes between the fixed word ``a`` and the next token: ' ', ZWNJ or ''."""
        key = (a, b_token)
        sep = self.gaps.get(key)
        if sep is None:
            if len(self.gaps) > 500_000:  # bigrams are many; keep the memo bounded
                self.gaps.clear()
            sep = self.gaps[key] = self._checked_gap(a, b_token)
        if sep and a in ("می", "نمی") and _month_context(before):
            return " "  # '۱۵ می ۲۰۲۴', 'ماه می': the month May, not the verbal prefix
        return sep

    def _checked_gap(self, a: str, b_token: str) -> str:
        sep = self._gap(a, b_token)
        if sep != " ":
            joined = a + sep + self.word(b_token)
            if self.word(joined) != joined:  # a join must survive a second run unchanged
                return " "
        return sep

    def _gap(self, a: str, b_token: str) -> str:
        b = self.word(b_token)
        if not a or not b:
            return " "
        if b in SUFFIX_TOKENS or (b == "تر" and self._gradable(a)):
            if b.startswith("ها") and (self._verb_only(a) or self.lex.is_imperative(a)):
                return " "  # مواظب باش ها: the interjection, not a plural
            return _sep(a) if len(a) >= 3 or self.lex.knows(a) else " "  # not ور ها
        if b in POSSESSIVES and (self._plural(a) or self._takes_possessive(a, b)):
            return _sep(a)
        if b in DERIVATIONAL and a not in STOP_FIRST and self._lists_compound(a, b):
            # کار گر, آهن گران شد: the ending is a word of its own (if, expensive); the
            # join is the editor's (join_suggestion).
            return " " if self.lex.is_word(b) else _sep(a)
        if b in AFTER_HEH and ends_in_silent_heh(a) and len(a) >= 3 and self.lex.knows(a):
            if b == "ام" and a not in self.lex.participles:
                return " "  # فاطمه ام البنین: the Arabic «mother»; خانه ام is suggested
            return ZWNJ  # خانه ای، داشته اند
        if a in FREE_WORDS and self._standalone_token(b):
            return " "  # هم سفر, کم کار, این گونه: two words, or one? (join_suggestion)
        if a in ("می", "نمی") and (a + b) in self.lex.verbs:
            return ZWNJ
        if a in BOUND_PREFIXES and (self.lex.spells(a + ZWNJ + b) or self.lex.spells(a + b)):
            return _sep(a)  # نا امید -> ناامید, بی کار -> بی‌کار: نا and بی are no words
        if a in STOP_FIRST or a[-1] in NON_JOINING or b.split(ZWNJ)[0] in self.lex.participles:
            return " "  # تعریف شده, شناخته نشده‌اند: verb phrases stay apart
        if (a in self.first_parts or b in HEADS or b == "گونه") and self._is_compound(
            a, b.split(ZWNJ)[0]
        ):
            return ZWNJ
        return " "

    def _verb_only(self, a: str) -> bool:
        """A verb form that is no noun (باش, برو): it takes no plural."""
        return (a in self.lex.verb_freq or a in self.lex.verbs) and not self.lex.is_content_word(a)

    def _takes_possessive(self, a: str, b: str) -> bool:
        """دوست مان -> دوست‌مان: a noun, and glued the two are no other word (ساز مان is not
        سازمان's ساز + مان)."""
        return (
            self.lex.is_content_word(a)
            and not self.lex.spells(a + b)
            and not self._verb_only(a)
            and a not in FREE_WORDS
        )

    def _standalone_token(self, b: str) -> bool:
        base = b.split(ZWNJ)[0]
        return self.lex.is_word(base) or base in self.lex.verb_freq

    def join_suggestion(self, a: str, b_token: str) -> str | None:
        """The one word ``a b`` may be, where the fixer leaves the two apart because they
        also read as two words (این گونه, هم سفر, کار گر, خانه ام)."""
        b = self.word(b_token)
        if not a or not b or b.startswith("شنبه") or self.gap(a, b_token, "") != " ":
            return None  # یک شنبه: the weekday rule and its suggestion
        lex = self.lex
        if b == "گونه" and a in GUNEH_FIRST:
            return "چگونه" if a == "چه" else a + ZWNJ + b
        if a in FREE_WORDS and a not in STOP_FIRST:  # نه تنها, که این: no suggestion
            for joined in (a + ZWNJ + b, a + b):
                if joined in lex.core:
                    return joined
            return lex.joined.get(a + b)
        if b in DERIVATIONAL and a not in STOP_FIRST and self._lists_compound(a, b):
            return a + ZWNJ + b if lex.spells(a + ZWNJ + b) else a + _sep(a) + b
        if b == "ام" and ends_in_silent_heh(a) and len(a) >= 3 and lex.knows(a):
            return a + ZWNJ + b
        return None

    def _gradable(self, a: str) -> bool:
        """Is ``a تر`` a comparative rather than ``a`` + the adjective تر (wet)?

        The lexicon must list a comparative of ``a`` (بزرگتر, بزرگ‌ترین), tag it as an
        adjective that is also an adverb (سریع, دقیق: the gradable ones), or ``a`` must be a
        relational adjective (آبی from آب) it does not rank as a word of its own.  The
        adjective tag alone is too loose: it is on لباس and میوه too (میوه تر و تازه).
        """
        lex = self.lex
        if any(lex.spells(a + sep + end) for end in ("تر", "ترین") for sep in ("", ZWNJ)):
            return True
        if {"AJ", "ADV"} <= lex.tags.get(a, frozenset()):
            return True
        return a.endswith("ی") and a not in lex.core and lex.is_content_word(a[:-1])

    def _plural(self, a: str) -> bool:
        """خواب‌های, کتاب‌ها: a plural of a content word (not تنها, منهای)."""
        for suffix in ("های", "ها"):
            stem = a[: -len(suffix)].rstrip(ZWNJ) if a.endswith(suffix) else ""
            if stem and a not in self.keep and self.lex.is_content_word(stem):
                return True
        return False

    def _lists_compound(self, a: str, b: str) -> bool:
        return len(a) >= 3 and (self.lex.spells(a + ZWNJ + b) or self.lex.spells(a + b))

    def _is_compound(self, a: str, b: str) -> bool:
        """اطلاع رسانی، پیش بینی، هم زمان -> one word; خلیج فارس، شب شعر -> two."""
        if b == "گونه":
            return a in GUNEH_FIRST
        if b in HEADS:
            return self.lex.core.get(a, 0) >= 100
        if b in FUSING_NOUNS:
            return a + ZWNJ + b in self.lex.core
        for base in _bases(b):
            if a + ZWNJ + base in self.lex.core:
                # Fuse only when the second half is not a word of its own, or is a verb
                # stem (بینی، نگار): a noun + noun pair is usually an ezafe phrase.
                return not self._standalone(base) or a in BOUND_FIRST or self._verbal(base)
        return False

    def _standalone(self, base: str) -> bool:
        """A word of its own: in the lexicon, derived from one (دستی) or a past stem (زیست)."""
        return base in self.lex.core or self._derived_from_core(base) or base in self.lex.past_stems

    def _verbal(self, base: str) -> bool:
        stems = self.lex.present_stems
        return base in stems or (base.endswith("ی") and base[:-1] in stems)

    def unglue(self, word: str) -> str:
        """ورفاه -> و رفاه: a missing space after و is mended in the same pass."""
        fixed = self.glued.get(word)
        if fixed is None:
            fixed = self.glued[word] = (
                ZWNJ not in word and spelling.split_glued_vav(word, self.lex)
            ) or word
        return fixed

    def text(self, text: str) -> str:
        """Fix a text: word by word, then each single space between two words.

        The text is cut at single spaces into chunks (a word with its punctuation); each
        distinct chunk is analysed once (memoised), so the loop below is mostly dict
        look-ups.  A gap is examined only if one side can take part in a join at all.
        """
        chunk_info = self.chunks.get
        out: list[str] = []
        prev_last = None  # last word of the previous chunk, if the chunk ends with a word
        prev_starts = False  # that word can begin a join (می، هم، اطلاع ...)
        joined = False
        for chunk in text.split(" "):
            info = chunk_info(chunk)
            if info is None:
                info = self._chunk(chunk)
            (
                plain,
                unglued,
                first,
                last_plain,
                last_unglued,
                attaches,
                starts_plain,
                starts_unglued,
            ) = info
            sep = " "
            if prev_last is not None and first is not None and (attaches or prev_starts):
                sep = self.gap(prev_last, first, out[-3] if len(out) >= 3 else "")
            if out:
                out.append(sep)
            joined = sep != " "
            if joined:  # حمل ونقل -> حمل‌ونقل: a joined word is not split as و نقل
                out.append(plain)
                # کتاب های شان: the next ending sees the whole word کتاب‌های, not های.
                whole = prev_last + sep + last_plain if plain == last_plain else last_plain
                prev_last, prev_starts = whole, starts_plain
            else:
                out.append(unglued)
                prev_last, prev_starts = last_unglued, starts_unglued
        return "".join(out)

    def _chunk(self, chunk: str) -> tuple:
        if len(self.chunks) > 500_000:
            self.chunks.clear()
        tokens = list(_WORD.finditer(chunk))
        plain = _WORD.sub(lambda m: _keep_dash_zwnj(m, self.word(m.group())), chunk)
        unglued = _WORD.sub(lambda m: _keep_dash_zwnj(m, self.unglue(self.word(m.group()))), chunk)
        first = tokens[0].group() if tokens and tokens[0].start() == 0 else None
        ends = bool(tokens) and tokens[-1].end() == len(chunk)
        last_plain = self.word(tokens[-1].group()) if ends else None
        last_unglued = self.unglue(last_plain).rpartition(" ")[2] if ends else None
        attaches = first is not None and self._can_attach(self.word(first))
        info = (
            plain,
            unglued,
            first,
            last_plain,
            last_unglued,
            attaches,
            self._can_start(last_plain),
            self._can_start(last_unglued),
        )
        self.chunks[chunk] = info
        return info

    def _can_attach(self, b: str) -> bool:
        """Could this word join the one before it (کتاب ها، اطلاع رسانی، اخلال گر)?"""
        return (
            b in SUFFIX_TOKENS
            or b == "تر"
            or b in AFTER_HEH
            or b in HEADS
            or b == "گونه"
            or b in POSSESSIVES
            or b in DERIVATIONAL
        )

    def _can_start(self, a: str | None) -> bool:
        return a is not None and (a in self.first_parts or a in ("می", "نمی"))


def cleanup(token: str) -> str:
    """Drop ZWNJs at a word's edges, doubled ones, and those after non-joining letters."""
    w = token.strip(ZWNJ)
    if ZWNJ not in w:
        return w
    while ZWNJ + ZWNJ in w:
        w = w.replace(ZWNJ + ZWNJ, ZWNJ)
    parts = w.split(ZWNJ)
    out = parts[0]
    for part in parts[1:]:
        out += part if (not out or out[-1] in NON_JOINING) else ZWNJ + part
    return out


_KEEPS_ZWNJ_AFTER = re.compile(f"[{KASHIDA}0-9۰-۹]")


def _keep_dash_zwnj(m: re.Match, fixed: str) -> str:
    """A ZWNJ at a word's edge goes, except beside a kashida that is a dash (چه‌ـ): chars
    kept that pair, and without the ZWNJ the kashida would read as stretching next time."""
    text, token = m.string, m.group()
    if token.startswith(ZWNJ) and m.start() and _KEEPS_ZWNJ_AFTER.match(text[m.start() - 1]):
        fixed = ZWNJ + fixed  # also after a digit: دهه ۱۳۶۰‌ها keeps its ending on the number
    if token.endswith(ZWNJ) and text[m.end() : m.end() + 1] == KASHIDA:
        fixed += ZWNJ
    return fixed


def _bases(b: str) -> list[str]:
    """The word and the word without an inflectional suffix (شهرها -> شهر, داران -> دار)."""
    bases = [b]
    for suffix in PLURAL + PLAIN_SUFFIXES:
        if b.endswith(suffix) and len(b) - len(suffix) >= 2:
            bases.append(b[: -len(suffix)])
    return bases


def _sep(stem: str) -> str:
    return "" if stem[-1] in NON_JOINING else ZWNJ


def _zwnj_positions(w: str) -> set[int]:
    """Positions of ZWNJs counted in letters, so spellings can be compared."""
    positions, letters = set(), 0
    for ch in w:
        if ch == ZWNJ:
            positions.add(letters)
        else:
            letters += 1
    return positions


def _month_context(before: str) -> bool:
    """'۱۵ می ۲۰۲۴', 'ماه می': here می is the month May, not the verbal prefix."""
    tail = before.rstrip()
    return tail.endswith("ماه") or (tail[-1:].isdigit())


@cache
def restorer() -> Restorer:
    return Restorer()


def restore_zwnj(text: str) -> str:
    return restorer().text(text)
