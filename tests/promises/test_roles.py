"""Role groups: a member gets their role's model permissions, and loses them with the role."""

from io import StringIO

from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from promises.models import Membership
from tests.factories import make_member, make_membership, make_municipality, make_user


def _groups(user):
    return sorted(user.groups.values_list("name", flat=True))


class RoleGroupTests(TestCase):
    def test_one_group_per_role_from_the_migration(self):
        assert sorted(Group.objects.values_list("name", flat=True)) == sorted(
            Membership.Role.values
        )

    def test_each_role_gets_its_model_permissions(self):
        municipality = make_municipality()
        coordinator = make_member(municipality, Membership.Role.COORDINATOR)
        police = make_member(municipality, Membership.Role.POLICE)
        viewer = make_member(municipality, Membership.Role.VIEWER)
        assert coordinator.has_perms(["promises.add_promise", "promises.delete_commitment"])
        assert police.has_perm("promises.change_commitment")
        assert not police.has_perm("promises.change_promise")
        assert viewer.has_perm("promises.view_promise")
        assert not viewer.has_perm("promises.change_commitment")

    def test_groups_follow_the_memberships(self):
        user = make_user(is_staff=True)
        first = make_membership(user, make_municipality(), Membership.Role.COORDINATOR)
        second = make_membership(user, make_municipality(), Membership.Role.COORDINATOR)
        assert _groups(user) == ["coordinator"]

        first.delete()
        assert _groups(user) == ["coordinator"]  # still a coordinator elsewhere
        second.role = Membership.Role.VIEWER
        second.save()
        assert _groups(user) == ["viewer"]
        second.delete()
        assert _groups(user) == []

    def test_bulk_delete_in_the_admin_keeps_groups_in_step(self):
        user = make_user(is_staff=True)
        membership = make_membership(user, make_municipality(), Membership.Role.POLICE)
        self.client.force_login(make_user(is_staff=True, is_superuser=True))
        self.client.post(
            reverse("admin:promises_membership_changelist"),
            {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
        )
        assert not Membership.objects.exists()
        assert _groups(user) == []

    def test_demo_accounts_get_their_roles_groups(self):
        call_command("load_demo", with_users=True, stdout=StringIO())
        expected = {
            "samordnare-olofstrom": ["coordinator"],
            "samordnare-solvesborg": ["coordinator"],
            "polis-karlshamn": ["police"],
            "lasare-olofstrom": ["viewer"],
        }
        for username, groups in expected.items():
            assert _groups(User.objects.get(username=username)) == groups, username
