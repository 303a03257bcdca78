from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone


def store_latest_status(apps, schema_editor):
    """Each commitment's status in its latest published round, and when a round or promise
    published for a later time may change it, in one UPDATE: what
    followup.latest_status.refresh_latest_status() stores, with published() spelled out for
    the models as they are here."""
    Commitment = apps.get_model("promises", "Commitment")
    CommitmentStatus = apps.get_model("followup", "CommitmentStatus")
    now = timezone.now()
    rows = CommitmentStatus.objects.filter(
        commitment=OuterRef("pk"), round__state="published", round__promise__status="published"
    ).annotate(public_from=Greatest("round__published_at", "round__promise__published_at"))
    latest = rows.filter(public_from__lte=now).order_by("-round__year", "-round__quarter")
    scheduled = rows.filter(public_from__gt=now).order_by("public_from")
    Commitment.objects.update(
        latest_status=Coalesce(Subquery(latest.values("status")[:1]), Value("")),
        latest_status_until=Subquery(scheduled.values("public_from")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("promises", "0010_promise_published_newest_index"),
        # The stored status is read from the follow-up rounds and their status rows.
        ("followup", "0004_search_vector"),
    ]

    operations = [
        migrations.AddField(
            model_name="commitment",
            name="latest_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("not_started", "not started"),
                    ("ongoing", "ongoing"),
                    ("on_track", "on track"),
                    ("at_risk", "at risk"),
                    ("delayed", "delayed"),
                    ("done", "done"),
                    ("cancelled", "cancelled"),
                ],
                editable=False,
                help_text=(
                    "Its status in the latest published follow-up round; derived from the "
                    "follow-up and kept up to date automatically."
                ),
                max_length=20,
                verbose_name="latest published status",
            ),
        ),
        migrations.AddField(
            model_name="commitment",
            name="latest_status_until",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text=(
                    "When a follow-up round or promise published for a later time becomes "
                    "public, and with it perhaps another status; kept up to date automatically."
                ),
                null=True,
                verbose_name="latest published status holds until",
            ),
        ),
        # Before the indexes, which are then built once. Backwards, removing the fields takes
        # their values with them.
        migrations.RunPython(store_latest_status, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="commitment",
            index=models.Index(
                fields=["latest_status", "promise"], name="commitment_latest_status"
            ),
        ),
        migrations.AddIndex(
            model_name="commitment",
            index=models.Index(
                condition=models.Q(("latest_status_until__isnull", False)),
                fields=["latest_status_until"],
                name="commitment_status_until",
            ),
        ),
        migrations.AddConstraint(
            model_name="commitment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("latest_status", ""),
                    (
                        "latest_status__in",
                        [
                            "not_started",
                            "ongoing",
                            "on_track",
                            "at_risk",
                            "delayed",
                            "done",
                            "cancelled",
                        ],
                    ),
                    _connector="OR",
                ),
                name="commitment_latest_status_valid",
            ),
        ),
    ]
