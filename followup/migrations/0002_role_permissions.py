from functools import partial

from django.db import migrations

from promises.groups import grant, revoke


def _codenames(actions, models):
    return [f"followup.{action}_{model}" for model in models for action in actions]


ROUNDS = ["followupround", "commitmentstatus"]

# Model permissions per role; which rows each member may touch, and in which state of the
# round, is promises.permissions' job (FollowUpRound/CommitmentStatus.get_editors, is_locked).
# Coordinators start rounds; the status rows come with the round. Nobody but a superuser
# deletes. Reminders name their recipients, so viewers don't see them.
GRANTS = {
    "coordinator": _codenames(["view", "change"], ROUNDS)
    + ["followup.add_followupround", "followup.view_followupreminder"],
    "police": _codenames(["view", "change"], ROUNDS) + ["followup.view_followupreminder"],
    "viewer": _codenames(["view"], ROUNDS),
}


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0001_initial"),
        ("promises", "0004_role_groups"),
    ]

    operations = [
        migrations.RunPython(partial(grant, grants=GRANTS), partial(revoke, grants=GRANTS))
    ]
