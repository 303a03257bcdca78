"""Generated hostile input, by Hypothesis: no page, form, admin list or import ever answers 500,
and nothing is half written.

Derandomized and without an example database, so that CI runs the same cases every time; the
max_examples below add up to 210 cases.
"""

import pytest
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup.models import FollowUpRound
from reports.models import ErrorReport, UnsafePlaceReport
from situation import survey_csv
from situation.models import SafetySurvey, SurveyResult
from tests.factories import (
    make_municipality,
    make_police_area,
    make_promise,
    make_round,
    make_safety_survey,
    make_user,
)

GENERATED = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Values an attacker or a broken client sends; Hypothesis adds arbitrary text to them.
HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "abc",
    "-1",
    "0",
    "1.5",
    "1e309",
    "NaN",
    "99999999999999999999",
    "9" * 5000,
    "１２",
    "٣",
    "' OR 1=1 --",
    '"><script>alert(1)</script>',
    "../../etc/passwd",
    "%00",
    "\u202e",
    "😀" * 50,
]
# Text without lone surrogates, which no client can send encoded in a query string.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
VALUES = st.one_of(st.sampled_from(HOSTILE), TEXT)
# Raw query strings the test client would otherwise encode: bad UTF-8, an encoded surrogate.
RAW_QUERIES = st.sampled_from(["%ff", "%ED%A0%80", "%00", "a=%", "&&==", "a[]=1&a[]=2", "%C0%AF"])

PUBLIC_PAGES = {
    "/": [],
    "/en/": [],
    "/sok/": [
        "q",
        "municipality",
        "county",
        "police_area",
        "theme",
        "focus_area",
        "period",
        "page",
    ],
    "/arkiv/": ["page"],
    "/hitta-kommun/": ["municipality"],
    "/oppna-data/": ["kommun"],
    "/kommun/norrby/": [],
    "/kommun/norrby/trygghet/": [],
    "/uppfoljning/flode/": [],
    "/rapportera/fel-pa-sidan/": ["page"],
    "/rapportera/otrygg-plats/": ["municipality"],
}
COMMON_PARAMETERS = ["page", "q", "kommun", "lang", "format"]

ADMIN_LISTS = {
    "/admin/promises/promise/": [
        "status__exact",
        "municipality",
        "police_area",
        "valid_from__year",
        "valid_from__month",
        "valid_from__day",
    ],
    "/admin/promises/agreement/": ["municipality", "police_area", "valid_from__year"],
    "/admin/followup/followupround/": [
        "state__exact",
        "year__exact",
        "quarter__exact",
        "meeting_date__year",
    ],
    "/admin/followup/commitmentstatus/": [
        "status__exact",
        "round__state__exact",
        "round__year__exact",
    ],
    "/admin/situation/safetysurvey/": ["is_published__exact", "is_example__exact", "year__exact"],
    "/admin/situation/problem/": ["commitment", "category__exact", "observed_on__year"],
    "/admin/reports/unsafeplacereport/": ["status__exact", "municipality__id__exact"],
}
ADMIN_COMMON = ["q", "p", "o", "e", "all", "_to_field", "_popup"]


@pytest.fixture
def site(db):
    municipality = make_municipality(slug="norrby", municipality_code="9701")
    police = make_police_area()
    promise = make_promise(parties=[municipality, police])
    make_round(promise, state=FollowUpRound.State.PUBLISHED)
    make_safety_survey(area=municipality, is_published=True)
    return {"municipality": municipality, "promise": promise}


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


@pytest.fixture
def superuser_client():
    client = Client(raise_request_exception=False)
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


@settings(GENERATED, max_examples=60)
@given(
    page=st.sampled_from(sorted(PUBLIC_PAGES)),
    data=st.data(),
)
def test_public_pages_answer_any_query_without_a_500(site, anonymous, page, data):
    names = PUBLIC_PAGES[page] + COMMON_PARAMETERS
    query = data.draw(st.dictionaries(st.sampled_from(names), VALUES, max_size=4))
    response = anonymous.get(page, query)
    assert response.status_code < 500, (page, query)
    raw = data.draw(RAW_QUERIES)
    assert anonymous.get(f"{page}?{raw}").status_code < 500, (page, raw)


@settings(GENERATED, max_examples=50)
@given(form=st.sampled_from(["error", "unsafe"]), fields=st.data())
@override_settings(REPORTS_RATE_LIMIT=(10_000, 60))
def test_report_forms_take_any_input_without_a_500_or_a_partial_write(
    site, anonymous, form, fields
):
    url, model, names = {
        "error": ("/rapportera/fel-pa-sidan/", ErrorReport, ["page_url", "message", "email"]),
        "unsafe": (
            "/rapportera/otrygg-plats/",
            UnsafePlaceReport,
            ["municipality", "place", "description", "email"],
        ),
    }[form]
    data = fields.draw(st.fixed_dictionaries(dict.fromkeys(names, VALUES)))
    data["consent"] = fields.draw(st.sampled_from(["", "on", "\x00"]))
    before = model.objects.count()
    response = anonymous.post(url, data)
    assert response.status_code < 500, data
    written = model.objects.count() - before
    assert written == (1 if response.status_code == 302 and not data.get("website") else 0)


@settings(GENERATED, max_examples=60)
@given(admin_list=st.sampled_from(sorted(ADMIN_LISTS)), data=st.data())
def test_admin_lists_answer_any_filter_without_a_500(site, superuser_client, admin_list, data):
    names = ADMIN_LISTS[admin_list] + ADMIN_COMMON
    query = data.draw(st.dictionaries(st.sampled_from(names), VALUES, min_size=1, max_size=3))
    response = superuser_client.get(admin_list, query)
    assert response.status_code in (200, 302, 400, 404), (admin_list, query)


CELLS = st.one_of(
    st.sampled_from(["9701", "oro-brott", "all", "2023", "24,5", "\x00", '"', "", "1e3"]),
    st.text(max_size=20),
)
ROWS = st.lists(st.lists(CELLS, min_size=0, max_size=7), min_size=0, max_size=6)


@settings(GENERATED, max_examples=40)
@given(
    rows=ROWS,
    ending=st.sampled_from(["\n", "\r\n", "\r"]),
    header=st.sampled_from(["area,year,indicator,group,value", "area,year", ""]),
    bom=st.booleans(),
    garbage=st.binary(max_size=20),
)
def test_survey_import_of_any_file_writes_all_or_nothing(site, rows, ending, header, bom, garbage):
    text = ending.join([header, *(",".join(row) for row in rows)]) + ending
    data = ("\ufeff" if bom else "").encode() + text.encode("utf-8", "surrogatepass") + garbage
    before = (SafetySurvey.objects.count(), SurveyResult.objects.count())
    try:
        summary = survey_csv.import_text(survey_csv.decode(data))
    except survey_csv.SurveyCSVError:
        assert (SafetySurvey.objects.count(), SurveyResult.objects.count()) == before
    else:
        assert SafetySurvey.objects.count() == before[0] + summary.surveys_created
        assert SurveyResult.objects.count() == before[1] + summary.results_created
