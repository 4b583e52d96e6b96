"""Staff passwords: Django's validators in Persian, a password someone else chose is
changed at first sign-in, and the forms offer only the roles a person may grant."""

from hamafza.core.models import User
from hamafza.network.models import Role
from tests.conftest import sign_in_through_the_form

NEW = "/network/people/new/"


def new_person(client, agency, password, **extra):
    return client.post(
        NEW,
        {
            "username": "sara",
            "first_name": "سارا",
            "last_name": "میر",
            "password": password,
            "organisation": agency.pk,
            "role": "editor",
            **extra,
        },
    )


def test_a_weak_password_is_refused_in_persian_beside_its_field(login, owner, agency):
    response = new_person(login(owner), agency, "12345678")

    assert response.status_code == 200
    errors = response.context["form"].errors["password"]
    assert any("رایج" in e for e in errors) and any("عدد" in e or "عددی" in e for e in errors)
    assert 'value="سارا"' in response.content.decode()  # nothing typed is lost
    assert not User.objects.filter(username="sara").exists()


def test_a_password_chosen_by_someone_else_is_changed_at_first_sign_in(
    client, login, owner, agency
):
    assert new_person(login(owner), agency, "Zahedan-Spring-1405").status_code == 302
    client.logout()

    assert sign_in_through_the_form(client, "sara", "Zahedan-Spring-1405")
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == "/password/"
    assert client.get("/publishing/").status_code == 302
    page = client.get("/password/").content.decode()
    assert "نخست گذرواژه‌ای از آن خود برگزینید" in page
    assert "ذخیره گذرواژه تازه" in page and "هم‌افزا" in page  # our page, not the admin's
    same = client.post(
        "/password/",
        {
            "old_password": "Zahedan-Spring-1405",
            "new_password1": "Zahedan-Spring-1405",
            "new_password2": "Zahedan-Spring-1405",
        },
    )
    assert same.status_code == 200 and "فرق کند" in same.content.decode()
    changed = client.post(
        "/password/",
        {
            "old_password": "Zahedan-Spring-1405",
            "new_password1": "My-own-words-1405",
            "new_password2": "My-own-words-1405",
        },
    )
    assert changed.status_code == 302
    assert client.get("/").status_code == 200
    assert not User.objects.get(username="sara").must_change_password


def test_a_pr_manager_is_not_offered_the_network_admin_role(login, owner, admin_user, agency):
    for person, offered in ((owner, False), (admin_user, True)):
        client = login(person)
        page = client.get(NEW).content.decode()
        assert (f'value="{Role.NETWORK_ADMIN}"' in page) is offered
        org_page = client.get(f"/network/organisations/{agency.pk}/").content.decode()
        assert (f'value="{Role.NETWORK_ADMIN}"' in org_page) is offered


def test_a_password_set_in_the_back_office_is_changed_at_first_sign_in(
    client, login, member, password
):
    superuser = User.objects.create_superuser("root", password=password)
    url = f"/admin/core/user/{member.pk}/password/"
    response = login(superuser).post(
        url,
        {
            "password1": "Set-by-admin-1405",
            "password2": "Set-by-admin-1405",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    client.logout()

    assert sign_in_through_the_form(client, "member", "Set-by-admin-1405")
    assert client.get("/")["Location"] == "/password/"


def test_a_person_added_in_the_back_office_changes_the_password_at_first_sign_in(
    db, client, login, password
):
    superuser = User.objects.create_superuser("root", password=password)
    response = login(superuser).post(
        "/admin/core/user/add/",
        {
            "username": "newbie",
            "password1": "Set-by-admin-1405",
            "password2": "Set-by-admin-1405",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="newbie").must_change_password
