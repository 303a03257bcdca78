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
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, reduce

from django import forms
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.core.exceptions import EmptyResultSet
from django.db import connection, models, transaction
from django.db.models import Case, F, FloatField, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .fulltext import CONFIG
from .models import Commitment, FocusArea, Promise, SearchEntry

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
    # The rows' stored search vector of their fields (promises.fulltext), if they have one:
    # then the rows of published promises are copied into SearchEntry (see store_entries()).
    vector: str = ""
    # Where `queryset` depends on the time (a row residents see from the moment it was
    # published): the rows whatever the time, for the stored entries, and the field of that
    # moment, which the search compares with the time it searches at.
    published_rows: Callable[[], models.QuerySet] | None = None
    published_at: str = ""

    def __post_init__(self):
        if self.vector and not self.fields:
            document = self.queryset().model._meta.get_field(self.vector).expression
            object.__setattr__(self, "fields", document.fields)

    @property
    def stored(self):
        return bool(self.vector)

    @cached_property  # asked on every write (entries_follow_write)
    def model(self):
        return self.queryset().model

    def rows_to_store(self):
        """The rows whose entries are stored, of promises whatever their status."""
        return (self.published_rows or self.queryset)()

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
# The rows of a page on PostgreSQL: and the id of their entry, if they have one.
PAGE_COLUMNS = [*COLUMNS, "hit_entry"]


def _text_column(field):
    if not field:
        return Value("", output_field=models.TextField())
    return Coalesce(F(field), Value(""), output_field=models.TextField())


# What a hit reads of its promise: its title, address and period, and whether it is current.
HIT_PROMISE_FIELDS = ["title", "slug", "valid_from", "valid_until", "status", "published_at"]


@dataclass
class Hit:
    source: SearchSource
    pk: int
    # With HIT_PROMISE_FIELDS only.
    promise: Promise
    # The names of the promise's parties, municipalities first.
    parties: list[str]
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


def search(text, promises=None, criteria=None):
    """The hits of every source, best first; with no text, the promises themselves.

    `promises` is a QuerySet of the published promises the filters allow, or None for every
    published promise.
    """
    text = (text or "").strip()
    if connection.vendor == "postgresql" and text and not WORD.search(text):
        promises = Promise.objects.none()  # no word to look for
    return Results(text, promises, criteria or {})


class Results:
    """The hits of a search: counted by their ids alone, and a slice of them (a page) turned
    into Hit objects in a few queries whatever its length.

    On PostgreSQL a search for words reads the stored entries (SearchEntry) of the sources
    with a stored vector, and only the sources without one row by row; it fetches the page
    with the number of all hits beside it (counted from the same matches), so that when the
    view says which page it will show (`expect_page()`), counting them is that one query."""

    def __init__(self, text, promises, criteria):
        self.text = text
        self.sources = list(SOURCES.values()) if text else [SOURCES["promise"]]
        # Whether the filters narrow the promises: else the stored entries need no join.
        self.narrowed = promises is not None
        self.promises = Promise.objects.published() if promises is None else promises
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

    @property
    def _full_text(self):
        return bool(self.text) and connection.vendor == "postgresql"

    def count(self):
        if self._full_text:
            offset, size = self._expected or (0, 1)
            rows = self._page(offset, size)
            if self._expected:
                # Nothing found is a page too: the paginator's slice of it is not asked again.
                self._fetched = (offset, rows)
            if rows:
                return rows[0]["hit_total"]
            # The page is past the end, or there is nothing: count, and the paginator picks
            # another page.
            rows = self._page(0, 1) if offset else []
            return rows[0]["hit_total"] if rows else 0
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
        if self._full_text:
            return self.hits(self._page(page.start, page.stop - page.start))
        return self.hits(self.rows()[page])

    def _page(self, offset, size):
        """On PostgreSQL: the `size` hit rows from `offset`, each with the headline of its body
        and the number of all hits (hit_total), in one query. The matches are ranked and
        counted without their texts, which only the page's rows read (from their entries,
        or as the sources without one gave them), and only those pay for ts_headline. The
        matches are kept once (MATERIALIZED) for the count and the page: cheaper than a
        window count over them, which sorts after counting."""
        try:
            parts = [_sql(self._stored_rows())]
            if live := [s for s in self.sources if not s.stored]:
                parts.append(self._live_rows(live))
        except EmptyResultSet:  # a query Django knows to find nothing, as for no promises
            return []
        columns = ", ".join(PAGE_COLUMNS)
        hits_sql = " UNION ALL ".join(f"SELECT {columns} FROM ({sql}) AS part" for sql, _ in parts)
        query_sql, query_params = _sql(full_text_query(self.text))
        entries = connection.ops.quote_name(SearchEntry._meta.db_table)
        sql = (
            f"WITH hits AS MATERIALIZED ({hits_sql})"
            " SELECT page.hit_kind, page.hit_pk, page.hit_promise, page.hit_rank, page.hit_start,"
            " page.hit_order, page.hit_total, COALESCE(entry.title, page.hit_title) AS hit_title,"
            " COALESCE(entry.body, page.hit_body) AS hit_body,"
            " ts_headline(%s::regconfig, COALESCE(entry.body, page.hit_body),"
            f" {query_sql}, %s) AS hit_headline"
            " FROM (SELECT hits.*, (SELECT count(*) FROM hits) AS hit_total"
            f" FROM hits ORDER BY {ORDER} LIMIT %s OFFSET %s) AS page"
            f" LEFT JOIN {entries} AS entry ON entry.id = page.hit_entry ORDER BY {ORDER}"
        )
        options = f'StartSel="{START_MARK}", StopSel="{STOP_MARK}"'
        params = [param for _sql_text, part_params in parts for param in part_params]
        params += [CONFIG, *query_params, options, size, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            names = [column.name for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _stored_rows(self):
        """The hit rows (COLUMNS) of the stored entries that match: one GIN index, and the
        promises the filters allow only when they narrow them."""
        sources = [s for s in self.sources if s.stored]
        query = full_text_query(self.text)
        entries = SearchEntry.objects.filter(
            kind__in=[s.kind for s in sources],
            visible_from__lte=timezone.now(),
            search_vector=query,
        )
        if self.narrowed:
            entries = entries.filter(promise__in=self.promises.order_by().values("pk"))
        matches = entries
        for search_filter in FILTERS.values():
            if value := self.criteria.get(search_filter.name):
                # Asked of the rows that match only, rather than of every row of a source.
                entries = entries.filter(
                    reduce(
                        operator.or_,
                        (
                            Q(
                                kind=s.kind,
                                object_pk__in=search_filter.narrow(
                                    s,
                                    s.queryset()
                                    .order_by()
                                    .filter(pk__in=matches.filter(kind=s.kind).values("object_pk")),
                                    value,
                                ).values("pk"),
                            )
                            for s in sources
                        ),
                    )
                )
        order = Case(
            *(When(kind=s.kind, then=Value(list(SOURCES).index(s.kind))) for s in sources),
            output_field=IntegerField(),
        )
        columns = {
            "hit_kind": F("kind"),
            "hit_pk": F("object_pk"),
            "hit_promise": F("promise_id"),
            # The texts are read from the entry once the page is known (_page()).
            "hit_title": Value("", output_field=models.TextField()),
            "hit_body": Value("", output_field=models.TextField()),
            "hit_rank": SearchRank(F("search_vector"), query),
            "hit_start": F("promise_start"),
            "hit_order": order,
            "hit_entry": F("pk"),
        }
        return entries.order_by().annotate(**columns).values(*columns)

    def _live_rows(self, sources):
        """The SQL and parameters of the hit rows of sources without a stored vector: each
        source's rows matched alone, then joined to the promises the filters allow once."""
        parts = [s.rows(self.text, None, self.criteria) for s in sources]
        promises = self.promises.order_by().values(
            promise_pk=F("pk"), promise_start=F("valid_from")
        )
        hits_sql, hits_params = _sql(self._union(parts).order_by())
        promises_sql, promises_params = _sql(promises.distinct())
        sql = (
            "SELECT hits.*, promises.promise_start AS hit_start, NULL::bigint AS hit_entry"
            f" FROM ({hits_sql}) AS hits"
            f" JOIN ({promises_sql}) AS promises ON promises.promise_pk = hits.hit_promise"
        )
        return sql, [*hits_params, *promises_params]

    def hits(self, rows):
        """Hit objects for a page of rows, with their promises and parties' names in two
        queries."""
        rows = list(rows)
        pks = {row["hit_promise"] for row in rows}
        # Published still: a row of an entry written as its promise was archived (or deleted)
        # in between is left out, as is one whose promise went since the page was read.
        promises = Promise.objects.published().only(*HIT_PROMISE_FIELDS).in_bulk(pks)
        parties = defaultdict(list)
        names = (
            Promise.parties.through.objects.filter(promise__in=pks)
            .order_by("party__kind", "party__name")
            .values_list("promise_id", "party__name")
        )
        for promise_pk, name in names:
            parties[promise_pk].append(name)
        return [
            Hit(
                source=SOURCES[row["hit_kind"]],
                pk=row["hit_pk"],
                promise=promises[row["hit_promise"]],
                parties=parties[row["hit_promise"]],
                title=row["hit_title"],
                body=row["hit_body"],
                rank=row["hit_rank"],
                headline=_marked(row.get("hit_headline", "")),
            )
            for row in rows
            if row["hit_promise"] in promises
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


# The stored entries. Each write of a source's row, or of a promise, rewrites the entries it
# changes in its own transaction: they are committed (or rolled back) with it, and a search
# never sees a published text without its entry, nor an entry of what is no longer public.


def store_entries(promises=None):
    """Write the entries of the stored sources' rows of `promises` (their pks; every promise
    if None) afresh, as the sources give them now; return how many there are."""
    entries = SearchEntry.objects.all()
    if promises is not None:
        entries = entries.filter(promise__in=promises)
    with transaction.atomic():
        _delete(entries)
        count = sum(
            _insert(
                source,
                source.rows_to_store()
                if promises is None
                else source.rows_to_store().filter(**{f"{source.promise}__in": promises}),
            )
            for source in SOURCES.values()
            if source.stored
        )
        if promises is None and connection.vendor == "postgresql":
            # Planner statistics for the table written afresh, rather than once autovacuum
            # gets to it.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(SearchEntry._meta.db_table)}")
        return count


def store_rows(source, pks):
    """Write the entries of the rows `pks` of `source` afresh."""
    with transaction.atomic():
        rows = source.rows_to_store().filter(pk__in=pks)
        # Their promises locked until the commit, as an update of them locks them: a promise
        # archived meanwhile is archived either before (and no entry is written here) or after
        # (and its archiving deletes the entry written here), never in between.
        promises = Promise.objects.select_for_update(no_key=True).filter(
            pk__in=rows.values(source.promise)
        )
        list(promises.values_list("pk", flat=True))
        _delete(SearchEntry.objects.filter(kind=source.kind, object_pk__in=pks))
        _insert(source, rows)


def entries_follow_write(sender, instance, **kwargs):
    """A post_save or post_delete receiver: a write to a promise rewrites all its entries (its
    status, publication and start are in every one), a write to a stored source's row, that
    row's. A deleted promise's entries go with it (a cascade in the database)."""
    if sender is Promise:
        if "created" in kwargs:  # saved, not deleted
            if instance.status == Promise.Status.PUBLISHED:
                store_entries([instance.pk])
            else:
                _delete(SearchEntry.objects.filter(promise=instance.pk))
        return
    for source in SOURCES.values():
        if source.stored and source.model is sender:
            store_rows(source, [instance.pk])


def _delete(entries):
    # A plain DELETE: entries are no model any receiver of post_delete needs to hear of.
    entries._raw_delete(entries.db)


def _insert(source, rows):
    """INSERT … SELECT of the entries of `rows` of published promises; return how many."""
    prefix = "" if source.promise == "pk" else f"{source.promise}__"
    visible_from = F(f"{prefix}published_at")
    if source.published_at:
        visible_from = Greatest(visible_from, F(source.published_at))
    columns = {
        "kind": Value(source.kind, output_field=models.CharField()),
        "object_pk": F("pk"),
        "promise_id": F(source.promise),
        "promise_start": F(f"{prefix}valid_from"),
        "visible_from": visible_from,
        "title": _text_column(source.title),
        "body": _text_column(source.body),
        "search_vector": F(source.vector),
    }
    rows = (
        rows.order_by()
        .filter(**{f"{prefix}status": Promise.Status.PUBLISHED})
        .annotate(**{f"entry_{name}": value for name, value in columns.items()})
        .values(*(f"entry_{name}" for name in columns))
    )
    try:
        rows_sql, params = _sql(rows)
    except EmptyResultSet:
        return 0
    quote = connection.ops.quote_name
    # Two transactions that rewrite the same row's entry at once: the second's DELETE did not
    # see the first's new entry, so its INSERT finds it and writes over it instead of failing.
    updated = ", ".join(f"{quote(name)} = excluded.{quote(name)}" for name in columns)
    sql = (
        f"INSERT INTO {quote(SearchEntry._meta.db_table)}"
        f" ({', '.join(quote(name) for name in columns)})"
        f" SELECT {', '.join(quote(f'entry_{name}') for name in columns)} FROM ({rows_sql}) AS rows"
        # SQLite needs a WHERE to tell the SELECT's end from ON CONFLICT's start.
        f" WHERE true ON CONFLICT ({quote('kind')}, {quote('object_pk')}) DO UPDATE SET {updated}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
