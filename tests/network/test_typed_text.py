"""Names and one-line fields as a Persian reader expects them: no bidi controls, ی/ک, free
text's digits as typed, search either way, Persian order and the hub first."""

import pytest

from hamafza.core.models import User
from hamafza.network.forms import PersonForm
from hamafza.network.models import Membership, Organisation, OrganisationKind

from .test_api import Api

RLO, PDF, RLI, PDI = "\u202e", "\u202c", "\u2067", "\u2069"


def text(response) -> str:
    return response.content.decode()


def test_a_person_typed_with_bidi_controls_and_arabic_letters_is_stored_clean(login, owner, agency):
    login(owner).post(
        "/network/people/new/",
        {
            "username": "ali",
            "first_name": f"{RLO}علي{PDF}",
            "last_name": "كرد",
            "mobile": "۰۹۱۵ ۱۲۳ ۴۵۶۷",
            "organisation": agency.pk,
            "role": "editor",
            "title": f"کارشناس ۲ {RLI}روابط عمومی{PDI}",
        },
    )

    person = User.objects.get(username="ali")
    assert (person.first_name, person.last_name) == ("علی", "کرد")
    assert person.mobile == "09151234567"  # a number: read in Latin digits
    # a one-line free field: no bidi controls, but the digit stays as typed
    assert Membership.objects.get(user=person).title == "کارشناس ۲ روابط عمومی"


def test_the_api_stores_names_as_clean_as_the_forms(admin_user, hub):
    response = Api(admin_user).post(
        "/organisations",
        {
            "name": f"صندوق{RLO} كارآفريني امید",
            "slug": "omid",
            "kind": "agency",
            "province_id": hub.province_id,
            "parent_id": hub.pk,
        },
    )

    assert response.status_code == 201
    assert Organisation.objects.get(slug="omid").name == "صندوق کارآفرینی امید"


def test_free_text_keeps_its_digits_numbers_do_not(agency):
    form = PersonForm(
        {
            "username": "sara",
            "first_name": "سارا",
            "last_name": "میر",
            "mobile": "۰۹۱۵۱۲۳۴۵۶۷",
            "title": "۵ سال سابقه",
        },
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == "۵ سال سابقه"
    assert form.cleaned_data["mobile"] == "09151234567"


def test_search_finds_a_name_whichever_kaf_and_ye_it_was_written_with(login, admin_user, hub):
    org = Organisation.objects.create(
        name="اداره کرد", slug="kurd", kind="agency", province=hub.province, parent=hub
    )
    # stored before names were folded (update() skips the cleaning on save)
    Organisation.objects.filter(pk=org.pk).update(name="اداره كرد ميرجاوه")
    client = login(admin_user)

    assert "اداره كرد ميرجاوه" in text(client.get("/network/organisations/", {"q": "کرد"}))
    assert "اداره كرد ميرجاوه" in text(client.get("/network/organisations/", {"q": "ميرجاوه"}))
    assert "اداره كرد ميرجاوه" not in text(client.get("/network/organisations/", {"q": "زابل"}))

    User.objects.filter(pk=admin_user.pk).update(last_name="حسيني")
    assert "حسيني" in text(client.get("/network/people/", {"q": "حسینی"}))


@pytest.fixture
def counties_agencies(hub):
    for slug, name in [("nik", "اداره نیک‌شهر"), ("chab", "اداره چابهار"), ("zab", "اداره زابل")]:
        Organisation.objects.create(
            name=name, slug=slug, kind="county_office", province=hub.province, parent=hub
        )


def test_organisations_list_the_hub_first_then_in_persian_order(
    login, admin_user, hub, counties_agencies
):
    page = text(login(admin_user).get("/network/organisations/"))
    names = [hub.name, "اداره چابهار", "اداره زابل", "اداره نیک‌شهر"]
    places = [page.index(name) for name in names]
    assert places == sorted(places)


def test_a_ministry_lists_above_its_hubs(hub, counties_agencies):
    ministry = Organisation.objects.create(
        name="وزارت تعاون، کار و رفاه اجتماعی",
        slug="ministry",
        kind=OrganisationKind.GOVERNMENT,
        province=hub.province,
    )
    Organisation.objects.filter(pk=hub.pk).update(parent=ministry)

    names = list(Organisation.objects.in_network_order().values_list("name", flat=True))
    assert names[:2] == [ministry.name, hub.name]
    assert names[2:] == ["اداره چابهار", "اداره زابل", "اداره نیک‌شهر"]


def test_dropdowns_offer_the_hub_first_and_a_persian_empty_choice(
    login, admin_user, hub, counties_agencies
):
    page = text(login(admin_user).get("/network/people/new/"))
    select = page.split('name="organisation"', 1)[1].split("</select>", 1)[0]

    assert "— برگزینید —" in select and "---------" not in page
    assert select.index(hub.name) < select.index("اداره چابهار") < select.index("اداره نیک‌شهر")
