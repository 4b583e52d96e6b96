"""Golden test: the source article comes out as one clean article."""

from pathlib import Path

import pytest

from hamafza.persian.text import check
from hamafza.persian.text.ingest import find_organisations, find_people, ingest

SEED = Path(__file__).resolve().parent / "data" / "mehr-6189034.txt"  # see data/PROVENANCE.md
HUB = "اداره کل تعاون، کار و رفاه اجتماعی سیستان و بلوچستان"


@pytest.fixture(scope="module")
def raw() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def article(raw):
    return ingest(raw)


def test_header(article):
    assert article.title == "تقویت روابط عمومی\u200cها، ضرورتی انکارناپذیر است"
    assert article.source == "مهر"
    assert article.news_code == "6189034"
    assert article.dateline == "زاهدان"
    assert article.lead.startswith("مدیر اجتماعی اداره کل تعاون، کار و رفاه اجتماعی")


def test_nine_paragraphs_once_each_in_reading_order(article):
    assert len(article.paragraphs) == 9
    assert article.duplicates_removed == 9
    assert article.paragraphs[0].startswith("سید مهدی حسینی در اولین نشست")
    assert article.paragraphs[-1].startswith("شایان ذکر است")
    assert not any(p.startswith("به گزارش") for p in article.paragraphs)
    assert not any("کد خبر" in p for p in article.paragraphs)


def test_text_is_fixed(article):
    body = "\n".join(article.paragraphs)
    assert "اطلاع\u200cرسانی" in body and "اطلاع رسانی" not in body
    assert "روابط عمومی\u200cهای" in body and "می\u200cتواند" in body
    assert "کار و رفاه" in body and "ورفاه" not in body
    assert "روابط عمومی ضعیف" in body and "نه تنها" in body  # look-alikes untouched


def test_network_and_people_are_recognised(article):
    assert HUB in article.organizations
    assert "وزارت تعاون، کار و رفاه اجتماعی" in article.organizations
    assert article.people == ["سید مهدی حسینی"]


def test_checker_on_the_raw_article_explains_the_defects(raw):
    findings = check(raw)
    by_word = {raw[f.start : f.end]: f for f in findings}
    assert by_word["شذ"].suggestion == "شد" and not by_word["شذ"].safe
    assert by_word["ورفاه"].suggestion == "و رفاه"
    assert by_word["بهرهگیری"].code == "zwnj"
    assert any(f.code == "duplicate-paragraph" for f in findings)
    assert any(f.code == "boilerplate" for f in findings)


def test_people_finder_skips_holy_names():
    assert find_people("در زائرسرای امام رضا (ع) و با حضور دکتر علی ربیعی") == ["دکتر علی ربیعی"]


def test_organisation_takes_the_dateline_province():
    assert find_organisations("با همکاری استانداری", "سیستان و بلوچستان") == [
        "استانداری سیستان و بلوچستان"
    ]


@pytest.mark.slow
def test_html_page_goes_through_trafilatura():
    pytest.importorskip("trafilatura")
    paragraph = "وی افزود: دوره\u200cهای آموزشی خبرنویسی برای کارشناسان روابط عمومیها برگزار می\u200cشود و ادامه دارد."
    html = (
        "<html><head><title>برگزاری دوره خبرنویسی</title></head><body><nav>خانه | اخبار</nav>"
        f"<article><h1>برگزاری دوره خبرنویسی</h1><p>{paragraph}</p><p>{paragraph.replace('وی', 'او')}</p>"
        "</article><footer>تمام حقوق محفوظ است</footer></body></html>"
    )
    result = ingest(html)
    assert any("روابط عمومی\u200cها" in p for p in result.paragraphs)
