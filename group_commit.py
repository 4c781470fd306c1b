"""Group commit: concurrent writers share one durable commit (one fsync) instead of paying one each.

There is no writer thread: the first caller to arrive commits (it leads), in its own thread, so a
lone caller, as in a sync gunicorn worker, pays no hand-over between threads.  Callers arriving
while a commit is running queue up; when it ends, the first of them is woken to commit the whole
queue as one transaction.  ``submit`` returns only once its own item is committed, so "logged
before answered" holds.  A group that fails is retried item by item, so one bad item (a duplicate
idempotency key) fails alone.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MAX_GROUP = 256


@dataclass
class _Pending:
    item: Any
    wake: threading.Event = field(default_factory=threading.Event)
    finished: bool = False  # committed, or failed with ``error``; woken but not finished: lead
    error: BaseException | None = None


class GroupCommitter:
    """Shares commits among threads; ``write(items)`` must commit all items in one transaction."""

    def __init__(self, write: Callable[[list[Any]], None]):
        self._write = write
        self._lock = threading.Lock()
        self._waiting: list[_Pending] = []
        self._leading = False  # a commit is running; only ever cleared with the queue empty
        self.commits = 0

    def submit(self, item: Any) -> None:
        """Commit ``item`` (with whatever else is waiting) and return; raise its own error if it failed."""
        pending = _Pending(item)
        with self._lock:
            self._waiting.append(pending)
            lead = not self._leading
            self._leading = True
        if not lead:
            pending.wake.wait()
        if not pending.finished:  # leading from the start, or woken to lead the next group
            self._lead()
        if pending.error is not None:
            raise pending.error

    def _lead(self) -> None:
        with self._lock:
            group = self._waiting[:MAX_GROUP]  # the leader's own item is first
            del self._waiting[:MAX_GROUP]
        try:
            self._commit(group)
        finally:
            with self._lock:
                if self._waiting:
                    self._waiting[0].wake.set()  # not finished: it leads the next group
                else:
                    self._leading = False

    def _commit(self, group: list[_Pending]) -> None:
        try:
            self._write([p.item for p in group])
            self.commits += 1
        except BaseException as e:  # noqa: BLE001 - handed to the waiting caller, never lost
            if len(group) == 1:
                group[0].error = e
            else:  # find the one that failed: the others are committed on their own
                for pending in group:
                    self._commit([pending])
                return
        for pending in group:
            pending.finished = True
            pending.wake.set()
