"""Web pages over the engine: the policy browser (legal reviewers) and the calculator (officers).

``server.create_app`` registers ``blueprint``; everything shown is read from the engine, never copied.
"""
from __future__ import annotations

from .views import PAGE_PREFIXES, web_error
from .views import web as blueprint

__all__ = ["PAGE_PREFIXES", "blueprint", "web_error"]
