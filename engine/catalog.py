"""Read-only descriptions of the loaded policies, for listings and the policy browser."""
from __future__ import annotations

from typing import Any

from .policy import Policy, PolicySet, show


def list_policies(policies: PolicySet) -> dict[str, Any]:
    """Return every family with its case kinds and versions' validity."""
    return {
        "content_hash": policies.content_hash,
        "families": [
            {
                "family": family.name,
                "kinds": sorted(family.kinds),
                "versions": [p.summary() | {"title": p.document["title"]} for p in family.versions],
            }
            for family in policies.families.values()
        ],
    }


def find_version(policies: PolicySet, family: str, version: str) -> Policy | None:
    """Return one version of a family, or None."""
    found = policies.families.get(family)
    if found is None:
        return None
    return next((p for p in found.versions if p.version == version), None)


def describe(policy: Policy) -> dict[str, Any]:
    """Return a version in full: document, validity, parameters, interpretations and rules by article."""
    return {
        **policy.summary(),
        "document": policy.document,
        "validity": policy.validity,
        "file": policy.file,
        "parameters": {
            name: {"label": p.label, "unit": p.unit,
                   "values": [{"from": d.isoformat(), "value": show(v), "article": a, "text": t}
                              for d, v, a, t in p.values]}
            for name, p in policy.parameters.items()
        },
        "interpretations": [vars(i) for i in policy.interpretations.values()],
        "articles": [vars(a) for a in policy.articles],
        "cases": {
            kind: {
                "governing_date": (f"{case.governing_list}[].{case.governing_field}" if case.governing_list
                                   else case.governing_field),
                "rules": [
                    {
                        "id": r.id, "article": r.article, "text": r.text, "when": r.condition.source,
                        "for_each": r.scope, "once": r.once, "interpretations": r.interpretations,
                        "sets": {k: e.source for k, e in r.sets.items()},
                        "items": [{"code": i.code, "label": i.label, "amount": i.amount.source,
                                   "rounding": {"quantum": show(i.quantum), "mode": i.rounding},
                                   "in_total": i.in_total, "articles": i.articles} for i in r.items],
                        "findings": [{"code": f.code, "severity": f.severity, "message": f.message.text,
                                      "articles": f.articles} for f in r.findings],
                        "status": r.status[0] if r.status else None,
                    }
                    for r in case.rules
                ],
            }
            for kind, case in policy.cases.items()
        },
    }
