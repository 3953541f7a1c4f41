import json

import pytest
from ninja.responses import NinjaJSONEncoder
from openapi_spec_validator import validate

from api.v1 import api as api_v1
from api.v1.errors import ERROR_STATUSES

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi_3_1(schema):
    assert schema["openapi"].startswith("3.1")
    validate(schema)


def test_every_operation_declares_every_error_in_the_one_shape(schema):
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) >= 20
    for operation in operations:
        for status in ERROR_STATUSES:
            content = operation["responses"][str(status)]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/ErrorOut"}, operation["operationId"]


def test_money_is_published_as_a_string(schema):
    assert schema["components"]["schemas"]["CartOut"]["properties"]["total"]["type"] == "string"


def test_the_docs_page_loads_swagger_from_our_static_files_under_the_csp(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "http" not in policy


def test_cors_is_off_by_default(client):
    response = client.options(
        "/api/v1/carts", HTTP_ORIGIN="https://app.example.com", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert "Access-Control-Allow-Origin" not in response


def test_cors_allows_only_the_listed_origins(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    allowed = client.get("/api/v1/openapi.json", HTTP_ORIGIN="https://app.example.com")
    assert allowed["Access-Control-Allow-Origin"] == "https://app.example.com"
    other = client.get("/api/v1/openapi.json", HTTP_ORIGIN="https://evil.example.com")
    assert "Access-Control-Allow-Origin" not in other
    web_page = client.get("/robots.txt", HTTP_ORIGIN="https://app.example.com")
    assert "Access-Control-Allow-Origin" not in web_page


def test_an_unknown_route_under_the_api_is_not_a_500(client):
    assert client.get("/api/v1/nothing-here").status_code == 404


def served_schema() -> dict:
    """The schema /api/v1/openapi.json serves, as JSON reads it back (status codes as strings)."""
    return json.loads(json.dumps(api_v1.get_openapi_schema(path_prefix="/api/v1/"), cls=NinjaJSONEncoder))


def test_the_served_schema_is_the_one_schemathesis_runs_over(schema):
    assert schema == served_schema()


def test_a_nul_character_is_refused_in_the_apis_error_shape(api):
    refused = api.get("/animals", species="dog\x00")
    assert refused.status_code == 400 and refused["Content-Type"] == "application/json"
    assert refused.json() == {"detail": "The request contains a NUL character.", "code": "bad_request"}
