"""The outbox sends a formatted body in each platform's own style, against the local
platforms: Telegram's HTML with parse_mode=HTML (escaped so that Telegram's parser takes
it), Bale's Markdown, Rubika's metadata, Eitaa's plain text; an edit keeps the style."""

import html
import re
import time

import pytest

from hamafza.publishing import limits, outbox, services
from hamafza.publishing.models import Delivery
from hamafza.publishing.platforms.base import Message, Outcome
from hamafza.publishing.platforms.registry import build_adapter
from hamafza_fakes import FakeBale, FakeEitaa, FakeRubika, FakeTelegram

BODY = "سود **۵ < ۱۰** & زیان > ۳؛ __مهلت__ در [سامانه](https://behzisti.ir/a?b=1&c=2)"
CHATS = {"telegram": "@behzisti_sb", "bale": "@behzisti_sb", "eitaa": "behzisti_sb"}
CHATS["rubika"] = "c0BXyz12aB3cD"
FAKES = {"telegram": FakeTelegram, "bale": FakeBale, "eitaa": FakeEitaa, "rubika": FakeRubika}


@pytest.fixture
def fake(request):
    with FAKES[request.param]() as api:
        yield request.param, api


def publish(member, reviewer, agency, channel, body=BODY):
    post = services.post_create(
        actor=member,
        organisation=agency,
        title="سامانه بیمه",
        body=limits.body_html(body),
        channels=[channel],
    )
    services.post_submit(actor=member, post=post)
    return services.post_approve(actor=reviewer, post=post)


def settle(box, *, within: float = 10.0) -> None:
    """Drain as a worker would, rows waiting out the channel's gap, until none is left."""
    deadline = time.monotonic() + within
    while Delivery.objects.filter(state__in=["pending", "retry", "leased"]).exists():
        assert time.monotonic() < deadline, "the outbox did not settle"
        box.drain()
        time.sleep(0.05)


def connect(owner, channel, api, kind):
    return services.channel_connect(
        actor=owner,
        channel=channel,
        token="123:bot-token",
        chat_id=CHATS[kind],
        base_url=api.base_url,
    )


@pytest.mark.parametrize("fake", ["telegram", "bale", "eitaa", "rubika"], indirect=True)
def test_a_formatted_post_goes_out_in_each_platforms_style(
    fake, owner, member, reviewer, agency, channels
):
    kind, api = fake
    connect(owner, channels[kind], api, kind)
    post = publish(member, reviewer, agency, channels[kind])
    outbox.Outbox("format").drain()
    row = Delivery.objects.get(post=post, channel=channels[kind], operation="publish")
    assert row.state == "sent", row.last_error
    call = api.calls_to("sendMessage")[-1]
    text = call.params["text"]
    if kind == "telegram":
        assert call.params["parse_mode"] == "HTML"
        assert "<b>۵ &lt; ۱۰</b> &amp; زیان &gt; ۳" in text
        assert '<a href="https://behzisti.ir/a?b=1&amp;c=2">سامانه</a>' in text
    elif kind == "bale":
        assert "parse_mode" not in call.params
        assert "*۵ < ۱۰* & زیان > ۳؛ _مهلت_" in text
        assert "[سامانه](https://behzisti.ir/a?b=1&c=2)" in text
    elif kind == "eitaa":
        assert "۵ < ۱۰ & زیان > ۳؛ مهلت در سامانه (https://behzisti.ir/a?b=1&c=2)" in text
    else:
        parts = call.params["metadata"]["meta_data_parts"]
        assert {p["type"] for p in parts} == {"Bold", "Italic", "Link"}
        link = next(p for p in parts if p["type"] == "Link")
        shown = text.encode("utf-16-le")[
            2 * link["from_index"] : 2 * (link["from_index"] + link["length"])
        ]
        assert shown.decode("utf-16-le") == "سامانه"
    assert "**" not in text and "__" not in text


@pytest.mark.slow
@pytest.mark.parametrize("fake", ["telegram", "rubika"], indirect=True)
def test_an_edit_keeps_the_formatting(fake, owner, member, reviewer, agency, channels):
    kind, api = fake
    connect(owner, channels[kind], api, kind)
    post = publish(member, reviewer, agency, channels[kind])
    box = outbox.Outbox("format")
    settle(box)
    services.post_correct(
        actor=reviewer, post=post, body=limits.body_html("اصلاح: **مهلت** تا <۱۰> روز")
    )
    settle(box)
    edit = api.calls_to("editMessageText")[-1]
    if kind == "telegram":
        assert edit.params["parse_mode"] == "HTML"
        assert "اصلاح: <b>مهلت</b> تا &lt;۱۰&gt; روز" in edit.params["text"]
        assert "<b>مهلت</b>" in api.messages(CHATS[kind])[-1]["text"]
    else:
        parts = edit.params["metadata"]["meta_data_parts"]
        assert [p["type"] for p in parts] == ["Bold"]
    row = Delivery.objects.get(post__correction_of=post, operation="edit")
    assert row.state == "sent", row.last_error


def test_telegram_refuses_html_that_was_not_escaped():
    """The fake parses like Telegram: a text sent as HTML without escaping fails."""
    with FakeTelegram() as api:
        adapter = build_adapter(
            "telegram", base_url=api.base_url, token="123:t", chat_id="@behzisti_sb"
        )
        result = adapter.publish(Message(text="۵ < ۱۰ & <b>باز", parse_mode="HTML"))
    assert result.outcome == Outcome.FAILED
    assert "Bad Request: can't parse entities:" in result.error
    assert api.messages("@behzisti_sb") == []


def test_rubika_sends_the_text_unformatted_if_it_refuses_the_metadata(
    owner, member, reviewer, agency, channels
):
    with FakeRubika() as api:
        connect(owner, channels["rubika"], api, "rubika")
        api.fail_next("400", method="sendMessage")
        post = publish(member, reviewer, agency, channels["rubika"])
        outbox.Outbox("format").drain()
        first, second = api.calls_to("sendMessage")
    assert "metadata" in first.params and "metadata" not in second.params
    assert Delivery.objects.get(post=post, operation="publish").state == "sent"


def test_telegram_takes_a_formatted_text_at_exactly_its_limit(
    owner, member, reviewer, agency, channels, settings
):
    """4096 visible units, more once the tags are counted: sent whole, not cut."""
    from hamafza.publishing.links import post_public_url

    settings.PUBLIC_SITE_URL = "https://site.example.ir"
    with FakeTelegram() as api:
        connect(owner, channels["telegram"], api, "telegram")
        post = services.post_create(
            actor=member, organisation=agency, title="خبر", body="<p>x</p>", channels=[]
        )
        room = 4096 - len("خبر\n\n") - len("\n\n" + post_public_url(post)) - 2  # two emoji units
        body = f"**{'ب' * 50}** < {'پ' * (room - 53)}😀"
        services.post_update(
            actor=member, post=post, body=limits.body_html(body), channels=[channels["telegram"]]
        )
        services.post_submit(actor=member, post=post)
        services.post_approve(actor=reviewer, post=post)
        outbox.Outbox("format").drain()
        sent = api.calls_to("sendMessage")[0].params["text"]
    assert Delivery.objects.get(post=post, operation="publish").state == "sent"
    assert "…" not in sent and "😀" in sent and len(sent.encode("utf-16-le")) // 2 > 4096
    visible = html.unescape(re.sub(r"<[^>]*>", "", sent))
    assert len(visible.encode("utf-16-le")) // 2 == 4096
