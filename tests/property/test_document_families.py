"""The interpretation and enterprise_policy families: both backends agree on realistic cases, and no input gives a 500.

Cases are generated around the deadlines (holidays and make-up working days included) and from interpretation
materials assembled part by part: headings in plain or Markdown style, parts left out or left empty, the
template's placeholders, and passages copied from the policy text in varying amounts.
"""
from __future__ import annotations

import datetime
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from engine.expressions import Env, EvaluationError
from engine.facts import FactDecl
from server import create_app
from tests.conftest import POLICIES

from .strategies import projects
from .test_backend_equivalence import DURABLE, EXPROPRIATION, PYTHON, outcome
from .test_no_500 import JUNK, paths

APP = create_app({"TESTING": True, "POLICIES_DIR": str(POLICIES), "BACKEND": "durable",
                  "DATABASE_URL": str(Path(tempfile.mkdtemp(prefix="lanshan-doc-")) / "decisions.sqlite3")})
PUBLISHED = st.dates(min_value=datetime.date(2022, 3, 25), max_value=datetime.date(2026, 11, 30))
SOURCE = ("对国家和省级新出台的惠企政策，由对应的市级涉企服务部门在政策公布7个工作日内上传至“政企直通车”平台；"
          "对市、县级新出台的惠企政策，分别由主导出台政策的部门在政策公布5个工作日内上传至“政企直通车”平台，努力做到同步上传。"
          "各级涉企服务部门应当在10个工作日内进行科学拆分，逐条解读政策事项名称、事项依据、事项内容等要素。")
OWN = ["企业反映找政策难。", "让企业少跑腿、快兑现。", "新政策按级别限时放上平台。", "本区各部门。",
       "按工作日计算。", "无。"]
PARTS = ["背景依据", "目标任务", "主要内容", "涉及范围", "执行标准", "其他"]
ORDINALS = "一二三四五六七"


def _after(draw: st.DrawFn, day: datetime.date, high: int) -> str:
    return (day + datetime.timedelta(days=draw(st.integers(0, high)))).isoformat()


@st.composite
def materials(draw: st.DrawFn) -> str:
    """An interpretation material: some parts missing or empty, some copied, plain or Markdown headings."""
    mark = draw(st.sampled_from(["", "## ", "**"]))
    whole = draw(st.booleans())  # every part present and filled in, so that complete materials occur too
    lines: list[str] = []
    for index, name in enumerate(PARTS):
        if not whole and draw(st.integers(0, 12)) == 0:
            continue  # the part is left out
        heading = f"{ORDINALS[index]}、{name}"
        lines.append(f"{mark}{heading}{'**' if mark == '**' else ''}")
        body = draw(st.sampled_from(["own", "own", "own", "copy", "half"] + ([] if whole else [""])))
        if body in ("copy", "half"):
            start = draw(st.integers(0, len(SOURCE) - 10))
            lines.append(SOURCE[start:start + draw(st.integers(5, 60))])
        if body in ("own", "half"):
            lines.append(draw(st.sampled_from(OWN)))
    if whole or draw(st.integers(0, 5)):
        organ = draw(st.sampled_from(["***局***科", "区工信局综合科", "区工信局综合科"]))
        person = draw(st.sampled_from(["***", "李红", "李红", ""]))
        phone = draw(st.sampled_from(["0539-*****", "0539-8012345", "0539-8012345", "12345"]))
        lines += [f"{mark}七、解读机关：{organ}", f"解读人：{person}", f"政策咨询服务电话：{phone}"]
    return "\n".join(lines)


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """Valid interpretation cases."""
    published = draw(PUBLISHED)
    facts: dict[str, Any] = {
        "published": published.isoformat(),
        "issued_as": draw(st.sampled_from(["district_government", "district_government_office",
                                           "district_department", "joint_departments"])),
        "drafting_department": "区住建局",
        **{k: draw(st.booleans()) for k in ("normative", "manages_public_affairs", "concerns_public",
                                            "other_needs_interpretation")},
    }
    interpretation: dict[str, Any] = {}
    if draw(st.booleans()):
        interpretation["published"] = _after(draw, published, 12)
    if draw(st.integers(0, 3)):
        interpretation["text"] = draw(materials())
    if bool(interpretation) or draw(st.booleans()):
        facts["interpretation"] = interpretation
    if draw(st.booleans()):
        facts["document_text"] = SOURCE
    return {"policy": "interpretation", "kind": "document", "facts": facts}


@st.composite
def enterprise_policies(draw: st.DrawFn) -> dict[str, Any]:
    """Valid enterprise-policy cases around the 5-, 7- and 10-working-day deadlines."""
    published = draw(PUBLISHED)
    facts: dict[str, Any] = {"published": published.isoformat(),
                             "level": draw(st.sampled_from(["national", "provincial", "city", "county"]))}
    if draw(st.booleans()):
        facts["uploaded"] = _after(draw, published, 16)
    if draw(st.booleans()):
        facts["interpreted"] = _after(draw, published, 20)
    if draw(st.integers(0, 4)) == 0:
        facts["actively_disclosed"] = False
    if draw(st.booleans()):
        facts["elements"] = {k: draw(st.sampled_from([True, True, True, False])) for k in (
            "item_name", "basis", "content", "target", "period", "conditions", "materials", "authority",
            "contact_person", "contact")}
    if draw(st.booleans()):
        facts["department"] = "区工信局"
    return {"policy": "enterprise_policy", "kind": "policy", "facts": facts}


CASES = st.one_of(documents(), enterprise_policies())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(request=CASES)
def test_backends_agree_on_documents_and_enterprise_policies(request: dict[str, Any]) -> None:
    expected = outcome(PYTHON, request)
    assert "errors" not in expected, expected  # the generators make valid cases only
    assert expected["status"] in ("evaluated", "no_policy_in_force")
    assert outcome(DURABLE, request) == expected


def _enum_values(decls: dict[str, FactDecl]) -> set[str]:
    values: set[str] = set()
    for decl in decls.values():
        values |= set(decl.values) | _enum_values(decl.fields)
    return values


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(request=CASES)
def test_a_backend_sees_no_text_only_numbers_flags_and_enum_values(request: dict[str, Any]) -> None:
    family = PYTHON.families[request["policy"]]
    kind = family.kinds[request["kind"]]
    facts = kind.load(request["facts"])
    policy = family.for_day(facts["published"])
    if policy is None:
        return  # no version: nothing is decided
    case = policy.cases[request["kind"]]
    env = Env(facts=facts, params=policy.parameters_on(facts["published"]))
    for name, expr in case.derived:
        env.derived[name] = expr(env)
    enums = _enum_values(kind.facts)
    for phase in case.phases:
        for atom in phase.atoms.get(None, []):
            value = atom.encode(env)
            assert value is None or isinstance(value, (bool, int)) or value in enums, (atom.field, value)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_one_broken_field_is_a_located_422_or_an_answer(data: st.DataObject) -> None:
    request = data.draw(CASES)
    path = data.draw(st.sampled_from(paths(request["facts"])))
    node = request["facts"]
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = data.draw(JUNK)
    response = APP.test_client().post("/evaluate", json=request)
    assert response.status_code in (200, 422), response.get_data(as_text=True)
    if response.status_code == 422:
        assert all(e["path"].startswith("facts") for e in response.get_json()["errors"]), response.get_json()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(request=projects(EXPROPRIATION), basis=st.text(min_size=1, max_size=20))
def test_free_text_in_an_expropriation_project_reaches_no_backend(request: dict[str, Any], basis: str) -> None:
    # art. 11 asks whether a legal basis was given: the text itself must stay in Python
    request["facts"]["legal_basis"] = basis
    kind = PYTHON.families["expropriation"].kinds["project"]
    facts = kind.load(request["facts"])
    policy = PYTHON.families["expropriation"].versions[0]
    case = policy.cases["project"]
    env = Env(facts=facts, params=policy.parameters_on(policy.effective_from))
    for name, expr in case.derived:
        env.derived[name] = expr(env)
    enums = _enum_values(kind.facts)
    for phase in case.phases:
        for atom in phase.atoms.get(None, []):
            try:
                value = atom.encode(env)
            except EvaluationError:  # a deadline past the calendar's last year: a 422, nothing decided
                assume(False)
            assert value is None or isinstance(value, (bool, int)) or value in enums, (atom.field, value)
