"""The permission matrix of tests/promises/test_permissions.py for the other apps' content:
a situation problem, a follow-up round and a resident's unsafe-place report.

Municipality M and police area P share the situation picture and the promise followed up;
municipality N and police area Q are strangers to them. Roles, outcomes and their meaning are
those of tests/promises/test_permissions.py:

    coord    coordinator of M             c_other  coordinator of N
    police   police of P                  p_other  police of Q
    viewer   viewer of M                  anon     not signed in

A follow-up round is written by the coordinators (and the police, their commitments' statuses)
until it is submitted, then reviewed by the police; approved, it is locked. Reports reach the
municipality's coordinators only: the police and viewers have no rights on them at all, so the
list is forbidden (403) and single reports, outside their reach, are not found (404).
"""

import pytest
from django.urls import reverse

from followup.models import CommitmentStatus, FollowUpRound
from promises.models import Membership
from reports.models import TriageStatus, UnsafePlaceReport
from situation.models import Problem
from tests.factories import (
    make_commitment,
    make_member,
    make_municipality,
    make_police_area,
    make_problem,
    make_promise,
    make_round,
    make_situation_picture,
    make_unsafe_place_report,
)
from tests.permission_matrix import (
    ABSENT,
    E403,
    E404,
    LOGIN,
    OK,
    ROLES,
    SHOWN,
    cases,
    response_outcome,
    role_users,
)
from tests.shared_data import world_fixtures

# fmt: off
MATRIX = [
    # object            action    coord    c_other  police   p_other  viewer   anon
    ("problem",         "list",   SHOWN,   ABSENT,  SHOWN,   ABSENT,  SHOWN,   LOGIN),
    ("problem",         "view",   OK,      E404,    OK,      E404,    OK,      LOGIN),
    ("problem",         "change", OK,      E404,    E403,    E404,    E403,    LOGIN),
    ("problem",         "delete", E403,    E404,    E403,    E404,    E403,    LOGIN),
    ("round",           "list",   SHOWN,   ABSENT,  SHOWN,   ABSENT,  SHOWN,   LOGIN),
    ("round",           "view",   OK,      E404,    OK,      E404,    OK,      LOGIN),
    ("round",           "change", OK,      E404,    OK,      E404,    E403,    LOGIN),
    ("round",           "delete", E403,    E404,    E403,    E404,    E403,    LOGIN),
    ("submitted round", "change", E403,    E404,    OK,      E404,    E403,    LOGIN),
    ("approved round",  "change", E403,    E404,    E403,    E404,    E403,    LOGIN),
    ("report",          "list",   SHOWN,   ABSENT,  E403,    E403,    E403,    LOGIN),
    ("report",          "view",   OK,      E404,    E404,    E404,    E404,    LOGIN),
    ("report",          "change", OK,      E404,    E404,    E404,    E404,    LOGIN),
    ("report",          "delete", E403,    E404,    E404,    E404,    E404,    LOGIN),
]
# fmt: on
# Changing a round here means setting the status of the police's commitment on the round's
# page; changing a report means triaging it.

CASES = cases(MATRIX)


class World:
    def __init__(self):
        self.m, self.n = make_municipality(), make_municipality()
        self.p, self.q = make_police_area(), make_police_area()
        self.users = role_users(self.m, self.n, self.p, self.q)
        picture = make_situation_picture([self.m], police_area=self.p)
        self.problem = make_problem(picture, title="Otrygg gångtunnel")
        promise = make_promise(parties=[self.m, self.p])
        self.police_commitment = make_commitment(promise, [self.p])
        make_commitment(promise, [self.m])
        year = promise.valid_from.year
        self.rounds = {
            state: make_round(promise, year, quarter, state=state)
            for quarter, state in enumerate(
                [
                    FollowUpRound.State.DRAFT,
                    FollowUpRound.State.SUBMITTED,
                    FollowUpRound.State.APPROVED,
                ],
                start=1,
            )
        }
        self.report = make_unsafe_place_report(self.m, place="Stationen")
        # The strangers' own content, so that their lists are never empty.
        make_problem(make_situation_picture([self.n], police_area=self.q))
        make_round(make_promise(parties=[self.n, self.q]))
        make_unsafe_place_report(self.n)

    def target(self, obj):
        return {
            "problem": self.problem,
            "round": self.rounds[FollowUpRound.State.DRAFT],
            "submitted round": self.rounds[FollowUpRound.State.SUBMITTED],
            "approved round": self.rounds[FollowUpRound.State.APPROVED],
            "report": self.report,
        }[obj]


# One world for all the module's tests; what a test writes is rolled back after it.
module_world, world = world_fixtures(World)


def _url(obj, view, *args):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=args)


def _problem_data(problem):
    return {
        "picture": problem.picture_id,
        "title": "Ändrad",
        "observed_on": problem.observed_on.isoformat(),
        "visibility": problem.visibility,
        "category": problem.category,
        "source": problem.source,
        "trend": problem.trend,
    }


def _round_data(round_, world):
    """The round's page posted back with the police's commitment set to done."""
    statuses = list(round_.statuses.order_by("pk"))
    data = {
        "meeting_date": "",
        "forum": round_.forum,
        "summary": round_.summary,
        "statuses-TOTAL_FORMS": str(len(statuses)),
        "statuses-INITIAL_FORMS": str(len(statuses)),
        "statuses-MIN_NUM_FORMS": "0",
        "statuses-MAX_NUM_FORMS": "1000",
    }
    for i, status in enumerate(statuses):
        done = status.commitment == world.police_commitment
        data |= {
            f"statuses-{i}-id": status.pk,
            f"statuses-{i}-round": round_.pk,
            f"statuses-{i}-status": CommitmentStatus.Status.DONE if done else status.status,
        }
    return data


def do_list(client, world, obj):
    response = client.get(_url(obj, "changelist"))
    if status := response_outcome(response):
        return status
    assert response.status_code == 200
    return SHOWN if _url(obj, "change", obj.pk) in response.content.decode() else ABSENT


def do_view(client, world, obj):
    response = client.get(_url(obj, "change", obj.pk))
    if status := response_outcome(response):
        return status
    assert response.status_code == 200
    return OK


def _change(obj, world):
    """The form data that changes the object, and a check that the change was written."""
    if isinstance(obj, Problem):
        return _problem_data(obj), lambda: Problem.objects.get(pk=obj.pk).title == "Ändrad"
    if isinstance(obj, FollowUpRound):
        row = obj.statuses.get(commitment=world.police_commitment)
        return (
            _round_data(obj, world),
            lambda: CommitmentStatus.objects.get(pk=row.pk).status == "done",
        )
    return (
        {"status": TriageStatus.IN_PROGRESS, "note": "Belysning beställd"},
        lambda: UnsafePlaceReport.objects.get(pk=obj.pk).status == TriageStatus.IN_PROGRESS,
    )


def do_change(client, world, obj):
    data, written = _change(obj, world)
    response = client.post(_url(obj, "change", obj.pk), data)
    if status := response_outcome(response):
        assert not written()
        return status
    assert response.status_code == 302, response.context["errors"]
    assert written()
    return OK


def do_delete(client, world, obj):
    response = client.post(_url(obj, "delete", obj.pk), {"post": "yes"})
    exists = type(obj).objects.filter(pk=obj.pk).exists
    if status := response_outcome(response):
        assert exists()
        return status
    assert response.status_code == 302 and not exists()
    return OK


ACTIONS = {"list": do_list, "view": do_view, "change": do_change, "delete": do_delete}


@pytest.mark.django_db
@pytest.mark.parametrize(("obj", "action", "role", "expected"), CASES)
def test_permission_matrix(client, world, obj, action, role, expected):
    if world.users[role]:
        client.force_login(world.users[role])
    assert ACTIONS[action](client, world, world.target(obj)) == expected


def test_matrix_covers_every_role_and_action_for_each_app():
    covered = {(obj.split()[-1], action) for obj, action, *_ in MATRIX}
    for content_type in ("problem", "round", "report"):
        for action in ACTIONS:
            assert (content_type, action) in covered, (content_type, action)
    assert all(len(outcomes) == len(ROLES) for _obj, _action, *outcomes in MATRIX)


@pytest.mark.django_db
def test_a_viewer_of_another_party_puts_nothing_under_it(client):
    """Choices list every party's content the user may see; saving needs the right to edit."""
    own, other = make_municipality(), make_municipality()
    user = make_member(own, Membership.Role.COORDINATOR)
    Membership.objects.create(user=user, party=other, role=Membership.Role.VIEWER)
    others_picture = make_situation_picture([other])
    problem = make_problem(make_situation_picture([own]))
    client.force_login(user)
    data = _problem_data(problem) | {"picture": others_picture.pk, "title": "Inplanterat"}
    response = client.post(reverse("admin:situation_problem_add"), data)
    assert response.status_code == 403
    assert not Problem.objects.filter(title="Inplanterat").exists()
    # Moving one's own problem there is refused the same way.
    response = client.post(_url(problem, "change", problem.pk), data)
    assert response.status_code == 403
    assert Problem.objects.get(pk=problem.pk).picture_id != others_picture.pk
