"""The decision log: every answer, its input and the exact policy files it was made with.

- SQLite is the embedded default (WAL, ``synchronous=FULL``: a commit is on disk before the answer
  leaves); PostgreSQL is chosen by a ``postgresql://`` URL.
- Policy files are stored once, by their SHA-256, and each policy set as a manifest of file hashes,
  so a decision stays replayable after the files on disk change.
- A request may carry an idempotency key: the same key gives back the decision already made.
- Fields marked ``pii`` in a family's facts can be masked in the stored input.
"""
from __future__ import annotations

import datetime
import fcntl
import functools
import hashlib
import hmac
import json
import os
import queue
import sqlite3
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from engine import PolicySet, evaluate
from group_commit import GroupCommitter

MASK = "***"
SCHEMA_LOCK = 0x4C414E5348414E  # the PostgreSQL advisory lock held while the schema is made
SCHEMA = [
    "CREATE TABLE IF NOT EXISTS policy_files (hash TEXT PRIMARY KEY, content TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS policy_sets (hash TEXT PRIMARY KEY, manifest TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS decisions (id TEXT PRIMARY KEY, request_key TEXT UNIQUE, created_at TEXT NOT NULL,"
    " family TEXT, kind TEXT, version TEXT, policy_hash TEXT, policy_set TEXT NOT NULL, files TEXT NOT NULL,"
    " input TEXT NOT NULL, answer TEXT NOT NULL, masked INTEGER NOT NULL, input_digest TEXT)",
]
# a log made before input_digest existed gets the column (empty for its older decisions)
ADDED_COLUMNS = {"input_digest": "ALTER TABLE decisions ADD COLUMN input_digest TEXT"}
SECRET_FILE = "log-secret"


@dataclass
class Decision:
    """One answer given, as it is stored."""

    id: str
    created_at: str
    family: str | None
    kind: str | None
    version: str | None
    policy_hash: str | None
    policy_set: str
    files: dict[str, str]
    input: Any
    answer: dict[str, Any]
    masked: bool = False  # as stored: the log's MASK_PII setting when it was written
    request_key: str | None = None
    # with a request key and a masked input: a keyed digest of the input as sent, so that a retry can be
    # told from another household whose masked input is the same (names and ID numbers differ)
    input_digest: str | None = None

    @functools.cached_property
    def answer_json(self) -> str:
        """The answer as JSON text, encoded once: the log stores these very characters and the API sends
        them, so the record is byte for byte the answer given."""
        return json.dumps(self.answer, ensure_ascii=False, default=_decimal)

    def as_dict(self) -> dict[str, Any]:
        """The record as ``GET /decisions/<id>`` gives it."""
        return {"decision_id": self.id, "created_at": self.created_at, "family": self.family, "kind": self.kind,
                "version": self.version, "policy_hash": self.policy_hash, "policy_set": self.policy_set,
                "files": self.files, "input": self.input, "input_masked": self.masked, "answer": self.answer}


def new_answer(policies: PolicySet, case: Any, explain: bool = False) -> dict[str, Any]:
    """Evaluate a case and give the answer its decision id (the one place ids are made)."""
    return {"decision_id": uuid.uuid4().hex, **evaluate(policies, case, explain=explain)}


def decision_of(policies: PolicySet, case: dict[str, Any], result: dict[str, Any],
                request_key: str | None = None) -> Decision:
    """The record of an answer just given: which family, version and exact policy files decided it."""
    policy = result.get("policy") or {}
    family = policies.families[case["policy"]]
    used = {v.get("version") for v in result.get("versions_used") or [policy]}
    files = {f"{family.name}/{name}": digest for p in family.versions if p.version in used
             for name, digest in p.files.items()}
    kind = case.get("kind")
    if kind is None and len(family.kinds) == 1:  # left out: the family's only kind is the one evaluated
        kind = next(iter(family.kinds))
    return Decision(id=result["decision_id"], created_at=now(), family=family.name, kind=kind,
                    version=policy.get("version"), policy_hash=policy.get("content_hash"),
                    policy_set=policies.content_hash, files=files, input=case, answer=result,
                    request_key=request_key)


def log_secret(instance_path: str | Path, configured: str | None) -> bytes:
    """The key of the input digests: ``LANSHAN_LOG_SECRET`` when set (the same on every host of one log),
    else a random key kept in the instance folder, made once (every worker of this host reads the same)."""
    if configured:
        return configured.encode("utf-8")
    path = Path(instance_path) / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w") as out:
            out.write(os.urandom(32).hex())
    for _ in range(100):  # a twin may have created it an instant ago and be writing it
        text = path.read_text(encoding="ascii").strip()
        if text:
            return text.encode("ascii")
        time.sleep(0.01)
    raise LogUnavailable(f"无法读取决定日志的密钥文件 {path}")


def default_url(instance_path: str | Path) -> str:
    """The embedded default: the SQLite file ``decisions.sqlite3`` in the instance folder."""
    return str(Path(instance_path) / "decisions.sqlite3")


def _plain_json(data: Any) -> str:
    """JSON text of an input, a file list or a manifest, keys sorted; decimals kept exactly, as decimal strings."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=_decimal)


def _decimal(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot store {type(value).__name__}")


class DecisionLog:
    """A decision store on SQLite (a file path or ``sqlite:///path``) or PostgreSQL (``postgresql://…``)."""

    def __init__(self, url: str, mask_pii: bool = False, secret: bytes | None = None):
        self.url = url
        self.mask_pii = mask_pii
        self.secret = secret or os.urandom(32)  # the key of input_digest (a per-process one compares nothing)
        self.postgres = url.startswith(("postgresql://", "postgres://"))
        self._idle: queue.LifoQueue[Any] = queue.LifoQueue()  # open connections not in use
        self._stored_sets: set[str] = set()
        self._committer = GroupCommitter(self._write)
        self._make_schema()

    def _make_schema(self) -> None:
        with self._transaction(write=True) as cursor:
            if self.postgres:  # CREATE TABLE IF NOT EXISTS fails when a twin creates it at the same moment:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))  # workers take turns
            for statement in SCHEMA:
                cursor.execute(statement)
            if self.postgres:
                cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'decisions'")
                columns = {row[0] for row in cursor.fetchall()}
            else:
                cursor.execute("PRAGMA table_info(decisions)")
                columns = {row[1] for row in cursor.fetchall()}
            for column, statement in ADDED_COLUMNS.items():
                if column not in columns:
                    cursor.execute(statement)

    # -- connections ---------------------------------------------------------------------------

    def _connection(self) -> Any:
        """An idle connection, or a new one: each is used by one transaction (one thread) at a time."""
        try:
            idle = self._idle.get_nowait()
        except queue.Empty:
            return self._connect()
        if self.postgres or idle.still_at_path():
            return idle
        # the SQLite file was deleted or replaced (a restored backup) under the open connections, which would
        # go on writing into the old file, lost at the next start: start again on the file now at the path
        idle.close()
        while not self._idle.empty():
            self._idle.get_nowait().close()
        self._stored_sets.clear()
        self._make_schema()
        return self._connect()

    def _connect(self) -> Any:
        if self.postgres:
            import psycopg  # only needed when PostgreSQL is configured

            return psycopg.connect(self.url, connect_timeout=10)
        path = self.url.removeprefix("sqlite:///")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False,
                                     factory=_SQLiteConnection)
        try:
            connection.writers = os.open(f"{path}-writers.lock", os.O_RDWR | os.O_CREAT, 0o600)
            # switching a new file to WAL needs it alone, and SQLite may answer "locked" at once instead of
            # waiting: connections opening together (workers booting) take turns, as writers do
            fcntl.flock(connection.writers, fcntl.LOCK_EX)
            try:
                connection.execute("PRAGMA journal_mode=WAL")
            finally:
                fcntl.flock(connection.writers, fcntl.LOCK_UN)
            connection.execute("PRAGMA synchronous=FULL")  # durable: fsync on every commit
            connection.execute("PRAGMA cache_size=-512")  # KiB: the log is written, rarely read
            connection.path = path
            connection.identity = _identity(path)
        except BaseException:
            connection.close()  # with its lock descriptor: a connection that cannot be set up leaks nothing
            raise
        return connection

    def _transaction(self, write: bool = False) -> Any:
        return _Transaction(self, write)

    def _sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.postgres else statement

    # -- writing -------------------------------------------------------------------------------

    def record(self, policies: PolicySet, decisions: list[Decision]) -> None:
        """Commit decisions (and the policy files they used) before returning.

        Records submitted at the same time by other threads share the transaction (group commit).
        """
        self._committer.submit((policies, decisions))

    def _write(self, groups: list[tuple[PolicySet, list[Decision]]]) -> None:
        stored: set[str] = set()
        with self._transaction(write=True) as cursor:
            for policies, decisions in groups:
                if policies.content_hash not in self._stored_sets | stored:
                    self._store_set(cursor, policies)
                    stored.add(policies.content_hash)
                for d in decisions:
                    kept = self._masked(policies, d.input) if self.mask_pii else d.input
                    digest = self._digest(d.input) if self.mask_pii and d.request_key is not None else None
                    cursor.execute(self._sql(
                        "INSERT INTO decisions (id, request_key, created_at, family, kind, version, policy_hash,"
                        " policy_set, files, input, answer, masked, input_digest)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                        (d.id, d.request_key, d.created_at, d.family, d.kind, d.version, d.policy_hash,
                         d.policy_set, _plain_json(d.files), _plain_json(kept), d.answer_json,
                         int(self.mask_pii), digest))
        self._stored_sets |= stored  # only once committed: a rolled-back set is stored again next time

    def _store_set(self, cursor: Any, policies: PolicySet) -> None:
        manifest = {}
        for path, data in policies.sources.items():
            digest = "sha256:" + hashlib.sha256(data).hexdigest()
            manifest[path] = digest
            cursor.execute(self._sql("INSERT INTO policy_files (hash, content) VALUES (?, ?) ON CONFLICT DO NOTHING"),
                           (digest, data.decode("utf-8")))
        cursor.execute(self._sql("INSERT INTO policy_sets (hash, manifest) VALUES (?, ?) ON CONFLICT DO NOTHING"),
                       (policies.content_hash, _plain_json(manifest)))

    def same_request(self, policies: PolicySet, earlier: Decision, case: Any) -> bool:
        """Tell whether ``case`` is the request ``earlier`` answered.

        A masked input is compared as stored and, as its personal data is not stored, by the keyed digest
        of the input as sent: two households differing only in name or ID number are two requests.
        """
        if not earlier.masked:
            return _plain_json(case) == _plain_json(earlier.input)
        same_masked = _plain_json(self._masked(policies, case)) == _plain_json(earlier.input)
        return same_masked and earlier.input_digest is not None and hmac.compare_digest(
            self._digest(case), earlier.input_digest)

    def _digest(self, case: Any) -> str:
        return hmac.new(self.secret, _plain_json(case).encode("utf-8"), hashlib.sha256).hexdigest()

    def _masked(self, policies: PolicySet, case: Any) -> Any:
        """A copy of the case with every ``pii`` fact of its family replaced by ``***``."""
        if not isinstance(case, dict) or not isinstance(case.get("facts"), dict):
            return case
        name = case.get("policy")
        family = policies.families.get(name) if isinstance(name, str) else None
        if family is None:
            return case
        paths = {path for kind in family.kinds.values() for path in kind.pii_paths()}
        return {**case, "facts": _mask(case["facts"], paths, "")}

    # -- reading -------------------------------------------------------------------------------

    def find(self, decision_id: str | None = None, request_key: str | None = None) -> Decision | None:
        """The decision with this id (or made for this idempotency key), if logged."""
        column, value = ("id", decision_id) if decision_id is not None else ("request_key", request_key)
        with self._transaction() as cursor:
            cursor.execute(self._sql(
                "SELECT id, created_at, family, kind, version, policy_hash, policy_set, files, input, answer,"
                f" masked, request_key, input_digest FROM decisions WHERE {column} = ?"), (value,))
            row = cursor.fetchone()
        if row is None:
            return None
        loads = _loads
        found = Decision(row[0], row[1], row[2], row[3], row[4], row[5], row[6], loads(row[7]), loads(row[8]),
                         loads(row[9]), bool(row[10]), row[11], row[12])
        found.__dict__["answer_json"] = row[9]  # a retry is sent the stored text itself
        return found

    def policy_sources(self, set_hash: str) -> dict[str, bytes]:
        """The exact policy files of a stored set, by ``family/file.yaml``."""
        with self._transaction() as cursor:
            cursor.execute(self._sql("SELECT manifest FROM policy_sets WHERE hash = ?"), (set_hash,))
            row = cursor.fetchone()
            if row is None:
                return {}
            sources = {}
            for path, digest in _loads(row[0]).items():
                cursor.execute(self._sql("SELECT content FROM policy_files WHERE hash = ?"), (digest,))
                sources[path] = cursor.fetchone()[0].encode("utf-8")
        return sources

    def count(self) -> int:
        """How many decisions are logged."""
        with self._transaction() as cursor:
            cursor.execute("SELECT COUNT(*) FROM decisions")
            return int(cursor.fetchone()[0])

    def state(self) -> dict[str, Any]:
        """The database's state for ``/health``: reachable or not, and which kind."""
        kind = "postgresql" if self.postgres else "sqlite"
        try:
            with self._transaction() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Exception as e:  # any driver error means "not reachable"; the message says why
            return {"kind": kind, "status": "error", "message": str(e)}
        return {"kind": kind, "status": "ok"}


def _identity(path: str) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


class _SQLiteConnection(sqlite3.Connection):
    """A SQLite connection with its own descriptor of the writers' lock file (see ``_Transaction``)."""

    writers = -1
    path = ""
    identity: tuple[int, int] | None = None

    def still_at_path(self) -> bool:
        """Tell whether the file at the log's path is still the one this connection opened."""
        return self.identity is not None and _identity(self.path) == self.identity

    def close(self) -> None:
        if self.writers >= 0:
            os.close(self.writers)
            self.writers = -1
        super().close()


def _loads(text: str) -> Any:
    return json.loads(text, parse_float=Decimal)


def _mask(value: Any, paths: set[str], path: str) -> Any:
    """Replace the values at ``paths`` (``path`` is where ``value`` sits, "" for the facts themselves)."""
    if path in paths and value is not None:
        return MASK
    if isinstance(value, dict):
        return {k: _mask(v, paths, f"{path}.{k}" if path else k) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v, paths, f"{path}[]") for v in value]
    return value


def now() -> str:
    """The decision time, UTC, ISO 8601 (the clock is only ever used for this record)."""
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="microseconds")


class LogUnavailable(Exception):
    """The decision log cannot be read or written: no answer is given without its record."""


def _is_database_error(error: BaseException) -> bool:
    return isinstance(error, sqlite3.Error) or type(error).__module__.startswith("psycopg")


class _Transaction:
    """``with log._transaction() as cursor``: commit on success, roll back on error.

    A database error (unreachable server, disk full, locked too long) comes out as ``LogUnavailable``.
    SQLite writers of all processes (gunicorn workers) first take a kernel lock on a file beside the
    database: a writer that finds another committing then sleeps until it is done and wakes at once,
    where SQLite's own busy handler would poll with sleeps of 1 to 100 ms.  Readers never wait (WAL).
    """

    def __init__(self, log: DecisionLog, write: bool):
        self.log = log
        self.write = write
        self.locked = -1

    def __enter__(self) -> Any:
        try:
            self.connection = self.log._connection()
        except Exception as e:
            raise LogUnavailable(str(e)) from e
        try:
            if not self.log.postgres:
                if self.write:
                    fcntl.flock(self.connection.writers, fcntl.LOCK_EX)
                    self.locked = self.connection.writers
                self.connection.execute("BEGIN IMMEDIATE" if self.write else "BEGIN")
        except Exception as e:
            self._unlock()
            self.connection.close()  # not put back, and its descriptors are freed: a long outage leaks nothing
            raise LogUnavailable(str(e)) from e
        self.cursor = self.connection.cursor()
        return self.cursor

    def _unlock(self) -> None:
        if self.locked >= 0:
            fcntl.flock(self.locked, fcntl.LOCK_UN)
            self.locked = -1

    def __exit__(self, kind: Any, error: Any, tb: Any) -> None:
        self.cursor.close()
        try:
            if kind is None:
                self.connection.commit() if self.log.postgres else self.connection.execute("COMMIT")
            else:
                self.connection.rollback() if self.log.postgres else self.connection.execute("ROLLBACK")
        except Exception as e:
            self.locked = -1  # closing the connection's lock descriptor releases the lock
            self.connection.close()  # a connection that cannot commit or roll back is not reused
            raise LogUnavailable(str(e)) from e
        finally:
            self._unlock()
        if not (self.log.postgres and self.connection.closed):
            self.log._idle.put(self.connection)
        if error is not None and _is_database_error(error):
            raise LogUnavailable(str(error)) from error
