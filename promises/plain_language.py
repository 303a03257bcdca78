"""A plain-language aid for the texts residents read (the language act, språklagen 14 §, asks
public bodies for plain Swedish): the readability index LIX with its usual Swedish bands, and
the sentences and words that are long. It advises the editor and never stops a save.

LIX (Björnsson 1968) = words per sentence + 100 × long words (more than six letters) / words.
It is computed here and, as the editor types, by static/js/plain_language.js, which must count
the same way: the widget shows the server's figures when the page opens and the script's after
each change. No library is used for it: textstat's `lix` counts words and sentences with rules
of its own (it drops short sentences, for one), which a script in the browser would have to
copy, and it brings a pronunciation dictionary the portal has no use for; the formula is one
line and the counting rules below are what both sides share.
"""

import json
import re
from dataclasses import dataclass

from django.contrib.admin.widgets import AdminTextareaWidget
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

# A word is a run of letters and digits (with inner hyphens or apostrophes); a sentence ends at
# . ! ? : or a line break, as in the usual LIX counting. The script uses the same patterns.
WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
SENTENCE_END = re.compile(r"[.!?:]+|\n+")
LONG_WORD_LETTERS = 6  # LIX's long word has more letters than this
# What the aid points out: a sentence longer than plain-language advice recommends, and a word
# that is hard to read at a glance (a long compound is better split or explained).
LONG_SENTENCE_WORDS = 25
HARD_WORD_LETTERS = 16

BANDS = [
    (25, _("very easy (children's books)")),
    (30, _("easy (simple texts)")),
    (40, _("medium (everyday texts, fiction)")),
    (50, _("fairly hard (factual texts)")),
    (60, _("hard (specialist texts)")),
    (None, _("very hard (research, bureaucratic Swedish)")),
]


def band(index):
    return next(label for limit, label in BANDS if limit is None or index < limit)


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    long_words: int
    long_sentences: list
    hard_words: list

    @property
    def lix(self):
        if not self.words:
            return None
        return round(self.words / self.sentences + 100 * self.long_words / self.words)

    @property
    def band(self):
        return band(self.lix)


def readability(text):
    """The LIX of `text` and what makes it hard; lix is None for a text without words."""
    sentences = [words for part in SENTENCE_END.split(text or "") if (words := WORD.findall(part))]
    words = [word for sentence in sentences for word in sentence]
    return Readability(
        words=len(words),
        sentences=len(sentences),
        long_words=sum(len(word) > LONG_WORD_LETTERS for word in words),
        long_sentences=[
            " ".join(sentence) for sentence in sentences if len(sentence) > LONG_SENTENCE_WORDS
        ],
        hard_words=list(dict.fromkeys(w for w in words if len(w) >= HARD_WORD_LETTERS)),
    )


class PlainLanguageTextarea(AdminTextareaWidget):
    """A text area with the aid beneath it: worked out on the server for the text as saved (so
    it is there without JavaScript) and again by the script as the editor types."""

    class Media:
        js = ["js/plain_language.js"]

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        aid_id = f"{attrs.get('id', name)}_plain_language"
        attrs["aria-describedby"] = f"{attrs.get('aria-describedby', '')} {aid_id}".strip()
        attrs["data-plain-language"] = aid_id
        textarea = super().render(name, value, attrs, renderer)
        # The project's templates, which the form renderer does not look in.
        aid = render_to_string(
            "admin/includes/plain_language.html",
            {
                "aid_id": aid_id,
                "readability": readability(self.format_value(value) or ""),
                "long_sentence_words": LONG_SENTENCE_WORDS,
                "hard_word_letters": HARD_WORD_LETTERS,
                "bands_json": json.dumps([[limit, str(label)] for limit, label in BANDS]),
            },
        )
        return textarea + aid
