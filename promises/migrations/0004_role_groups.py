from django.db import migrations

from promises.groups import ROLES, grant, revoke


def _codenames(actions, models):
    return [f"promises.{action}_{model}" for model in models for action in actions]


CONTENT = ["agreement", "promise", "focusarea", "commitment"]
READ_ONLY = ["party", "promiseapproval"]

# Model permissions per role; which rows each member may touch is promises.permissions' job.
GRANTS = {
    "coordinator": _codenames(["view", "add", "change", "delete"], CONTENT)
    + _codenames(["view"], READ_ONLY),
    "police": _codenames(["view"], CONTENT + READ_ONLY) + ["promises.change_commitment"],
    "viewer": _codenames(["view"], CONTENT + READ_ONLY),
}


def create_groups(apps, schema_editor):
    grant(apps, schema_editor, grants=GRANTS)


def delete_groups(apps, schema_editor):
    revoke(apps, schema_editor, grants=GRANTS)
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES, permissions=None).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("promises", "0003_roles_and_approvals"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
