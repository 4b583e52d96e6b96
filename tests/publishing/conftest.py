import pytest

from hamafza.network.models import Channel, Membership, Role


@pytest.fixture
def reviewer(agency, password):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        "reviewer", password=password, first_name="مریم", last_name="شهرکی"
    )
    Membership.objects.create(user=user, organisation=agency, role=Role.REVIEWER)
    return user


@pytest.fixture
def channels(agency):
    """The agency's site, Telegram, Bale, Eitaa and Rubika channels."""
    kinds = [
        ("website", "behzisti.example.ir"),
        ("telegram", "@behzisti_sb"),
        ("bale", "@behzisti_sb"),
        ("eitaa", "@behzisti_sb"),
        ("rubika", "@behzisti_sb"),
    ]
    return {
        kind: Channel.objects.create(organisation=agency, kind=kind, handle=handle)
        for kind, handle in kinds
    }
