import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.utils import timezone, translation

from promises.models import Commitment, Party, Promise
from tests.factories import (
    make_agreement,
    make_commitment,
    make_focus_area,
    make_municipality,
    make_partner,
    make_police_area,
    make_promise,
)


class PartyConstraintTests(TestCase):
    def test_municipality_code_must_be_four_digits(self):
        party = Party(kind=Party.Kind.MUNICIPALITY, name="X", slug="x", municipality_code="123")
        with pytest.raises(ValidationError) as error:
            party.full_clean()
        assert "municipality_code" in error.value.message_dict
        with pytest.raises(IntegrityError), transaction.atomic():
            Party.objects.create(
                kind=Party.Kind.MUNICIPALITY, name="X", slug="x", municipality_code="12a4"
            )

    def test_municipality_needs_a_code(self):
        party = Party(kind=Party.Kind.MUNICIPALITY, name="X", slug="x")
        with pytest.raises(ValidationError, match="kommunkod"):
            party.full_clean()

    def test_police_area_has_no_municipality_code(self):
        party = Party(kind=Party.Kind.POLICE_AREA, name="X", slug="x", municipality_code="1234")
        with pytest.raises(ValidationError) as error:
            party.full_clean()
        assert "municipality_code" in error.value.message_dict
        with pytest.raises(IntegrityError), transaction.atomic():
            Party.objects.create(
                kind=Party.Kind.POLICE_AREA, name="X", slug="x", municipality_code="1234"
            )

    def test_municipality_code_is_unique(self):
        make_municipality(municipality_code="9555")
        with pytest.raises(IntegrityError), transaction.atomic():
            make_municipality(municipality_code="9555")

    def test_only_municipalities_are_covered_by_a_police_area(self):
        partner = make_partner()
        partner.police_area = make_police_area()
        with pytest.raises(ValidationError) as error:
            partner.full_clean()
        assert "police_area" in error.value.message_dict

    def test_reference_data_holds_every_municipality(self):
        assert Party.objects.municipalities().filter(municipality_code__lt="9000").count() == 290
        olofstrom = Party.objects.get(municipality_code="1060")
        assert (olofstrom.name, olofstrom.county, olofstrom.police_region) == (
            "Olofström",
            "Blekinge län",
            "Syd",
        )
        # Håbo and Habo would share a slug; the later one keeps its code.
        assert Party.objects.get(municipality_code="0643").slug == "habo-0643"


class PromiseConstraintTests(TestCase):
    def test_period_cannot_end_before_it_starts(self):
        promise = make_promise()
        promise.valid_until = promise.valid_from - dt.timedelta(days=1)
        with pytest.raises(ValidationError) as error:
            promise.full_clean()
        assert "valid_until" in error.value.message_dict
        with pytest.raises(IntegrityError), transaction.atomic():
            promise.save()

    def test_agreement_period_must_contain_the_promise(self):
        agreement = make_agreement(
            valid_from=dt.date(2022, 1, 1), valid_until=dt.date(2023, 12, 31)
        )
        promise = make_promise(
            agreement=agreement, valid_from=dt.date(2023, 1, 1), valid_until=dt.date(2024, 6, 30)
        )
        with pytest.raises(ValidationError, match="samverkansöverenskommelsens period"):
            promise.full_clean()
        promise.valid_until = dt.date(2023, 12, 31)
        promise.full_clean()

    def test_slug_is_unique(self):
        make_promise(slug="samma")
        with pytest.raises(IntegrityError), transaction.atomic():
            make_promise(slug="samma")

    def test_published_promise_needs_a_publication_date(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            make_promise(status=Promise.Status.PUBLISHED, published_at=None)

    def test_parties_need_a_municipality_and_a_police_area(self):
        with pytest.raises(ValidationError, match="minst en kommun"):
            Promise.validate_parties([make_police_area()])
        with pytest.raises(ValidationError, match="ett lokalpolisområde"):
            Promise.validate_parties([make_municipality(), make_municipality()])
        Promise.validate_parties([make_municipality(), make_municipality(), make_police_area()])


class CommitmentConstraintTests(TestCase):
    def test_focus_area_must_belong_to_the_same_promise(self):
        commitment = make_commitment()
        commitment.focus_area = make_focus_area()
        with pytest.raises(ValidationError) as error:
            commitment.full_clean()
        assert "focus_area" in error.value.message_dict

    def test_owners_must_be_parties_of_the_promise(self):
        commitment = make_commitment()
        stranger = make_police_area(name="Annat område")
        with pytest.raises(ValidationError, match="Annat område"):
            commitment.validate_owners([stranger])
        with pytest.raises(ValidationError):
            commitment.validate_owners([])
        commitment.validate_owners(list(commitment.promise.parties.all()))

    def test_owner_group_follows_the_owners_kinds(self):
        municipality, police = make_municipality(), make_police_area()
        promise = make_promise(parties=[municipality, police])
        assert make_commitment(promise, [police]).owner_group == Commitment.OwnerGroup.POLICE
        assert (
            make_commitment(promise, [municipality]).owner_group
            == Commitment.OwnerGroup.MUNICIPALITY
        )
        assert (
            make_commitment(promise, [municipality, police]).owner_group
            == Commitment.OwnerGroup.JOINT
        )


class PromiseVisibilityTests(TestCase):
    def test_published_excludes_drafts_archived_and_future_publication(self):
        visible = make_promise()
        make_promise(status=Promise.Status.DRAFT, published_at=None)
        make_promise(status=Promise.Status.IN_REVIEW, published_at=None)
        make_promise(status=Promise.Status.ARCHIVED)
        make_promise(published_at=timezone.now() + dt.timedelta(hours=1))
        assert list(Promise.objects.published()) == [visible]

    def test_current_and_earlier_split_by_today(self):
        today = timezone.localdate()
        current = make_promise()
        earlier = make_promise(
            valid_from=today - dt.timedelta(days=400), valid_until=today - dt.timedelta(days=1)
        )
        make_promise(
            valid_from=today + dt.timedelta(days=1), valid_until=today.replace(year=today.year + 1)
        )
        assert list(Promise.objects.current()) == [current]
        assert list(Promise.objects.earlier()) == [earlier]
        assert current.is_current and not earlier.is_current


def test_county_names_and_police_area_short_names():
    municipality = Party(kind=Party.Kind.MUNICIPALITY, county_code="10", county="Blekinge län")
    with translation.override("en"):
        assert municipality.county_name == "Blekinge County"
    with translation.override("sv"):
        assert municipality.county_name == "Blekinge län"
    police = Party(kind=Party.Kind.POLICE_AREA, name="Lokalpolisområde Karlshamn")
    assert police.short_name == "Karlshamn"
    assert Party(kind=Party.Kind.PARTNER, name="Lokalpolisområde-föreningen").short_name == (
        "Lokalpolisområde-föreningen"
    )
