"""What came of residents' reports, on the municipality's page (see promises.pages): counts
by outcome and of the reporters' answers, with no personal data. Only a coordinator's outcome
or a reporter's answer changes them, and both move the page cache on."""

from django.db.models import Count, Q

from promises import pages

from .models import FeelsBetter, Outcome, UnsafePlaceReport


def report_outcomes(municipality):
    counts = UnsafePlaceReport.objects.filter(municipality=municipality).aggregate(
        **{f"outcome_{o.value}": Count("pk", filter=Q(outcome=o)) for o in Outcome},
        **{f"answer_{a.value}": Count("pk", filter=Q(feels_better=a)) for a in FeelsBetter},
    )
    outcomes = [(o.label, counts[f"outcome_{o.value}"]) for o in Outcome]
    answers = [(a.label, counts[f"answer_{a.value}"]) for a in FeelsBetter]
    return {
        "report_outcomes": {
            "outcomes": outcomes,
            "answers": [(label, n) for label, n in answers if n],
            "total": sum(n for _label, n in outcomes) + sum(n for _label, n in answers),
        }
    }


pages.register("municipality_detail", report_outcomes)
