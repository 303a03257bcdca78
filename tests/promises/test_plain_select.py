from django import forms
from django.test import SimpleTestCase

from promises.forms import PlainSelect

CHOICES = [
    ("", "Alla kommuner"),
    ("Län <1> & co", [("a&b", "Å & B <i>"), ("c", "C")]),
    (3, "Tre"),
]


class PlainSelectTests(SimpleTestCase):
    def test_renders_what_djangos_select_renders(self):
        attrs = {"id": "id_kommun", "required": True, "aria-describedby": "hjälp"}
        for value in ["c", "", 3, None]:
            with self.subTest(value=value):
                self.assertHTMLEqual(
                    PlainSelect(choices=CHOICES).render("kommun", value, attrs),
                    forms.Select(choices=CHOICES).render("kommun", value, attrs),
                )

    def test_escapes_values_labels_and_groups(self):
        html = PlainSelect(choices=CHOICES).render("kommun", None)
        assert "<i>" not in html
        assert 'value="a&amp;b"' in html
        assert 'label="Län &lt;1&gt; &amp; co"' in html
