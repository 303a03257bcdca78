"""Small factory functions for test data: make_<model>(**overrides)."""

import datetime as dt
import itertools

from django.contrib.auth.models import User
from django.utils import timezone

from promises.models import Agreement, Commitment, FocusArea, Membership, Party, Promise

_sequence = itertools.count(1)


def _next():
    return next(_sequence)


def make_municipality(**overrides):
    n = _next()
    fields = {
        "kind": Party.Kind.MUNICIPALITY,
        "name": f"Testkommun {n}",
        "slug": f"testkommun-{n}",
        # Test codes start at 9000, above every real municipality code.
        "municipality_code": f"{9000 + n % 1000:04d}",
        "county": "Testlän",
        "county_code": "99",
    }
    fields.update(overrides)
    return Party.objects.create(**fields)


def make_police_area(**overrides):
    n = _next()
    fields = {
        "kind": Party.Kind.POLICE_AREA,
        "name": f"Lokalpolisområde Test {n}",
        "slug": f"lpo-test-{n}",
        "police_region": "Syd",
    }
    fields.update(overrides)
    return Party.objects.create(**fields)


def make_partner(**overrides):
    n = _next()
    fields = {"kind": Party.Kind.PARTNER, "name": f"Bostadsbolag {n}", "slug": f"partner-{n}"}
    fields.update(overrides)
    return Party.objects.create(**fields)


def make_agreement(parties=None, **overrides):
    n = _next()
    fields = {
        "title": f"Samverkansöverenskommelse {n}",
        "slug": f"overenskommelse-{n}",
        "valid_from": dt.date(2022, 1, 1),
        "valid_until": dt.date(2030, 12, 31),
    }
    fields.update(overrides)
    agreement = Agreement.objects.create(**fields)
    agreement.parties.set(parties or [make_municipality(), make_police_area()])
    return agreement


def make_promise(parties=None, **overrides):
    """A published promise, current today, of a new municipality and police area."""
    n = _next()
    today = timezone.localdate()
    fields = {
        "title": f"Medborgarlöfte {n}",
        "slug": f"lofte-{n}",
        "valid_from": today.replace(month=1, day=1),
        "valid_until": today.replace(month=12, day=31),
        "goal": "Ökad trygghet.",
        "status": Promise.Status.PUBLISHED,
        "published_at": timezone.now() - dt.timedelta(days=1),
    }
    fields.update(overrides)
    promise = Promise.objects.create(**fields)
    promise.parties.set(parties or [make_municipality(), make_police_area()])
    return promise


def make_focus_area(promise=None, **overrides):
    n = _next()
    fields = {"promise": promise or make_promise(), "title": f"Fokusområde {n}", "order": n}
    themes = overrides.pop("themes", [])
    fields.update(overrides)
    area = FocusArea.objects.create(**fields)
    area.themes.set(themes)
    return area


def make_commitment(promise=None, owners=None, **overrides):
    promise = promise or make_promise()
    fields = {"promise": promise, "text": f"Åtagande {_next()}"}
    fields.update(overrides)
    commitment = Commitment.objects.create(**fields)
    commitment.owners.set(owners if owners is not None else promise.parties.all())
    return commitment


def make_user(username=None, **overrides):
    username = username or f"user{_next()}"
    return User.objects.create_user(username=username, password="secret", **overrides)


def make_membership(user=None, party=None, role=Membership.Role.COORDINATOR):
    return Membership.objects.create(
        user=user or make_user(is_staff=True), party=party or make_municipality(), role=role
    )


# --- situation app ---------------------------------------------------------------------------


def make_indicator(**overrides):
    from situation.models import Indicator

    n = _next()
    fields = {"code": f"test-indikator-{n}", "name": f"Indikator {n}", "order": 100 + n}
    fields.update(overrides)
    return Indicator.objects.create(**fields)


def make_safety_survey(area=None, **overrides):
    from situation.models import SafetySurvey

    fields = {"area": area or make_municipality(), "year": 2023, "is_published": True}
    fields.update(overrides)
    return SafetySurvey.objects.create(**fields)


def make_survey_result(survey=None, indicator=None, **overrides):
    from situation.models import SurveyResult

    fields = {
        "survey": survey or make_safety_survey(),
        "indicator": indicator or make_indicator(),
        "group": "all",
        "value": 25,
    }
    fields.update(overrides)
    return SurveyResult.objects.create(**fields)


def make_situation_picture(municipalities=None, **overrides):
    """A public situation picture covering this year."""
    from situation.models import SituationPicture

    n = _next()
    today = timezone.localdate()
    fields = {
        "title": f"Lägesbild {n}",
        "valid_from": today.replace(month=1, day=1),
        "valid_until": today.replace(month=12, day=31),
        "visibility": "public",
        "public_summary": "Sammanfattning för invånare.",
    }
    fields.update(overrides)
    picture = SituationPicture.objects.create(**fields)
    picture.municipalities.set(municipalities or [make_municipality()])
    return picture


def make_place(municipality=None, **overrides):
    from situation.models import Place

    fields = {"municipality": municipality or make_municipality(), "name": f"Plats {_next()}"}
    fields.update(overrides)
    return Place.objects.create(**fields)


def make_problem(picture=None, **overrides):
    """A public problem of a public picture."""
    from situation.models import Problem

    fields = {
        "picture": picture or make_situation_picture(),
        "title": f"Problem {_next()}",
        "category": "youth",
        "source": "police",
        "visibility": "public",
    }
    fields.update(overrides)
    return Problem.objects.create(**fields)


def make_action_plan(municipality=None, **overrides):
    from situation.models import ActionPlan

    fields = {
        "municipality": municipality or make_municipality(),
        "title": f"Åtgärdsplan {_next()}",
        "decided_by": "Kommunstyrelsen",
        "valid_from": dt.date(2025, 1, 1),
        "valid_until": dt.date(2026, 12, 31),
    }
    fields.update(overrides)
    return ActionPlan.objects.create(**fields)


def make_round(promise=None, year=None, quarter=None, **overrides):
    """A follow-up round of a promise (by default the first quarter of its period), with one
    status row per commitment as round_create() makes them."""
    from followup.models import CommitmentStatus, FollowUpRound

    promise = promise or make_promise()
    fields = {
        "promise": promise,
        "year": year or promise.valid_from.year,
        "quarter": quarter or (promise.valid_from.month - 1) // 3 + 1,
        "summary": "Arbetet går enligt plan.",
    }
    fields.update(overrides)
    if fields.get("state") == FollowUpRound.State.PUBLISHED:
        fields.setdefault("published_at", timezone.now() - dt.timedelta(hours=1))
    round_ = FollowUpRound.objects.create(**fields)
    CommitmentStatus.objects.bulk_create(
        CommitmentStatus(round=round_, commitment=commitment)
        for commitment in promise.commitments.all()
    )
    return round_


def make_member(party, role, **user_overrides):
    """A staff user acting for the party in the role (which puts them in the role's group)."""
    user = make_user(is_staff=True, **user_overrides)
    make_membership(user=user, party=party, role=role)
    return user


def make_error_report(**overrides):
    from reports.models import ErrorReport

    fields = {"page_url": "/", "message": f"Fel nummer {_next()}"}
    fields.update(overrides)
    return ErrorReport.objects.create(**fields)


def make_unsafe_place_report(municipality=None, **overrides):
    from reports.models import UnsafePlaceReport

    fields = {
        "municipality": municipality or make_municipality(),
        "place": f"Torget {_next()}",
        "description": "Mörkt och stökigt på kvällarna.",
    }
    fields.update(overrides)
    return UnsafePlaceReport.objects.create(**fields)
