"""The cases an independent tester found the fixer failing (open_meaning_cases.tsv), each
with the output decided for issue 14 (meaning_cases_2.tsv), plus more in their spirit.

Verdict ``a`` cases are meaning changes: the safe fix must leave the text saying what it
said, and ``safety.meaning_changes`` must object to the old output.  Verdict ``b`` cases
are rules an editor expects.
"""

from pathlib import Path

import pytest

from hamafza.persian.text import check, evaluation, fix
from hamafza.persian.text.safety import meaning_changes

Z = "\u200c"
DATA = Path(__file__).parent / "data"
CASES = evaluation.read_cases(DATA / "meaning_cases_2.tsv")
ALL_A = [c for c in CASES if c.note.startswith("a:")]


def test_every_open_case_is_decided():
    assert len(CASES) >= 91
    assert len(ALL_A) >= 59


@pytest.mark.parametrize("case", CASES, ids=[c.note[:60] for c in CASES])
def test_open_case(case):
    fixed = fix(case.text)
    assert fixed == case.expected
    assert meaning_changes(case.text, fixed) == []
    assert fix(fixed) == fixed


def _old_outputs() -> dict[str, str]:
    """The fixer's output when the tester ran it (column 2 of the provenance file)."""
    rows = {}
    for line in (DATA / "open_meaning_cases.tsv").read_text("utf-8").splitlines()[1:]:
        text, got, verdict, _note = line.split("\t")
        if verdict == "a":
            rows[evaluation._unescape(text)] = evaluation._unescape(got)
    return rows


_EXPECTED = {c.text: c.expected for c in CASES}


@pytest.mark.parametrize(("before", "after"), list(_old_outputs().items()))
def test_the_checks_object_to_each_old_meaning_change(before, after):
    if after == _EXPECTED[before]:
        pytest.skip("the old output is the expected one (a second run was at fault)")
    assert meaning_changes(before, after), (before, after)


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("این گونه در خطر انقراض است", f"این{Z}گونه"),
        ("او هم سفر کرد", f"هم{Z}سفر"),
        ("خیلی کم کار می‌کند", f"کم{Z}کار"),
        ("این کار گر درست شود", "کارگر"),
        ("آهن گران شد", f"آهن{Z}گران"),
        ("چه گونه", "چگونه"),
        ("نهادهایم", f"نهاده{Z}ایم"),
    ],
)
def test_an_ambiguous_join_is_a_suggestion_not_a_fix(text, suggestion):
    findings = check(text)
    assert fix(text) == text
    assert any(not f.safe and f.suggestion == suggestion for f in findings), findings
