"""Valid households and projects with one field broken still get a 200 or a located 422, never a 500."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server import create_app
from tests.conftest import POLICIES

from .strategies import households, projects
from .test_backend_equivalence import EXPROPRIATION

APP = create_app({"TESTING": True, "POLICIES_DIR": str(POLICIES), "BACKEND": "durable",
                  "DATABASE_URL": str(Path(tempfile.mkdtemp(prefix="lanshan-no500-")) / "decisions.sqlite3")})
JUNK: st.SearchStrategy[Any] = st.sampled_from([None, "", "x", -1, 0, "0", "-0.01", "1e400", True, [], {},
                                                "2027-02-30", "2027-01-01", "9" * 40, {"unknown": 1}])


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths(child, prefix + (index,))
    return found


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_one_broken_field_is_a_located_422_or_an_answer(data: st.DataObject) -> None:
    request = data.draw(st.one_of(households(EXPROPRIATION), projects(EXPROPRIATION)))
    path = data.draw(st.sampled_from(paths(request["facts"])))
    node = request["facts"]
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = data.draw(JUNK)
    response = APP.test_client().post("/evaluate", data=json.dumps(request), content_type="application/json")
    assert response.status_code in (200, 422), response.get_json()
    if response.status_code == 422:
        assert all(e["path"].startswith("facts") and e["message"] for e in response.get_json()["errors"])
