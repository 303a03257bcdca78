import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from django.urls import reverse

from promises.models import Membership, Promise
from tests.factories import (
    make_membership,
    make_municipality,
    make_police_area,
    make_promise,
    make_user,
)

OVERVIEW = "admin:followup_reviewoverview_changelist"
POLICE, VIEWER = Membership.Role.POLICE, Membership.Role.VIEWER

pytestmark = pytest.mark.django_db


@pytest.fixture
def police():
    return make_membership(party=make_police_area(), role=POLICE).user


def log_in(client, user, next_url=None):
    """Logs in through the admin's form; by default as Django sends someone who opened /admin/."""
    return client.post(
        reverse("admin:login"),
        {
            "username": user.username,
            "password": "secret",
            "next": reverse("admin:index") if next_url is None else next_url,
        },
    )


def assert_redirects(response, url):
    assert response.status_code == 302
    assert response.url == url


def test_police_land_on_the_follow_up_overview(client, police):
    assert_redirects(log_in(client, police), reverse(OVERVIEW))
    page = client.get(reverse(OVERVIEW))
    assert "<h1>Uppföljningsöversikt</h1>" in page.text


def test_police_come_to_the_login_from_admin_and_still_reach_the_index(client, police):
    index = reverse("admin:index")
    assert_redirects(client.get(index), f"{reverse('admin:login')}?next={index}")
    log_in(client, police)
    # Only the login's redirect changes: the index itself stays theirs.
    assert client.get(index).status_code == 200


def test_police_logging_in_on_the_way_to_a_page_go_there(client, police):
    target = reverse("admin:followup_followupround_changelist")
    assert_redirects(log_in(client, police, next_url=target), target)


def test_police_in_english_land_on_the_english_overview(client, police):
    response = client.post(
        "/en/admin/login/",
        {"username": police.username, "password": "secret", "next": "/en/admin/"},
    )
    assert_redirects(response, "/en/admin/followup/reviewoverview/")


@pytest.mark.parametrize("kind", ["coordinator", "police and viewer", "superuser"])
def test_everyone_else_lands_on_the_index(client, kind):
    if kind == "superuser":
        user = make_user(is_staff=True, is_superuser=True)
    elif kind == "coordinator":
        user = make_membership(party=make_municipality()).user
    else:
        user = make_membership(party=make_police_area(), role=POLICE).user
        make_membership(user=user, party=make_municipality(), role=VIEWER)
    assert_redirects(log_in(client, user), reverse("admin:index"))


def test_wrong_password_stays_on_the_login(client, police):
    response = client.post(
        reverse("admin:login"), {"username": police.username, "password": "fel", "next": "/admin/"}
    )
    assert response.status_code == 200
    assert "errornote" in response.text


class AdminSiteTests(TestCase):
    def test_admin_names_the_portal(self):
        self.client.force_login(make_user(is_staff=True, is_superuser=True))
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, "Löftesportalen: administration")
        self.assertContains(response, "Löften, lägesbild och uppföljning")

    def test_view_on_site_names_only_objects_the_user_may_see(self):
        own, other = make_municipality(), make_municipality()
        police = make_police_area()
        user = make_membership(party=own, role=Membership.Role.VIEWER).user
        theirs = make_promise(
            parties=[other, police], slug="hemligt-utkast", status="draft", published_at=None
        )
        ours = make_promise(parties=[own, police])
        content_type = ContentType.objects.get_for_model(Promise)
        self.client.force_login(user)

        def view_on_site(promise):
            return self.client.get(
                reverse("admin:view_on_site", args=[content_type.pk, promise.pk])
            )

        assert view_on_site(theirs).status_code == 404
        self.assertRedirects(
            view_on_site(ours),
            "http://testserver" + ours.get_absolute_url(),
            fetch_redirect_response=False,
        )
        bad = self.client.get(reverse("admin:view_on_site", args=[content_type.pk, "x"]))
        assert bad.status_code == 404
