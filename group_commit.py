"""Group commit: concurrent writers share one durable commit (one fsync) instead of paying one each.

``submit`` blocks its caller until its own item is committed, so "logged before answered" still
holds; meanwhile items submitted by other threads join the same transaction. A group that fails is
retried item by item, so one bad item (a duplicate idempotency key) fails alone.
"""
from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MAX_GROUP = 256


@dataclass
class _Pending:
    item: Any
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


class GroupCommitter:
    """One writer thread per process; ``write(items)`` must commit all items in one transaction."""

    def __init__(self, write: Callable[[list[Any]], None]):
        self._write = write
        self._queue: queue.Queue[_Pending] = queue.Queue()
        self._lock = threading.Lock()
        self._pid = -1  # the writer thread does not survive a fork: start one per process
        self.commits = 0

    def submit(self, item: Any) -> None:
        """Commit ``item`` (with whatever else is waiting) and return; raise its own error if it failed."""
        self._ensure_writer()
        pending = _Pending(item)
        self._queue.put(pending)
        pending.done.wait()
        if pending.error is not None:
            raise pending.error

    def _ensure_writer(self) -> None:
        with self._lock:
            if self._pid != os.getpid():
                self._pid = os.getpid()
                self._queue = queue.Queue()
                threading.Thread(target=self._run, args=(self._queue,), daemon=True,
                                 name="decision-log-writer").start()

    def _run(self, waiting: queue.Queue[_Pending]) -> None:
        while True:
            group = [waiting.get()]
            while len(group) < MAX_GROUP:
                try:
                    group.append(waiting.get_nowait())
                except queue.Empty:
                    break
            self._commit(group)

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
            pending.done.set()
