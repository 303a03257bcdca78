import hashlib
import json
import operator
from collections import defaultdict
from functools import reduce

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .fulltext import SearchVectorIndex, search_vector_field
from .reference_data import COUNTY_NAMES_EN

municipality_code_validator = RegexValidator(
    r"^\d{4}$", _("A municipality code is four digits, for example 1060.")
)
county_code_validator = RegexValidator(r"^\d{2}$", _("A county code is two digits."))


class PoliceRegion(models.TextChoices):
    BERGSLAGEN = "Bergslagen", "Bergslagen"
    MITT = "Mitt", _("Central")
    NORD = "Nord", _("North")
    STOCKHOLM = "Stockholm", "Stockholm"
    SYD = "Syd", _("South")
    VAST = "Väst", _("West")
    OST = "Öst", _("East")


class PartyQuerySet(models.QuerySet):
    def municipalities(self):
        return self.filter(kind=Party.Kind.MUNICIPALITY)

    def police_areas(self):
        return self.filter(kind=Party.Kind.POLICE_AREA)

    def for_user(self, user, role=None):
        """The parties a user acts for (in that role, if given): every party for a superuser,
        else their memberships'."""
        if user.is_superuser:
            return self
        if not user.is_authenticated:
            return self.none()
        memberships = Membership.objects.filter(user=user)
        if role:
            memberships = memberships.filter(role=role)
        return self.filter(pk__in=memberships.values("party"))


class PartyKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("municipality")
    POLICE_AREA = "police_area", _("local police area")
    PARTNER = "partner", _("partner")


class Party(models.Model):
    """A municipality, a local police area (lokalpolisområde) or a partner organisation."""

    Kind = PartyKind

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    website = models.URLField(_("website"), blank=True)
    municipality_code = models.CharField(
        _("municipality code"),
        max_length=4,
        blank=True,
        validators=[municipality_code_validator],
        help_text=_("The four-digit code from Statistics Sweden (SCB); municipalities only."),
    )
    county_code = models.CharField(
        _("county code"), max_length=2, blank=True, validators=[county_code_validator]
    )
    county = models.CharField(_("county"), max_length=100, blank=True)
    police_region = models.CharField(
        _("police region"), max_length=20, choices=PoliceRegion, blank=True
    )
    police_area = models.ForeignKey(
        "self",
        verbose_name=_("local police area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        limit_choices_to={"kind": Kind.POLICE_AREA},
        help_text=_("The local police area that covers this municipality."),
    )

    objects = PartyQuerySet.as_manager()

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PartyKind.values),
                name="party_kind_valid",
            ),
            models.UniqueConstraint(
                fields=["municipality_code"],
                condition=~Q(municipality_code=""),
                name="party_municipality_code_unique",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=PartyKind.MUNICIPALITY, municipality_code__regex=r"^[0-9]{4}$")
                    | (~Q(kind=PartyKind.MUNICIPALITY) & Q(municipality_code=""))
                ),
                name="party_municipality_code_only_and_always_for_municipalities",
            ),
            models.CheckConstraint(
                condition=Q(police_area__isnull=True) | Q(kind=PartyKind.MUNICIPALITY),
                name="party_police_area_only_for_municipalities",
            ),
        ]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        if self.kind == self.Kind.MUNICIPALITY:
            return reverse("promises:municipality_detail", kwargs={"slug": self.slug})
        return ""

    @property
    def county_name(self):
        """The county in the page's language: the register's Swedish name, or its English."""
        if translation.get_language() == "en":
            return COUNTY_NAMES_EN.get(self.county_code, self.county)
        return self.county

    @property
    def short_name(self):
        """The name without the "Lokalpolisområde" every local police area's name starts with,
        for places that already say what the party is."""
        prefix = "Lokalpolisområde "
        if self.kind == self.Kind.POLICE_AREA and self.name.startswith(prefix):
            return self.name.removeprefix(prefix)
        return self.name

    def clean(self):
        errors = {}
        if self.kind == self.Kind.MUNICIPALITY and not self.municipality_code:
            errors["municipality_code"] = _("A municipality needs its municipality code.")
        if self.kind != self.Kind.MUNICIPALITY:
            if self.municipality_code:
                errors["municipality_code"] = _("Only a municipality has a municipality code.")
            if self.police_area_id:
                errors["police_area"] = _("Only a municipality is covered by a police area.")
        if self.police_area_id and self.police_area.kind != self.Kind.POLICE_AREA:
            errors["police_area"] = _("Choose a local police area.")
        if errors:
            raise ValidationError(errors)


class MembershipRole(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinator")
    POLICE = "police", _("police")
    VIEWER = "viewer", _("viewer")


class Membership(models.Model):
    """A user acting for a party, in one role."""

    Role = MembershipRole

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["party__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "party"], name="membership_unique_user_party"),
            models.CheckConstraint(
                condition=Q(role__in=MembershipRole.values),
                name="membership_role_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.party} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.sync_groups(self.user)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.sync_groups(self.user)
        return result

    @classmethod
    def sync_groups(cls, user):
        """Put the user in the group of each role they hold somewhere, and in no other role group.

        The groups (named after the roles, created by a data migration) carry the model
        permissions; which rows a member may touch is decided by promises.permissions.
        """
        held = set(cls.objects.filter(user=user).values_list("role", flat=True))
        groups = Group.objects.filter(name__in=cls.Role.values)
        user.groups.remove(*[group for group in groups if group.name not in held])
        user.groups.add(*[group for group in groups if group.name in held])


class PeriodModel(models.Model):
    """A validity period of whole days; both ends are included."""

    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))

    class Meta:
        abstract = True

    def clean(self):
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The period cannot end before it starts.")})

    def covers(self, other):
        return self.valid_from <= other.valid_from and other.valid_until <= self.valid_until


def period_constraint(name):
    return models.CheckConstraint(condition=Q(valid_until__gte=models.F("valid_from")), name=name)


class PartyScopedQuerySet(models.QuerySet):
    """Rows that belong to parties: a user sees those that involve a party of theirs.

    Like contrib.sites' CurrentSiteManager(field_name), a subclass names the lookups from a row
    to its parties in ``party_lookups``; a row matches through any of them.
    """

    party_lookups: tuple[str, ...] = ()

    def user_parties(self, user):
        """The parties whose rows the user sees; a subclass may narrow them (e.g. by role)."""
        return Party.objects.for_user(user)

    def for_user(self, user):
        if user.is_superuser:
            return self
        if not user.is_authenticated:
            return self.none()
        parties = self.user_parties(user).values("pk")
        involved = reduce(
            operator.or_, (Q(**{f"{lookup}__in": parties}) for lookup in self.party_lookups)
        )
        # A subquery rather than DISTINCT: lookups through many-to-many relations repeat rows,
        # and DISTINCT would not mix with the annotations of the admin's lists.
        return self.filter(pk__in=self.model._base_manager.filter(involved).values("pk"))


class PartiesQuerySet(PartyScopedQuerySet):
    party_lookups = ("parties",)


class AgreementQuerySet(PartiesQuerySet):
    def public(self):
        """Agreements residents may read: those a published promise was made under."""
        return self.filter(pk__in=Promise.objects.published().values("agreement"))


class Agreement(PeriodModel):
    """A cooperation agreement (samverkansöverenskommelse) under which promises are made."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    parties = models.ManyToManyField(Party, verbose_name=_("parties"), related_name="agreements")
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    document = models.FileField(
        _("document (PDF)"),
        upload_to="agreements/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"])],
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["-valid_from", "title"]
        constraints = [period_constraint("agreement_period_ends_after_start")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("promises:agreement_detail", kwargs={"slug": self.slug})

    def get_parties(self):
        return self.parties.all()

    @property
    def is_locked(self):
        """What residents read of a published promise's agreement (its title, period, parties,
        summary and signed document) is signed record: while it has a published promise the
        agreement is not edited; a new agreement is made, and the promises move to it through
        a revision and its sign-off."""
        return self.promises.filter(status=PromiseStatus.PUBLISHED).exists()

    @property
    def is_deletable(self):
        """An agreement promises were made under is on record."""
        return not self.promises.exists()


class PromiseQuerySet(PartiesQuerySet):
    def published(self):
        """The one rule for what residents may see."""
        return self.filter(status=Promise.Status.PUBLISHED, published_at__lte=timezone.now())

    def current(self):
        today = timezone.localdate()
        return self.published().filter(valid_from__lte=today, valid_until__gte=today)

    def earlier(self):
        return self.published().filter(valid_until__lt=timezone.localdate())

    def awaiting_signature_of(self, parties):
        """(promise, [its signing parties among `parties` that have not approved its content as
        it is now]) for every promise in review that waits for one of them."""
        parties = list(parties)
        waiting = []
        for promise in self.filter(status=Promise.Status.IN_REVIEW, parties__in=parties).distinct():
            missing = [party for party in promise.missing_signatures() if party in parties]
            if missing:
                waiting.append((promise, missing))
        return waiting

    def upcoming(self):
        """Published before its period starts, e.g. signed in December for January."""
        return self.published().filter(valid_from__gt=timezone.localdate())

    def editable_by(self, user):
        """Promises the user may change: unpublished ones of parties they coordinate."""
        unlocked = self.filter(status__in=[Promise.Status.DRAFT, Promise.Status.IN_REVIEW])
        if user.is_superuser:
            return unlocked
        coordinated = Party.objects.for_user(user, Membership.Role.COORDINATOR)
        return unlocked.filter(parties__in=coordinated).distinct()

    def with_parties(self):
        return self.prefetch_related(
            models.Prefetch("parties", queryset=Party.objects.order_by("kind", "name"))
        )


class PromiseStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")


class Promise(PeriodModel):
    """A citizen promise (medborgarlöfte) of one or more municipalities and a police area."""

    Status = PromiseStatus

    # The fields residents read; a change to any of them needs new approvals.
    CONTENT_FIELDS = [
        "title",
        "slug",
        "agreement_id",
        "valid_from",
        "valid_until",
        "summary",
        "goal",
        "background",
        "how_to_follow",
        "outcome",
    ]

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("cooperation agreement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="promises",
    )
    parties = models.ManyToManyField(Party, verbose_name=_("parties"), related_name="promises")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("One or two sentences shown in lists.")
    )
    background = models.TextField(
        _("background"), blank=True, help_text=_("The situation today that motivated the promise.")
    )
    goal = models.TextField(_("goal"))
    how_to_follow = models.TextField(_("how residents can follow the work"), blank=True)
    search_vector = search_vector_field(
        {"title": "A", "summary": "B", "goal": "B", "background": "C", "how_to_follow": "D"}
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted for review"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(
        _("first submitted for review"), null=True, blank=True, editable=False
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    revision_of = models.ForeignKey(
        "self",
        verbose_name=_("revision of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="revisions",
        help_text=_(
            "A revision is a draft copy of a published promise; publishing it replaces the "
            "published content at the same address."
        ),
    )
    change_note = models.TextField(
        _("what changed, for residents"),
        blank=True,
        help_text=_(
            "A sentence or two on what changed and why, shown in the public change log when a "
            "revision is published."
        ),
    )
    outcome = models.TextField(
        _("outcome, for residents"),
        blank=True,
        help_text=_(
            "The closing assessment, once the period has ended: what came of the promise, in "
            "plain words. Written in a revision and co-signed like one."
        ),
    )
    continues = models.ForeignKey(
        "self",
        verbose_name=_("continues"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="continued_in",
        help_text=_("The earlier promise whose unfinished work this one carries on."),
    )
    return_comment = models.TextField(
        _("why it was returned to draft"),
        blank=True,
        editable=False,
        help_text=_("Written by whoever sent it back; shown to its coordinators, not residents."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[parties], excluded_fields=["search_vector"])
    objects = PromiseQuerySet.as_manager()

    class Meta:
        verbose_name = _("citizen promise")
        verbose_name_plural = _("citizen promises")
        ordering = ["-valid_from", "title"]
        constraints = [
            period_constraint("promise_period_ends_after_start"),
            models.CheckConstraint(
                condition=Q(status__in=PromiseStatus.values),
                name="promise_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=PromiseStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="promise_published_has_date",
            ),
            # A revision is a working copy: it is never public itself, and a promise has one
            # revision under way at a time.
            models.CheckConstraint(
                condition=Q(revision_of__isnull=True)
                | Q(status__in=[PromiseStatus.DRAFT, PromiseStatus.IN_REVIEW]),
                name="promise_revision_never_public",
            ),
            models.UniqueConstraint(
                fields=["revision_of"],
                condition=Q(revision_of__isnull=False),
                name="promise_one_revision_at_a_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "valid_from", "valid_until"]),
            # published(): counted, and a subquery of nearly every public list (the API's
            # among them), from the index alone rather than a scan of the whole table.
            models.Index(fields=["status", "published_at"], name="promise_published"),
            # The published promises newest first (the API's list): a page of them
            # is the first rows of this index alone, not a sort of them all.
            models.Index(
                fields=["-valid_from", "id"],
                condition=Q(status="published"),
                name="promise_published_newest",
            ),
            SearchVectorIndex(fields=["search_vector"], name="promise_search_vector"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("promises:promise_detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if (
            self.agreement_id
            and self.valid_from
            and self.valid_until
            and not self.agreement.covers(self)
        ):
            raise ValidationError(
                _(
                    "The promise's period must lie within its agreement's period "
                    "(%(start)s – %(end)s)."
                )
                % {"start": self.agreement.valid_from, "end": self.agreement.valid_until}
            )

    @staticmethod
    def validate_parties(parties):
        """A promise binds at least one municipality and one local police area."""
        kinds = {party.kind for party in parties}
        missing = []
        if Party.Kind.MUNICIPALITY not in kinds:
            missing.append(_("at least one municipality"))
        if Party.Kind.POLICE_AREA not in kinds:
            missing.append(_("a local police area"))
        if missing:
            raise ValidationError(
                _("A promise needs %(missing)s among its parties.")
                % {"missing": _(" and ").join(str(m) for m in missing)}
            )

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_current(self):
        return self.is_public and self.valid_from <= timezone.localdate() <= self.valid_until

    @property
    def is_upcoming(self):
        return self.is_public and self.valid_from > timezone.localdate()

    @property
    def is_locked(self):
        """Published and archived promises are public record: archive, don't edit or delete."""
        return self.status in {self.Status.PUBLISHED, self.Status.ARCHIVED}

    @property
    def is_deletable(self):
        """Only a draft that was never submitted; anything reviewed is kept, and archived. A
        revision in draft may be discarded: what residents read is its published original."""
        if self.revision_of_id:
            return self.status == self.Status.DRAFT
        return self.status == self.Status.DRAFT and self.first_submitted_at is None

    @property
    def is_revision(self):
        return self.revision_of_id is not None

    def get_parties(self):
        return self.parties.all()

    def content_hash(self):
        """A fingerprint of everything an approval signs: the promise's own content, its
        parties, focus areas and commitments with their owners."""
        content = {name: str(getattr(self, name)) for name in self.CONTENT_FIELDS}
        content["change_note"] = self.change_note
        content["parties"] = sorted(self.parties.values_list("pk", flat=True))
        content["focus_areas"] = list(
            self.focus_areas.order_by("pk").values_list("pk", "title", "description", "order")
        )
        content["commitments"] = [
            [
                c.pk,
                c.focus_area_id,
                c.text,
                c.order,
                sorted(o.pk for o in c.owners.all()),
                c.completion,
                c.completion_note,
            ]
            for c in self.commitments.order_by("pk").prefetch_related("owners")
        ]
        encoded = json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(encoded).hexdigest()

    def valid_approvals(self, content_hash=None):
        """Approvals given in the current review round to the content as it is now (whose
        content_hash() a caller that already has it may pass)."""
        if self.status != self.Status.IN_REVIEW or not self.submitted_at:
            return []
        current = content_hash or self.content_hash()
        return [
            approval
            for approval in self.approvals.filter(approved_at__gte=self.submitted_at)
            .select_related("party", "user")
            .order_by("approved_at")
            if approval.content_hash == current
        ]

    def published_versions(self):
        """The public change log: each published version, newest first, as
        (published at, labels of what changed since the version before, the editor's note for
        residents). No names.

        A version is what one publication put online (published_at is set anew each time);
        focus areas and commitments count as changed if their history has rows in between,
        parties if the versions' snapshots of them (django-simple-history's m2m history) differ.
        """
        fields = self.CONTENT_FIELDS
        rows = self.history.filter(status=self.Status.PUBLISHED).order_by(
            "history_date", "history_id"
        )
        versions = {}  # published_at → (first history date, content)
        for row in rows.values(
            "history_id", "history_date", "published_at", "change_note", *fields
        ):
            content = {name: row[name] for name in fields}
            content["change_note"] = row["change_note"]
            content["history_id"] = row["history_id"]  # the version's last row: its parties
            first_seen = versions.get(row["published_at"], (row["history_date"], None))[0]
            versions[row["published_at"]] = (first_seen, content)
        if not versions:
            return []
        ordered = sorted(versions.items(), key=lambda item: item[1][0])
        child_dates = {}
        if len(ordered) > 1:
            parties = defaultdict(set)
            history_parties = self.history.model.parties.model.objects.filter(
                history_id__in=[content["history_id"] for _seen, content in versions.values()]
            )
            for history_id, party_id in history_parties.values_list("history_id", "party_id"):
                parties[history_id].add(party_id)
            for _seen, content in versions.values():
                content["parties"] = parties[content["history_id"]]
            since = ordered[0][1][0]
            # Both models' history in one query (a UNION), each row tagged with its model.
            children = (FocusArea, Commitment)
            dates = [
                model.history.filter(promise_id=self.pk, history_date__gt=since)
                .order_by()
                .annotate(model=models.Value(index))
                .values_list("history_date", "model")
                for index, model in enumerate(children)
            ]
            child_dates = {model: [] for model in children}
            for date, index in dates[0].union(dates[1], all=True).order_by():
                child_dates[children[index]].append(date)
        log = []
        previous = None
        for published_at, (seen, content) in ordered:
            changed = []
            if previous is not None:
                changed = [
                    self._meta.get_field(name.removesuffix("_id")).verbose_name
                    for name in fields
                    if content[name] != previous[1][name]
                ]
                # Rows recorded before parties had history have no snapshot: unknown, not changed.
                before, now = previous[1]["parties"], content["parties"]
                if before and now and before != now:
                    changed.append(self._meta.get_field("parties").verbose_name)
                changed += [
                    model._meta.verbose_name_plural
                    for model, dates in child_dates.items()
                    if any(previous[0] < date <= seen for date in dates)
                ]
            new_note = previous is not None and content["change_note"] != previous[1]["change_note"]
            note = content["change_note"] if new_note else ""
            log.append((published_at, changed, note))
            previous = (seen, content)
        return log[::-1]

    def signing_parties(self):
        """The parties that sign the promise: every municipality it names and its police area.
        Partners are named on it but do not sign."""
        return [party for party in self.parties.all() if party.kind in PromiseApproval.SIDES]

    def missing_signatures(self, approvals=None):
        """The signing parties that have not yet approved the content as it is now."""
        approvals = self.valid_approvals() if approvals is None else approvals
        signed = {approval.party_id for approval in approvals}
        return [party for party in self.signing_parties() if party.pk not in signed]

    def sign_off(self, approvals=None):
        """Per signing party: (party, its approval of the content as it is now, else its
        latest approval, or None; whether that approval counts): the admin's sign-off panel."""
        approvals = self.valid_approvals() if approvals is None else approvals
        current = {approval.party_id: approval for approval in approvals}
        latest = {}
        for approval in self.approvals.select_related("user").order_by("approved_at"):
            latest[approval.party_id] = approval
        return [
            (party, current.get(party.pk) or latest.get(party.pk), party.pk in current)
            for party in self.signing_parties()
        ]

    def municipalities(self):
        return [p for p in self.parties.all() if p.kind == Party.Kind.MUNICIPALITY]


class PromiseChildQuerySet(PartyScopedQuerySet):
    party_lookups = ("promise__parties",)


class ThemeQuerySet(models.QuerySet):
    def suggested_for(self, text):
        """The themes one of whose keywords occurs in the text (a focus area's title)."""
        return [theme for theme in self if theme.matches(text)]


class Theme(models.Model):
    """A focus theme of the national list (reference data, loaded by a data migration), with
    which editors tag focus areas so that promises can be compared across the country."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, unique=True)
    name_en = models.CharField(_("name in English"), max_length=200, unique=True)
    keywords = models.TextField(
        _("keywords"),
        blank=True,
        help_text=_(
            "Beginnings of words, separated by commas: a focus area whose title contains one "
            "is suggested this theme."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["order", "name_sv"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        """The name in the active language: Swedish unless English is active."""
        return self.name_en if (translation.get_language() or "").startswith("en") else self.name_sv

    def keyword_list(self):
        return [word.strip().lower() for word in self.keywords.split(",") if word.strip()]

    def matches(self, text):
        text = (text or "").lower()
        return any(word in text for word in self.keyword_list())


class CurrentPartsManager(models.Manager.from_queryset(PromiseChildQuerySet)):
    """A promise's focus areas and commitments as they stand: without those a published
    revision withdrew. Withdrawn rows stay on record (follow-up rounds reported on them) and
    are reached through `all_objects` and their history."""

    def get_queryset(self):
        return super().get_queryset().filter(withdrawn_at__isnull=True)


class RevisedPart(models.Model):
    """What a focus area and a commitment share to be revised: the row of the published
    promise a revision's copy stands for, and when a published revision withdrew it."""

    origin = models.ForeignKey(
        "self",
        verbose_name=_("revises"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True, editable=False)

    objects = CurrentPartsManager()
    all_objects = PromiseChildQuerySet.as_manager()

    class Meta:
        abstract = True


class FocusArea(RevisedPart):
    """A priority (fokusområde) of a promise."""

    promise = models.ForeignKey(
        Promise, verbose_name=_("promise"), on_delete=models.CASCADE, related_name="focus_areas"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    themes = models.ManyToManyField(
        Theme,
        verbose_name=_("themes"),
        related_name="focus_areas",
        blank=True,
        help_text=_("The national themes this focus area is about, for comparisons and search."),
    )
    search_vector = search_vector_field({"title": "A", "description": "B"})

    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["promise", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "title"],
                condition=Q(withdrawn_at__isnull=True),
                name="focusarea_unique_title_per_promise",
            )
        ]
        indexes = [SearchVectorIndex(fields=["search_vector"], name="focusarea_search_vector")]

    def __str__(self):
        return self.title

    @property
    def is_locked(self):
        return self.promise.is_locked

    @property
    def is_deletable(self):
        """While its promise was never published: residents never read it."""
        return self.promise.published_at is None

    def get_parties(self):
        return self.promise.parties.all()


class Completion(models.TextChoices):
    """The Open Government Partnership's scale of how far a commitment was completed."""

    NOT_STARTED = "not_started", _("not started")
    LIMITED = "limited", _("limited")
    SUBSTANTIAL = "substantial", _("substantial")
    COMPLETE = "complete", _("complete")


# A shape for every status, so that it never depends on colour alone.
_STATUS_SYMBOLS = {
    "not_started": "○",
    "ongoing": "◐",
    "on_track": "✓",
    "at_risk": "▲",
    "delayed": "■",
    "done": "●",
    "cancelled": "✕",
}


class CommitmentStatusChoice(models.TextChoices):
    """How a commitment stands in a follow-up round (followup.CommitmentStatus), and so in the
    latest published one (Commitment.latest_status)."""

    NOT_STARTED = "not_started", _("not started")
    ONGOING = "ongoing", _("ongoing")
    ON_TRACK = "on_track", _("on track")
    AT_RISK = "at_risk", _("at risk")
    DELAYED = "delayed", _("delayed")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")

    @property
    def symbol(self):
        return _STATUS_SYMBOLS[self.value]


class Commitment(RevisedPart):
    """One concrete commitment (åtagande) of the police, the municipality or both."""

    Completion = Completion

    class OwnerGroup(models.TextChoices):
        POLICE = "police", _("The police will")
        MUNICIPALITY = "municipality", _("The municipality will")
        JOINT = "joint", _("Together we will")

    promise = models.ForeignKey(
        Promise, verbose_name=_("promise"), on_delete=models.CASCADE, related_name="commitments"
    )
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("focus area"),
        # A focus area with commitments can't be deleted alone, but goes with its promise.
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="commitments",
    )
    owners = models.ManyToManyField(
        Party,
        verbose_name=_("owners"),
        related_name="commitments",
        help_text=_("Who carries it out: one or more of the promise's parties."),
    )
    text = models.TextField(_("text"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    completion = models.CharField(
        _("completion"),
        max_length=20,
        choices=Completion,
        blank=True,
        help_text=_("In the closing assessment, after the period: how far it was completed."),
    )
    completion_note = models.CharField(
        _("what came of it"),
        max_length=500,
        blank=True,
        help_text=_("In the closing assessment: one sentence for residents."),
    )
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("continues"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="successors",
        help_text=_("The commitment of the earlier promise it carries on."),
    )
    search_vector = search_vector_field({"text": "B"})
    # Derived from its follow-up, and kept by followup.latest_status: the search's and the
    # API's status filters read it through an index instead of computing it for every row.
    latest_status = models.CharField(
        _("latest published status"),
        max_length=20,
        choices=CommitmentStatusChoice,
        blank=True,
        editable=False,
        help_text=_(
            "Its status in the latest published follow-up round; derived from the follow-up "
            "and kept up to date automatically."
        ),
    )
    latest_status_until = models.DateTimeField(
        _("latest published status holds until"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When a follow-up round or promise published for a later time becomes public, and "
            "with it perhaps another status; kept up to date automatically."
        ),
    )

    history = HistoricalRecords(
        m2m_fields=[owners],
        excluded_fields=["search_vector", "latest_status", "latest_status_until"],
    )

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["promise", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completion="") | Q(completion__in=Completion.values),
                name="commitment_completion_valid",
            ),
            models.CheckConstraint(
                condition=Q(latest_status="") | Q(latest_status__in=CommitmentStatusChoice.values),
                name="commitment_latest_status_valid",
            ),
        ]
        indexes = [
            SearchVectorIndex(fields=["search_vector"], name="commitment_search_vector"),
            models.Index(fields=["latest_status", "promise"], name="commitment_latest_status"),
            # The few whose stored status a publication set for later will change.
            models.Index(
                fields=["latest_status_until"],
                condition=Q(latest_status_until__isnull=False),
                name="commitment_status_until",
            ),
        ]

    def __str__(self):
        return self.text if len(self.text) <= 80 else f"{self.text[:79]}…"

    def clean(self):
        if self.focus_area_id and self.promise_id and self.focus_area.promise_id != self.promise_id:
            raise ValidationError(
                {"focus_area": _("The focus area must belong to the same promise.")}
            )

    @property
    def is_locked(self):
        return self.promise.is_locked

    @property
    def is_deletable(self):
        """While residents never read it and it was never followed up."""
        return self.promise.published_at is None and not self.statuses.exists()

    def get_parties(self):
        return self.promise.parties.all()

    def get_editors(self):
        """The promise's coordinators edit every commitment; police edit those their area owns."""
        # A new commitment has no owners until its form saves them after it.
        owners = self.owners.all() if self.pk else Party.objects.none()
        return {
            Membership.Role.COORDINATOR: self.promise.parties.all(),
            Membership.Role.POLICE: owners.police_areas(),
        }

    def validate_owners(self, owners, promise_parties=None):
        """Owners must be among the promise's parties."""
        if not owners:
            raise ValidationError({"owners": _("Name at least one owner.")})
        if promise_parties is None:
            promise_parties = self.promise.parties.all()
        allowed = {party.pk for party in promise_parties}
        outsiders = [str(owner) for owner in owners if owner.pk not in allowed]
        if outsiders:
            raise ValidationError(
                {
                    "owners": _("%(parties)s is not a party of this promise.")
                    % {"parties": ", ".join(outsiders)}
                }
            )

    @property
    def is_complete(self):
        """Complete by its promise's closing assessment; without one, still open."""
        return self.completion == Completion.COMPLETE

    @property
    def owner_group(self):
        """Police, municipality or joint, from the kinds of its (prefetched) owners."""
        return self.group_of_owners(self.owners.all())

    @classmethod
    def group_of_owners(cls, owners):
        kinds = {owner.kind for owner in owners}
        if kinds == {Party.Kind.POLICE_AREA}:
            return cls.OwnerGroup.POLICE
        if kinds <= {Party.Kind.MUNICIPALITY} and kinds:
            return cls.OwnerGroup.MUNICIPALITY
        return cls.OwnerGroup.JOINT


class PromiseApproval(models.Model):
    """One side's sign-off (municipality or police) on a promise's content, for publishing.

    It counts only for the review round it was given in and only while the content is
    unchanged: content_hash is the promise's Promise.content_hash() when it was given.
    """

    SIDES = [Party.Kind.MUNICIPALITY, Party.Kind.POLICE_AREA]

    promise = models.ForeignKey(
        Promise, verbose_name=_("promise"), on_delete=models.CASCADE, related_name="approvals"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="promise_approvals",
    )
    party = models.ForeignKey(
        Party,
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        related_name="promise_approvals",
    )
    content_hash = models.CharField(_("content fingerprint"), max_length=64)
    approved_at = models.DateTimeField(_("approved"), default=timezone.now)

    objects = PromiseChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["-approved_at"]
        indexes = [models.Index(fields=["promise", "approved_at"])]

    def __str__(self):
        return f"{self.promise} – {self.party} ({self.approved_at:%Y-%m-%d %H:%M})"


class SignatureReminder(models.Model):
    """A reminder e-mail to one person that a promise waits for their party's signature; one
    a day at most, and recorded, so a second run of the reminders never sends it again."""

    promise = models.ForeignKey(
        Promise, verbose_name=_("promise"), on_delete=models.CASCADE, related_name="+"
    )
    party = models.ForeignKey(
        Party, verbose_name=_("on behalf of"), on_delete=models.CASCADE, related_name="+"
    )
    recipient = models.EmailField(_("recipient"))
    sent_on = models.DateField(_("sent on"))

    objects = PromiseChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("signature reminder")
        verbose_name_plural = _("signature reminders")
        ordering = ["-sent_on", "promise"]
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "recipient", "sent_on"], name="signaturereminder_once_a_day"
            )
        ]

    def __str__(self):
        return f"{self.promise} → {self.recipient} ({self.sent_on})"

    def get_parties(self):
        return self.promise.parties.all()


class SearchEntry(models.Model):
    """One row residents may find, of a published promise: the promise itself, a focus area, a
    commitment, a published follow-up round, whatever promises.search's sources with a stored
    vector give; copied with the vector when the row or its promise is written, so that a search
    reads one index instead of joining every source to the promises residents may see."""

    kind = models.CharField(max_length=40)
    object_pk = models.BigIntegerField()
    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="+")
    # The start of the promise's period, the search's order after the rank.
    promise_start = models.DateField()
    # When residents may see the row: its promise's publication, and its own if it has one.
    visible_from = models.DateTimeField()
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    search_vector = SearchVectorField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_pk"], name="searchentry_one_per_row")
        ]
        indexes = [SearchVectorIndex(fields=["search_vector"], name="searchentry_search_vector")]

    def __str__(self):
        return f"{self.kind} {self.object_pk}"
