"""Checker findings and the fixer built on them."""

from hamafza.persian.text import check, fix
from hamafza.persian.text.checker import apply

SAMPLE = "در استان شذ و گفت: اطلاع رسانی و روابط عمومیهای کار ورفاه 12 ميتواند از از برگذاری"


def test_findings_carry_code_span_message_suggestion_and_safety():
    findings = check(SAMPLE)
    assert findings
    for f in findings:
        assert set(f.as_dict()) == {"code", "start", "end", "message", "suggestion", "safe"}
        assert 0 <= f.start <= f.end <= len(SAMPLE)
        assert any("\u0600" <= c <= "\u06ff" for c in f.message)


def test_typo_is_suggested_not_applied():
    found = [f for f in check(SAMPLE) if SAMPLE[f.start : f.end] == "شذ"]
    assert found and found[0].suggestion == "شد" and not found[0].safe
    assert "شذ" in fix(SAMPLE)


def test_missing_space_after_vav_is_found_and_fixed():
    found = [f for f in check(SAMPLE) if SAMPLE[f.start : f.end] == "ورفاه"]
    assert found and found[0].suggestion == "و رفاه" and found[0].safe
    assert "کار و رفاه" in fix(SAMPLE)


def test_zwnj_findings_explain_each_change():
    codes = {SAMPLE[f.start : f.end]: f.code for f in check(SAMPLE)}
    assert codes["اطلاع رسانی"] == "zwnj"
    assert codes["عمومیهای"] == "zwnj"


def test_gozar_confusion_is_suggested():
    found = [f for f in check(SAMPLE) if f.code == "gozar-gozar"]
    assert found and found[0].suggestion == "برگزاری"


def test_doubled_word_is_reported_for_the_editor():
    found = [f for f in check(SAMPLE) if f.code == "doubled-word"]
    assert found and found[0].suggestion == "از" and not found[0].safe
    assert fix("آرام آرام آمد") == "آرام آرام آمد"


def test_applying_the_safe_findings_gives_the_fixed_text():
    assert apply(SAMPLE, check(SAMPLE)) == fix(SAMPLE)


def test_clean_text_has_no_safe_findings():
    clean = fix(SAMPLE)
    assert not [f for f in check(clean) if f.safe]
