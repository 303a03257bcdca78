"""The stored Swedish search vector of a searched model, and its index.

A model declares `search_vector = search_vector_field({"title": "A", "summary": "B"})` and
`indexes = [SearchVectorIndex(fields=["search_vector"], name=...)]`; promises.search then matches
and ranks its rows by the vector through the index instead of analysing every row's text per
query. The database keeps the vector up to date on every insert and update, bulk ones included.

Only PostgreSQL has full-text search: on any other database the column exists but stays NULL
(and its index is an ordinary one, never used), so the same migrations run on SQLite, where the
search matches words in the fields instead.
"""

import operator
from functools import reduce

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models

CONFIG = "swedish"


class WeightedDocument(models.Func):
    """The Swedish text-search document of a row's fields, each with its weight "A" to "D"."""

    output_field = SearchVectorField()

    def __init__(self, fields):
        self.fields = fields
        super().__init__(
            reduce(
                operator.add,
                (SearchVector(field, weight=w, config=CONFIG) for field, w in fields.items()),
            )
        )

    def as_sql(self, compiler, connection, **extra_context):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])


def search_vector_field(fields):
    """A column the database computes from `fields` ({name: weight}) on every write."""
    return models.GeneratedField(
        expression=WeightedDocument(fields),
        output_field=SearchVectorField(null=True),
        db_persist=True,
    )


class SearchVectorIndex(GinIndex):
    """A GIN index on PostgreSQL; elsewhere an ordinary index, as GIN is PostgreSQL's own."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        return models.Index.create_sql(self, model, schema_editor, **kwargs)
