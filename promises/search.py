"""Search over what residents may see: promises, focus areas, commitments, and whatever
other apps register.

Each kind of hit comes from a SearchSource. An app adds its own with `register()` in its
`search.py`, which the promises app imports at start-up (as opendata does with `datasets.py`);
for example the summaries of published follow-up rounds:

    from promises.search import SearchSource, register

    register(SearchSource(
        kind="followup",
        label=_("follow-up"),
        queryset=FollowUpRound.objects.published,
        promise="promise",
        fields={"summary": "B"},
        body="summary",
        url=lambda hit: reverse("followup:timeline", kwargs={"slug": hit.promise.slug}),
    ))

A filter of its own, such as a commitment's follow-up status, is a form field and a `narrow`
function that the search applies to the rows of every source when the field has a value:

    register_filter(
        "status",
        lambda: forms.ChoiceField(label=_("Follow-up status"), choices=..., required=False),
        narrow=lambda source, rows, status: rows.filter(...),
    )

On PostgreSQL the search is full-text with the Swedish configuration (stemming, so "trafiken"
finds "trafik") and ranked. Everywhere, a row also matches when every word occurs in one of its
fields (on SQLite, the only way; it folds the case of ASCII letters only), ranked by the weights
of the fields that hold the whole text.
"""

import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce

from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, models
from django.db.models import Case, F, FloatField, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from .models import Commitment, FocusArea, Promise

# More words than this add nothing but work.
MAX_WORDS = 12
# PostgreSQL's default weights of the labels A–D, reused by the fallback's ranking.
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}


@dataclass(frozen=True)
class SearchSource:
    kind: str
    label: str
    # The rows residents may see; the search keeps those of the promises its filters allow.
    queryset: Callable[[], models.QuerySet]
    # The lookup from a row to its promise ("pk" for the promises themselves).
    promise: str
    # Searched fields and their weight, "A" (most important) to "D".
    fields: dict[str, str]
    title: str = ""
    body: str = ""
    # The hit's id on its promise's page, "<anchor>-<pk>"; or a url function of its own.
    anchor: str = ""
    url: Callable[["Hit"], str] | None = None

    def rows(self, text, promises, criteria):
        rows = self.queryset().filter(**{f"{self.promise}__in": promises})
        for search_filter in FILTERS.values():
            if value := criteria.get(search_filter.name):
                rows = search_filter.narrow(self, rows, value)
        if not text:
            rank = Value(0.0, output_field=FloatField())
        elif connection.vendor == "postgresql":
            rows, rank = self._full_text(rows, text)
        else:
            rows, rank = self._contains(rows, text)
        prefix = "" if self.promise == "pk" else f"{self.promise}__"
        return (
            rows.order_by()
            .annotate(
                hit_kind=Value(self.kind, output_field=models.CharField()),
                hit_pk=F("pk"),
                hit_promise=F(self.promise),
                hit_title=_text_column(self.title),
                hit_body=_text_column(self.body),
                hit_rank=rank,
                hit_start=F(f"{prefix}valid_from"),
                hit_order=Value(list(SOURCES).index(self.kind), output_field=IntegerField()),
            )
            .values(*COLUMNS)
        )

    def _full_text(self, rows, text):
        vector = reduce(
            operator.add,
            (SearchVector(field, weight=w, config="swedish") for field, w in self.fields.items()),
        )
        query = SearchQuery(text, config="swedish", search_type="websearch")
        # Stemming does not split Swedish compounds, so the plain match is kept as well:
        # "trafik" then still finds "Trafiksäkerhet".
        every_word, contains_rank = self._contains_terms(text)
        rows = rows.annotate(search_document=vector).filter(Q(search_document=query) | every_word)
        return rows, SearchRank(vector, query) + contains_rank

    def _contains(self, rows, text):
        every_word, rank = self._contains_terms(text)
        return rows.filter(every_word), rank

    def _contains_terms(self, text):
        """Every word in one of the fields; ranked by the weights of the fields holding the
        whole text."""
        every_word = reduce(
            operator.and_,
            (
                reduce(operator.or_, (Q(**{f"{field}__icontains": word}) for field in self.fields))
                for word in text.split()[:MAX_WORDS]
            ),
        )
        rank = reduce(
            operator.add,
            (
                Case(
                    When(**{f"{field}__icontains": text}, then=Value(WEIGHTS[w])),
                    default=Value(0.0),
                    output_field=FloatField(),
                )
                for field, w in self.fields.items()
            ),
        )
        return every_word, rank


COLUMNS = [
    "hit_kind",
    "hit_pk",
    "hit_promise",
    "hit_title",
    "hit_body",
    "hit_rank",
    "hit_start",
    "hit_order",
]


def _text_column(field):
    if not field:
        return Value("", output_field=models.TextField())
    return Coalesce(F(field), Value(""), output_field=models.TextField())


@dataclass
class Hit:
    source: SearchSource
    pk: int
    promise: Promise
    title: str
    body: str
    rank: float

    def get_absolute_url(self):
        if self.source.url:
            return self.source.url(self)
        url = self.promise.get_absolute_url()
        return f"{url}#{self.source.anchor}-{self.pk}" if self.source.anchor else url


@dataclass(frozen=True)
class SearchFilter:
    """An extra filter of the search form, which every source's rows pass through."""

    name: str
    # Makes its form field, which must be optional.
    make_field: Callable[[], forms.Field]
    # (source, rows, value) -> the rows the value allows; called only when there is a value.
    narrow: Callable[[SearchSource, models.QuerySet, object], models.QuerySet]


SOURCES: dict[str, SearchSource] = {}
FILTERS: dict[str, SearchFilter] = {}


def register(source):
    if source.kind in SOURCES:
        raise ValueError(f"A search source called {source.kind!r} is already registered.")
    SOURCES[source.kind] = source
    return source


def register_filter(name, make_field, narrow):
    if name in FILTERS:
        raise ValueError(f"A search filter called {name!r} is already registered.")
    FILTERS[name] = SearchFilter(name, make_field, narrow)
    return FILTERS[name]


register(
    SearchSource(
        kind="promise",
        label=_("citizen promise"),
        queryset=Promise.objects.all,
        promise="pk",
        fields={"title": "A", "summary": "B", "goal": "B", "background": "C", "how_to_follow": "D"},
        title="title",
        body="summary",
    )
)
register(
    SearchSource(
        kind="focus_area",
        label=_("focus area"),
        queryset=FocusArea.objects.all,
        promise="promise",
        fields={"title": "A", "description": "B"},
        title="title",
        body="description",
        anchor="focus-area",
    )
)
register(
    SearchSource(
        kind="commitment",
        label=_("commitment"),
        queryset=Commitment.objects.all,
        promise="promise",
        fields={"text": "B"},
        body="text",
        anchor="commitment",
    )
)


def search(text, promises, criteria=None):
    """Hit rows of every source, best first; with no text, the promises themselves.

    `promises` is a QuerySet of the published promises the filters allow; the rows are plain
    dicts, cheap to count and slice, and hits() turns one page of them into Hit objects.
    """
    text = (text or "").strip()
    sources = SOURCES.values() if text else [SOURCES["promise"]]
    parts = [source.rows(text, promises, criteria or {}) for source in sources]
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return rows.order_by("-hit_rank", "-hit_start", "hit_order", "hit_pk")


def hits(rows):
    """Hit objects for a page of rows, with their promises and parties in two queries."""
    rows = list(rows)
    promises = Promise.objects.with_parties().in_bulk({row["hit_promise"] for row in rows})
    return [
        Hit(
            source=SOURCES[row["hit_kind"]],
            pk=row["hit_pk"],
            promise=promises[row["hit_promise"]],
            title=row["hit_title"],
            body=row["hit_body"],
            rank=row["hit_rank"],
        )
        for row in rows
    ]
