"""The functions behind `hamafza textcheck / textfix / ingest`, and the commands themselves."""

import io
import json
from pathlib import Path

import pytest

from hamafza.persian.text.cli import run_ingest, run_textcheck, run_textfix

SEED = Path(__file__).resolve().parent / "data" / "mehr-6189034.txt"  # see data/PROVENANCE.md
TEXT = "مدیران روابط عمومیهای استان در استان شذ و گفت: اطلاع رسانی ميتواند بهتر شود.\n"


@pytest.fixture
def text_file(tmp_path) -> Path:
    path = tmp_path / "news.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_textcheck_json_contract(text_file):
    findings = json.loads(run_textcheck(str(text_file), as_json=True))
    assert findings and all(
        set(f) == {"code", "start", "end", "message", "suggestion", "safe"} for f in findings
    )
    assert any(f["suggestion"] == "شد" and f["safe"] is False for f in findings)


def test_textcheck_plain_lists_lines(text_file):
    out = run_textcheck(str(text_file))
    assert out.splitlines()[0].startswith("سطر 1")


def test_textfix_file_and_stdin(text_file):
    fixed = run_textfix(str(text_file))
    assert "روابط عمومی\u200cهای" in fixed and "می\u200cتواند" in fixed and fixed.endswith("\n")
    assert run_textfix("-", stdin=io.StringIO(TEXT)) == fixed


def test_ingest_json_contract():
    data = json.loads(run_ingest(str(SEED), as_json=True))
    assert set(data) == {
        "title",
        "lead",
        "dateline",
        "source",
        "news_code",
        "paragraphs",
        "organizations",
        "people",
        "duplicates_removed",
    }
    assert data["news_code"] == "6189034" and len(data["paragraphs"]) == 9


def test_management_commands(text_file, capsys):
    from django.core.management import call_command

    call_command("textfix", str(text_file))
    assert "می\u200cتواند" in capsys.readouterr().out
    call_command("textcheck", str(text_file), "--json")
    assert json.loads(capsys.readouterr().out)
    if SEED.exists():
        call_command("ingest", str(SEED), "--json")
        assert json.loads(capsys.readouterr().out)["source"] == "مهر"
