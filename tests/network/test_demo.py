"""`hamafza demo` gives a realistic network someone can log in to, and is safe to rerun."""

from io import StringIO

import pytest
from django.core.management import call_command

from hamafza.core.models import User
from hamafza.network.models import AudienceSnapshot, Channel, Membership, Organisation, Role
from tests.conftest import sign_in_through_the_form

DEMO_PASSWORD = "hamafza-demo"


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def counts():
    return (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Channel.objects.count(),
        AudienceSnapshot.objects.count(),
    )


@pytest.fixture
def demo(db):
    run_demo()


def test_demo_runs_twice_without_duplicating_anything(db):
    assert "شبکه نمایشی آماده است" in run_demo()
    first = counts()

    run_demo()

    assert counts() == first


def test_demo_loads_the_hub_and_its_agencies(demo):
    hub = Organisation.objects.get(kind="hub")
    assert hub.name == "اداره کل تعاون، کار و رفاه اجتماعی سیستان و بلوچستان"
    children = set(hub.children.values_list("short_name", flat=True))
    assert {
        "تأمین اجتماعی",
        "بهزیستی",
        "آموزش فنی و حرفه‌ای",
        "بانک رفاه کارگران",
        "بانک توسعه تعاون",
        "صندوق کارآفرینی امید",
    } <= children
    assert Organisation.objects.filter(kind="governorate").exists()
    assert Organisation.objects.filter(kind="media").count() >= 2
    assert Organisation.objects.filter(kind="county_office", parent=hub).exists()
    assert AudienceSnapshot.objects.filter(channel__organisation=hub).exists()


def test_demo_has_one_login_per_role(demo, client):
    for role in Role.values:
        membership = (
            Membership.objects.filter(role=role, is_active=True).select_related("user").first()
        )
        assert membership is not None, f"no demo user is {role}"
        assert sign_in_through_the_form(client, membership.user.username, DEMO_PASSWORD), role
        response = client.get("/")
        assert response.status_code == 200, role
        page = response.content.decode()
        assert 'dir="rtl"' in page
        client.logout()


def test_demo_network_admin_manages_the_network(demo, client):
    assert sign_in_through_the_form(client, "admin", DEMO_PASSWORD)

    assert client.get("/network/organisations/new/").status_code == 200
    assert client.get("/audit/").status_code == 200


def test_demo_refuses_a_public_host_without_being_told(settings, db):
    from django.core.management import CommandError, call_command

    settings.ALLOWED_HOSTS = ["hamafza.example.ir"]
    with pytest.raises(CommandError):
        call_command("demo")
