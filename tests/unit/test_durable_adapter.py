"""The durable_rules adapter: decisions match the reference semantics, and the native core never crashes.

The crash modes of durable-rules-notes.md kill the process, so every stress scenario runs in a child
interpreter: a segfault, or the ``MemoryError`` of a 1,025th live sid, fails the test instead of pytest.
"""
from __future__ import annotations

import random
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from engine.backends.durable_adapter import DurableBackend, _registered
from engine.conditions import NEVER, All, AnyOf, holds
from engine.conditions import Test as Compare  # not "Test…": pytest would try to collect it
from engine.errors import RulesError

ROOT = Path(__file__).resolve().parents[2]
# one type per atom field, as the compiler makes them
FIELDS: dict[str, list[Any]] = {"a1": [-3, -1, 0, 1, 3], "a2": [True, False], "a3": ["x", "y", "兰山"]}
OPS = ("==", "!=", "<", "<=", ">", ">=")


def rule(rule_id: str, tree: Any, scope: str | None = None, phase: int = 1) -> Any:
    return SimpleNamespace(id=rule_id, scope=scope, phase=phase, condition=SimpleNamespace(tree=tree))


def random_tree(rng: random.Random, depth: int = 0) -> Any:
    if depth >= 2 or rng.random() < 0.4:
        name = rng.choice(list(FIELDS))
        op = rng.choice(OPS) if name == "a1" else rng.choice(("==", "!="))
        return Compare(name, op, rng.choice(FIELDS[name]), rng.random() < 0.3)
    parts = tuple(random_tree(rng, depth + 1) for _ in range(rng.randint(1, 3)))
    return All(parts) if rng.random() < 0.5 else AnyOf(parts)


def random_atoms(rng: random.Random) -> dict[str, Any]:
    return {name: rng.choice([None, *values]) for name, values in FIELDS.items()}


def test_decisions_match_the_reference_semantics_over_phases_and_list_elements() -> None:
    rng = random.Random(7)
    backend = DurableBackend()
    rules = [rule(f"c{n}", random_tree(rng), phase=1 + n % 2) for n in range(30)]
    rules += [rule(f"e{n}", random_tree(rng), scope="items", phase=1 + n % 2) for n in range(30)]
    handle = backend.prepare("test/decisions", rules)
    try:
        for _ in range(400):
            case = random_atoms(rng)
            items = [random_atoms(rng) for _ in range(rng.randint(0, 4))]
            with backend.session(handle) as decide:
                for phase in (1, 2):
                    facts = [(None, None, case)] + [("items", i, atoms) for i, atoms in enumerate(items)]
                    expected: set[tuple[str, int | None]] = {
                        (r.id, None) for r in rules
                        if r.phase == phase and r.scope is None and holds(r.condition.tree, case)}
                    expected |= {(r.id, i) for r in rules if r.phase == phase and r.scope == "items"
                                 for i, atoms in enumerate(items) if holds(r.condition.tree, atoms)}
                    assert decide(phase, facts) == expected
    finally:
        backend.retire(handle)


def test_a_rule_that_can_never_hold_is_not_registered_and_nothing_else_fires() -> None:
    backend = DurableBackend()
    handle = backend.prepare("test/never", [rule("never", NEVER), rule("big", Compare("a1", ">", 5))])
    try:
        assert set(handle.rule_ids.values()) == {None, "big"}
        with backend.session(handle) as decide:
            assert decide(1, [(None, None, {"a1": 1})]) == set()
            assert decide(1, [(None, None, {"a1": 9})]) == {("big", None)}
    finally:
        backend.retire(handle)


@pytest.mark.parametrize("value", [1.5, Decimal("1"), 2**63, [1], {"a": 1}])
def test_only_integers_booleans_and_strings_reach_the_core(value: Any) -> None:
    backend = DurableBackend()
    handle = backend.prepare("test/types", [rule("r", Compare("a1", "==", 1))])
    try:
        with pytest.raises(RulesError, match="只接受整数、布尔值和字符串"):
            with backend.session(handle) as decide:
                decide(1, [(None, None, {"a1": value})])
        with backend.session(handle) as decide:  # the ruleset is still usable
            assert decide(1, [(None, None, {"a1": 1})]) == {("r", None)}
    finally:
        backend.retire(handle)


def test_a_fact_too_wide_for_the_core_is_refused_instead_of_silently_cutting_the_batch() -> None:
    backend = DurableBackend()
    handle = backend.prepare("test/wide", [rule("r", Compare("a1", "==", 1))])
    try:
        wide = {f"a{n}": 1 for n in range(1, 252)}  # with id, sid and t: the 254 fields the core reads
        with backend.session(handle) as decide:
            assert decide(1, [(None, None, wide), (None, None, {"a1": 1})]) == {("r", None)}
        with pytest.raises(RulesError, match="最多读 254 个"):
            with backend.session(handle) as decide:
                # not first: if the core got it, the state it reports for the batch would be garbage
                decide(1, [(None, None, {"a1": 1}), (None, None, {**wide, "a252": 1})])
    finally:
        backend.retire(handle)


def test_an_atom_named_like_a_reserved_fact_field_is_refused_at_load() -> None:
    with pytest.raises(RulesError, match="保留字段"):
        DurableBackend().prepare("test/reserved", [rule("r", Compare("sid", "==", 1))])


def test_a_retired_ruleset_is_freed_once_and_can_no_longer_evaluate() -> None:
    backend = DurableBackend()
    handle = backend.prepare("test/retire", [rule("r", Compare("a1", "==", 1))])
    assert handle.name in _registered()
    backend.retire(handle)
    backend.retire(handle)  # a second retire is a no-op, not a double free
    assert handle.name not in _registered()
    with pytest.raises(RulesError, match="已退役"):
        with backend.session(handle):
            pass


def run_child(script: str, timeout: float = 60) -> str:
    """Run a script in a fresh interpreter at the project root; fail on any crash or error."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done.stdout


SYNTHETIC = """
    from types import SimpleNamespace
    from engine.backends.durable_adapter import DurableBackend
    from engine.conditions import Test

    def rule(rule_id, tree, scope=None, phase=1):
        return SimpleNamespace(id=rule_id, scope=scope, phase=phase, condition=SimpleNamespace(tree=tree))

    backend = DurableBackend()
    handle = backend.prepare("stress/synthetic", [rule("big", Test("a1", ">", 5)),
                                                  rule("late", Test("a1", "==", 1), phase=2),
                                                  rule("item", Test("a2", "==", True), scope="items")])
"""


def test_thousands_of_sequential_sessions_fire_nothing_fail_midway_and_are_all_deleted() -> None:
    # More than 1,024 sessions of each kind: a sid left behind by any of them would reach the core's
    # limit of live sids (MemoryError, then a segfault); deleting one where no action ever ran segfaults.
    out = run_child(SYNTHETIC + """
    class Boom(Exception):
        pass

    N = 1500
    for n in range(N):  # nothing fires: the sentinel is asserted at the end so the sid can be deleted
        with backend.session(handle) as decide:
            assert decide(1, []) == set()  # an empty phase is not asserted (crash 3)
            assert decide(1, [(None, None, {"a1": 0}), ("items", 0, {"a2": False})]) == set()
            assert decide(2, [(None, None, {"a1": 0})]) == set()
    for n in range(N):  # an error after a phase where nothing fired, and after one where something did
        for value in (0, 9):
            try:
                with backend.session(handle) as decide:
                    decide(1, [(None, None, {"a1": value})])
                    raise Boom()
            except Boom:
                pass
    for n in range(N):  # an error before anything reached the core, then an atom the core must not see
        try:
            with backend.session(handle) as decide:
                raise Boom()
        except Boom:
            pass
        try:
            with backend.session(handle) as decide:
                decide(1, [(None, None, {"a1": 9}), (None, None, {"a1": 1.5})])
        except Exception as e:
            assert "只接受" in str(e)
    import engine.backends.durable_adapter as adapter
    read = adapter._action
    calls = [0]

    def failing(message):  # every third action message cannot be read: the action is abandoned
        calls[0] += 1
        if calls[0] % 3 == 0:
            raise Boom()
        return read(message)

    adapter._action = failing
    for n in range(N):
        try:
            with backend.session(handle) as decide:
                decide(1, [(None, None, {"a1": 9}), ("items", 0, {"a2": True}), ("items", 1, {"a2": True})])
        except Boom:
            pass
    adapter._action = read
    for n in range(N):  # everything fires, over two phases and list elements
        with backend.session(handle) as decide:
            assert decide(1, [(None, None, {"a1": 9}), ("items", 0, {"a2": True}), ("items", 1, {"a2": True})]) \\
                == {("big", None), ("item", 0), ("item", 1)}
            assert decide(2, [(None, None, {"a1": 1})]) == {("late", None)}
    assert handle.leaked_sids == 0
    print("ok")
    """)
    assert out.strip().endswith("ok")


def test_many_households_sequential_then_four_threads_then_a_forked_child() -> None:
    out = run_child("""
    import json, os, random, threading
    from decimal import Decimal
    from bench.cases import household
    from engine import CaseError, evaluate, load_policies

    durable = load_policies("policies", backend="durable")
    python = load_policies("policies", backend="python")
    rng = random.Random(11)
    cases = [json.loads(json.dumps(household(rng)), parse_float=Decimal) for _ in range(2000)]

    def answer(policies, case):
        try:
            return evaluate(policies, case)
        except CaseError as e:
            return str(e)

    expected = [answer(python, case) for case in cases]
    assert [answer(durable, case) for case in cases] == expected
    failures = []

    def worker(part):
        for n in range(part, len(cases), 4):
            if answer(durable, cases[n]) != expected[n]:
                failures.append(n)

    threads = [threading.Thread(target=worker, args=(part,)) for part in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures[:5]
    pid = os.fork()
    if pid == 0:  # rulesets registered before the fork keep working in the child
        ok = all(answer(durable, case) == want for case, want in zip(cases[:800], expected[:800]))
        os._exit(0 if ok else 3)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status
    print("ok")
    """, timeout=120)
    assert out.strip().endswith("ok")
