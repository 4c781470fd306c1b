"""The OpenAPI document: every api view is in it, it follows the loaded families, and real answers fit it."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import schemathesis
from apispec import yaml_utils
from flask import Flask
from openapi_spec_validator import validate as validate_openapi

from api_spec import DECIMAL_TEXT, NON_NEGATIVE_DECIMAL_TEXT, api_views, openapi
from server import create_app
from tests.conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
BASE_POLICY = ROOT / "tests" / "fixtures" / "base_policy"
SCRATCH_DB = str(Path(tempfile.mkdtemp(prefix="lanshan-spec-")) / "decisions.sqlite3")


def base_app() -> Any:
    """The service on the one-family test policy, logging to a scratch database."""
    return create_app({"TESTING": True, "POLICIES_DIR": str(BASE_POLICY), "BACKEND": "python",
                       "DATABASE_URL": SCRATCH_DB})


@pytest.fixture(scope="module")
def document(app: Flask) -> dict[str, Any]:
    return app.test_client().get("/openapi.json").get_json()


@pytest.fixture(scope="module")
def api_schema(document: dict[str, Any]) -> Any:
    return schemathesis.openapi.from_dict(document)


def validator(document: dict[str, Any], component: str) -> Any:
    """A JSON Schema 2020-12 validator for one component, its references resolved inside the document."""
    return jsonschema_rs.Draft202012Validator({"$ref": f"#/components/schemas/{component}",
                                               "components": document["components"]})


def undocumented(app: Flask) -> list[str]:
    """Return ``endpoint METHOD`` for every api view method without an OpenAPI operation in its docstring."""
    missing = []
    for endpoint, (_rule, methods) in sorted(api_views(app).items()):
        operations = yaml_utils.load_operations_from_docstring(app.view_functions[endpoint].__doc__ or "")
        missing += [f"{endpoint} {m}" for m in sorted(methods) if m.lower() not in operations]
    return missing


def test_every_api_view_documents_its_operations(app: Flask, document: dict[str, Any]) -> None:
    assert undocumented(app) == []
    views = api_views(app)
    assert len(views) >= 5  # evaluate, policies, policy_detail, health, openapi_document
    for rule, methods in views.values():
        path = rule.replace("<", "{").replace(">", "}")
        assert {m.lower() for m in methods} <= set(document["paths"][path])


def test_an_api_view_without_an_openapi_docstring_is_caught() -> None:
    app = base_app()

    def forgotten() -> str:
        """Say something, but no ``---`` operation."""
        return "{}"

    app.add_url_rule("/forgotten", endpoint="api.forgotten", view_func=forgotten, methods=["POST"])
    assert undocumented(app) == ["api.forgotten POST"]


def test_url_variables_are_path_parameters_even_when_the_docstring_omits_them() -> None:
    app = base_app()

    def thing(ref: str) -> str:
        """Show a thing.
        ---
        get:
          responses: {"200": {description: 有}}
        """
        return "{}"

    app.add_url_rule("/things/<ref>", endpoint="api.thing", view_func=thing)
    path = openapi(app, app.extensions["lanshan.store"].current)["paths"]["/things/{ref}"]
    assert path["parameters"] == [{"in": "path", "name": "ref", "required": True, "schema": {"type": "string"}}]
    assert path["get"]["responses"]["200"]["description"] == "有"


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    validate_openapi(document)  # raises OpenAPIValidationError on any breach of the 3.1 schema


def test_only_api_views_are_in_the_document(document: dict[str, Any]) -> None:
    # the web/ pages and Flask's static route are not part of the JSON API
    assert all(not path.startswith("/static") for path in document["paths"])


def test_request_envelopes_follow_the_loaded_families(app: Flask, document: dict[str, Any]) -> None:
    policies = app.extensions["lanshan.store"].current
    loaded = {(f.name, k) for f in policies.families.values() for k in f.kinds}
    assert {("listing", "enterprise"), ("expropriation", "household"), ("expropriation", "project")} <= loaded
    refs = [r["$ref"] for r in document["components"]["schemas"]["EvaluateRequest"]["oneOf"]]
    assert sorted(refs) == sorted(f"#/components/schemas/EvaluateRequest.{f}.{k}" for f, k in loaded)


def test_a_policies_directory_with_one_family_gives_one_envelope() -> None:
    app = base_app()
    document = openapi(app, app.extensions["lanshan.store"].current)
    assert document["components"]["schemas"]["EvaluateRequest"]["oneOf"] == [
        {"$ref": "#/components/schemas/EvaluateRequest.listing.enterprise"}]
    assert "expropriation_household" not in document["components"]["schemas"]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_each_example_request_fits_the_request_schema(document: dict[str, Any], example: Path) -> None:
    request = json.loads(example.read_text(encoding="utf-8"))
    assert validator(document, "EvaluateRequest").is_valid(request)


@pytest.mark.parametrize("query", ["", "?explain=1"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_each_example_answer_fits_the_answer_schema(client: Any, api_schema: Any, example: Path,
                                                    query: str) -> None:
    response = client.post("/evaluate" + query, data=example.read_bytes(), content_type="application/json")
    assert response.status_code == 200
    assert response.get_json()["status"] == "evaluated"
    api_schema["/evaluate"]["POST"].validate_response(response)  # raises on any mismatch


def test_the_answer_schema_refuses_a_float_amount(document: dict[str, Any], client: Any) -> None:
    answer = client.post("/evaluate", data=EXAMPLES[0].read_bytes(), content_type="application/json").get_json()
    check = validator(document, "Answer")
    assert check.is_valid(answer)
    assert not check.is_valid({**answer, "total": float(answer["total"])})
    assert not check.is_valid({**answer, "surprise": 1})  # an undocumented key breaks the contract


@pytest.mark.parametrize(("body", "status"), [
    (b'{"policy": ', 400),
    (b'{"policy": "nonexistent", "facts": {}}', 404),
    (b" " * (1024 * 1024 + 1), 413),  # one byte over the default 1 MiB limit
    (b'{"policy": "listing", "kind": "enterprise", "facts": {"name": 1, "events": []}}', 422),
    # a governing date before 2022-04-29 (the listing measure's first day): a 200 with no policy in force
    (b'{"policy": "listing", "facts": {"name": "x", "events": [{"type": "neeq_listing", "date": "2021-01-04"}]}}',
     200),
])
def test_error_and_no_policy_answers_fit(client: Any, api_schema: Any, body: bytes, status: int) -> None:
    response = client.post("/evaluate", data=body, content_type="application/json")
    assert response.status_code == status
    api_schema["/evaluate"]["POST"].validate_response(response)


@pytest.mark.parametrize(("path", "status"), [
    ("/policies", 200), ("/health", 200), ("/openapi.json", 200),
    ("/policies/listing/2022-04-29", 200), ("/policies/expropriation/2022-04-01", 200),
    ("/policies/listing/1999-01-01", 404),
])
def test_read_endpoints_fit(client: Any, api_schema: Any, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    template = "/policies/{family}/{version}" if path.count("/") == 3 else path
    api_schema[template]["GET"].validate_response(response)


def test_money_in_is_a_decimal_string_or_a_json_number(document: dict[str, Any]) -> None:
    area = document["components"]["schemas"]["expropriation_household_property"]["properties"]["building_area"]
    # facts.yaml: building_area {type: decimal, required: true, exclusive_minimum: 0}
    assert area["anyOf"] == [{"type": "string", "pattern": NON_NEGATIVE_DECIMAL_TEXT},
                             {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10**15}]
    check = jsonschema_rs.Draft202012Validator(area)
    for good in ("60.00", "405000.00", "0.5", 60, 60.25):
        assert check.is_valid(good), good
    for bad in ("6e1", "60,00", "-60", " 60", "1000000000000000", "0.12345678901", None, True):
        assert not check.is_valid(bad), bad


def test_optional_money_may_be_null_and_signed_money_may_be_negative(document: dict[str, Any]) -> None:
    funds = document["components"]["schemas"]["listing_enterprise_events"]["properties"]["repatriated_funds"]
    assert {"type": "null"} in funds["anyOf"]
    assert jsonschema_rs.Draft202012Validator(funds).is_valid(None)
    assert jsonschema_rs.Draft202012Validator({"type": "string", "pattern": DECIMAL_TEXT}).is_valid("-0.01")


def test_answer_statuses_include_those_the_rules_can_give(document: dict[str, Any]) -> None:
    statuses = document["components"]["schemas"]["Answer"]["properties"]["status"]["enum"]
    # art. 13/14 rules end with not_compensable (policies/expropriation/2022-04-01.yaml)
    assert {"evaluated", "no_policy_in_force", "not_compensable"} <= set(statuses)


def test_the_document_is_rebuilt_when_the_policies_change(app: Flask, document: dict[str, Any]) -> None:
    policies = app.extensions["lanshan.store"].current
    first = openapi(app, policies)
    assert first == document
    assert openapi(app, policies) is first  # cached for one policy set
    one_family = base_app()
    rebuilt = openapi(app, one_family.extensions["lanshan.store"].current)
    assert len(rebuilt["components"]["schemas"]["EvaluateRequest"]["oneOf"]) == 1
    assert openapi(app, policies) == document  # and back


def test_what_the_schema_cannot_say_is_in_the_description(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    households = schemas["expropriation_project"]["properties"]["households"]
    # facts.yaml: households {type: integer, required: true, minimum: 0}
    assert households["anyOf"] == [{"type": "integer", "minimum": 0, "exclusiveMaximum": 10**15},
                                   {"type": "string", "pattern": "^[0-9]{1,15}$"}]
    assert households["description"] == "涉及户数（不小于 0）"
    # the listing events' required_when check, stated where the list is
    assert "境外上市须填写募集资金回款金额" in schemas["listing_enterprise"]["properties"]["events"]["description"]


def test_the_batch_limit_and_the_log_outage_are_in_the_document(document: dict[str, Any], app: Flask) -> None:
    batch = document["paths"]["/evaluate/batch"]["post"]
    cases = batch["requestBody"]["content"]["application/json"]["schema"]["properties"]["cases"]
    assert cases["maxItems"] == app.config["BATCH_MAX_CASES"]  # 1,001 cases get a 422
    for path in ("/evaluate", "/evaluate/batch"):  # the decision log down: 503, no decision made
        assert "503" in document["paths"][path]["post"]["responses"]
