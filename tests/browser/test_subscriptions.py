"""Subscribing and unsubscribing by keyboard alone, in Swedish and English, axe-clean."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.test import TestCase
from playwright.sync_api import expect

from .test_site import WCAG_21_AA, _describe, _tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

TEXTS = {
    "": {
        "link": "Prenumerera på nyheter om medborgarlöftena i Olofström",
        "email": "Din e-postadress",
        "subscribe": "Prenumerera",
        "sent": "Titta i din e-post",
        "confirm": "Ja, bekräfta",
        "confirmed": "Prenumerationen är bekräftad",
        "manage": "Hantera dina prenumerationer",
        "unsubscribe": "Avsluta allt och radera min adress",
        "unsubscribed": "Du är avregistrerad",
    },
    "/en": {
        "link": "Subscribe to news about the citizen promises of Olofström",
        "email": "Your e-mail address",
        "subscribe": "Subscribe",
        "sent": "Check your e-mail",
        "confirm": "Yes, confirm",
        "confirmed": "The subscription is confirmed",
        "manage": "Manage your subscriptions",
        "unsubscribe": "Unsubscribe from everything and delete my address",
        "unsubscribed": "You are unsubscribed",
    },
}


def _axe_clean(page):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, f"{page.url}:\n{_describe(serious)}"


def _press(page, locator):
    _tab_to(page, locator)
    page.keyboard.press("Enter")


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_subscribe_confirm_and_unsubscribe_by_keyboard(page, site_url, prefix):
    text = TEXTS[prefix]
    address = f"tangentbord{prefix.strip('/')}@example.org"
    page.goto(f"{site_url}{prefix}/kommun/olofstrom/")
    _press(page, page.get_by_role("link", name=text["link"]))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    _axe_clean(page)

    _tab_to(page, page.get_by_label(text["email"]))
    page.keyboard.type(address)
    # The live server shares the test's database connection, and so its transaction: what
    # the request leaves for after the commit (the confirmation e-mail) is run here.
    with TestCase.captureOnCommitCallbacks(execute=True):
        _press(page, page.get_by_role("button", name=text["subscribe"], exact=True))
        expect(page.get_by_role("heading", level=1)).to_have_text(text["sent"])

    (confirmation,) = [m for m in mail.outbox if m.to == [address]]
    path = re.search(r"https?://[^/\s]+(/\S+/bekrafta/\S+/)", confirmation.body)[1]
    assert path.startswith(f"{prefix}/")
    page.goto(site_url + path)
    _axe_clean(page)
    _press(page, page.get_by_role("button", name=text["confirm"]))
    expect(page.get_by_role("heading", level=1)).to_have_text(text["confirmed"])

    _press(page, page.get_by_role("link", name=text["manage"]))
    expect(page.get_by_role("link", name="Olofström")).to_be_visible()
    _axe_clean(page)
    _press(page, page.get_by_role("button", name=text["unsubscribe"]))
    expect(page.get_by_role("heading", level=1)).to_have_text(text["unsubscribed"])
    _axe_clean(page)
