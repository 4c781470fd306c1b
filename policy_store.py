"""The service's current policy set, replaced on reload without a restart.

- ``use()`` lends the current set to one evaluation; an evaluation finishes on the set it started
  with, even if a reload lands meanwhile.
- ``reload()`` loads the directory again. A broken change raises ``PolicyLoadError`` with its
  located problems, and the last good set stays current.
- A replaced set is retired (its durable_rules rulesets freed) once its last evaluation returns.
- With ``watch_seconds > 0``, ``use()`` looks at the files' sizes and times at most that often and
  reloads when they changed: every worker process of a server notices a change on its own.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from engine import PolicyLoadError, PolicySet, load_policies
from engine.errors import Problem


def fingerprint(root: str | Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every policy file: cheap enough to check per request."""
    found = []
    for path in sorted(Path(root).glob("*/*.yaml")):
        try:
            stat = path.stat()
        except OSError:  # removed between the listing and the stat: the next look sees it gone
            continue
        found.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


class PolicyStore:
    """Holds the current ``PolicySet`` and swaps it atomically on reload."""

    def __init__(self, root: str | Path, backend: str, watch_seconds: float = 0.0):
        self.root = str(root)
        self._seen = fingerprint(root)
        self.current = load_policies(root, backend)
        self.watch_seconds = watch_seconds
        self.last_error: PolicyLoadError | None = None
        self.reloads = 0
        self._lock = threading.Lock()
        self._reload_lock = threading.Lock()
        self._users: dict[int, int] = {id(self.current): 0}  # evaluations running, per live set
        self._live: dict[int, PolicySet] = {id(self.current): self.current}
        self._next_look = time.monotonic() + watch_seconds

    @contextmanager
    def use(self) -> Iterator[PolicySet]:
        """Lend the current set to one evaluation; retire a replaced set when its last user is done."""
        self.latest()  # outside the lock: a reload takes it
        with self._lock:
            policies = self.current
            self._users[id(policies)] += 1
        try:
            yield policies
        finally:
            with self._lock:
                self._users[id(policies)] -= 1
                self._retire_drained()

    def latest(self) -> PolicySet:
        """The current set, once the files have been looked at if the watch interval has passed.

        Every endpoint that shows the set (/health, /policies, /openapi.json, the pages) asks here, so a
        broken edit is reported there too, not only after the next evaluation.
        """
        if self.watch_seconds > 0 and time.monotonic() >= self._next_look:
            self._look()
        return self.current

    def reload(self) -> PolicySet:
        """Load the directory again; on success make it current, else keep the last good set and raise."""
        with self._reload_lock:
            seen = fingerprint(self.root)
            try:
                fresh = load_policies(self.root, self.current.backend.name, previous=self.current)
            except Exception as e:
                # anything the loader did not foresee is refused like a located problem: the last good
                # set keeps serving
                error = e if isinstance(e, PolicyLoadError) else PolicyLoadError(
                    [Problem(self.root, 1, 1, f"加载政策文件时出错：{type(e).__name__}: {e}")])
                self._seen = seen  # do not retry the same broken files on every request
                self.last_error = error
                raise error from e
            with self._lock:
                self.current = fresh
                self._seen = seen
                self.last_error = None
                self.reloads += 1
                self._users[id(fresh)] = 0
                self._live[id(fresh)] = fresh
                self._retire_drained()
            return fresh

    def _retire_drained(self) -> None:
        """Under the lock: retire every replaced set nobody uses, keeping the families a live set shares."""
        drained = [policies for key, policies in self._live.items()
                   if policies is not self.current and self._users[key] == 0]
        for policies in drained:
            del self._live[id(policies)], self._users[id(policies)]
        keep = frozenset(id(f) for policies in self._live.values() for f in policies.families.values())
        for policies in drained:
            policies.retire(keep)

    def _look(self) -> None:
        self._next_look = time.monotonic() + self.watch_seconds
        if fingerprint(self.root) != self._seen:
            try:
                self.reload()
            except PolicyLoadError:
                pass  # kept in last_error, shown by /health and logged by the caller of reload
