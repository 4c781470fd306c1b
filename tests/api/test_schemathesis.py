"""Schemathesis against the live service over loopback: no 5xx, and every answer as the OpenAPI document says.

Both positive (schema-valid) and negative (schema-breaking) requests are sent; the checks are the ones
that hold for both: no server error, a documented status code, the documented content type, and a
body that validates against the documented response schema. Hypothesis is derandomized and bounded so
the run is reproducible and short on a busy machine.

The document is built at import time from the ``api`` blueprint and the bundled policies, because
``@schema.parametrize()`` needs the operations at collection; the lazy ``from_fixture`` loader would
fetch it from the live server instead, but it breaks on pytest 9.2 (it reads ``Function._nodeid``,
which pytest 9.2 removed). The first test checks that the live service serves this same document.
"""
from __future__ import annotations

import copy
import json
import urllib.request
from typing import Any

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api_spec import build_spec
from engine import load_policies
from server import BATCH_MAX_CASES, api
from tests.conftest import POLICIES, ROOT

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# The api blueprint on a bare app (no create_app side effects at collection) with the bundled policies;
# the backend does not change the document, and the Python one loads faster.
_BARE = Flask(__name__)
_BARE.register_blueprint(api)
_BARE.config["BATCH_MAX_CASES"] = BATCH_MAX_CASES  # as the live service, whose limit the document states
DOCUMENT = json.loads(json.dumps(build_spec(_BARE, load_policies(POLICIES, backend="python"))))
# The example cases go in as explicit request examples (on a copy: the served document is compared
# as served), so that the run also checks real evaluated answers from the durable backend over HTTP;
# generated facts rarely fall inside a version's validity and mostly give no_policy_in_force or a 422.
EXAMPLES = {path.stem: {"value": json.loads(path.read_text(encoding="utf-8"))}
            for path in sorted((ROOT / "examples").glob("*.json"))}
TESTED = copy.deepcopy(DOCUMENT)
TESTED["paths"]["/evaluate"]["post"]["requestBody"]["content"]["application/json"]["examples"] = EXAMPLES
schema = schemathesis.openapi.from_dict(TESTED)


def test_the_live_service_serves_the_document_under_test(live_server: str) -> None:
    with urllib.request.urlopen(f"{live_server}/openapi.json", timeout=30) as response:
        assert response.headers.get_content_type() == "application/json"
        assert json.loads(response.read()) == DOCUMENT


@schema.parametrize()
# health checks off: on a loaded 2-core machine "too slow" is about the machine, not the API
@settings(max_examples=30, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case: Any, live_server: str) -> None:
    case.call_and_validate(base_url=live_server, checks=CHECKS)
