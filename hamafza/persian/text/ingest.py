"""Scraped article (text or HTML, file or URL) -> one clean article.

Scrapers save pages with the body twice, the news-code line in the middle, the agency's
"به گزارش ..." opener glued to the first paragraph and ZWNJs lost.  The ingester finds the
title, lead, dateline, agency and news code, keeps each paragraph once in reading order
(counting the copies it dropped), names the network's organisations and the people in
the text, and runs every kept line through the fixer.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources

from hamafza.persian.digits import to_latin_digits
from hamafza.persian.text.checker import fix
from hamafza.persian.text.structure import comparable, similar

Z = "\u200c"
_NEWS_CODE = re.compile(r"کد\s*خبر\s*[:：]?\s*([0-9۰-۹]{4,})\s*(.*)")
_DATELINE = re.compile(
    r"^([^\s_\-–—:،,.]+(?: [^\s_\-–—:،,.]+){0,2})\s*[_\-–—]+\s*(?:([^\s_\-–—]+)\s*[_\-–—]+\s*)?(.{20,})$"
)
_OPENER = re.compile(
    r"^به گزارش (?:خبرنگار |خبرگزاری |گروه [^،,]{1,30} |گروه [^،,]{1,30} خبرگزاری )?([^،,]{1,40}?)(?: از [^،,]{1,30})?\s*[،,]\s*"
)
_PERSON_TITLES = (
    "سید",
    "سیده",
    "دکتر",
    "مهندس",
    "حجت‌الاسلام",
    "حجت‌الاسلام والمسلمین",
    "آیت‌الله",
    "سردار",
    "سرهنگ",
    "سرتیپ",
)
_NOT_A_PERSON_BEFORE = (
    "امام",
    "حضرت",
    "شهید",
    "خیابان",
    "بلوار",
    "میدان",
    "کوچه",
    "بیمارستان",
    "مسجد",
)


@dataclass
class Article:
    title: str = ""
    lead: str = ""
    dateline: str = ""
    source: str = ""
    news_code: str = ""
    paragraphs: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    duplicates_removed: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


# ---- data ----------------------------------------------------------------------


def _data_lines(name: str) -> list[str]:
    text = resources.files("hamafza.persian.text.data").joinpath(name).read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def agencies() -> list[tuple[str, str, str]]:
    return [tuple(line.split("\t")) for line in _data_lines("agencies.tsv")]


@cache
def provinces() -> dict[str, str]:
    """City or province name -> province."""
    table = {}
    for line in _data_lines("provinces.tsv"):
        province, cities = line.split("\t")
        table[province] = province
        for city in cities.split("،"):
            table.setdefault(city.strip(), province)
    return table


@cache
def organisation_heads() -> list[tuple[str, bool]]:
    heads = [(line.lstrip("*"), line.startswith("*")) for line in _data_lines("organizations.txt")]
    return sorted(heads, key=lambda h: -len(h[0]))  # longest first: وزارت ... before هلال احمر


@cache
def first_names() -> frozenset[str]:
    return frozenset(_data_lines("first_names.txt"))


# ---- entry points --------------------------------------------------------------


def ingest(source: str) -> Article:
    """Text or HTML of a scraped page."""
    if _looks_like_html(source):
        title, text = html_to_text(source)
        article = ingest_text(text)
        if title and not article.title:
            article.title = fix(title.strip())
        return article
    return ingest_text(source)


def ingest_url(url: str, timeout: float = 20.0) -> Article:
    from urllib.request import Request, urlopen

    request = Request(url, headers={"User-Agent": "Hamafza-ingest/1.0"})
    with urlopen(request, timeout=timeout) as response:
        charset = response.headers.get_content_charset() or "utf-8"
        page = response.read().decode(charset, errors="replace")
    article = ingest(page)
    if not article.source:
        article.source = _agency_from_url(url)
    return article


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<body" in head or "<p" in head or "<div" in head


def html_to_text(html: str) -> tuple[str, str]:
    """(title, main text) through trafilatura, which drops menus, ads and comments."""
    try:
        import trafilatura
    except ImportError as exc:
        raise RuntimeError("HTML input needs trafilatura: pip install trafilatura") from exc
    doc = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, with_metadata=True
    )
    if doc is None:
        return "", ""
    title = getattr(doc, "title", None) or (doc.get("title") if isinstance(doc, dict) else "") or ""
    text = getattr(doc, "text", None) or (doc.get("text") if isinstance(doc, dict) else "") or ""
    return title, text


# ---- the text pipeline ---------------------------------------------------------


def ingest_text(text: str) -> Article:
    article = Article()
    lines = [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]
    lines = _take_news_code(lines, article)
    title_index = _find_title(lines, article)
    body: list[str] = []
    for i, line in enumerate(lines):
        if i == title_index:
            continue
        if not article.lead and _take_dateline(line, article):
            continue
        body.append(_strip_opener(line, article))
    article.paragraphs, article.duplicates_removed = _dedupe(body, article.lead)
    article.title, article.lead = fix(article.title), fix(article.lead)
    article.paragraphs = [fix(p) for p in article.paragraphs]
    full = "\n".join([article.title, article.lead, *article.paragraphs])
    article.organizations = find_organisations(full, provinces().get(article.dateline))
    article.people = find_people(full)
    return article


def _take_news_code(lines: list[str], article: Article) -> list[str]:
    kept = []
    for line in lines:
        m = _NEWS_CODE.search(line)
        if m and not article.news_code and len(line) < 200:
            article.news_code = to_latin_digits(m.group(1))
            article.title = m.group(2).strip()  # often the (shortened) title; refined below
            continue
        kept.append(line)
    return kept


def _find_title(lines: list[str], article: Article) -> int | None:
    """The short line without a final full stop; one that ends like the code line's title wins."""
    hint = comparable(article.title)
    candidates = [i for i, line in enumerate(lines) if _title_like(line)]
    for i in candidates:
        if hint and comparable(lines[i]).endswith(hint):
            article.title = lines[i]
            return i
    if candidates:
        article.title = lines[candidates[0]]
        return candidates[0]
    return None


def _title_like(line: str) -> bool:
    words = line.split()
    return (
        2 <= len(words) <= 25
        and not line.endswith((".", ":", "؛", "…"))
        and not _DATELINE.match(line)
    )


def _take_dateline(line: str, article: Article) -> bool:
    m = _DATELINE.match(line)
    if not m or (m.group(1) not in provinces() and len(m.group(1).split()) > 1):
        return False
    article.dateline = m.group(1)
    if m.group(2) and not article.source:
        article.source = _agency_named(m.group(2)) or ""
    article.lead = m.group(3).strip()
    return True


def _strip_opener(line: str, article: Article) -> str:
    """'به گزارش خبرنگار مهر، ...' starts a copy of the article: note the agency, drop it."""
    m = _OPENER.match(line)
    if not m:
        return line
    agency = _agency_named(m.group(1))
    if agency and not article.source:
        article.source = agency
    return line[m.end() :] if agency else line


def _agency_named(text: str) -> str | None:
    for persian, _latin, _domain in agencies():
        if re.search(rf"(?<![\w{Z}]){re.escape(persian)}(?![\w{Z}])", text):
            return persian
    return None


def _agency_from_url(url: str) -> str:
    return next((persian for persian, _latin, domain in agencies() if domain in url), "")


def _dedupe(paragraphs: list[str], lead: str) -> tuple[list[str], int]:
    kept: list[str] = []
    keys: list[str] = []
    removed = 0
    lead_key = comparable(lead)
    for para in paragraphs:
        key = comparable(para)
        if any(similar(key, other) for other in keys) or (lead_key and key == lead_key):
            removed += 1
            continue
        kept.append(para)
        keys.append(key)
    return kept, removed


# ---- names -----------------------------------------------------------------------


def _loose(text: str) -> str:
    """Pattern for a name that matches whatever the spacing: ZWNJ, space or none."""
    parts = [re.escape(p) for p in re.split(r"[\s\u200c]+", text.replace("،", " ، "))]
    return r"[\s\u200c]*".join(p if p != "،" else "،?" for p in parts)


@cache
def _organisation_patterns() -> list[tuple[str, bool, re.Pattern]]:
    names = sorted(set(provinces().values()), key=len, reverse=True)
    province_alt = "|".join(_loose(p) for p in names)
    return [
        (
            head,
            provincial,
            re.compile(rf"{_loose(head)}(?:\s+(?:استان\s+)?({province_alt}))?(?:\s+(استان))?"),
        )
        for head, provincial in organisation_heads()
    ]


def find_organisations(text: str, home_province: str | None = None) -> list[str]:
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for head, provincial, pattern in _organisation_patterns():
        for m in pattern.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue  # inside a longer name already found
            taken.append((m.start(), m.end()))
            province = _province_of(m, home_province) if provincial else None
            found.append((m.start(), f"{head} {province}" if province else head))
    names: list[str] = []
    for _, name in sorted(found):
        if name not in names:
            names.append(name)
    return names


def _province_of(m: re.Match, home: str | None) -> str | None:
    if m.group(1):
        named = re.sub(r"[\s\u200c]+", " ", m.group(1))
        return next(
            (p for p in set(provinces().values()) if p.replace(Z, " ") == named.replace(Z, " ")),
            named,
        )
    return home


def find_people(text: str) -> list[str]:
    """Title? + first name + surname (سید مهدی حسینی); not 'امام رضا'."""
    words = re.findall(r"[\w\u200c]+", text)
    people: list[str] = []
    names = first_names()
    for i, word in enumerate(words):
        if word not in names or i + 1 >= len(words):
            continue
        if i > 0 and words[i - 1] in _NOT_A_PERSON_BEFORE:
            continue
        surname = words[i + 1]
        if (
            surname in names
            or surname in _PERSON_TITLES
            or len(surname) < 3
            or not _surname_like(surname)
        ):
            continue
        start = i - 1 if i > 0 and words[i - 1] in _PERSON_TITLES else i
        person = " ".join(words[start : i + 2])
        if person not in people:
            people.append(person)
    return people


def _surname_like(word: str) -> bool:
    from hamafza.persian.text import lexicon

    lex = lexicon.load()
    # Surnames are often adjectives of place or lineage (حسینی، تهرانی) or unknown words,
    # rarely verbs or common function words.
    return (word not in lex.verb_freq and lex.core.get(word, 0) < 5_000_000) or word.endswith(
        ("ی", "زاده", "پور", "فر", "نیا")
    )
