"""The plain-language aid: LIX as it is usually counted, its Swedish bands, what it points out,
and that the admin shows it under every text residents read without ever refusing a save."""

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from promises.models import Promise
from promises.plain_language import PlainLanguageTextarea, band, readability
from tests.factories import make_municipality, make_police_area, make_user

HARD = (
    "Implementeringsprocessen avseende samverkansöverenskommelsens målsättningar "
    "förutsätter kontinuerlig uppföljning, resursfördelning och systematisk "
    "kvalitetssäkring inom respektive förvaltningsorganisation."
)


def test_lix_is_words_per_sentence_plus_the_share_of_long_words():
    # 6 words in 2 sentences; one word ("stannar") has more than six letters.
    result = readability("Jag går hem. Du stannar kvar!")
    assert (result.words, result.sentences, result.long_words) == (6, 2, 1)
    assert result.lix == round(6 / 2 + 100 * 1 / 6) == 20


def test_sentences_end_at_full_stops_question_and_exclamation_marks_colons_and_line_breaks():
    result = readability("Ett: två?\nTre! Fyra. Fem")
    assert result.sentences == 5
    # Numbers and hyphenated words are words; dashes and punctuation alone are not.
    assert readability("Polis- och kommunsamverkan 2026 – bra.").words == 5


def test_a_text_without_words_has_no_index():
    for text in ("", "   ", "— … !", None):
        assert readability(text).lix is None


@pytest.mark.parametrize(
    ("index", "words"),
    [
        (10, "very easy"),
        (24, "very easy"),
        (25, "easy"),
        (35, "medium"),
        (45, "fairly hard"),
        (55, "hard"),
        (60, "very hard"),
        (80, "very hard"),
    ],
)
def test_the_usual_bands(index, words):
    with translation.override("en"):
        assert str(band(index)).startswith(words)


def test_long_sentences_and_hard_words_are_pointed_out():
    long_sentence = " ".join(["ord"] * 26) + "."
    result = readability(f"Kort mening. {long_sentence} {HARD}")
    assert result.long_sentences == [" ".join(["ord"] * 26)]
    assert "Implementeringsprocessen" in result.hard_words
    assert "uppföljning" not in result.hard_words  # long for LIX, not hard to read
    assert readability(HARD).lix > 60
    assert str(readability(HARD).band).startswith("mycket svår")  # in Swedish by default


def test_the_widget_shows_the_aid_for_the_saved_text_and_describes_the_field_with_it():
    html = PlainLanguageTextarea().render("goal", HARD, {"id": "id_goal"})
    assert 'aria-describedby="id_goal_plain_language"' in html
    assert 'data-plain-language="id_goal_plain_language"' in html
    assert 'id="id_goal_plain_language"' in html
    assert f"LIX): {readability(HARD).lix}," in html
    assert "Implementeringsprocessen" in html


class PlainLanguageAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user("root", is_staff=True, is_superuser=True)
        cls.municipality = make_municipality()
        cls.police = make_police_area()

    def setUp(self):
        self.client.force_login(self.admin)

    def test_every_text_residents_read_has_the_aid(self):
        html = self.client.get(reverse("admin:promises_promise_add")).content.decode()
        fields = ["summary", "goal", "background"]
        # The rows added on the page (from these templates) too.
        fields += ["focus_areas-__prefix__-description", "commitments-__prefix__-text"]
        for field in fields:
            assert f'id="id_{field}_plain_language"' in html, field
        for name in ("focusarea", "commitment"):
            html = self.client.get(reverse(f"admin:promises_{name}_add")).content.decode()
            assert "plain-language" in html, name

    def test_it_advises_and_never_refuses_a_hard_text(self):
        response = self.client.post(
            reverse("admin:promises_promise_add"),
            {
                "title": "Svårläst löfte",
                "slug": "svarlast",
                "parties": [self.municipality.pk, self.police.pk],
                "valid_from": "2026-01-01",
                "valid_until": "2026-12-31",
                "goal": HARD,
                "focus_areas-TOTAL_FORMS": "0",
                "focus_areas-INITIAL_FORMS": "0",
                "commitments-TOTAL_FORMS": "0",
                "commitments-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 302
        promise = Promise.objects.get(slug="svarlast")
        assert promise.goal == HARD
        page = self.client.get(reverse("admin:promises_promise_change", args=[promise.pk]))
        assert f"LIX): {readability(HARD).lix}," in page.content.decode()
