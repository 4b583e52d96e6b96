"""The preview per channel: what each ticked channel will get, rendered by the renderer
the outbox sends with, for the text as typed (the composer) and as saved (the post page)."""

from django.test import Client
from django.urls import reverse

from hamafza.publishing import limits, outbox, services
from hamafza.publishing.models import Delivery
from hamafza_fakes import FakeTelegram

BODY = "ثبت‌نام **بیمه روستاییان** آغاز شد؛ ۵ < ۱۰ & [سامانه](https://behzisti.ir/a?b=1&c=2)"


def ask(client, agency, channels, **values):
    data = {"title": "خبر", "lead": "", "body": BODY, "channels": [c.pk for c in channels]}
    data.update(values)
    return client.post(reverse("publishing:post_preview", args=[agency.pk]), data)


def by_kind(response):
    assert response.status_code == 200, response.content[:300]
    return {p["kind"]: p for p in response.json()["previews"]}


def test_each_ticked_channel_is_previewed_in_its_platforms_style(
    login, member, agency, channels, settings
):
    settings.PUBLIC_SITE_URL = "https://site.example.ir"
    ticked = [channels[k] for k in ("telegram", "bale", "eitaa", "rubika", "website")]
    previews = by_kind(ask(login(member), agency, ticked))
    assert set(previews) == {"telegram", "bale", "eitaa", "rubika", "website"}
    telegram = previews["telegram"]
    assert telegram["parse_mode"] == "HTML"
    assert "<b>بیمه روستاییان</b>" in telegram["text"] and "۵ &lt; ۱۰ &amp;" in telegram["text"]
    assert "<strong>بیمه روستاییان</strong>" in telegram["html"]
    assert telegram["text"].endswith("https://site.example.ir")
    assert telegram["limit"] == 4096 and telegram["length"] == len(
        "خبر\n\nثبت‌نام بیمه روستاییان آغاز شد؛ ۵ < ۱۰ & سامانه\n\nhttps://site.example.ir"
    )
    assert "*بیمه روستاییان*" in previews["bale"]["text"]
    eitaa = previews["eitaa"]
    assert "<strong>" not in eitaa["html"] and "**" not in eitaa["text"]
    assert "سامانه (https://behzisti.ir/a?b=1&amp;c=2)" in eitaa["html"]
    assert "<strong>" in previews["rubika"]["html"] and "**" not in previews["rubika"]["text"]
    assert previews["website"]["limit"] is None
    assert "<strong>بیمه روستاییان</strong>" in previews["website"]["html"]
    # The tabs come rendered too, one per channel.
    html = ask(login(member), agency, ticked).json()["html"]
    assert html.count('role="tab"') == 5 and html.count('role="tabpanel"') == 5


def test_what_the_editor_typed_cannot_inject_markup_into_the_preview(
    login, member, agency, channels
):
    typed = '<script>alert(1)</script> **<img src=x onerror=alert(1)>** [x](https://a.ir/"onmouseover=1)'
    previews = by_kind(ask(login(member), agency, [channels["telegram"]], body=typed))
    html = previews["telegram"]["html"]
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "<a " not in html  # the address is not a link


def test_only_the_channels_ticked_and_of_this_organisation_are_previewed(
    login, member, agency, channels, other_agency
):
    from hamafza.network.models import Channel

    foreign = Channel.objects.create(organisation=other_agency, kind="telegram", handle="@other")
    previews = by_kind(ask(login(member), agency, [channels["eitaa"], foreign]))
    assert list(previews) == ["eitaa"]


def test_the_preview_asks_for_the_right_to_write(login, outsider, other_owner, agency, channels):
    assert ask(login(outsider), agency, [channels["telegram"]]).status_code == 404
    assert ask(login(other_owner), agency, [channels["telegram"]]).status_code == 404
    assert ask(Client(), agency, [channels["telegram"]]).status_code == 302  # to the sign-in page


def test_the_preview_is_post_only_and_checks_csrf(member, agency, channels):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    url = reverse("publishing:post_preview", args=[agency.pk])
    assert client.get(url).status_code == 405
    assert (
        client.post(url, {"body": BODY, "channels": [channels["telegram"].pk]}).status_code == 403
    )


def test_the_preview_is_what_the_outbox_sends(
    login, member, owner, reviewer, agency, channels, settings
):
    settings.PUBLIC_SITE_URL = "https://site.example.ir"
    post = services.post_create(
        actor=member,
        organisation=agency,
        title="خبر",
        body=limits.body_html(BODY),
        channels=[channels["telegram"]],
    )
    client = login(member)
    preview = by_kind(ask(client, agency, [channels["telegram"]], post=post.pk))["telegram"]
    with FakeTelegram() as api:
        services.channel_connect(
            actor=owner,
            channel=channels["telegram"],
            token="123:bot-token",
            chat_id="@behzisti_sb",
            base_url=api.base_url,
        )
        services.post_submit(actor=member, post=post)
        services.post_approve(actor=reviewer, post=post)
        outbox.Outbox("preview").drain()
        sent = api.calls_to("sendMessage")[0].params
    assert Delivery.objects.get(post=post, operation="publish").state == "sent"
    assert sent["text"] == preview["text"] and sent["parse_mode"] == preview["parse_mode"]


def test_a_variant_is_previewed_with_its_own_markup(login, member, agency, channels):
    telegram = channels["telegram"]
    variant = {f"variant_{telegram.pk}": "فقط **این** برای تلگرام"}
    preview = by_kind(ask(login(member), agency, [telegram], **variant))["telegram"]
    assert preview["text"] == "فقط <b>این</b> برای تلگرام"


def test_the_composer_and_the_post_page_show_the_previews(login, member, agency, channels):
    client = login(member)
    post = services.post_create(
        actor=member,
        organisation=agency,
        title="خبر",
        body=limits.body_html(BODY),
        channels=[channels["telegram"], channels["eitaa"]],
    )
    page = client.get(reverse("publishing:post_detail", args=[post.pk])).content.decode()
    assert page.count('role="tabpanel"') == 2
    assert "<strong>بیمه روستاییان</strong>" in page
    composer = client.get(reverse("publishing:post_edit", args=[post.pk])).content.decode()
    assert 'data-format="bold"' in composer and 'role="toolbar"' in composer
    assert composer.count('role="tabpanel"') == 2
    # The body comes back into the composer as markup, not as HTML.
    assert (
        "**بیمه روستاییان**" in composer
        and "[سامانه](https://behzisti.ir/a?b=1&amp;c=2)" in composer
    )


def length_problems(channel, body):
    found = limits.problems(
        channels=[channel], title="خبر", lead="", body_text=body, variants={}, photo_count=0
    )
    return [p.message for p in found if "نویسه" in p.message]


def test_the_composer_counts_telegram_without_its_markers_at_the_exact_limit(channels):
    telegram = channels["telegram"]
    visible = "ب" * (4096 - len("خبر\n\n"))
    body = f"**{visible[:100]}**{visible[100:]}"  # four markers more than the limit, raw
    assert length_problems(telegram, body) == []
    assert length_problems(telegram, body + "ب")  # one more is too long


def test_the_composer_counts_a_links_address_where_it_is_written_out(channels):
    url = "https://behzisti.ir/a"
    label = "ب" * (4096 - len("خبر\n\n") - len(f" ({url})"))
    body = f"[{label}]({url})"
    assert length_problems(channels["eitaa"], body) == []
    assert length_problems(channels["eitaa"], body.replace("[", "[ب", 1))
