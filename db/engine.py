"""Engine and session factory."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def create_engine(url: str, echo: bool = False, *, autocommit: bool = False) -> AsyncEngine:
    """`autocommit`: every statement its own transaction, with no BEGIN and COMMIT around it (two round
    trips fewer a statement) — for writers of one statement at a time, like the dialog state. The bot's
    own engine begins at its first write where the speed-ups are on (bot/speedups/transactions.py)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        private_database_file(Path(parsed.database))
    # PostgreSQL: a pool big enough for the updates handled at once (an overflow connection is opened and
    # closed again for every update beyond the pool, and a connect costs more than the update itself).
    # No pre-ping (a round trip on every checkout): when the database drops its connections (a restart,
    # a failover), the first statement to meet one fails, and SQLAlchemy then replaces the whole pool.
    # SQLite keeps SQLAlchemy's default pool: it has one writer at a time, more connections only queue.
    options: dict[str, Any] = {"pool_size": 20, "max_overflow": 20} if parsed.get_backend_name() == "postgresql" else {}
    if autocommit:
        options["isolation_level"] = "AUTOCOMMIT"
    # hide_parameters: neither the echo nor an exception's text shows the values (personal data)
    engine = create_async_engine(url, echo=echo, hide_parameters=True, **options)
    if parsed.get_backend_name() == "sqlite":

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            # what is deleted or overwritten is zeroed in the file, not left in free pages (erasure)
            cursor.execute("PRAGMA secure_delete=ON")
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


def private_database_file(path: Path) -> None:
    """The SQLite file readable by the bot's user only (0600, its folder 0700), created so before SQLite
    opens it: SQLite gives its -wal and -shm files the database file's mode."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if folder.stat().st_uid == os.getuid():
        folder.chmod(0o700)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists() and file.stat().st_uid == os.getuid():
            file.chmod(0o600)


async def checkpoint(session: AsyncSession) -> None:
    """SQLite: move the WAL into the database file and truncate it to nothing, so that what was just
    overwritten (an erasure, a survey batch) is no longer in the WAL's old frames. Call after a commit.
    Nothing to do on PostgreSQL (see README, Privacy: its WAL is the server's)."""
    if session.get_bind().dialect.name == "sqlite":
        await session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        await session.commit()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
