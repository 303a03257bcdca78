from functools import partial

from django.db import migrations

from promises.groups import grant, revoke

# Residents' reports may carry personal data: only coordinators triage them (view and change
# the status and note), and only superusers delete them. Police and viewers get nothing.
GRANTS = {
    "coordinator": [
        f"reports.{action}_{model}"
        for model in ["errorreport", "unsafeplacereport"]
        for action in ["view", "change"]
    ],
}


class Migration(migrations.Migration):
    dependencies = [
        ("promises", "0004_role_groups"),
        ("reports", "0002_unsafeplacereport_problem"),
    ]

    operations = [
        migrations.RunPython(partial(grant, grants=GRANTS), partial(revoke, grants=GRANTS))
    ]
