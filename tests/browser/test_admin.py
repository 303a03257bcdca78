"""The editors' admin in a real browser: every page a coordinator and the police can open passes
axe-core's WCAG 2.1 A/AA rules and the Nu HTML Checker, and a follow-up round is filled in by
keyboard on a page that fits the screen."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.html_validity import html_errors, vnu_command

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
    options = {
        "runOnly": {"type": "tag", "values": WCAG_21_AA},
        # Experimental in axe, so not among the tags' rules: a date shortcut's accessible name
        # must contain its visible text (WCAG 2.5.3).
        "rules": {"label-content-name-mismatch": {"enabled": True}},
    }
    results = Axe().run(page, options=options)
    return [
        violation
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def _check_pages(page, site_url, urls):
    """axe's serious and critical findings, sideways scrolling at 1280 px and the HTML
    checker's errors on each page (the HTML as the server sent it), as lines to report."""
    findings, html = [], {}
    for url in urls:
        response = page.goto(url)
        assert response.ok, url
        path = url.removeprefix(site_url)
        html[path] = response.text()
        serious = _serious(page)
        if serious:
            findings.append(f"{path}:\n{_describe(serious)}")
        if not _no_sideways_scrolling(page):
            findings.append(f"{path} scrolls sideways at 1280 px")
    # Without the checker (outside CI) the pages still get axe's checks.
    return findings + (html_errors(html) if vnu_command() else [])


@pytest.mark.parametrize("username", ROLES)
def test_every_admin_page_a_member_can_open_passes_axe_and_the_html_checker(
    page, site_url, username
):
    _log_in(page, site_url, username)
    urls = _reachable_pages(page, site_url)
    assert len(urls) > 10, urls
    if username.startswith("polis"):
        assert any("/followup/reviewoverview/" in url for url in urls)
    problems = _check_pages(page, site_url, urls)
    assert not problems, "\n".join(problems)


def test_a_draft_promise_with_its_focus_areas_and_commitments_fits_and_passes(page, site_url):
    """The demo's one promise that its coordinator may still edit: every inline field, the
    owners' autocomplete among them, is there to check."""
    from promises.models import Promise

    promise = Promise.objects.get(slug="solvesborg-2026-2027")
    _log_in(page, site_url, "samordnare-solvesborg")
    url = f"{site_url}/admin/promises/promise/{promise.pk}/change/"
    problems = _check_pages(page, site_url, [url])
    assert not problems, "\n".join(problems)
    expect(page.locator("#commitments-group .inline-related.has_original")).to_have_count(
        promise.commitments.count()
    )
    expect(page.locator("#id_commitments-0-text")).to_be_editable()
    fields = ".inline-related select, .inline-related input:not([type=hidden]), textarea"
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert _no_sideways_scrolling(page), f"the promise page scrolls sideways at {width} px"
        assert _fields_within(page, fields, width), f"a field is off the screen at {width} px"


def _editable_olofstrom_round():
    from followup.models import FollowUpRound

    round_ = FollowUpRound.objects.filter(
        promise__slug="olofstrom-barn-och-unga", state=FollowUpRound.State.DRAFT
    ).first()
    assert round_ is not None, "the demo has a draft round for Olofström"
    return round_


def _fields_within(page, selector, width):
    """Whether every field matched by selector lies within the window's width."""
    return page.eval_on_selector_all(
        selector,
        """(fields, width) => fields.every(field => {
            const box = field.getBoundingClientRect();
            return box.left >= 0 && box.right <= width;
        })""",
        width,
    )


def _no_sideways_scrolling(page):
    return page.evaluate(
        "document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth"
    )


def test_a_round_is_one_block_per_commitment_that_fits_the_screen(page, site_url):
    round_ = _editable_olofstrom_round()
    _log_in(page, site_url, "samordnare-olofstrom")
    page.goto(f"{site_url}/admin/followup/followupround/{round_.pk}/change/")
    blocks = page.locator(".round-status")
    count = round_.statuses.count()
    expect(blocks).to_have_count(count)
    # Each commitment once, its owners and last quarter beside this quarter's fields.
    first = round_.statuses.select_related("commitment").in_focus_area_order().first()
    expect(blocks.first.locator("legend")).to_have_text(first.commitment.text)
    assert page.locator("#content-main").inner_text().count(first.commitment.text) == 1
    expect(blocks.first.locator(".round-owners")).to_contain_text("Olofström")
    expect(blocks.first.locator(".field-previous")).to_be_visible()
    expect(page.locator("h3.round-focus-area").first).to_be_visible()
    fields = ".round-status select, .round-status input:not([type=hidden]), .round-status textarea"
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert _no_sideways_scrolling(page), f"the round page scrolls sideways at {width} px"
        assert _fields_within(page, fields, width), f"a field is off the screen at {width} px"


def _tab_to(page, locator, limit=150):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{locator} never got focus by keyboard")


def test_a_coordinator_fills_in_a_round_by_keyboard(page, site_url):
    round_ = _editable_olofstrom_round()
    _log_in(page, site_url, "samordnare-olofstrom")
    page.goto(f"{site_url}/admin/followup/followupround/{round_.pk}/change/")
    status = page.locator("#id_statuses-0-status")
    _tab_to(page, status)
    before = status.input_value()
    page.keyboard.press("ArrowDown")
    chosen = status.input_value()
    assert chosen != before, "the arrow keys change the status"
    page.keyboard.press("Tab")
    expect(page.locator("#id_statuses-0-progress")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("55")
    page.keyboard.press("Tab")
    expect(page.locator("#id_statuses-0-done_this_quarter")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("Två trygghetsvandringar med föräldrar.")
    page.keyboard.press("Tab")
    expect(page.locator("#id_statuses-0-next_steps")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("En vandring till i maj.")
    # Back to the progress field, whose Enter sends the form.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist .success")).to_be_visible()
    row = round_.statuses.in_focus_area_order().first()
    assert (row.status, row.progress, row.next_steps) == (chosen, 55, "En vandring till i maj.")
    assert row.done_this_quarter == "Två trygghetsvandringar med föräldrar."


def test_the_plain_language_aid_follows_the_text_as_it_is_typed(page, site_url):
    from promises.plain_language import readability

    round_ = _editable_olofstrom_round()
    _log_in(page, site_url, "samordnare-olofstrom")
    page.goto(f"{site_url}/admin/followup/followupround/{round_.pk}/change/")
    aid = page.locator("#id_summary_plain_language")
    expect(aid).to_contain_text("LIX")
    text = (
        "Vi har genomfört trygghetsvandringar tillsammans med föräldrar och "
        "fritidsledare i samtliga bostadsområden, och kommunikationsinsatserna "
        "har förstärkts genom informationsträffar i skolorna under hela kvartalet "
        "som gick, vilket uppskattades av många av dem som deltog och av personalen. Bra!"
    )
    page.locator("#id_summary").fill(text)
    expected = readability(text)
    expect(aid.locator(".plain-language-lix")).to_contain_text(f": {expected.lix}, ")
    expect(aid.locator(".plain-language-long-sentences")).to_be_visible()
    expect(aid.locator(".plain-language-hard-words")).to_contain_text("kommunikationsinsatserna")
