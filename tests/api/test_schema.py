"""Every answer of the API matches the OpenAPI description the portal serves."""

import jsonschema
import pytest
import yaml

from tests.api.test_api import LISTS, OVERVIEW, world  # noqa: F401 (the fixture)


def _json_schema(node):
    """OpenAPI 3.0's schema dialect as JSON Schema: `nullable` becomes a null alternative, and
    objects allow no property the description does not name."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    if converted.get("type") == "object" and "properties" in converted:
        converted.setdefault("additionalProperties", False)
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


@pytest.fixture
def schema(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return response.json()


def _validator(schema, path):
    operation = schema["paths"][path]["get"]
    response_schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    document = {**_json_schema(response_schema), "components": _json_schema(schema["components"])}
    return jsonschema.Draft202012Validator(document)


def _detail_path(schema, list_path):
    (path,) = [p for p in schema["paths"] if p.startswith(list_path) and p != list_path]
    return path


def test_the_description_is_openapi_3_and_names_every_resource(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["license"]["name"] == "CC0 1.0"
    assert set(LISTS + OVERVIEW) <= set(schema["paths"])
    # Read-only: nothing but GET.
    assert {method for item in schema["paths"].values() for method in item} == {"get"}


def test_the_yaml_description_is_the_same(client, schema):
    response = client.get("/api/v1/schema.yaml")
    assert yaml.safe_load(response.content) == schema


@pytest.mark.usefixtures("world")
def test_every_answer_matches_the_description(client, schema):
    checked = 0
    for list_path in LISTS:
        data = client.get(list_path).json()
        _validator(schema, list_path).validate(data)
        assert data["results"], f"{list_path} has no rows to check"
        detail_validator = _validator(schema, _detail_path(schema, list_path))
        for row in data["results"][:3]:
            detail_validator.validate(client.get(row["url"]).json())
            checked += 1
    for path in OVERVIEW:
        data = client.get(path).json()
        assert data, f"{path} has no rows to check"
        _validator(schema, path).validate(data)
    assert checked >= len(LISTS)


def test_a_wrong_answer_would_be_caught(schema):
    with pytest.raises(jsonschema.ValidationError):
        _validator(schema, "/api/v1/promises/{slug}/").validate({"slug": "x", "secret": True})
