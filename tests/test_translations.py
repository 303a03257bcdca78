from pathlib import Path

from babel.messages.pofile import read_po
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import translation

LOCALE = Path(__file__).resolve().parent.parent / "locale"


class SwedishCatalogueTests(SimpleTestCase):
    def test_every_message_is_translated_to_swedish(self):
        with (LOCALE / "sv" / "LC_MESSAGES" / "django.po").open("rb") as po_file:
            catalog = read_po(po_file)
        untranslated = [
            message.id
            for message in catalog
            if message.id
            and (
                "fuzzy" in message.flags
                or not all(
                    message.string if isinstance(message.string, tuple) else [message.string]
                )
            )
        ]
        assert untranslated == []

    def test_history_pages_of_the_admin_are_swedish_too(self):
        with translation.override("sv"):
            assert translation.gettext("Changed by") == "Ändrad av"
            assert translation.gettext("Change history: %s") == "Ändringshistorik: %s"
            assert translation.gettext("- Select an option -") == "- Välj ett alternativ -"
            # Django's own translations are not overridden.
            assert translation.gettext("Home") == "Hem"

    def test_compiled_catalogue_is_used(self):
        with translation.override("sv"):
            assert translation.gettext("Skip to main content") == "Hoppa till huvudinnehållet"
        with translation.override("en"):
            assert translation.gettext("Skip to main content") == "Skip to main content"
            assert reverse("promises:home") == "/en/"
