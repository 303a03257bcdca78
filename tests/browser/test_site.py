"""The residents' site in a real browser: accessibility (axe-core), small and large screens,
keyboard use and a resident's way to a promise."""

import threading
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

# django_db makes pytest-django create the test database the live server reads from.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

OLOFSTROM_PROMISE = "/lofte/olofstrom-barn-och-unga/"

# Every public page the accessibility and screen-size checks visit: add new pages here.
PAGES = [
    "/",
    "/en/",
    "/kommun/olofstrom/",
    OLOFSTROM_PROMISE,
    "/lofte/stenungsund-orust-tjorn-2023-2024/",
    "/oppna-data/",
    "/oppna-data/schema/",
    "/api/",
    "/lofte/olofstrom-barn-och-unga/kort/",
    "/sok/?q=trafik",
    "/sok/?status=on_track",
    "/arkiv/",
    "/kommun/olofstrom/trygghet/",
    "/kommun/olofstrom/lagesbild/",
    "/lofte/oskarshamn-2024-2025/uppfoljning/",
    "/lofte/oskarshamn-2024-2025/uppfoljning/2025-q4/",
    "/rapportera/fel-pa-sidan/?page=/lofte/olofstrom-barn-och-unga/",
    "/rapportera/otrygg-plats/",
    "/tillganglighet/",
    "/personuppgifter/",
    "/oversikt/",
    "/en/oversikt/?map=followup&theme=barn-och-unga",
    "/oversikt/kommuner/",
    "/prenumerera/?kommun=olofstrom",
    "/en/prenumerera/?lofte=olofstrom-barn-och-unga",
]

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines += [f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"]]
    return "\n".join(lines)


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(page, site_url, path):
    assert page.goto(site_url + path).ok
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    serious = [
        violation
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert not serious, f"{path}:\n{_describe(serious)}"


@pytest.mark.parametrize("path", PAGES)
def test_fits_small_and_large_screens_without_horizontal_scrolling(page, site_url, path):
    assert page.goto(site_url + path).ok
    for width in (375, 1280):
        # Media queries apply again on resizing; the page need not be reloaded.
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
            f"{path} scrolls sideways at {width} px"
        )
        heading = page.locator("main h1")
        expect(heading).to_be_visible()
        box = heading.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{path} at {width} px"


def test_skip_link_is_the_first_tab_stop_and_leads_to_the_main_content(page, site_url):
    page.goto(site_url + OLOFSTROM_PROMISE)
    page.keyboard.press("Tab")
    skip_link = page.locator(":focus")
    expect(skip_link).to_have_attribute("href", "#main")
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.closest('#main') !== null")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#main') !== null")


def test_resident_finds_the_olofstrom_promise_from_home_and_reads_its_commitments(page, site_url):
    page.goto(site_url + "/")
    page.get_by_role("link", name="Olofström", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Olofström")

    page.get_by_role("link", name="Vi stärker tryggheten där barn och unga vistas").first.click()
    assert page.url == site_url + OLOFSTROM_PROMISE
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vi stärker tryggheten där barn och unga vistas"
    )
    expect(page.get_by_role("heading", name="Trafiksäkerhet")).to_be_visible()
    commitments = page.locator("#main .commitment")
    expect(commitments).to_have_count(4)
    expect(commitments.filter(has_text="Verka för vuxennärvaro")).to_be_visible()


def _read_olofstrom_follow_up(page):
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vi stärker tryggheten där barn och unga vistas"
    )
    # The Q1 2026 round is the one published: each commitment shows its status in words.
    first_commitment = page.locator("#main .commitment").first
    expect(first_commitment.locator(".status")).to_be_visible()
    expect(first_commitment.locator(".status")).not_to_have_text("")


def test_resident_finds_the_promise_with_the_municipality_finder(page, site_url):
    page.goto(site_url + "/")
    page.get_by_role("combobox", name="Din kommun").select_option(label="Olofström")
    page.get_by_role("button", name="Visa medborgarlöftena").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Olofström")
    page.get_by_role("link", name="Vi stärker tryggheten där barn och unga vistas").first.click()
    _read_olofstrom_follow_up(page)


def test_resident_finds_the_promise_by_search_and_reads_its_follow_up(page, site_url):
    page.goto(site_url + "/")
    page.get_by_role("link", name="Sök", exact=True).click()
    page.get_by_role("searchbox").fill("vuxennärvaro")
    page.keyboard.press("Enter")
    # The hit is the commitment itself, which links to its place on the promise page.
    page.get_by_role("link", name="Verka för vuxennärvaro där barn och unga finns.").click()
    assert page.url.startswith(site_url + OLOFSTROM_PROMISE + "#commitment-")
    _read_olofstrom_follow_up(page)


def _tab_to(page, locator, limit=60):
    """Press Tab until the locator has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{locator} never got focus by keyboard")


def test_unsafe_place_form_by_keyboard_announces_errors_and_sends(page, site_url):
    page.goto(site_url + "/rapportera/otrygg-plats/")
    send = page.get_by_role("button", name="Skicka")
    _tab_to(page, send)
    page.keyboard.press("Enter")
    # Errors are tied to their fields, so a screen reader reads them with the field.
    place = page.locator("#id_place")
    expect(place).to_have_attribute("aria-invalid", "true")
    described_by = place.get_attribute("aria-describedby").split()
    assert "id_place_error" in described_by
    expect(page.locator("#id_place_error")).to_have_text("Ange var platsen är.")

    municipality = page.locator("select[name=municipality]")
    _tab_to(page, municipality)
    municipality.select_option(label="Olofström")
    _tab_to(page, page.locator("#id_place"))
    page.keyboard.type("Gångtunneln vid stationen")
    _tab_to(page, page.locator("#id_description"))
    page.keyboard.type("Mörkt och trasig belysning på kvällarna.")
    _tab_to(page, page.get_by_role("button", name="Skicka"))
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("[aria-invalid=true]")).to_have_count(0)


def test_error_report_form_by_keyboard(page, site_url):
    page.goto(site_url + "/rapportera/fel-pa-sidan/?page=" + OLOFSTROM_PROMISE)
    _tab_to(page, page.locator("#id_message"))
    page.keyboard.type("Ett av åtagandena står två gånger.")
    _tab_to(page, page.get_by_role("button", name="Skicka"))
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_be_visible()


class _MunicipalPage(BaseHTTPRequestHandler):
    """A municipality's own web page that frames the URL given in its query string."""

    def do_GET(self):
        src = parse_qs(urlsplit(self.path).query)["frame"][0]
        body = (
            '<!doctype html><html lang="sv"><title>Kommunen</title>'
            f'<iframe src="{escape(src)}" title="Medborgarlöftet"></iframe>'
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def other_site():
    """Another origin than the live server's: a real server, since Chromium refuses to let a
    page without an address (a mocked route) frame one on this machine."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _MunicipalPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def _frame_on_another_site(page, other_site, url):
    page.goto(f"{other_site}?{urlencode({'frame': url})}", wait_until="load")
    return page.frame_locator("iframe")


def test_another_site_can_frame_the_promise_card(page, site_url, other_site):
    frame = _frame_on_another_site(
        page, other_site, site_url + "/lofte/olofstrom-barn-och-unga/kort/"
    )
    expect(frame.get_by_role("heading", level=1)).to_have_text(
        "Vi stärker tryggheten där barn och unga vistas"
    )


def test_another_site_cannot_frame_the_promise_page(page, site_url, other_site):
    frame = _frame_on_another_site(page, other_site, site_url + OLOFSTROM_PROMISE)
    expect(frame.get_by_role("heading", level=1)).to_have_count(0)
    assert page.frames[1].url.startswith("chrome-error:"), "the frame should be refused"
