"""The evidence behind the promises: the situation picture (lägesbild) and the safety surveys.

Dependencies point one way only: this app knows the promises app, never the reverse.
Who may see and change its rows is promises.permissions' job: each model names its parties
(get_parties(), and for_user() for lists); their coordinators edit, police and viewers read.
"""

from .picture import (
    ActionPlan,
    Place,
    PlaceKind,
    Problem,
    ProblemCategory,
    ProblemSource,
    ProblemTrend,
    SituationPicture,
    Visibility,
)
from .surveys import MAX_YEAR, MIN_YEAR, Indicator, SafetySurvey, SurveyGroup, SurveyResult

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "ActionPlan",
    "Indicator",
    "Place",
    "PlaceKind",
    "Problem",
    "ProblemCategory",
    "ProblemSource",
    "ProblemTrend",
    "SafetySurvey",
    "SituationPicture",
    "SurveyGroup",
    "SurveyResult",
    "Visibility",
]
