"""What the management commands call: read a file (or stdin), run the engine, write output.

Kept free of Django so the logic is testable and usable from any script.
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

from hamafza.persian.text.checker import check, fix
from hamafza.persian.text.ingest import ingest, ingest_url


def read_input(path_or_dash: str, stdin: TextIO | None = None) -> str:
    if path_or_dash == "-":
        return (stdin or sys.stdin).read()
    with open(path_or_dash, encoding="utf-8-sig") as fh:
        return fh.read()


def run_textcheck(path_or_dash: str, as_json: bool = False, stdin: TextIO | None = None) -> str:
    """Findings as JSON (a list of objects) or as one readable line each."""
    text = read_input(path_or_dash, stdin)
    findings = check(text)
    if as_json:
        return json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2)
    if not findings:
        return "ایرادی پیدا نشد."
    lines = []
    for f in findings:
        line_no = text.count("\n", 0, f.start) + 1
        mark = "خودکار" if f.safe else "بررسی شود"
        lines.append(f"سطر {line_no} [{f.start}:{f.end}] {f.code} ({mark}): {f.message}")
    return "\n".join(lines)


def run_textfix(path_or_dash: str, stdin: TextIO | None = None) -> str:
    return fix(read_input(path_or_dash, stdin))


def run_ingest(source: str, as_json: bool = False, stdin: TextIO | None = None) -> str:
    if source.startswith(("http://", "https://")):
        article = ingest_url(source)
    else:
        article = ingest(read_input(source, stdin))
    data = article.as_dict()
    if as_json:
        return json.dumps(data, ensure_ascii=False, indent=2)
    parts = [
        f"عنوان: {data['title']}",
        f"خبرگزاری: {data['source']}  کد خبر: {data['news_code']}  محل: {data['dateline']}",
        f"لید: {data['lead']}",
        "",
        *data["paragraphs"],
        "",
        f"نهادها: {'، '.join(data['organizations'])}",
        f"افراد: {'، '.join(data['people'])}",
        f"بندهای تکراری حذف‌شده: {data['duplicates_removed']}",
    ]
    return "\n".join(parts)
