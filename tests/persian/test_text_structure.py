"""Structure findings: duplicates, boilerplate, dates, occasions."""

from hamafza.persian.text import check


def codes(text):
    return [f.code for f in check(text)]


def test_repeated_and_near_repeated_paragraphs():
    para = (
        "مدیرکل روابط عمومی استانداری از برگزاری نشست مدیران روابط عمومی دستگاه‌های اجرایی خبر داد."
    )
    text = f"{para}\nبند دیگر.\n{para.replace('خبر داد', 'خبر دادند')}"
    found = [f for f in check(text) if f.code == "duplicate-paragraph"]
    assert len(found) == 1 and found[0].start > len(para)


def test_boilerplate_lines():
    assert "boilerplate" in codes("کد خبر 6189034 عنوان خبر")
    assert "boilerplate" in codes("به گزارش خبرنگار مهر، مدیرکل گفت.")


def test_the_standard_opening_of_a_pr_office_is_not_a_finding():
    for opening in (
        "به گزارش روابط عمومی اداره کل تعاون، کار و رفاه اجتماعی، نشست برگزار شد.",
        "به گزارش اداره کل روابط عمومی استانداری، نشست برگزار شد.",
    ):
        assert not [f for f in check(opening) if not f.safe], opening
    # An agency's opening, copied in, still is.
    assert "boilerplate" in codes("به گزارش ایرنا از روابط عمومی بهزیستی، نشست برگزار شد.")


def test_date_that_does_not_exist():
    assert "date-invalid" in codes("این جلسه ۳۰ اسفند ۱۴۰۲ برگزار شد.")  # 1402 is a common year
    assert "date-invalid" not in codes("این جلسه ۳۰ اسفند ۱۴۰۳ برگزار شد.")  # 1403 is leap
    assert "date-invalid" in codes("در ۳۱ مهر برگزار شد.")


def test_wrong_weekday():
    found = [f for f in check("دوشنبه ۱۷ مرداد ۱۴۰۵ برگزار شد.") if f.code == "date-weekday"]
    assert found and found[0].suggestion == "شنبه ۱۷ مرداد ۱۴۰۵"
    assert "date-weekday" not in codes("شنبه ۱۷ مرداد ۱۴۰۵ برگزار شد.")


def test_occasion_with_the_wrong_date():
    found = [f for f in check("به مناسبت روز خبرنگار ۱۸ مرداد") if f.code == "occasion-date"]
    assert found and found[0].suggestion == "۱۷ مرداد"
    assert "occasion-date" not in codes("ضمن تبریک ۱۷ مرداد، روز خبرنگار")
