"""The permission matrix: who may do what with promises, focus areas and commitments.

Every cell is exercised through the admin over HTTP. The parties: municipality M and police
area P make the promise; municipality N and police area Q are strangers to it.

Roles (columns):
    coord    coordinator of M             c_other  coordinator of N
    police   police of P                  p_other  police of Q
    viewer   viewer of M                  anon     not signed in

Outcomes:
    OK      allowed, and it happened (page shown, row written, status changed)
    SHOWN   listed in the admin list       ABSENT     not in the list (others' rows)
    E403    forbidden: may see it, may not do this
    E404    not found: someone else's; the admin does not reveal that it exists
    REFUSED the form comes back with an error and nothing is written (choices are
            limited to what the user may use)
    LOGIN   redirected to the login page
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from promises import permissions, services
from promises.models import Commitment, FocusArea, Membership, Promise, PromiseApproval
from tests.factories import (
    make_agreement,
    make_commitment,
    make_focus_area,
    make_member,
    make_municipality,
    make_police_area,
    make_promise,
)
from tests.permission_matrix import (
    ABSENT,
    E403,
    E404,
    LOGIN,
    OK,
    REFUSED,
    ROLES,
    SHOWN,
    cases,
    response_outcome,
    role_users,
)
from tests.shared_data import world_fixtures

# fmt: off
MATRIX = [
    # object                    action     coord    c_other  police   p_other  viewer   anon
    ("promise",                 "list",    SHOWN,   ABSENT,  SHOWN,   ABSENT,  SHOWN,   LOGIN),
    ("promise",                 "view",    OK,      E404,    OK,      E404,    OK,      LOGIN),
    ("promise",                 "history", OK,      E404,    OK,      E404,    OK,      LOGIN),
    ("promise",                 "add",     OK,      REFUSED, E403,    E403,    E403,    LOGIN),
    ("promise",                 "change",  OK,      E404,    E403,    E404,    E403,    LOGIN),
    ("promise",                 "delete",  OK,      E404,    E403,    E404,    E403,    LOGIN),
    ("promise",                 "submit",  OK,      E404,    E403,    E404,    E403,    LOGIN),
    ("promise",                 "approve", OK,      E404,    OK,      E404,    E403,    LOGIN),
    ("promise",                 "publish", OK,      E404,    OK,      E404,    E403,    LOGIN),
    ("published promise",       "view",    OK,      E404,    OK,      E404,    OK,      LOGIN),
    ("published promise",       "change",  E403,    E404,    E403,    E404,    E403,    LOGIN),
    ("published promise",       "delete",  E403,    E404,    E403,    E404,    E403,    LOGIN),
    ("published promise",       "archive", OK,      E404,    OK,      E404,    E403,    LOGIN),
    ("focus area",              "list",    SHOWN,   ABSENT,  SHOWN,   ABSENT,  SHOWN,   LOGIN),
    ("focus area",              "view",    OK,      E404,    OK,      E404,    OK,      LOGIN),
    ("focus area",              "history", OK,      E404,    OK,      E404,    OK,      LOGIN),
    ("focus area",              "add",     OK,      REFUSED, E403,    E403,    E403,    LOGIN),
    ("focus area",              "change",  OK,      E404,    E403,    E404,    E403,    LOGIN),
    ("focus area",              "delete",  OK,      E404,    E403,    E404,    E403,    LOGIN),
    ("published focus area",    "change",  E403,    E404,    E403,    E404,    E403,    LOGIN),
    ("published focus area",    "delete",  E403,    E404,    E403,    E404,    E403,    LOGIN),
    ("police commitment",       "list",    SHOWN,   ABSENT,  SHOWN,   ABSENT,  SHOWN,   LOGIN),
    ("police commitment",       "view",    OK,      E404,    OK,      E404,    OK,      LOGIN),
    ("police commitment",       "history", OK,      E404,    OK,      E404,    OK,      LOGIN),
    ("police commitment",       "add",     OK,      REFUSED, E403,    E403,    E403,    LOGIN),
    ("police commitment",       "change",  OK,      E404,    OK,      E404,    E403,    LOGIN),
    ("police commitment",       "delete",  OK,      E404,    E403,    E404,    E403,    LOGIN),
    ("municipality commitment", "change",  OK,      E404,    E403,    E404,    E403,    LOGIN),
    ("published commitment",    "change",  E403,    E404,    E403,    E404,    E403,    LOGIN),
    ("published commitment",    "delete",  E403,    E404,    E403,    E404,    E403,    LOGIN),
]
# fmt: on
# Submitting, approving and publishing are steps of a promise; focus areas and commitments
# go with it. Adding a focus area or commitment means adding one to the promise of M and P.

CASES = cases(MATRIX)


class World:
    """The promise of M and P (a draft) with its parts, a published one, and the users."""

    def __init__(self):
        self.m, self.n = make_municipality(), make_municipality()
        self.p, self.q = make_police_area(), make_police_area()
        self.users = role_users(self.m, self.n, self.p, self.q)
        self.promise = make_promise(
            parties=[self.m, self.p], status=Promise.Status.DRAFT, published_at=None
        )
        self.area = make_focus_area(self.promise)
        self.police_commitment = make_commitment(self.promise, [self.p])
        self.municipality_commitment = make_commitment(self.promise, [self.m])
        self.published = make_promise(parties=[self.m, self.p])
        self.published_area = make_focus_area(self.published)
        self.published_commitment = make_commitment(self.published, [self.p])
        # Someone else's promise, so that lists are never empty for the strangers.
        make_commitment(make_promise(parties=[self.n, self.q]))

    def target(self, obj):
        return {
            "promise": self.promise,
            "published promise": self.published,
            "focus area": self.area,
            "published focus area": self.published_area,
            "police commitment": self.police_commitment,
            "municipality commitment": self.municipality_commitment,
            "published commitment": self.published_commitment,
        }[obj]


# One world for all the module's tests; what a test writes is rolled back after it.
module_world, world = world_fixtures(World)


def _url(obj, view, *args):
    return reverse(f"admin:promises_{obj._meta.model_name}_{view}", args=args)


def promise_form_data(promise, **overrides):
    """The promise's change form as the admin would post it back, inlines included."""
    data = {
        "title": promise.title,
        "slug": promise.slug,
        "agreement": promise.agreement_id or "",
        "parties": [party.pk for party in promise.parties.all()],
        "valid_from": promise.valid_from.isoformat(),
        "valid_until": promise.valid_until.isoformat(),
        "summary": promise.summary,
        "goal": promise.goal,
        "background": promise.background,
        "how_to_follow": promise.how_to_follow,
    }
    areas = list(promise.focus_areas.all())
    commitments = list(promise.commitments.all())
    for prefix, rows in (("focus_areas", areas), ("commitments", commitments)):
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
    for i, area in enumerate(areas):
        data |= {
            f"focus_areas-{i}-id": area.pk,
            f"focus_areas-{i}-promise": promise.pk,
            f"focus_areas-{i}-order": area.order,
            f"focus_areas-{i}-title": area.title,
            f"focus_areas-{i}-description": area.description,
        }
    for i, commitment in enumerate(commitments):
        data |= {
            f"commitments-{i}-id": commitment.pk,
            f"commitments-{i}-promise": promise.pk,
            f"commitments-{i}-order": commitment.order,
            f"commitments-{i}-focus_area": commitment.focus_area_id or "",
            f"commitments-{i}-owners": [owner.pk for owner in commitment.owners.all()],
            f"commitments-{i}-text": commitment.text,
        }
    data.update(overrides)
    return data


def _form_data(obj, **overrides):
    if isinstance(obj, Promise):
        return promise_form_data(obj, **overrides)
    if isinstance(obj, FocusArea):
        data = {"promise": obj.promise_id, "title": obj.title, "order": obj.order}
    else:
        data = {
            "promise": obj.promise_id,
            "focus_area": obj.focus_area_id or "",
            "owners": [owner.pk for owner in obj.owners.all()],
            "text": obj.text,
            "order": obj.order,
        }
    data.update(overrides)
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


def do_history(client, world, obj):
    response = client.get(_url(obj, "history", obj.pk))
    if status := response_outcome(response):
        return status
    assert response.status_code == 200
    return OK


def _written_or_refused(response, written):
    if status := response_outcome(response):
        return status
    if response.status_code == 302 and written():
        return OK
    assert response.status_code == 200 and response.context["errors"], response
    assert not written()
    return REFUSED


def do_add(client, world, obj):
    if isinstance(obj, Promise):
        data = promise_form_data(obj, title="Nytt löfte", slug="nytt-lofte")
        for prefix in ("focus_areas", "commitments"):
            data[f"{prefix}-INITIAL_FORMS"] = "0"
            data = {k: v for k, v in data.items() if not k.startswith(f"{prefix}-0")}
            data = {k: v for k, v in data.items() if not k.startswith(f"{prefix}-1")}
            data[f"{prefix}-TOTAL_FORMS"] = "0"
        response = client.post(_url(obj, "add"), data)
        return _written_or_refused(response, Promise.objects.filter(slug="nytt-lofte").exists)
    marker = "Tillagd rad"
    field = "title" if isinstance(obj, FocusArea) else "text"
    response = client.post(_url(obj, "add"), _form_data(obj, **{field: marker}))
    return _written_or_refused(response, type(obj).objects.filter(**{field: marker}).exists)


def do_change(client, world, obj):
    field = "title" if isinstance(obj, Promise | FocusArea) else "text"
    response = client.post(_url(obj, "change", obj.pk), _form_data(obj, **{field: "Ändrad"}))
    return _written_or_refused(
        response, lambda: getattr(type(obj).objects.get(pk=obj.pk), field) == "Ändrad"
    )


def do_delete(client, world, obj):
    response = client.post(_url(obj, "delete", obj.pk), {"post": "yes"})
    return _written_or_refused(response, lambda: not type(obj).objects.filter(pk=obj.pk).exists())


def _workflow(client, promise, action):
    return client.post(reverse("admin:promises_promise_workflow", args=[promise.pk, action]))


def do_submit(client, world, promise):
    response = _workflow(client, promise, "submit")
    if status := response_outcome(response):
        return status
    promise.refresh_from_db()
    assert promise.status == Promise.Status.IN_REVIEW
    return OK


def do_approve(client, world, promise):
    services.submit_for_review(promise=promise, user=world.users["coord"])
    response = _workflow(client, promise, "approve")
    if status := response_outcome(response):
        return status
    assert PromiseApproval.objects.filter(promise=promise).count() == 1
    return OK


def do_publish(client, world, promise):
    services.submit_for_review(promise=promise, user=world.users["coord"])
    services.approve(promise=promise, user=world.users["coord"])
    services.approve(promise=promise, user=world.users["police"])
    response = _workflow(client, promise, "publish")
    if status := response_outcome(response):
        return status
    assert Promise.objects.published().filter(pk=promise.pk).exists()
    return OK


def do_archive(client, world, promise):
    response = _workflow(client, promise, "archive")
    if status := response_outcome(response):
        return status
    promise.refresh_from_db()
    assert promise.status == Promise.Status.ARCHIVED
    return OK


ACTIONS = {
    "list": do_list,
    "view": do_view,
    "history": do_history,
    "add": do_add,
    "change": do_change,
    "delete": do_delete,
    "submit": do_submit,
    "approve": do_approve,
    "publish": do_publish,
    "archive": do_archive,
}


@pytest.mark.django_db
@pytest.mark.parametrize(("obj", "action", "role", "expected"), CASES)
def test_permission_matrix(client, world, obj, action, role, expected):
    if world.users[role]:
        client.force_login(world.users[role])
    assert ACTIONS[action](client, world, world.target(obj)) == expected


def test_matrix_covers_every_role_and_action_for_each_content_type():
    covered = {(obj.split()[-1], action) for obj, action, *_ in MATRIX}
    for content_type in ("promise", "area", "commitment"):
        for action in ("list", "view", "add", "change", "delete"):
            assert (content_type, action) in covered, (content_type, action)
    for action in ("submit", "approve", "publish"):
        assert ("promise", action) in covered
    assert all(len(outcomes) == len(ROLES) for _obj, _action, *outcomes in MATRIX)


@pytest.mark.django_db
def test_published_children_cannot_be_deleted_with_a_bulk_action(client, world):
    client.force_login(world.users["coord"])
    response = client.post(
        _url(world.published_commitment, "changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [world.published_commitment.pk],
            "post": "yes",
        },
    )
    assert response.status_code == 403
    assert Commitment.objects.filter(pk=world.published_commitment.pk).exists()


@pytest.mark.django_db
def test_police_change_their_commitment_but_not_who_owns_it(client, world):
    client.force_login(world.users["police"])
    commitment = world.police_commitment
    data = _form_data(commitment, text="Polisen patrullerar", owners=[world.m.pk])
    response = client.post(_url(commitment, "change", commitment.pk), data)
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.text == "Polisen patrullerar"
    assert list(commitment.owners.all()) == [world.p]


@pytest.mark.django_db
def test_form_choices_offer_only_the_users_promises(client, world):
    client.force_login(world.users["coord"])
    response = client.get(_url(world.area, "add"))
    promise_field = response.context["adminform"].form.fields["promise"]
    assert list(promise_field.queryset) == [world.promise]


@pytest.mark.django_db
def test_coordinators_of_each_municipality_edit_a_joint_promise(client, world):
    other_municipality = make_municipality()
    world.promise.parties.add(other_municipality)
    coordinator = make_member(other_municipality, Membership.Role.COORDINATOR)
    client.force_login(coordinator)
    response = client.post(
        _url(world.promise, "change", world.promise.pk),
        promise_form_data(world.promise, title="Gemensamt löfte"),
    )
    assert response.status_code == 302
    world.promise.refresh_from_db()
    assert world.promise.title == "Gemensamt löfte"


@pytest.mark.django_db
def test_agreement_choices_are_those_of_the_users_parties(client, world):
    own = make_agreement(parties=[world.m, world.p])
    make_agreement(parties=[world.n, world.q])
    client.force_login(world.users["coord"])
    response = client.get(_url(world.promise, "change", world.promise.pk))
    assert list(response.context["adminform"].form.fields["agreement"].queryset) == [own]


def test_a_model_without_get_parties_is_a_clear_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="get_parties"):
        permissions.can_view(AnonymousUser(), object())
