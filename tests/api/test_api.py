"""The read-only API: only what residents may see, its filters, links, limits and cost."""

import datetime as dt
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.rest import ClientRateThrottle
from caching import fragments
from followup.models import CommitmentStatus, FollowUpRound
from promises.models import Promise, Theme
from tests.factories import (
    make_commitment,
    make_focus_area,
    make_indicator,
    make_member,
    make_municipality,
    make_police_area,
    make_problem,
    make_promise,
    make_round,
    make_safety_survey,
    make_situation_picture,
    make_survey_result,
)

LISTS = [
    "/api/v1/municipalities/",
    "/api/v1/police-areas/",
    "/api/v1/promises/",
    "/api/v1/focus-areas/",
    "/api/v1/commitments/",
    "/api/v1/followup-rounds/",
    "/api/v1/statuses/",
    "/api/v1/survey-results/",
    "/api/v1/themes/",
]
# The national overview's figures: lists of their own, not paginated.
OVERVIEW = [
    "/api/v1/overview/municipalities/",
    "/api/v1/overview/counties/",
    "/api/v1/overview/police-regions/",
    "/api/v1/overview/years/",
]
SECRET = "HEMLIGT"


def _published_promise(municipality, police, **fields):
    promise = make_promise(parties=[municipality, police], **fields)
    area = make_focus_area(promise, title=f"Trafik {promise.slug}")
    area.themes.set([Theme.objects.get(slug="trafiksakerhet")])
    make_commitment(promise, [police], focus_area=area, text=f"Kontroller {promise.slug}")
    make_commitment(promise, text=f"Vandringar {promise.slug}")
    round_ = make_round(promise, state=FollowUpRound.State.PUBLISHED)
    round_.statuses.update(status=CommitmentStatus.Status.ON_TRACK, progress=40)
    return promise


def _secret_promise(municipality, police, **fields):
    """An unpublished promise with everything under it, each text marked as secret."""
    n = Promise.objects.count()
    promise = make_promise(
        parties=[municipality, police],
        title=f"{SECRET} löfte {n}",
        slug=f"hemligt-{n}",
        goal=SECRET,
        **fields,
    )
    area = make_focus_area(promise, title=f"{SECRET} fokus {n}")
    area.themes.set([Theme.objects.get(slug="barn-och-unga")])
    make_commitment(promise, focus_area=area, text=f"{SECRET} åtagande {n}")
    make_round(promise, state=FollowUpRound.State.PUBLISHED, summary=f"{SECRET} runda {n}")
    return promise


@pytest.fixture
def world(db):
    olofstrom = make_municipality(name="Olofström", municipality_code="9060", county_code="10")
    orust = make_municipality(name="Orust", municipality_code="9421", county_code="14")
    karlshamn = make_police_area(slug="lpo-test-karlshamn", police_region="Syd")
    stenungsund = make_police_area(slug="lpo-test-stenungsund", police_region="Väst")
    olofstrom.police_area = karlshamn
    olofstrom.save()
    current = _published_promise(olofstrom, karlshamn, slug="olofstrom-nu")
    today = timezone.localdate()
    earlier = _published_promise(
        orust,
        stenungsund,
        slug="orust-forr",
        valid_from=dt.date(2020, 1, 1),
        valid_until=dt.date(2021, 12, 31),
    )
    # Everything residents may not see.
    _secret_promise(olofstrom, karlshamn, status=Promise.Status.DRAFT, published_at=None)
    _secret_promise(olofstrom, karlshamn, status=Promise.Status.IN_REVIEW, published_at=None)
    _secret_promise(olofstrom, karlshamn, status=Promise.Status.ARCHIVED)
    _secret_promise(  # published, but not until tomorrow
        olofstrom, karlshamn, published_at=timezone.now() + dt.timedelta(days=1)
    )
    # Its first quarter is published (above); the others are still with the editors.
    for quarter, state in ((2, "draft"), (3, "submitted"), (4, "approved")):
        round_ = make_round(current, year=today.year, quarter=quarter, state=state)
        round_.summary = f"{SECRET} runda {state}"
        round_.save()
        round_.statuses.update(done_this_quarter=f"{SECRET} status", status="delayed")
    indicator = make_indicator(code="oro-brott-test", name="Oro för brott")
    make_survey_result(make_safety_survey(olofstrom, year=2023), indicator, value=24.5)
    hidden = make_safety_survey(olofstrom, year=2024, is_published=False)
    make_survey_result(hidden, indicator, value=99.9)
    internal = make_situation_picture([olofstrom], visibility="internal", public_summary="")
    make_problem(internal, title=f"{SECRET} problem", visibility="internal")
    public = make_situation_picture([olofstrom])
    make_problem(public, title=f"{SECRET} internt", visibility="internal")
    return {"current": current, "earlier": earlier, "olofstrom": olofstrom, "orust": orust}


def _get(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.content[:500])
    return response.json()


def _everything(client):
    """Every page of every list, and every row's own address."""
    texts = []
    for url in OVERVIEW:
        texts.append(json.dumps(_get(client, url), ensure_ascii=False))
    for url in LISTS:
        data = _get(client, url + "?page_size=500")
        texts.append(json.dumps(data, ensure_ascii=False))
        # The 290 municipalities are reference data, published by SCB: their list will do.
        for row in data["results"] if "municipalities" not in url else []:
            texts.append(json.dumps(_get(client, row["url"]), ensure_ascii=False))
    return "\n".join(texts)


def test_nothing_unpublished_appears_anywhere(client, world):
    everything = _everything(client)
    assert "olofstrom-nu" in everything
    assert "orust-forr" in everything
    assert SECRET not in everything
    assert "hemligt-" not in everything
    assert "99.9" not in everything
    assert "delayed" not in everything


def test_unpublished_rows_are_404_by_their_address(client, world):
    for promise in Promise.objects.exclude(pk__in=[world["current"].pk, world["earlier"].pk]):
        assert client.get(f"/api/v1/promises/{promise.slug}/").status_code == 404
        for area in promise.focus_areas.all():
            assert client.get(f"/api/v1/focus-areas/{area.pk}/").status_code == 404
        for commitment in promise.commitments.all():
            assert client.get(f"/api/v1/commitments/{commitment.pk}/").status_code == 404
    for round_ in FollowUpRound.objects.exclude(state="published"):
        assert client.get(f"/api/v1/followup-rounds/{round_.pk}/").status_code == 404
        for status in round_.statuses.all():
            assert client.get(f"/api/v1/statuses/{status.pk}/").status_code == 404


def test_a_signed_in_editor_gets_the_same_public_data(client, world):
    client.force_login(make_member(world["olofstrom"], "coordinator"))
    assert SECRET not in _everything(client)


def test_rows_link_to_each_other_and_to_their_pages(client, world):
    promise = _get(client, "/api/v1/promises/olofstrom-nu/")
    assert promise["url"] == "http://testserver/api/v1/promises/olofstrom-nu/"
    assert promise["page"] == "http://testserver/lofte/olofstrom-nu/"
    assert promise["period"] == "current"
    assert [m["code"] for m in promise["municipalities"]] == ["9060"]
    assert _get(client, promise["municipalities"][0]["url"])["name"] == "Olofström"
    assert _get(client, promise["police_areas"][0]["url"])["slug"] == "lpo-test-karlshamn"
    areas = _get(client, promise["focus_areas"])["results"]
    assert [area["title"] for area in areas] == ["Trafik olofstrom-nu"]
    commitments = _get(client, areas[0]["commitments"])["results"]
    assert [c["text"] for c in commitments] == ["Kontroller olofstrom-nu"]
    assert commitments[0]["owner_group"] == "police"
    latest = commitments[0]["latest_status"]
    assert latest["status"] == "on_track"
    assert latest["progress"] == 40
    round_ = _get(client, latest["round"])
    assert round_["promise"] == promise["url"]
    statuses = _get(client, round_["statuses"])["results"]
    assert {status["commitment"] for status in statuses} >= {commitments[0]["url"]}
    assert _get(client, promise["followup_rounds"])["count"] == 1


def test_the_answers_do_not_depend_on_the_client_language(client, world):
    swedish = client.get("/api/v1/promises/", headers={"accept-language": "sv"}).content
    english = client.get("/api/v1/promises/?x=1", headers={"accept-language": "en"}).content
    assert b"/en/" not in english
    assert json.loads(swedish)["results"] == json.loads(english)["results"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/api/v1/promises/?municipality=9060", {"olofstrom-nu"}),
        ("/api/v1/promises/?police_area=lpo-test-stenungsund", {"orust-forr"}),
        ("/api/v1/promises/?county=14", {"orust-forr"}),
        ("/api/v1/promises/?police_region=Syd", {"olofstrom-nu"}),
        ("/api/v1/promises/?period=current", {"olofstrom-nu"}),
        ("/api/v1/promises/?period=earlier", {"orust-forr"}),
        ("/api/v1/promises/?period=upcoming", set()),
        ("/api/v1/promises/?year=2021", {"orust-forr"}),
        ("/api/v1/commitments/?county=10&status=on_track", {"olofstrom-nu"}),
        ("/api/v1/commitments/?status=delayed", set()),
        ("/api/v1/focus-areas/?promise=orust-forr", {"orust-forr"}),
        ("/api/v1/followup-rounds/?year=2020&quarter=1", {"orust-forr"}),
        ("/api/v1/statuses/?municipality=9421&status=on_track", {"orust-forr"}),
        ("/api/v1/promises/?theme=trafiksakerhet", {"olofstrom-nu", "orust-forr"}),
        ("/api/v1/promises/?theme=barn-och-unga", set()),
        ("/api/v1/focus-areas/?theme=trafiksakerhet&period=current", {"olofstrom-nu"}),
        ("/api/v1/commitments/?theme=trafiksakerhet&municipality=9421", {"orust-forr"}),
        ("/api/v1/followup-rounds/?theme=trafiksakerhet&county=10", {"olofstrom-nu"}),
    ],
)
def test_filters(client, world, url, expected):
    rows = _get(client, url)["results"]
    slugs = {row.get("slug") or row.get("promise_slug") for row in rows}
    assert slugs == expected


def test_survey_results_filter_by_place_and_year(client, world):
    rows = _get(client, "/api/v1/survey-results/?municipality=9060&year=2023")["results"]
    assert [(row["area"]["code"], row["value"]) for row in rows] == [("9060", 24.5)]
    assert _get(client, "/api/v1/survey-results/?police_area=lpo-test-karlshamn")["count"] == 1
    assert _get(client, "/api/v1/survey-results/?year=2024")["count"] == 0


def test_municipalities_filter_by_police_area(client, world):
    rows = _get(client, "/api/v1/municipalities/?police_area=lpo-test-karlshamn")["results"]
    assert [row["code"] for row in rows] == ["9060"]


def test_focus_areas_carry_their_themes(client, world):
    (area,) = _get(client, "/api/v1/focus-areas/?promise=olofstrom-nu")["results"]
    (theme,) = area["themes"]
    assert (theme["slug"], theme["name_sv"], theme["name_en"]) == (
        "trafiksakerhet",
        "Trafiksäkerhet",
        "Traffic safety",
    )
    assert _get(client, _get(client, theme["url"])["promises"])["count"] == 2


def test_overview_figures(client, world):
    municipalities = {row["code"]: row for row in _get(client, OVERVIEW[0])}
    assert len(municipalities) >= 290
    assert municipalities["9060"]["has_current_promise"] is True
    assert municipalities["9421"]["has_current_promise"] is False
    assert _get(client, municipalities["9060"]["url"])["name"] == "Olofström"
    counties = {row["key"]: row for row in _get(client, OVERVIEW[1])}
    assert counties["10"]["with_current_promise"] == 1
    assert counties["10"]["themes"][0]["theme"]["slug"] == "trafiksakerhet"
    assert counties["10"]["themes"][0]["municipalities"] == 1
    regions = {row["key"]: row for row in _get(client, OVERVIEW[2] + "?theme=barn-och-unga")}
    assert all(region["with_current_promise"] == 0 for region in regions.values())
    years = {row["year"]: row["promises"] for row in _get(client, OVERVIEW[3])}
    assert years[2020] == years[2021] == 1
    assert client.get(OVERVIEW[3] + "?theme=ingen-sadan").status_code == 400


def test_bad_filter_values_are_a_clear_400(client, world):
    response = client.get("/api/v1/promises/?period=someday")
    assert response.status_code == 400
    assert "period" in response.json()
    assert client.get("/api/v1/promises/?year=99999999999999999999").status_code == 400


def test_pages_are_bounded(client, world):
    for n in range(3):
        make_promise(slug=f"extra-{n}")
    data = _get(client, "/api/v1/promises/?page_size=2")
    assert len(data["results"]) == 2
    assert data["count"] == 5
    assert data["next"].endswith("page=2&page_size=2")
    assert len(_get(client, "/api/v1/promises/?page_size=100000")["results"]) == 5


def test_read_only_and_open_to_other_sites(client, world):
    assert client.post("/api/v1/promises/", {}).status_code == 405
    assert client.delete("/api/v1/promises/olofstrom-nu/").status_code == 405
    response = client.get("/api/v1/promises/", headers={"origin": "https://example.org"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        "/api/v1/promises/",
        headers={
            "origin": "https://example.org",
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match",
        },
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    # Only the API: the pages are not for other sites' scripts.
    page = client.get("/", headers={"origin": "https://example.org"})
    assert "Access-Control-Allow-Origin" not in page


def test_answers_are_cached_like_pages_with_an_etag(client, world):
    first = client.get("/api/v1/commitments/")
    assert "public" in first["Cache-Control"]
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/api/v1/commitments/")
    assert len(queries) == 0
    assert second.content == first.content
    again = client.get("/api/v1/commitments/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    make_commitment(world["current"], text="Ny belysning")
    assert b"Ny belysning" in client.get("/api/v1/commitments/").content


def test_clients_are_rate_limited(client, world, settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 0  # every request reaches the API
    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"api": "2/minute"})
    # Twenty seconds into a minute: the window of the count turns forty seconds later.
    minute = timezone.now().replace(second=20, microsecond=0) + dt.timedelta(minutes=1)
    with time_machine.travel(minute, tick=False):
        assert client.get("/api/v1/promises/").status_code == 200
        assert client.get("/api/v1/police-areas/").status_code == 200
        refused = client.get("/api/v1/promises/")
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) == 40
        other = client.get("/api/v1/promises/", REMOTE_ADDR="192.0.2.7")
        assert other.status_code == 200
    with time_machine.travel(minute + dt.timedelta(seconds=40), tick=False):
        assert client.get("/api/v1/promises/").status_code == 200


def test_the_sites_own_warm_up_is_never_rate_limited(client, world, settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"api": "1/minute"})
    warm_up = {"REMOTE_ADDR": fragments.WARM_UP_ADDRESS}
    statuses = [client.get("/api/v1/promises/", **warm_up).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    assert [client.get("/api/v1/promises/").status_code for _ in range(2)] == [200, 429]


def _query_counts(client):
    counts = {}
    for url in [f"{url}?page_size=500" for url in LISTS] + OVERVIEW:
        with CaptureQueriesContext(connection) as queries:
            _get(client, url)
        counts[url] = len(queries)
    return counts


def test_list_query_counts_are_small_and_flat(client, world, settings):
    settings.PAGE_CACHE_SECONDS = 0
    small = _query_counts(client)
    police = make_police_area()
    indicator = make_indicator()
    for n in range(6):
        municipality = make_municipality(police_area=police)
        promise = _published_promise(municipality, police, slug=f"fler-{n}")
        make_commitment(promise, [municipality, police, make_municipality()])
        for year in (2022, 2023):
            survey = make_safety_survey(municipality, year=year)
            make_survey_result(survey, indicator)
            make_survey_result(survey, indicator, group="women")
    large = _query_counts(client)
    assert large == small
    assert max(large.values()) <= 12


def test_with_the_cache_down_the_api_is_served_unlimited(client, world, settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"api": "1/minute"})

    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(ClientRateThrottle.cache, "incr", unreachable)
    monkeypatch.setattr(ClientRateThrottle.cache, "add", unreachable)
    for _ in range(3):
        assert client.get("/api/v1/promises/").status_code == 200


def test_a_promise_published_for_later_appears_when_its_time_comes(client, db):
    make_promise(slug="snart", published_at=timezone.now() + dt.timedelta(hours=1))
    assert client.get("/api/v1/promises/snart/").status_code == 404
    assert _get(client, "/api/v1/promises/")["count"] == 0
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)):
        assert client.get("/api/v1/promises/snart/").status_code == 200
        assert _get(client, "/api/v1/promises/?x=later")["count"] == 1


def _rows(client, url):
    return {row["url"]: row for row in _get(client, url)["results"]}


def test_a_kept_row_is_renewed_when_what_it_shows_changes(client, world, settings):
    settings.PAGE_CACHE_SECONDS = 0  # each request reaches the kept rows
    current, earlier = world["current"], world["earlier"]
    promise_url = f"http://testserver/api/v1/promises/{current.slug}/"
    other_url = f"http://testserver/api/v1/promises/{earlier.slug}/"
    assert _rows(client, "/api/v1/promises/")[promise_url]["title"] == current.title
    current.title = "Tryggare Olofström"
    current.save()
    # A party's name shows in every row that names it (the scope of everything).
    world["orust"].name = "Orust kommun"
    world["orust"].save()
    promises = _rows(client, "/api/v1/promises/")
    assert promises[promise_url]["title"] == "Tryggare Olofström"
    assert promises[other_url]["municipalities"][0]["name"] == "Orust kommun"

    (status,) = CommitmentStatus.objects.filter(
        round__promise=current, round__state="published", commitment__focus_area__isnull=False
    )
    assert _get(client, "/api/v1/commitments/?promise=olofstrom-nu")["count"] == 2
    status.status = CommitmentStatus.Status.DONE
    status.save()
    commitment = _rows(client, "/api/v1/commitments/")[
        f"http://testserver/api/v1/commitments/{status.commitment_id}/"
    ]
    assert commitment["latest_status"]["status"] == "done"
    assert (
        _rows(client, "/api/v1/statuses/")[f"http://testserver/api/v1/statuses/{status.pk}/"][
            "status"
        ]
        == "done"
    )


def test_a_page_of_a_list_without_filters_is_kept_and_then_costs_no_query(client, world, settings):
    settings.PAGE_CACHE_SECONDS = 0
    for url in LISTS:
        with CaptureQueriesContext(connection) as first:
            sent = _get(client, url)
        with CaptureQueriesContext(connection) as again:
            assert _get(client, url) == sent
        assert len(first) > 0
        assert len(again) == 0, (url, [query["sql"] for query in again])


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/municipalities/?police_area=lpo-test-karlshamn",
        "/api/v1/promises/?municipality=9060",
        "/api/v1/commitments/?status=on_track",
        "/api/v1/statuses/?municipality=9421",
        "/api/v1/survey-results/?municipality=9060&year=2023",
    ],
)
def test_a_filtered_page_reads_only_its_ids_and_count_in_one_query(client, world, settings, url):
    settings.PAGE_CACHE_SECONDS = 0
    sent = _get(client, url)
    with CaptureQueriesContext(connection) as again:
        assert _get(client, url) == sent
    assert len(again) == 1, [query["sql"] for query in again]


def test_a_kept_list_follows_every_publication_and_withdrawal(client, world, settings):
    settings.PAGE_CACHE_SECONDS = 0
    before = _get(client, "/api/v1/promises/")
    newest = make_promise(
        slug="nyast", valid_from=dt.date(2030, 1, 1), valid_until=dt.date(2030, 12, 31)
    )
    after = _get(client, "/api/v1/promises/")
    assert after["count"] == before["count"] + 1
    assert after["results"][0]["slug"] == "nyast"
    newest.status = Promise.Status.ARCHIVED
    newest.save()
    assert _get(client, "/api/v1/promises/") == before


def test_the_count_is_right_on_every_page(client, world, settings):
    settings.PAGE_CACHE_SECONDS = 0
    for n in range(3):
        make_promise(slug=f"extra-{n}")
    pages = [_get(client, f"/api/v1/promises/?page_size=2&page={n}") for n in (1, 2, 3)]
    assert [page["count"] for page in pages] == [5, 5, 5]
    assert [len(page["results"]) for page in pages] == [2, 2, 1]
    assert pages[2]["next"] is None
    for beyond in ("4", "0", "-1", "x", "1.5"):
        response = client.get(f"/api/v1/promises/?page_size=2&page={beyond}")
        assert response.status_code == 404, beyond
    assert _get(client, "/api/v1/promises/?municipality=0000") == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_rows_are_kept_per_site_address(client, world, settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.ALLOWED_HOSTS = ["testserver", "api.example.org"]
    assert _get(client, "/api/v1/promises/")["results"][0]["url"].startswith("http://testserver/")
    other = _get(client, "/api/v1/promises/", host="api.example.org")
    assert other["results"][0]["url"].startswith("http://api.example.org/")


@pytest.mark.django_db
def test_after_a_write_the_first_pages_are_rendered_again_at_once(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 0
    settings.SITE_URL = "http://testserver"
    promise = make_promise(slug="snabb")
    assert _get(client, "/api/v1/promises/")["results"][0]["slug"] == "snabb"
    promise.title = "Ny rubrik"
    with django_capture_on_commit_callbacks(execute=True):
        promise.save()  # the warm-up after its commit renders the first pages of the lists
    with CaptureQueriesContext(connection) as queries:
        assert _get(client, "/api/v1/promises/")["results"][0]["title"] == "Ny rubrik"
    assert len(queries) == 0
