"""The web pages: an index, the policy browser for legal reviewers, and the calculator for officers."""
from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from decision_log import LogUnavailable
from engine import CaseError, UnknownFamily, coverage
from engine.catalog import find_version, list_policies
from engine.facts import CaseKind
from engine.policy import Policy, PolicySet

from . import browser, forms

ROOT = Path(__file__).resolve().parent.parent
web = Blueprint("web", __name__, template_folder="templates", static_folder="static", static_url_path="/static/web")

# the two calculators the issue names; any other case kind is reachable at /calculator/<family>/<kind>
NAMED = {"household": ("expropriation", "household"), "listing": ("listing", "enterprise")}
TITLES = {("expropriation", "household"): "房屋征收补偿计算（一户）", ("listing", "enterprise"): "企业上市补助计算"}


def _policies() -> PolicySet:
    return current_app.extensions["lanshan.store"].latest()  # the last good set (hot reload: policy_store.py)


def _features() -> Path:
    return Path(current_app.config.get("FEATURES_DIR") or ROOT / "features")


def _results_file() -> Path:
    return Path(current_app.config.get("FEATURE_RESULTS") or ROOT / ".feature-results.json")


@web.get("/")
def index() -> str:
    """List the families with their versions and calculators."""
    listing = list_policies(_policies())
    names = {v: k for k, v in NAMED.items()}
    calculators = []
    for family in listing["families"]:
        for kind in family["kinds"]:
            description = _policies().families[family["family"]].kinds[kind].description
            calculators.append({"family": family["family"], "kind": kind, "description": description,
                                "label": TITLES.get((family["family"], kind), description),
                                "url": _calculator_url(family["family"], kind, names)})
    return render_template("web/index.html", listing=listing, calculators=calculators)


def _calculator_url(family: str, kind: str, names: dict[tuple[str, str], str]) -> str:
    named = names.get((family, kind))
    if named:
        return url_for("web.named_calculator", name=named)
    return url_for("web.calculator", family=family, kind=kind)


@web.get("/browse/<family>")
def browse_latest(family: str) -> Any:
    """Send the reader to the family's latest version."""
    found = _policies().families.get(family)
    if found is None or not found.versions:
        abort(404, f"没有政策族“{family}”")
    return redirect(url_for("web.browse", family=family, version=found.versions[-1].version))


@web.get("/browse/<family>/<version>")
def browse(family: str, version: str) -> str:
    """Show one version article by article, with its rules, parameters, interpretations and scenarios."""
    policy = find_version(_policies(), family, version)
    if policy is None:
        abort(404, f"没有政策 {family}/{version}")
    model = browser.page(policy, _policies().families[family], _features(), browser.load_results(_results_file()))
    # versions of this instrument decide the same case kinds; a family may hold other instruments (targets: two
    # documents in force side by side), which are not its versions
    siblings = _policies().families[family].versions
    versions = [p.version for p in siblings if set(p.cases) & set(policy.cases)]
    instruments = [p for p in siblings if not set(p.cases) & set(policy.cases)]
    return render_template("web/browse.html", versions=versions, instruments=instruments, **model)


@web.route("/calculator/<name>", methods=["GET", "POST"])
def named_calculator(name: str) -> Any:
    """The household (征收) and listing-enterprise (上市补助) calculators."""
    if name not in NAMED:
        abort(404, f"没有计算器“{name}”")
    return calculator(*NAMED[name])


@web.route("/calculator/<family>/<kind>", methods=["GET", "POST"])
def calculator(family: str, kind: str) -> Any:
    """Show the form of one case kind; on submit, evaluate it through ``server.answer`` and show the answer."""
    from server import answer as decide  # lazily: server imports this package to register it

    found = _policies().families.get(family)
    if found is None or kind not in found.kinds:
        abort(404, f"没有案件类型 {family}/{kind}")
    decls = found.kinds[kind].facts
    errors: dict[str, list[str]] = {}
    result: dict[str, Any] | None = None
    extra: dict[str, int] = {}
    status = 200
    explain = False
    if request.method == "POST" and _cross_site():
        # a form posted from another site (a page the officer happened to open) would make a logged decision
        abort(403, "不接受从其他网站提交的表单：请在本服务的计算器页面中填写提交")
    if request.method == "POST":
        entered = forms.read(decls, request.form)
        explain = request.form.get("explain") == "1"
        more = request.form.get("more")
        if more:  # "增加一行": show one more blank row without evaluating
            extra[more] = 1
        else:
            try:
                result = decide({"policy": family, "kind": kind, "facts": forms.to_facts(decls, entered)},
                                explain=explain)
            except CaseError as error:
                errors = forms.errors_by_field(error.errors)
                status = 422
            except UnknownFamily as error:
                errors = {"": [str(error)]}
                status = 404
            except LogUnavailable:  # the answer is not given without its record; what was typed stays
                errors = {"": ["决定日志数据库不可用，本次未作出决定，请稍后重试"]}
                status = 503
    else:
        entered = forms.initial(decls)
    nodes = forms.widgets(decls, entered, errors, extra_rows=extra)
    shown = _shown(nodes)
    summary = [{"message": m, "href": f"#{forms.field_id(name)}" if name in shown else "", "label": shown.get(name, "")}
               for name, messages in errors.items() for m in messages]
    policy = _answer_policy(result)
    title = TITLES.get((family, kind), found.kinds[kind].description)
    html = render_template("web/calculator.html", family=family, kind=kind, kind_label=title,
                           description=found.kinds[kind].description,
                           nodes=nodes, summary=summary, result=result, explain=explain,
                           view=_answer_view(result, policy, found.kinds[kind]) if result else None)
    return Response(html, status=status, mimetype="text/html")


def _shown(nodes: list[forms.Field | forms.Group], within: str = "") -> dict[str, str]:
    """Map every rendered field and group name to its label, to link errors to where they are shown."""
    found: dict[str, str] = {}
    for node in nodes:
        found[node.name] = within + node.label
        if isinstance(node, forms.Group):
            found.update(_shown(node.children, f"{node.label}·" if node.kind == "row" else within))
    return found


def _answer_policy(result: dict[str, Any] | None) -> Policy | None:
    if not result or not result.get("policy"):
        return None
    return find_version(_policies(), result["policy"]["family"], result["policy"]["version"])


def _answer_view(result: dict[str, Any], policy: Policy | None, kind: CaseKind) -> dict[str, Any]:
    """Resolve what the answer cites: article anchors in the browser, quantity labels, the status's label."""
    ids = [a.id for a in policy.articles] if policy else []
    base = url_for("web.browse", family=policy.family, version=policy.version) if policy else ""

    def links(cited: list[str]) -> list[dict[str, str]]:
        out = []
        for text in cited:
            anchor = next(iter(coverage.references(text, ids)), "")
            out.append({"text": text, "href": f"{base}#{anchor}" if anchor else ""})
        return out

    labels: dict[str, str] = {}
    if policy:
        for case in policy.cases.values():
            labels.update({name: label for name, _, label, _ in case.quantities})
    return {
        "base": base,
        "status_label": kind.status_label(result["status"]),
        "items": [{**item, "links": links(item.get("articles", []))} for item in result.get("items", [])],
        "findings": [{**f, "links": links(f.get("articles", [])),
                      "severity_label": browser.SEVERITY_LABELS.get(f.get("severity", ""), f.get("severity"))}
                     for f in result.get("findings", [])],
        "quantities": [{"name": k, "label": labels.get(k, k), "value": v}
                       for k, v in (result.get("quantities") or {}).items()],
        "document": policy.document if policy else None,
    }


def _cross_site() -> bool:
    """Tell whether a form submission comes from a page of another site (by the browser's own headers)."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return True
    origin = request.headers.get("Origin")  # "null": a sandboxed or local page, also not this site
    return bool(origin) and (origin == "null" or urlsplit(origin).netloc != request.host)


@web.after_request
def _not_framed(response: Response) -> Response:
    """No other site may show these pages in a frame (clickjacking the calculator's submit button)."""
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'none'")
    return response


# the pages' addresses: an address under them that matches no page (a trailing slash, a PUT) is shown the
# HTML error page too, by the app's error handler, which sees errors raised before any blueprint is chosen
PAGE_PREFIXES = ("/browse", "/calculator", "/static/web")


@web.errorhandler(HTTPException)
def web_error(error: HTTPException) -> Response:
    """Show a page error as a Chinese HTML page (the JSON API keeps its JSON errors)."""
    code = error.code or 500
    own = error.description != type(error).description  # a page's own Chinese words, not werkzeug's English
    message = error.description if own and code in (403, 404) else {
        403: "禁止访问", 404: "没有此页面", 405: "不支持此方法", 413: "提交的内容超过大小限制"}.get(code, "请求有误")
    return Response(render_template("web/error.html", code=code, message=message), status=code,
                    mimetype="text/html")


@web.errorhandler(Exception)
def _unexpected(error: Exception) -> Response:
    """Log an unexpected error and show a plain page, never a traceback."""
    current_app.logger.exception("web page error")
    return Response(render_template("web/error.html", code=500, message="服务内部错误，已记录"), status=500,
                    mimetype="text/html")
