"""The documents at scale: the curator's final report of a school of 200 people (40 pairs with programs
and plans, 400 meetings, 100 help requests), and the coordinator's report of a region of 1,000
organisations (bench.summary's region). Prints the time (best of three) and the peak Python memory of
each, on SQLite, and on PostgreSQL when TEST_POSTGRES_URL (or --pg) names a database it may wipe.

    .venv/bin/python -m bench.documents [--scale 1.0] [--pg postgresql+asyncpg://...]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Integer, text

from bench.summary import NOW
from bench.summary import seed as seed_region
from bot.i18n import I18n
from bot.services import documents
from bot.services.actor import load_actor
from bot.services.organizations import create_organization
from db.engine import create_engine, create_sessionmaker
from db.migrate import downgrade, upgrade
from db.models import (
    Base,
    HelpRequest,
    HelpRequestStatus,
    MeetingFormat,
    MeetingLog,
    MentoringKind,
    MentorshipStatus,
    Role,
)
from tests.factories import add_person, school_pair

SCHOOL, MENTORS, PAIRS = 200, 40, 40


async def seed_school(url: str) -> int:
    """The school; returns its curator's Telegram id."""
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    async with sessionmaker() as session:
        if session.get_bind().dialect.name == "postgresql":  # the region's rows came with their ids
            for table in Base.metadata.sorted_tables:
                if "id" in table.c and table.c.id.primary_key and isinstance(table.c.id.type, Integer):
                    await session.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table.name}), false) "
                        f"WHERE pg_get_serial_sequence('{table.name}', 'id') IS NOT NULL"))
            await session.commit()
        org_id = (await create_organization(session, "Школа на 200 человек", "Europe/Moscow")).id
        await add_person(session, org_id, 900_000, "Куратор", Role.CURATOR, at=NOW, created=NOW)
        mentors = [await add_person(session, org_id, 900_001 + n, f"Наставник {n}", Role.MENTOR, at=NOW, created=NOW,
                                    topics=("Инклюзия",), capacity=4) for n in range(MENTORS)]
        mentees = [await add_person(session, org_id, 901_000 + n, f"Наставляемый {n}", Role.MENTEE, at=NOW,
                                    created=NOW, topics=("Инклюзия",)) for n in range(SCHOOL - 1 - MENTORS)]
        for n in range(PAIRS):
            pair = await school_pair(session, org_id, MentoringKind.TRADITIONAL, MentorshipStatus.ACTIVE,
                                     [(mentors[n], Role.MENTOR), (mentees[n], Role.MENTEE)], started=NOW,
                                     program_end=NOW.date() + timedelta(days=180),
                                     plan=[(f"Мероприятие {k}", NOW.date() + timedelta(days=30 * k)) for k in range(3)])
            session.add_all(MeetingLog(mentorship_id=pair, logged_by_id=mentors[n], held_on=date(2026, 9, 10 + k),
                                       duration_minutes=45, format=MeetingFormat.IN_PERSON, topic="Тема",
                                       summary="Итоги") for k in range(10))
            session.add_all(HelpRequest(organization_id=org_id, mentee_id=mentees[n], mentor_id=mentors[n],
                                        text="Вопрос", status=HelpRequestStatus.CLOSED, created_at=NOW,
                                        escalate_at=NOW, first_answer_at=NOW) for _ in range(100 // PAIRS + 1))
        await session.commit()
    await engine.dispose()
    return 900_000


async def measure(url: str, curator: int, coordinator: int, orgs: int) -> dict[str, float]:
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    i18n = I18n()
    results: dict[str, float] = {}

    async def report(session) -> None:
        actor = await load_actor(session, curator)
        await documents.annual_report(session, actor, actor.orgs_where(Role.CURATOR)[0][0], NOW, i18n, None, "Выводы")

    async def region(session) -> None:
        await documents.region_report(session, await load_actor(session, coordinator), NOW, i18n, None)

    for name, action in (("the final report of a school of 200", report),
                         (f"the coordinator's report, {orgs:,} organisations", region)):
        best = float("inf")
        for _ in range(3):
            async with sessionmaker() as session:
                started = time.perf_counter()
                await action(session)
                best = min(best, time.perf_counter() - started)
        results[f"{name}, s"] = best
        tracemalloc.start()  # a separate run: tracing slows Python down several times
        async with sessionmaker() as session:
            await action(session)
        results[f"{name}, peak Python memory, MiB"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    await engine.dispose()
    return results


async def run(label: str, url: str, scale: float) -> None:
    await upgrade(url)
    started = time.perf_counter()
    ids = await seed_region(url, scale)
    curator = await seed_school(url)
    print(f"{label}: {ids['orgs']} organisations and a school of {SCHOOL} seeded in "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    for name, value in (await measure(url, curator, ids["coordinator"], ids["orgs"])).items():
        print(f"  {name}: {value:.2f}", flush=True)


async def main(scale: float, pg: str | None) -> None:
    print(f"machine: {platform.machine()}, {platform.system()} {platform.release()}, "
          f"Python {platform.python_version()}, {os.cpu_count()} CPUs")
    workdir = Path(tempfile.mkdtemp(prefix="nastavnik-bench-"))
    await run("SQLite", f"sqlite+aiosqlite:///{workdir / 'documents.sqlite3'}", scale)
    if pg:
        await downgrade(pg, "base")
        await run("PostgreSQL", pg, scale)
    else:
        print("PostgreSQL: skipped (set TEST_POSTGRES_URL or pass --pg)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of bench.summary's region (default 1.0)")
    parser.add_argument("--pg", default=os.environ.get("TEST_POSTGRES_URL"), help="a PostgreSQL URL it may wipe")
    args = parser.parse_args()
    asyncio.run(main(args.scale, args.pg))
