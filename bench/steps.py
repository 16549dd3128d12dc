"""What each kind of step costs: CPU time, database round trips and Bot API calls, one step at a time.

The same users and flows as `bench.updates`, but run one user after another (nothing overlaps), so each
step's cost is its own: the process's CPU time from the update's arrival until its answer and the
notifications it queued are out, the database round trips the bot made (statements, BEGIN, COMMIT,
ROLLBACK), the Bot API calls it made. The bot,
the emulator and the user share the process, so the echo bot's row (the same kinds of update) is what
the emulator and the user cost by themselves. This is where to look before optimising.

    .venv/bin/python -m bench.steps [--users 40] [--pg postgresql+asyncpg://...]
"""
from __future__ import annotations

import argparse
import asyncio
import functools
import os
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine

from bench.updates import (
    ASK,
    LOG,
    NOW,
    READ,
    SUMMARY,
    SURVEY,
    BenchUser,
    Stats,
    Waiter,
    echo_dispatcher,
    echo_flow,
    invitations_delivered,
    polling_in_process,
    seed,
)
from bot.app import BotApp
from bot.services.clock import FrozenClock
from bot.settings import Settings
from bot.speedups.transactions import driver_in_transaction
from db.migrate import downgrade, upgrade
from tests.emulator import BotAPIEmulator

SETTLE = 0.05  # after the answer: the notifications it queued go out (the sender runs in the same process)
TRANSACTION_EVENTS = ("commit", "rollback")  # BEGIN: counted when a statement opened a transaction


class Meter:
    def __init__(self, emulator: BotAPIEmulator, show: str | None = None) -> None:
        self.emulator = emulator
        self.round_trips = 0
        self.show = show  # steps whose names start so: the round trips of their heaviest occurrence are printed
        self.shown: list[str] | None = None
        self.heaviest: dict[str, list[str]] = {}
        self.rows: dict[str, list[tuple[float, int, int]]] = defaultdict(list)  # step: (cpu s, round trips, calls)
        event.listen(Engine, "before_cursor_execute", self._count)
        event.listen(Engine, "after_cursor_execute", self._count_begin)
        self._transaction_listeners = {name: functools.partial(self._count_transaction, name)
                                       for name in TRANSACTION_EVENTS}
        for name, listener in self._transaction_listeners.items():
            event.listen(Engine, name, listener)

    def _count(self, conn, cursor, statement: str, parameters, context, executemany) -> None:
        if context is not None:
            context.bench_was_open = driver_in_transaction(conn.connection.dbapi_connection)
        self.round_trips += 1
        if self.shown is not None:
            self.shown.append(" ".join(statement.split())[:300])

    def _count_begin(self, conn, cursor, statement: str, parameters, context, executemany) -> None:
        """What the driver really sent: a BEGIN if the statement opened a transaction (none in autocommit,
        nor before a read on PostgreSQL: db/engine.py begins at the first write)."""
        opened = not getattr(context, "bench_was_open", True) and driver_in_transaction(conn.connection.dbapi_connection)
        if context is not None and opened:
            self.round_trips += 1
            if self.shown is not None:
                self.shown.insert(len(self.shown) - 1, "BEGIN")

    def _count_transaction(self, name: str, conn) -> None:
        # with no transaction open, no COMMIT or ROLLBACK is sent
        if driver_in_transaction(conn.connection.dbapi_connection):
            self.round_trips += 1
            if self.shown is not None:
                self.shown.append(name.upper())

    def close(self) -> None:
        event.remove(Engine, "before_cursor_execute", self._count)
        event.remove(Engine, "after_cursor_execute", self._count_begin)
        for name, listener in self._transaction_listeners.items():
            event.remove(Engine, name, listener)

    async def step(self, name: str, user: BenchUser, kind: str, what, expect) -> bool:
        showing = self.show is not None and name.startswith(self.show)
        self.shown = [] if showing else None
        cpu, round_trips, calls = time.process_time(), self.round_trips, len(self.emulator.calls)
        ok = await (user.send(what, expect) if kind == "send" else user.press(what, expect))
        await asyncio.sleep(SETTLE)
        if showing and self.shown is not None:
            self.shown.append("API: " + ", ".join(c.method for c in self.emulator.calls[calls:]))
            if len(self.shown) > len(self.heaviest.get(name, [])):
                self.heaviest[name] = self.shown
            self.shown = None
        self.rows[name].append((time.process_time() - cpu, self.round_trips - round_trips,
                                len(self.emulator.calls) - calls))
        return ok

    def report(self, title: str) -> None:
        print(title)
        for name, shown in self.heaviest.items():
            print(f"  {name}, the heaviest: " + "".join(f"\n    {s}" for s in shown))
        self.heaviest.clear()
        print(f"  {'step':<34} {'n':>4} {'CPU ms':>7} {'round trips':>11} {'API calls':>9}")
        for name, rows in self.rows.items():
            n = len(rows)
            print(f"  {name[:34]:<34} {n:>4} {sum(r[0] for r in rows) / n * 1000:>7.2f} "
                  f"{sum(r[1] for r in rows) / n:>11.1f} {sum(r[2] for r in rows) / n:>9.1f}")
        self.rows.clear()


def step_name(flow_name: str, index: int, kind: str, what) -> str:
    label = what if isinstance(what, str) else "…"
    return f"{flow_name} {index + 1}: {kind} {label}"


async def walk(meter: Meter, emulator: BotAPIEmulator, waiter: Waiter, users: list[int], flows: list[tuple],
               echo: bool) -> None:
    for tid in users:
        user = BenchUser(emulator, waiter, tid, Stats(), echo)
        for flow_name, flow in flows:
            for index, (kind, what, expect) in enumerate(echo_flow(flow) if echo else flow):
                source = flow[index]
                if not await meter.step(step_name(flow_name, index, source[0], source[1]), user, kind, what, expect):
                    print(f"  {tid}: {flow_name} step {index + 1} unanswered; last: {user.last_words()!r}")
                    break


async def run(users: int, url: str, label: str, show: str | None) -> None:
    emulator = BotAPIEmulator()
    await emulator.start()
    waiter = Waiter(emulator)
    meter = Meter(emulator, show)
    try:
        async with polling_in_process(emulator, echo_dispatcher()):
            fake = list(range(900_001, 900_001 + 10))
            for tid in fake:
                emulator.open_chat(tid, f"U{tid}")
            await walk(meter, emulator, waiter, fake, [("text", [READ[0]]), ("press", [SURVEY[1]])], echo=True)
            meter.report("aiogram echo bot (the emulator and the user's side alone):")

        cast = await seed(url, users)
        for tid in cast.mentees + cast.mentors + cast.curators:
            emulator.open_chat(tid, f"U{tid}")
        settings = Settings.explicit(token=emulator.token, db_url=url, api_base=emulator.base_url)
        app = BotApp.create(settings, clock=FrozenClock(NOW))
        task = asyncio.create_task(app.run_polling(handle_signals=False, polling_timeout=1))
        await invitations_delivered(emulator, cast)
        print(f"nastavnik on {label}: walking", flush=True)  # (a profiler may attach here)
        await walk(meter, emulator, waiter, cast.mentees, [("survey", SURVEY), ("ask", ASK), ("read", READ)], False)
        await walk(meter, emulator, waiter, cast.mentors, [("log", LOG), ("read", READ)], False)
        await walk(meter, emulator, waiter, cast.curators, [("summary", SUMMARY)], False)
        meter.report(f"nastavnik on {label} (a step at a time; {len(cast.mentees)} mentees, {len(cast.mentors)} "
                     f"mentors, {len(cast.curators)} curators):")
        await app.stop()
        await task
    finally:
        meter.close()
        await emulator.stop()


async def main(users: int, pg: str | None, bots: set[str], show: str | None) -> None:
    for name, label, url in [("sqlite", "SQLite", f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'steps.sqlite3'}"),
                             ("pg", "PostgreSQL", pg)]:
        if name not in bots:
            continue
        if not url:
            print("PostgreSQL: skipped (set TEST_POSTGRES_URL or pass --pg)")
            continue
        if label == "PostgreSQL":
            await downgrade(url, "base")
        await upgrade(url)
        await run(users, url, label, show)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--pg", default=os.environ.get("TEST_POSTGRES_URL"), help="a PostgreSQL URL it may wipe")
    parser.add_argument("--bots", default="sqlite,pg", help="which of sqlite, pg to run")
    parser.add_argument("--show", help="print the round trips and API calls of the heaviest step so named (\"read 1\")")
    args = parser.parse_args()
    asyncio.run(main(args.users, args.pg, set(args.bots.split(",")), args.show))
