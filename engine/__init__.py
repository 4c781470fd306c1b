"""The rules engine: load dated YAML policies, evaluate cases against them, explain the result.

The public surface is ``load_policies``, ``evaluate`` and ``explain``, with the error types.
Nothing here knows a particular policy family; nothing here imports Flask.
"""
from __future__ import annotations

from typing import Any

from .errors import CaseError, FieldError, PolicyLoadError, Problem, RulesError, UnknownFamily
from .evaluator import evaluate
from .loader import load_policies
from .policy import PolicySet


def explain(policies: PolicySet, request: Any) -> dict[str, Any]:
    """Evaluate a request and include the trace of every rule considered."""
    return evaluate(policies, request, explain=True)


__all__ = ["CaseError", "FieldError", "PolicyLoadError", "PolicySet", "Problem", "RulesError", "UnknownFamily",
           "evaluate", "explain", "load_policies"]
