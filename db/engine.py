"""Engine and session factory."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def create_engine(url: str, echo: bool = False, *, autocommit: bool = False) -> AsyncEngine:
    """`autocommit`: every statement its own transaction, with no BEGIN and COMMIT around it (two round
    trips fewer a statement) — for writers of one statement at a time, like the dialog state."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    # PostgreSQL: a pool big enough for the updates handled at once (an overflow connection is opened and
    # closed again for every update beyond the pool, and a connect costs more than the update itself).
    # No pre-ping (a round trip on every checkout): when the database drops its connections (a restart,
    # a failover), the first statement to meet one fails, and SQLAlchemy then replaces the whole pool.
    # SQLite keeps SQLAlchemy's default pool: it has one writer at a time, more connections only queue.
    options: dict[str, Any] = {"pool_size": 20, "max_overflow": 20} if parsed.get_backend_name() == "postgresql" else {}
    if autocommit:
        options["isolation_level"] = "AUTOCOMMIT"
    engine = create_async_engine(url, echo=echo, **options)
    if parsed.get_backend_name() == "sqlite":

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            # with WAL, NORMAL syncs at checkpoints: a crash of the bot loses nothing, a power cut may lose
            # the last commits (never corrupts); FULL would sync every commit (dialog state writes a lot)
            cursor.execute("PRAGMA synchronous=NORMAL")
            # a writer waits for the one before it: under overload (bench/updates.py, 40 people as fast as
            # answered) a transaction spans many other updates' turns on the event loop and 5 s was seen
            # to run out (a dialog step lost); waiting longer only makes the answer late, not lost
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

    return engine


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
