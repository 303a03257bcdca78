from functools import partial

from django.db import migrations

from promises.groups import grant, revoke


def _codenames(actions, models):
    return [f"situation.{action}_{model}" for model in models for action in actions]


CONTENT = ["place", "situationpicture", "problem", "actionplan", "safetysurvey", "surveyresult"]
# The indicators are the surveys' common questions, kept by the administrators.
EVERYTHING = [*CONTENT, "indicator"]

# Model permissions per role; which rows each member may touch is promises.permissions' job.
# Nobody but a superuser deletes: a public picture is made internal instead.
GRANTS = {
    "coordinator": _codenames(["view", "add", "change"], CONTENT) + ["situation.view_indicator"],
    "police": _codenames(["view"], EVERYTHING),
    "viewer": _codenames(["view"], EVERYTHING),
}


class Migration(migrations.Migration):
    dependencies = [
        ("promises", "0004_role_groups"),
        ("situation", "0002_common_indicators"),
    ]

    operations = [
        migrations.RunPython(partial(grant, grants=GRANTS), partial(revoke, grants=GRANTS))
    ]
