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
        vector="search_vector",  # or fields={"summary": "B"} without a stored vector
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

On PostgreSQL the search is full-text with the Swedish configuration: every word, stemmed, is
the start of a word of the row ("trafiken" finds "trafik" and, as stemming does not split Swedish
compounds, "trafik" finds "Trafiksäkerhet"), ranked by the fields' weights, and the words found
are marked in the hit's text. A source with a stored search vector (`vector`, see
promises.fulltext) is matched and ranked through its index; without one, its fields are analysed
row by row. On SQLite a row matches when every word occurs in one of its fields (folding the
case of ASCII letters only), ranked by the weights of the fields that hold the whole text.
"""

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce

from django import forms
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import Case, F, FloatField, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .fulltext import CONFIG
from .models import Commitment, FocusArea, Promise

# More words than this add nothing but work.
MAX_WORDS = 12
# PostgreSQL's default weights of the labels A–D, reused by the fallback's ranking.
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}
# Letters and digits: what may stand in a text-search query as a word.
WORD = re.compile(r"[^\W_]+")
# Where ts_headline starts and stops marking a word found: characters no text holds, replaced
# by <mark> once the text around them is escaped.
START_MARK, STOP_MARK = "\x02", "\x03"


@dataclass(frozen=True)
class SearchSource:
    kind: str
    label: str
    # The rows residents may see; the search keeps those of the promises its filters allow.
    queryset: Callable[[], models.QuerySet]
    # The lookup from a row to its promise ("pk" for the promises themselves).
    promise: str
    # Searched fields and their weight, "A" (most important) to "D"; by default those of the
    # stored search vector.
    fields: dict[str, str] = field(default_factory=dict)
    title: str = ""
    body: str = ""
    # The hit's id on its promise's page, "<anchor>-<pk>"; or a url function of its own.
    anchor: str = ""
    url: Callable[["Hit"], str] | None = None
    # The rows' stored search vector of their fields (promises.fulltext), if they have one.
    vector: str = ""

    def __post_init__(self):
        if self.vector and not self.fields:
            document = self.queryset().model._meta.get_field(self.vector).expression
            object.__setattr__(self, "fields", document.fields)

    def matches(self, text, promises, criteria):
        """The rows that match, in no order; of `promises`, unless None (the caller joins
        them)."""
        rows = self.queryset().order_by()
        if promises is not None:
            rows = rows.filter(**{f"{self.promise}__in": promises})
        for search_filter in FILTERS.values():
            if value := criteria.get(search_filter.name):
                rows = search_filter.narrow(self, rows, value)
        if not text:
            return rows
        if connection.vendor == "postgresql":
            return rows.alias(search_document=self._document()).filter(
                search_document=full_text_query(text)
            )
        return rows.filter(self._every_word(text))

    def rows(self, text, promises, criteria):
        """The hit rows (COLUMNS); with `promises` None, without hit_start, which is the
        start of the row's promise (see matches())."""
        rows = self.matches(text, promises, criteria)
        if not text:
            rank = Value(0.0, output_field=FloatField())
        elif connection.vendor == "postgresql":
            rank = SearchRank(F("search_document"), full_text_query(text))
        else:
            rank = self._contains_rank(text)
        prefix = "" if self.promise == "pk" else f"{self.promise}__"
        columns = {
            "hit_kind": Value(self.kind, output_field=models.CharField()),
            "hit_pk": F("pk"),
            "hit_promise": F(self.promise),
            "hit_title": _text_column(self.title),
            "hit_body": _text_column(self.body),
            "hit_rank": rank,
            "hit_start": F(f"{prefix}valid_from"),
            "hit_order": Value(list(SOURCES).index(self.kind), output_field=IntegerField()),
        }
        if promises is None:
            del columns["hit_start"]
        return rows.annotate(**columns).values(*columns)

    def _document(self):
        if self.vector:
            return F(self.vector)
        return reduce(
            operator.add,
            (SearchVector(name, weight=w, config=CONFIG) for name, w in self.fields.items()),
        )

    def _every_word(self, text):
        return reduce(
            operator.and_,
            (
                reduce(operator.or_, (Q(**{f"{name}__icontains": word}) for name in self.fields))
                for word in text.split()[:MAX_WORDS]
            ),
        )

    def _contains_rank(self, text):
        """The weights of the fields that hold the whole text."""
        return reduce(
            operator.add,
            (
                Case(
                    When(**{f"{name}__icontains": text}, then=Value(WEIGHTS[w])),
                    default=Value(0.0),
                    output_field=FloatField(),
                )
                for name, w in self.fields.items()
            ),
        )


def full_text_query(text):
    """Every word of the text, stemmed, as the start of a word."""
    words = WORD.findall(text)[:MAX_WORDS]
    return SearchQuery(" & ".join(f"{word}:*" for word in words), config=CONFIG, search_type="raw")


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
    # The body around the words found, which are marked; empty where the database cannot.
    headline: str = ""

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
        vector="search_vector",
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
        vector="search_vector",
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
        vector="search_vector",
        body="text",
        anchor="commitment",
    )
)


def search(text, promises, criteria=None):
    """The hits of every source, best first; with no text, the promises themselves.

    `promises` is a QuerySet of the published promises the filters allow.
    """
    text = (text or "").strip()
    if connection.vendor == "postgresql" and text and not WORD.search(text):
        promises = promises.none()  # no word to look for
    return Results(text, promises, criteria or {})


class Results:
    """The hits of a search: counted by their ids alone, and a slice of them (a page) turned
    into Hit objects in a few queries whatever its length.

    On PostgreSQL, when the view says which page it will show (`expect_page()`), counting
    fetches that page too, with the number of all hits beside it (a window over the same
    matches): one search instead of a count and then the page."""

    def __init__(self, text, promises, criteria):
        self.text = text
        self.sources = list(SOURCES.values()) if text else [SOURCES["promise"]]
        self.promises = promises
        self.criteria = criteria
        self._expected = None  # (offset, size) of the page the view will ask for
        self._fetched = None  # (offset, rows with their headlines) of that page

    def expect_page(self, number, size):
        """The view will show page `number` (as the request gave it) of `size` hits."""
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        self._expected = ((number - 1) * size, size)

    def _union(self, parts):
        return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]

    def count(self):
        if self._expected and self.text and connection.vendor == "postgresql":
            offset, size = self._expected
            rows = self._page(offset, size)
            if rows:  # else the page is past the end: count, and the paginator picks another
                self._fetched = (offset, rows)
                return rows[0]["hit_total"]
        return self._union(
            [s.matches(self.text, self.promises, self.criteria).values("pk") for s in self.sources]
        ).count()

    def rows(self):
        """The hit rows, plain dicts."""
        rows = self._union([s.rows(self.text, self.promises, self.criteria) for s in self.sources])
        return rows.order_by("-hit_rank", "-hit_start", "hit_order", "hit_pk")

    def __getitem__(self, page):
        if self._fetched and self._fetched[0] == page.start:
            return self.hits(self._fetched[1][: page.stop - page.start])
        if self.text and connection.vendor == "postgresql":
            size = page.stop - page.start
            return self.hits(self._page(page.start, size))
        return self.hits(self.rows()[page])

    def _page(self, offset, size):
        """On PostgreSQL: the `size` hit rows from `offset`, each with the headline of its body
        and the number of all hits (hit_total), in one query. Each source's rows are matched
        through its index alone, and joined to the promises the filters allow once, rather
        than each row looking up its promise twice (whether it may be shown, and its start);
        only the page's rows pay for ts_headline."""
        parts = [s.rows(self.text, None, self.criteria) for s in self.sources]
        promises = self.promises.order_by().values(
            promise_pk=F("pk"), promise_start=F("valid_from")
        )
        try:
            hits_sql, hits_params = _sql(self._union(parts).order_by())
            promises_sql, promises_params = _sql(promises.distinct())
        except EmptyResultSet:  # a query Django knows to find nothing, as for no promises
            return []
        query_sql, query_params = _sql(full_text_query(self.text))
        sql = (
            f"SELECT page.*, ts_headline(%s::regconfig, page.hit_body, {query_sql}, %s)"
            " AS hit_headline FROM (SELECT hits.*, promises.promise_start AS hit_start,"
            f" count(*) OVER () AS hit_total FROM ({hits_sql}) AS hits"
            f" JOIN ({promises_sql}) AS promises ON promises.promise_pk = hits.hit_promise"
            f" ORDER BY {ORDER} LIMIT %s OFFSET %s) AS page ORDER BY {ORDER}"
        )
        options = f'StartSel="{START_MARK}", StopSel="{STOP_MARK}"'
        params = [CONFIG, *query_params, options, *hits_params, *promises_params, size, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            columns = [column.name for column in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def hits(self, rows):
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
                headline=_marked(row.get("hit_headline", "")),
            )
            for row in rows
        ]


ORDER = "hit_rank DESC, hit_start DESC, hit_order, hit_pk"


def _sql(query):
    """The SQL and parameters of a QuerySet, or of an expression."""
    if isinstance(query, models.QuerySet):
        return query.query.get_compiler(using=query.db).as_sql()
    compiler = Promise.objects.none().query.get_compiler(using="default")
    return compiler.compile(query.resolve_expression(compiler.query))


def _marked(headline):
    """The headline escaped, with its marks as <mark> elements; empty without one."""
    html = escape(headline).replace(START_MARK, "<mark>").replace(STOP_MARK, "</mark>")
    return mark_safe(html)  # escaped above; the marks are ours
