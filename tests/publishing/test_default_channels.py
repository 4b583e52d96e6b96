"""The PR manager picks the channels an agency's new posts start ticked for; an editor
then finds them ticked, and may still change them on each post."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hamafza.core.models import AuditEntry
from hamafza.network.models import Channel
from hamafza.publishing import services
from hamafza.publishing.models import DefaultChannel
from tests.publishing.test_pages_composer import data_for


def ticked(page: str, channel) -> bool:
    """Whether the composer's checkbox for `channel` is ticked."""
    at = page.index(f'value="{channel.pk}"')
    tag = page[page.rindex("<input", 0, at) : page.index(">", at)]
    return "checked" in tag


def test_the_pr_manager_sets_the_defaults_and_a_new_post_starts_with_them(
    login, owner, member, agency, channels
):
    client = login(owner)
    page = client.get(f"/publishing/organisations/{agency.pk}/channels/").content.decode()
    assert "کانال‌های پیش‌فرض" in page
    chosen = [channels["website"].pk, channels["telegram"].pk, channels["eitaa"].pk]
    response = client.post(
        f"/publishing/organisations/{agency.pk}/default-channels/", {"channels": chosen}
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="publishing.defaults.set").exists()

    composer = login(member).get(f"/publishing/organisations/{agency.pk}/new/").content.decode()
    assert [k for k, c in channels.items() if ticked(composer, c)] == [
        "website",
        "telegram",
        "eitaa",
    ]


def test_choosing_again_replaces_the_last_choice(owner, agency, channels):
    services.default_channels_set(
        actor=owner, organisation=agency, channel_ids=[channels["bale"].pk, channels["rubika"].pk]
    )
    services.default_channels_set(
        actor=owner, organisation=agency, channel_ids=[channels["bale"].pk]
    )
    assert list(DefaultChannel.objects.values_list("channel_id", flat=True)) == [
        channels["bale"].pk
    ]


def test_an_editor_or_another_agency_cannot_set_them(login, member, other_owner, agency, channels):
    with pytest.raises(PermissionDenied):
        services.default_channels_set(actor=member, organisation=agency, channel_ids=[])
    with pytest.raises(PermissionDenied):
        services.default_channels_set(actor=other_owner, organisation=agency, channel_ids=[])
    url = f"/publishing/organisations/{agency.pk}/default-channels/"
    assert login(member).post(url, {"channels": [channels["bale"].pk]}).status_code == 403
    assert login(other_owner).post(url, {"channels": [channels["bale"].pk]}).status_code in (
        403,
        404,
    )
    assert not DefaultChannel.objects.exists()


def test_another_organisations_channel_is_refused_in_persian(owner, agency, other_agency):
    foreign = Channel.objects.create(organisation=other_agency, kind="telegram", handle="@x_sb")
    with pytest.raises(ValidationError) as refused:
        services.default_channels_set(actor=owner, organisation=agency, channel_ids=[foreign.pk])
    assert "این سازمان" in str(refused.value)
    assert not DefaultChannel.objects.exists()


def test_an_edited_post_keeps_its_own_channels(login, owner, member, agency, channels):
    """The defaults are for new posts: an existing post shows what it was saved with."""
    services.default_channels_set(
        actor=owner, organisation=agency, channel_ids=[channels["bale"].pk]
    )
    client = login(member)
    response = client.post(
        f"/publishing/organisations/{agency.pk}/new/",
        data_for([channels["telegram"]]),
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert ticked(page, channels["telegram"]) and not ticked(page, channels["bale"])
