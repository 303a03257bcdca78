"""Open data: published promises, their focus areas and commitments (see opendata.registry)."""

from collections import defaultdict, namedtuple
from itertools import batched

from django.db.models import Exists, Max, Min, OuterRef
from django.utils.translation import gettext_lazy as _

from opendata.registry import Column, ColumnType, Dataset, register, register_areas

from .models import Commitment, FocusArea, Party, Promise


def published_promises(municipality=None):
    """The promises an open-data download covers: published ones, of one municipality or all."""
    promises = Promise.objects.published()
    if municipality is not None:
        promises = promises.filter(parties=municipality)
    return promises


def _parties_by_owner(through, owner_field, owners):
    """{owner id: [party, …]} for an M2M to Party, in one query whatever the number of rows."""
    parties = defaultdict(list)
    rows = (
        through.objects.filter(**{f"{owner_field}__in": owners})
        .select_related("party")
        .order_by("party__kind", "party__name")
    )
    for row in rows:
        parties[getattr(row, f"{owner_field}_id")].append(row.party)
    return parties


def _names(parties, kind):
    return [party.name for party in parties if party.kind == kind]


def municipalities_with_promises():
    """The municipalities a download can be narrowed to: those with a published promise."""
    return Party.objects.municipalities().filter(
        Exists(Promise.objects.published().filter(parties=OuterRef("pk")))
    )


def published_period():
    """The first and last day of the published promises' periods, for the data catalogue."""
    span = Promise.objects.published().aggregate(start=Min("valid_from"), end=Max("valid_until"))
    return (span["start"], span["end"]) if span["start"] else None


PROMISE_ID = Column("promise_id", ColumnType.INTEGER, _("The promise's identifier."))
PROMISE_SLUG = Column(
    "promise_slug", ColumnType.TEXT, _("The promise's short name, as in its web address.")
)


def promise_rows(request, municipality):
    promises = published_promises(municipality)
    parties = _parties_by_owner(Promise.parties.through, "promise", promises.values("pk"))
    for promise in promises.select_related("agreement").order_by("pk").iterator():
        promise_parties = parties[promise.pk]
        yield {
            "promise_id": promise.pk,
            "promise_slug": promise.slug,
            "title": promise.title,
            "url": request.build_absolute_uri(promise.get_absolute_url()),
            "municipalities": _names(promise_parties, Party.Kind.MUNICIPALITY),
            "municipality_codes": [
                p.municipality_code for p in promise_parties if p.kind == Party.Kind.MUNICIPALITY
            ],
            "police_areas": _names(promise_parties, Party.Kind.POLICE_AREA),
            "partners": _names(promise_parties, Party.Kind.PARTNER),
            "valid_from": promise.valid_from,
            "valid_until": promise.valid_until,
            "summary": promise.summary,
            "goal": promise.goal,
            "background": promise.background,
            "how_to_follow": promise.how_to_follow,
            "agreement": promise.agreement.title if promise.agreement else "",
            "published_at": promise.published_at,
            "updated_at": promise.updated_at,
        }


def focus_area_rows(request, municipality):
    areas = (
        FocusArea.objects.filter(promise__in=published_promises(municipality))
        .select_related("promise")
        .order_by("promise_id", "order", "pk")
    )
    # Every tag of these focus areas in one query: a few per focus area, small beside them.
    themes = defaultdict(list)
    for area_pk, slug in (
        FocusArea.themes.through.objects.filter(focusarea__in=areas.values("pk"))
        .order_by("theme__order", "theme__slug")
        .values_list("focusarea_id", "theme__slug")
    ):
        themes[area_pk].append(slug)
    for area in areas.iterator():
        yield {
            "focus_area_id": area.pk,
            "promise_id": area.promise_id,
            "promise_slug": area.promise.slug,
            "order": area.order,
            "title": area.title,
            "description": area.description,
            "themes": themes[area.pk],
        }


Owner = namedtuple("Owner", ["name", "kind"])
# Commitments whose owners are read in one query: the whole country's would fill memory.
COMMITMENTS_PER_CHUNK = 1000


def _owners_by_commitment(commitment_ids):
    """{commitment id: [owner, …]} for these commitments, as (name, kind) pairs."""
    owners = defaultdict(list)
    rows = (
        Commitment.owners.through.objects.filter(commitment_id__in=commitment_ids)
        .order_by("party__kind", "party__name")
        .values_list("commitment_id", "party__name", "party__kind")
    )
    for commitment_id, name, kind in rows:
        owners[commitment_id].append(Owner(name, kind))
    return owners


def commitment_rows(request, municipality):
    commitments = (
        Commitment.objects.filter(promise__in=published_promises(municipality))
        .order_by("promise_id", "order", "pk")
        .values_list(
            "pk",
            "promise_id",
            "promise__slug",
            "focus_area_id",
            "focus_area__title",
            "order",
            "text",
        )
    )
    chunks = batched(commitments.iterator(chunk_size=COMMITMENTS_PER_CHUNK), COMMITMENTS_PER_CHUNK)
    for chunk in chunks:
        owners = _owners_by_commitment([row[0] for row in chunk])
        for pk, promise_id, slug, focus_area_id, focus_area, order, text in chunk:
            commitment_owners = owners[pk]
            yield {
                "commitment_id": pk,
                "promise_id": promise_id,
                "promise_slug": slug,
                "focus_area_id": focus_area_id,
                "focus_area": focus_area or "",
                "owner_group": Commitment.group_of_owners(commitment_owners).value,
                "owners": [owner.name for owner in commitment_owners],
                "order": order,
                "text": text,
            }


register_areas(municipalities_with_promises)

register(
    Dataset(
        slug="promises",
        title=_("Citizen promises"),
        description=_("One row per published promise: parties, period, goal and background."),
        columns=(
            PROMISE_ID,
            PROMISE_SLUG,
            Column("title", ColumnType.TEXT, _("The promise's title.")),
            Column("url", ColumnType.URL, _("The promise's page on this site.")),
            Column("municipalities", ColumnType.LIST, _("The municipalities that made it.")),
            Column(
                "municipality_codes",
                ColumnType.LIST,
                _("Their four-digit municipality codes from Statistics Sweden (SCB)."),
            ),
            Column("police_areas", ColumnType.LIST, _("The local police areas that made it.")),
            Column("partners", ColumnType.LIST, _("Other organisations that take part.")),
            Column("valid_from", ColumnType.DATE, _("First day of the promise's period.")),
            Column("valid_until", ColumnType.DATE, _("Last day of the promise's period.")),
            Column("summary", ColumnType.TEXT, _("A summary in one or two sentences.")),
            Column("goal", ColumnType.TEXT, _("The promise's overall goal.")),
            Column("background", ColumnType.TEXT, _("The situation that motivated the promise.")),
            Column("how_to_follow", ColumnType.TEXT, _("How residents can follow the work.")),
            Column(
                "agreement",
                ColumnType.TEXT,
                _("The cooperation agreement the promise is made under; empty if none."),
            ),
            Column("published_at", ColumnType.DATETIME, _("When the promise was published.")),
            Column("updated_at", ColumnType.DATETIME, _("When the promise was last changed.")),
        ),
        rows=promise_rows,
        period=published_period,
    )
)

register(
    Dataset(
        slug="focus-areas",
        title=_("Focus areas"),
        description=_("One row per focus area of a published promise."),
        columns=(
            Column("focus_area_id", ColumnType.INTEGER, _("The focus area's identifier.")),
            PROMISE_ID,
            PROMISE_SLUG,
            Column("order", ColumnType.INTEGER, _("Its position within the promise.")),
            Column("title", ColumnType.TEXT, _("The focus area's title.")),
            Column("description", ColumnType.TEXT, _("What the focus area is about.")),
            Column(
                "themes",
                ColumnType.LIST,
                _("The national themes it is tagged with, by their identifiers (slugs)."),
            ),
        ),
        rows=focus_area_rows,
        period=published_period,
    )
)

register(
    Dataset(
        slug="commitments",
        title=_("Commitments"),
        description=_("One row per commitment of a published promise, with who carries it out."),
        columns=(
            Column("commitment_id", ColumnType.INTEGER, _("The commitment's identifier.")),
            PROMISE_ID,
            PROMISE_SLUG,
            Column(
                "focus_area_id",
                ColumnType.INTEGER,
                _("The focus area it belongs to; empty if it has none."),
            ),
            Column("focus_area", ColumnType.TEXT, _("That focus area's title.")),
            Column(
                "owner_group",
                ColumnType.TEXT,
                _("“police”, “municipality” or “joint”: who carries it out."),
            ),
            Column("owners", ColumnType.LIST, _("The parties that carry it out.")),
            Column("order", ColumnType.INTEGER, _("Its position within the promise.")),
            Column("text", ColumnType.TEXT, _("What will be done.")),
        ),
        rows=commitment_rows,
        period=published_period,
    )
)
