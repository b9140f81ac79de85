"""One engine per database URL: SQLite (WAL, busy timeout) or PostgreSQL (pre-ping, connect timeout).

Every use goes through :meth:`Database.run`: one transaction, retried a bounded number of times when the
connection failed (the database restarting, a dropped connection), and any failure raised as the caller's
:class:`~jumpstart_lab.errors.DatabaseUnavailable` whose message names the database with its password hidden.
Migrations run once per process before the first use (see :mod:`jumpstart_lab.db.migrate`), so a server
whose database is down still starts and recovers by itself when it is back.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, OperationalError, SQLAlchemyError

from ..errors import DatabaseUnavailable, InvalidInput

log = logging.getLogger(__name__)
T = TypeVar("T")

CONNECT_TIMEOUT = 5  # seconds to reach PostgreSQL before a request is answered 503
SQLITE_BUSY_TIMEOUT = 30.0
ATTEMPTS = 3  # one try and two retries of a transaction whose connection failed
BACKOFF = (0.2, 0.6)
SECRET_KEYS = ("password", "sslpassword", "passfile")


def parse(url: str | URL) -> URL:
    """The URL as SQLAlchemy reads it; :class:`InvalidInput` (never echoing the URL: it may hold a password)."""
    try:
        return make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise InvalidInput("The database URL is not an SQLAlchemy URL (dialect+driver://...).", field="db_url") from exc


def redact(url: str | URL) -> str:
    """The URL with its password (and password-like query values) replaced by ``***``."""
    try:
        parsed = parse(url)
    except InvalidInput:
        return "<invalid database URL>"
    query = {k: ("***" if k.lower() in SECRET_KEYS else v) for k, v in parsed.query.items()}
    return parsed.set(query=query).render_as_string(hide_password=True)


def scrub(text: str, url: str | URL) -> str:
    """``text`` (an error message) with every occurrence of the URL's secrets replaced by ``***``."""
    try:
        parsed = parse(url)
    except InvalidInput:
        return text
    secrets = [parsed.password, *(parsed.query.get(k) for k in SECRET_KEYS)]
    for secret in secrets:
        for value in secret if isinstance(secret, tuple) else (secret,):
            if value:
                text = text.replace(str(value), "***")
    return re.sub(r"(password\s*=\s*)\S+", r"\1***", text, flags=re.IGNORECASE)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT * 1000)}")
        mode = cursor.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sa.exc.OperationalError("PRAGMA journal_mode", {}, Exception(f"journal mode is {mode}, WAL needed"))
    finally:
        cursor.close()


def create_engine(url: str | URL) -> Engine:
    """An engine for ``url`` with this extension's settings (no echo of statements or parameters)."""
    parsed = parse(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = sa.create_engine(
            parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT, "check_same_thread": False}, hide_parameters=True
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect_args = {"connect_timeout": CONNECT_TIMEOUT} if backend == "postgresql" else {}
    return sa.create_engine(
        parsed,
        pool_pre_ping=True,  # a connection the server dropped is replaced, not handed out
        pool_size=5,
        max_overflow=10,
        pool_timeout=10,
        pool_recycle=1800,
        connect_args=connect_args,
        hide_parameters=True,
    )


def _retryable(exc: SQLAlchemyError) -> bool:
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, (OperationalError, InterfaceError))


class Database:
    """The database at ``url``: migrated on first use, used one transaction at a time."""

    def __init__(self, url: str | URL, *, attempts: int = ATTEMPTS) -> None:
        self.url = parse(url)
        self.backend = self.url.get_backend_name()
        self.attempts = max(1, attempts)
        try:
            self.engine = create_engine(self.url)
        except (ArgumentError, ImportError) as exc:  # an unknown dialect, or its driver is not installed
            extra = " (pip install 'jumpstart_lab[teams]')" if self.backend == "postgresql" else ""
            raise DatabaseUnavailable(
                f"The database {self.redacted} cannot be used: {scrub(str(exc), self.url)}{extra}.",
                database=self.redacted,
            ) from None
        self._ready = False
        self._lock = threading.Lock()

    @property
    def redacted(self) -> str:
        return redact(self.url)

    @property
    def shared(self) -> bool:
        """Whether other servers may use it too (a database server, not a local file)."""
        return self.backend != "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        if self.backend != "sqlite" or not self.url.database or self.url.database == ":memory:":
            return None
        return Path(self.url.database)

    def describe(self) -> dict[str, object]:
        """What ``GET status`` says about the database: never its password."""
        return {"backend": self.backend, "url": self.redacted, "shared": self.shared}

    def ready(self) -> None:
        """Apply the migrations (once per process; later calls return at once)."""
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            from .migrate import upgrade

            path = self.sqlite_path
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            upgrade(self.engine)
            self._ready = True
            log.info("jumpstart_lab: database %s ready", self.redacted)

    def run(
        self,
        work: Callable[[Connection], T],
        *,
        what: str = "The database",
        error: type[DatabaseUnavailable] = DatabaseUnavailable,
        hint: str = "",
    ) -> T:
        """``work(connection)`` in one transaction (committed before this returns).

        Retried when the connection failed (``work`` must be idempotent: every write here is); any failure
        becomes ``error`` whose message names the database (password hidden), the reason and ``hint``.
        """
        last: BaseException | None = None
        for attempt in range(self.attempts):
            try:
                self.ready()
                with self.engine.begin() as conn:
                    return work(conn)
            except SQLAlchemyError as exc:
                last = exc
                if not _retryable(exc) or attempt == self.attempts - 1:
                    break
                time.sleep(BACKOFF[min(attempt, len(BACKOFF) - 1)])
            except OSError as exc:  # the SQLite file's folder cannot be created
                last = exc
                break
        assert last is not None
        reason = self.reason(last)
        log.warning("jumpstart_lab: database %s unusable: %s", self.redacted, reason)
        raise error(f"{what} {self.redacted} cannot be used ({reason}).{hint}", database=self.redacted) from None

    def reason(self, exc: BaseException) -> str:
        """A one-line cause of ``exc`` without the URL's secrets."""
        orig = getattr(exc, "orig", None) or exc
        text = " ".join(str(orig).split()) or type(orig).__name__
        return scrub(text[:400], self.url)

    def dispose(self) -> None:
        self.engine.dispose()
