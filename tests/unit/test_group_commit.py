"""Group commit: concurrent records share commits, each caller returns only once its own is committed."""
from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from group_commit import GroupCommitter


def test_concurrent_items_share_commits_and_each_waits_for_its_own() -> None:
    committed: list[Any] = []

    def write(items: list[Any]) -> None:
        time.sleep(0.02)  # a slow fsync: the others queue up behind it
        committed.extend(items)

    committer = GroupCommitter(write)
    returned: list[int] = []

    def writer(n: int) -> None:
        committer.submit(n)
        assert n in committed  # never back before its own item is committed
        returned.append(n)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(returned) == list(range(40)) and sorted(committed) == list(range(40))
    assert committer.commits < 40  # grouped: fewer commits than items


def test_a_failing_item_fails_alone_and_the_rest_are_committed() -> None:
    committed: list[Any] = []
    gate = threading.Event()

    def write(items: list[Any]) -> None:
        gate.wait(5)
        if "bad" in items:
            raise ValueError("duplicate key")
        committed.extend(items)

    committer = GroupCommitter(write)
    errors: dict[Any, BaseException] = {}

    def writer(item: Any) -> None:
        try:
            committer.submit(item)
        except ValueError as e:
            errors[item] = e

    threads = [threading.Thread(target=writer, args=(i,)) for i in ("a", "bad", "b", "c")]
    for t in threads:
        t.start()
    time.sleep(0.1)
    gate.set()
    for t in threads:
        t.join(timeout=30)
    assert sorted(committed) == ["a", "b", "c"]
    assert list(errors) == ["bad"]


def test_a_single_caller_gets_its_error() -> None:
    def write(items: list[Any]) -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        GroupCommitter(write).submit("x")


def test_a_lone_caller_commits_in_its_own_thread() -> None:
    # a sync gunicorn worker has one request thread: handing each commit to another thread costs
    # two thread switches per request for nothing
    writers: list[int] = []
    committer = GroupCommitter(lambda items: writers.append(threading.get_ident()))
    for n in range(3):
        committer.submit(n)
    assert writers == [threading.get_ident()] * 3 and committer.commits == 3
