"""Measure the fixer: ZWNJ restoration, and the cases where a fix could change meaning.

Gold text has correct ZWNJs.  Each gold ZWNJ is removed (joined word) or turned into a
space, deterministically, and the fixer's output is compared with the gold at every
boundary between two letters (the letters themselves never change, so the texts align).

The meaning cases (``read_cases``) pair an input with its expected fix; a case counts as
a meaning change when the fixer gives anything else or ``safety.meaning_changes`` objects.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from hamafza.persian.text.safety import meaning_changes

ZWNJ = "\u200c"
SEPARATORS = (" ", ZWNJ)


@dataclass
class Score:
    tp: int = 0  # ZWNJ restored where the gold has one
    fp: int = 0  # ZWNJ put where the gold has none
    fn: int = 0  # gold ZWNJ missing from the output
    other: int = 0  # boundaries wrong in another way (space lost or added)
    errors: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "other_errors": self.other,
        }


def corrupt(gold: str, seed: int = 0) -> str:
    """Remove each ZWNJ (55 %), turn it into a space (35 %) or keep it (10 %)."""
    rng = random.Random(seed)
    out = []
    for ch in gold:
        if ch == ZWNJ:
            roll = rng.random()
            ch = "" if roll < 0.55 else " " if roll < 0.90 else ZWNJ
        out.append(ch)
    return "".join(out)


def boundaries(text: str) -> tuple[str, list[str]]:
    """Letters of the text and, for each letter, the separator that precedes it."""
    letters, seps, pending = [], [], ""
    for ch in text:
        if ch in SEPARATORS:
            pending = ZWNJ if ZWNJ in (pending, ch) else ch
        else:
            letters.append(ch)
            seps.append(pending)
            pending = ""
    return "".join(letters), seps


def score(golds: Iterable[str], fixer: Callable[[str], str], seed: int = 0) -> Score:
    result = Score()
    for i, gold in enumerate(golds):
        damaged = corrupt(gold, seed + i)
        fixed = fixer(damaged)
        _compare(gold, damaged, fixed, result)
    return result


def _compare(gold: str, damaged: str, fixed: str, result: Score) -> None:
    g_letters, g_seps = boundaries(gold)
    f_letters, f_seps = boundaries(fixed)
    if g_letters != f_letters:  # the fixer changed letters: count every boundary as wrong
        result.other += 1
        result.fn += gold.count(ZWNJ)
        result.errors.append((gold, damaged, fixed))
        return
    wrong = False
    for g, f in zip(g_seps, f_seps, strict=False):
        if g == ZWNJ:
            result.tp += f == ZWNJ
            result.fn += f != ZWNJ
        elif f == ZWNJ:
            result.fp += 1
        elif g != f:
            result.other += 1
        wrong |= g != f
    if wrong:
        result.errors.append((gold, damaged, fixed))


def read_gold(path) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        return [line.strip() for line in fh if line.strip() and not line.startswith("#")]


@dataclass(frozen=True)
class Case:
    text: str
    expected: str
    note: str


_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\n")


def _unescape(field_text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else "\n", field_text)


def read_cases(path) -> list[Case]:
    """input<TAB>expected<TAB>note lines; # starts a comment; \\uXXXX and \\n are escapes."""
    cases = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            text, expected, note = line.split("\t")
            cases.append(Case(_unescape(text), _unescape(expected), note))
    return cases


def meaning_regressions(cases: Iterable[Case], fixer: Callable[[str], str]) -> list[tuple]:
    """(case, what the fixer gave, the checks' objections) for every case that fails."""
    failed = []
    for case in cases:
        fixed = fixer(case.text)
        problems = meaning_changes(case.text, fixed)
        if fixed != case.expected or problems:
            failed.append((case, fixed, problems))
    return failed
