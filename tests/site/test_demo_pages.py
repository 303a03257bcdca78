"""Issue 15: every kind of public page of the demo, in Swedish and in English, is valid HTML by
the Nu HTML Checker, and the English pages show no Swedish UI text that has an English original.

The demo is loaded and every page rendered once for the class; the checker then runs once for
all of them (see tests/html_validity.py)."""

import re
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

from babel.messages.pofile import read_po
from django.core.management import call_command
from django.test import Client, RequestFactory, TestCase

from config.views import server_error
from followup.models import FollowUpRound
from promises.models import Agreement, Party, Promise, Theme
from situation.models import Indicator, Problem, SituationPicture
from tests.html_validity import html_errors

SWEDISH_CATALOGUE = Path(__file__).resolve().parents[2] / "locale/sv/LC_MESSAGES/django.po"
OLOFSTROM_PROMISE = "/lofte/olofstrom-barn-och-unga/"


def public_paths():
    """One or more addresses of every kind of public page, in Swedish (no language prefix)."""
    problem = Problem.objects.public().order_by("pk").first()
    picture = SituationPicture.objects.public().order_by("pk").first()
    round_ = FollowUpRound.objects.published().order_by("pk").first()
    police_area = Party.objects.police_areas().filter(municipalities__slug="olofstrom").first()
    agreement = Agreement.objects.public().order_by("pk").first()
    theme = Theme.objects.order_by("pk").first()
    return [
        "/",
        "/hitta-kommun/",
        "/hitta-kommun/?municipality=ingen-sadan",
        "/sok/?q=trafik",
        "/sok/?q=ingenting-alls-hittas-har",
        "/arkiv/",
        "/kommun/olofstrom/",
        "/kommun/stockholm/",
        "/kommun/stockholm/trygghet/",
        "/kommun/stockholm/lagesbild/",
        "/sok/?status=on_track",
        f"/sok/?police_area={police_area.slug}",
        OLOFSTROM_PROMISE,
        f"{Promise.objects.published().filter(slug__startswith='stenungsund').first().get_absolute_url()}",
        f"{OLOFSTROM_PROMISE}kort/",
        f"{OLOFSTROM_PROMISE}uppfoljning/",
        round_.get_absolute_url(),
        "/kommun/olofstrom/trygghet/",
        "/kommun/olofstrom/lagesbild/",
        f"/lagesbild/{picture.pk}/",
        problem.get_absolute_url(),
        "/oversikt/",
        f"/oversikt/?theme={theme.slug}&map=followup",
        "/oversikt/?theme=ingen-sadan",
        "/oversikt/kommuner/",
        agreement.get_absolute_url(),
        "/oppna-data/",
        "/oppna-data/schema/",
        "/rapportera/fel-pa-sidan/?page=/",
        "/rapportera/otrygg-plats/",
        "/tillganglighet/",
        "/personuppgifter/",
        "/finns-inte/",
    ]


class DemoPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())
        client = Client()
        cls.pages = {}
        for path in public_paths():
            for prefix in ("", "/en"):
                response = client.get(prefix + path)
                assert response.status_code in (200, 404), (prefix + path, response.status_code)
                cls.pages[prefix + path] = response.content.decode()
        for prefix in ("", "/en"):
            # The report forms as they come back with errors.
            for path in ("/rapportera/fel-pa-sidan/", "/rapportera/otrygg-plats/"):
                response = client.post(prefix + path, {})
                assert response.status_code == 200, (prefix + path, response.status_code)
                cls.pages[f"{prefix}{path} (errors)"] = response.content.decode()
            request = RequestFactory().get(f"{prefix}/any/")
            cls.pages[f"{prefix}/ (500)"] = server_error(request).content.decode()

    def test_every_public_page_is_valid_html(self):
        assert html_errors(self.pages) == []

    def test_english_pages_show_no_swedish_ui_text(self):
        swedish = swedish_ui_texts()
        found = {
            (path, text)
            for path, html in self.pages.items()
            if path.startswith("/en")
            for text in visible_texts(html)
            if any(pattern.fullmatch(text) for pattern in swedish)
        }
        assert found == set()

    def test_reference_data_is_english_on_english_pages(self):
        municipality = self.pages["/en/kommun/olofstrom/"]
        assert "Blekinge County" in municipality
        assert "Blekinge län" not in municipality
        assert "Local police area: Karlshamn" in " ".join(visible_texts(municipality))
        swedish = " ".join(visible_texts(self.pages["/kommun/olofstrom/"]))
        assert "Blekinge län · Lokalpolisområde: Karlshamn" in swedish
        surveys = self.pages["/en/kommun/olofstrom/trygghet/"]
        assert "Worried about becoming a victim of crime" in surveys
        shown = [
            indicator
            for indicator in Indicator.objects.all()
            if f'id="indicator-{indicator.code}"' in surveys
        ]
        assert len(shown) >= 5
        for indicator in shown:
            assert indicator.name not in surveys
            assert indicator.name in self.pages["/kommun/olofstrom/trygghet/"]

    def test_dates_follow_the_language_and_a_year_is_not_a_period(self):
        swedish = "jan.|feb.|mars|apr.|maj|juni|juli|aug.|sep.|okt.|nov.|dec."
        english = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
        swedish_dates = re.compile(rf"\b\d{{1,2}} ({swedish}) \d{{4}}")
        english_dates = re.compile(rf"\b\d{{1,2}} ({english}) \d{{4}}")
        assert swedish_dates.search(self.pages["/arkiv/"])
        assert english_dates.search(self.pages["/en/arkiv/"])
        # Olofström's 2021 promise lasted one year: its search hit says "2021", not "2021–2021".
        assert "/lofte/olofstrom-2021/" in self.pages["/sok/?police_area=lpo-karlshamn"]
        for path, html in self.pages.items():
            assert not re.search(r"\b(\d{4})(</time>)?–(<time[^>]*>)?\1\b", html), path
            if not path.startswith("/en"):
                assert not english_dates.search(html), path

    def test_the_overview_and_an_agreement_are_among_the_pages_checked(self):
        theme = Theme.objects.order_by("pk").first()
        for prefix in ("", "/en"):
            assert "<svg" in self.pages[f"{prefix}/oversikt/"]
            themed = self.pages[f"{prefix}/oversikt/?theme={theme.slug}&map=followup"]
            assert f'<option value="{theme.slug}" selected>' in themed
        agreement = Agreement.objects.public().order_by("pk").first()
        assert agreement.title in self.pages[f"/en{agreement.get_absolute_url()}"]

    def test_the_error_page_speaks_the_language_of_the_address(self):
        assert "Något gick fel" in self.pages["/ (500)"]
        assert "Something went wrong" in self.pages["/en/ (500)"]
        assert '<html lang="en">' in self.pages["/en/ (500)"]

    def test_the_checks_find_errors_and_swedish_ui_text(self):
        assert len(html_errors({"bad": "<!doctype html><title>x</title><p><div></p>"})) >= 1
        # The check itself: the Swedish home page is full of Swedish UI text.
        swedish = swedish_ui_texts()
        texts = visible_texts(self.pages["/"])
        assert "Hoppa till huvudinnehållet" in texts
        assert any(pattern.fullmatch("Hoppa till huvudinnehållet") for pattern in swedish)


class _TextParser(HTMLParser):
    """What a reader sees or hears: text and the attributes read out, but not scripts, styles
    or what is marked as another language (the language switch's "Svenska")."""

    ATTRIBUTES = {"aria-label", "alt", "placeholder", "title"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self):
        super().__init__()
        self.texts = []
        self._open = []  # (tag, whether its text is skipped)

    @property
    def _skipping(self):
        return any(skipped for _tag, skipped in self._open)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        foreign = attrs.get("lang", "en") != "en" and tag != "html"
        if not (self._skipping or foreign):
            self.texts += [value for name, value in attrs.items() if name in self.ATTRIBUTES]
        if tag not in self.VOID:
            self._open.append((tag, foreign or tag in ("script", "style")))

    def handle_endtag(self, tag):
        while self._open and self._open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if not self._skipping:
            self.texts.append(data)


def visible_texts(html):
    parser = _TextParser()
    parser.feed(html)
    texts = (" ".join((text or "").split()).strip(" :·–") for text in parser.texts)
    return {text for text in texts if text}


_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def swedish_ui_texts():
    """A pattern for each Swedish translation whose English differs: a text node that is
    wholly such a translation (placeholders matching anything) is Swedish UI text. Whole nodes
    only, so that Swedish content (promise texts) containing a common word is no match."""
    with SWEDISH_CATALOGUE.open("rb") as po_file:
        catalogue = read_po(po_file)
    patterns = []
    for message in catalogue:
        if not message.id:
            continue
        pairs = (
            zip(message.id, message.string, strict=True)
            if isinstance(message.id, tuple)
            else [(message.id, message.string)]
        )
        for english, swedish in pairs:
            swedish = " ".join(swedish.split()).strip(" :·–")
            if not swedish or swedish.lower() == " ".join(english.split()).lower().strip(" :·–"):
                continue
            literal = _PLACEHOLDER.split(swedish)
            if sum(len(part.strip()) for part in literal) < 4:
                continue  # "%(count)s st" and the like say too little to be sure
            patterns.append(re.compile(".+?".join(re.escape(part) for part in literal)))
    return patterns
