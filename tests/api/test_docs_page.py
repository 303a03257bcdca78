"""The API's browsable page: in both languages, with nothing loaded from other sites."""

import re

import pytest


@pytest.mark.parametrize(
    ("url", "heading"), [("/api/", "API för utvecklare"), ("/en/api/", "API for developers")]
)
def test_the_page_explains_the_api_in_both_languages(client, db, url, heading):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert 'data-schema-url="/api/v1/schema/"' in html
    assert 'href="/api/v1/"' in html


def test_swagger_ui_comes_from_the_portal_and_keeps_the_csp(client, db):
    response = client.get("/api/")
    html = response.content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert any("swagger-ui-bundle.js" in source for source in sources)
    assert all(source.startswith("/static/") for source in sources), sources
    # No inline script: the page starts Swagger UI from a file of its own.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp


def test_the_open_data_page_links_to_the_api_and_the_catalogue(client, db):
    html = client.get("/oppna-data/").content.decode()
    assert 'href="/api/"' in html
    assert 'href="/oppna-data/katalog.rdf"' in html
    assert 'href="/oppna-data/katalog.ttl"' in html
