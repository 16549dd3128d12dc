"""The summary and the export at a region's scale.

Seeds a region — 1,000 organisations under one body, 50 people each (50,000), 10 pairs and groups
each with programs and plan items, 50 help requests and 2 surveys each, and 1,000,000 meetings —
and times what a coordinator and a curator ask for: the coordinator's indicators over every
organisation (and their total), one curator's summary (indicators and what needs attention), one
organisation's export workbook, and the coordinator's workbook. It does so at 10% and at 100% of the
data and prints the times and the growth between them. SQLite always; PostgreSQL too when
TEST_POSTGRES_URL (or --pg) names a database it may wipe.

    .venv/bin/python -m bench.summary [--scale 1.0] [--pg postgresql+asyncpg://...]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import func, select, text

from bot.i18n import I18n
from bot.services import coordinators, exports, summary
from bot.services.actor import load_actor
from db.engine import create_engine, create_sessionmaker
from db.migrate import downgrade, upgrade
from db.models import (
    HelpRequest,
    HelpRequestStatus,
    Membership,
    MenteeCategory,
    MentoringForm,
    MentoringKind,
    Mentorship,
    MentorshipStatus,
    Organization,
    Participant,
    Person,
    PlanItem,
    Program,
    Role,
    Survey,
    SurveyParticipant,
    SurveyStatus,
)
from tests.factories import insert_rows, membership_row, person_row

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
ORGS, PEOPLE_PER_ORG, MENTORS_PER_ORG, MEETINGS = 1000, 50, 10, 1_000_000
REQUESTS_PER_ORG, SURVEYS_PER_ORG = 50, 2
CATEGORIES = list(MenteeCategory)
KINDS = [MentoringKind.TRADITIONAL, MentoringKind.GROUP, MentoringKind.SHORT_TERM, MentoringKind.VIRTUAL]


async def seed(url: str, fraction: float) -> dict[str, int]:
    """A region at `fraction` of full size; returns the ids the measurements need."""
    orgs = max(1, round(ORGS * fraction))
    meetings = round(MEETINGS * fraction)
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    async with sessionmaker() as session:
        region = Organization(name="Региональный центр", timezone="Europe/Moscow", digest_weekday=None)
        session.add(region)
        await session.flush()
        await insert_rows(session, Organization, [
            {"id": region.id + 1 + n, "name": f"Школа № {n + 1:04d}", "timezone": "Europe/Moscow",
             "parent_id": region.id, "created_at": NOW} for n in range(orgs)])
        org_ids = [region.id + 1 + n for n in range(orgs)]
        people, memberships, person_id = [], [], 0
        roles_of: dict[int, list[tuple[int, Role]]] = {}
        for org_id in org_ids:
            roles_of[org_id] = []
            for n in range(PEOPLE_PER_ORG):
                person_id += 1
                role = Role.CURATOR if n == 0 else Role.HEAD if n == 1 else (
                    Role.MENTOR if n < 2 + MENTORS_PER_ORG else Role.MENTEE)
                people.append(person_row(person_id, 10_000_000 + person_id, f"Педагог {person_id}", at=NOW,
                                         under_35=person_id % 3 == 0,
                                         unreachable_at=NOW if person_id % 97 == 0 else None))
                memberships.append(membership_row(
                    person_id, org_id, role, at=NOW, capacity=3 if role == Role.MENTOR else None,
                    mentee_category=CATEGORIES[person_id % 5] if role == Role.MENTEE else None))
                roles_of[org_id].append((person_id, role))
        await insert_rows(session, Person, people)
        await insert_rows(session, Membership, memberships)
        mentorships, participants, programs, items, requests = [], [], [], [], []
        mentorship_id = 0
        for org_id in org_ids:
            mentors = [p for p, r in roles_of[org_id] if r == Role.MENTOR]
            mentees = [p for p, r in roles_of[org_id] if r == Role.MENTEE]
            for n, mentor in enumerate(mentors):
                mentorship_id += 1
                kind = KINDS[n % len(KINDS)]
                group = mentees[n * 3:n * 3 + (3 if kind == MentoringKind.GROUP else 1)]
                status = MentorshipStatus.COMPLETED if n == 9 else MentorshipStatus.ACTIVE
                mentorships.append({"id": mentorship_id, "organization_id": org_id,
                                    "form": MentoringForm.TEACHER_TEACHER, "kind": kind, "status": status,
                                    "started_at": NOW - timedelta(days=200), "created_at": NOW})
                participants += [{"mentorship_id": mentorship_id, "person_id": p, "role": role,
                                  "confirmed_at": NOW - timedelta(days=200), "invited_at": NOW}
                                 for p, role in [(mentor, Role.MENTOR)] + [(m, Role.MENTEE) for m in group]]
                programs.append({"id": mentorship_id, "mentorship_id": mentorship_id, "goals": "Цели",
                                 "difficulties": "Затруднения", "start_date": date(2026, 5, 1),
                                 "end_date": date(2026, 12, 1) + timedelta(days=n * 20), "created_at": NOW})
                items += [{"program_id": mentorship_id, "activity": f"Мероприятие {k}", "expected_result": "Итог",
                           "due_date": date(2026, 9, 1) + timedelta(days=40 * k),
                           "done_at": NOW if k == 0 else None, "created_at": NOW} for k in range(3)]
            for n in range(REQUESTS_PER_ORG):
                created = NOW - timedelta(hours=7 * n + 1)
                answered = n % 4 != 0
                requests.append({"organization_id": org_id, "mentee_id": mentees[n % len(mentees)],
                                 "mentor_id": mentors[n % len(mentors)] if answered else None, "text": "Вопрос",
                                 "status": HelpRequestStatus.CLOSED if answered else HelpRequestStatus.OPEN,
                                 "created_at": created, "escalate_at": created + timedelta(hours=4),
                                 "first_answer_at": created + timedelta(minutes=5 + n) if answered else None})
        await insert_rows(session, Mentorship, mentorships)
        await insert_rows(session, Participant, participants)
        await insert_rows(session, Program, programs)
        await insert_rows(session, PlanItem, items)
        await insert_rows(session, HelpRequest, requests)
        surveys, survey_people, survey_id = [], [], 0
        for org_id in org_ids:
            mentees = [p for p, r in roles_of[org_id] if r == Role.MENTEE]
            for n in range(SURVEYS_PER_ORG):
                survey_id += 1
                surveys.append({"id": survey_id, "organization_id": org_id, "title": "Анкета", "template": "mentee",
                                "audience": "mentees", "anonymous": True, "status": SurveyStatus.CLOSED,
                                "deadline": NOW - timedelta(days=10 * n + 1), "mean_score": 7 + n / 2,
                                "created_at": NOW})
                survey_people += [{"survey_id": survey_id, "person_id": p, "answered": k % 3 != 0}
                                  for k, p in enumerate(mentees)]
        await insert_rows(session, Survey, surveys)
        await insert_rows(session, SurveyParticipant, survey_people)
        await session.flush()
        # a million meetings, generated by the database itself
        pairs = mentorship_id
        if session.get_bind().dialect.name == "postgresql":
            await session.execute(text(
                "INSERT INTO meeting_logs (mentorship_id, logged_by_id, held_on, duration_minutes, format, topic, "
                "summary, created_at) SELECT m.id, p.person_id, date '2026-11-23' - (n % 365), 30 + 15 * (n % 4), "
                "CASE WHEN n % 2 = 0 THEN 'in_person' ELSE 'online' END, 'Тема', 'Итоги', now() "
                "FROM generate_series(0, :count - 1) AS n "
                "JOIN mentorships m ON m.id = 1 + n % :pairs "
                "JOIN mentorship_participants p ON p.mentorship_id = m.id AND p.role = 'mentor'"),
                {"count": meetings, "pairs": pairs})
        else:
            await session.execute(text(
                "INSERT INTO meeting_logs (mentorship_id, logged_by_id, held_on, duration_minutes, format, topic, "
                "summary, created_at) WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq "
                "WHERE n < :count - 1) SELECT m.id, p.person_id, date('2026-11-23', '-' || (n % 365) || ' days'), "
                "30 + 15 * (n % 4), CASE WHEN n % 2 = 0 THEN 'in_person' ELSE 'online' END, 'Тема', 'Итоги', "
                "'2026-11-23 09:00:00' FROM seq JOIN mentorships m ON m.id = 1 + n % :pairs "
                "JOIN mentorship_participants p ON p.mentorship_id = m.id AND p.role = 'mentor'"),
                {"count": meetings, "pairs": pairs})
        await session.commit()
        if session.get_bind().dialect.name == "postgresql":
            for table in ("meeting_logs", "mentorships", "memberships", "people", "help_requests",
                          "mentorship_participants", "survey_participants", "plan_items", "programs"):
                await session.execute(text(f"ANALYZE {table}"))
            await session.commit()
        counted = await session.scalar(select(func.count()).select_from(text("meeting_logs")))
        # the coordinator of the region, and one school's curator
        session.add(Person(id=person_id + 1, telegram_id=1, full_name="Координатор", created_at=NOW))
        await session.flush()
        session.add(Membership(person_id=person_id + 1, organization_id=region.id, role=Role.COORDINATOR,
                               created_at=NOW))
        await session.commit()
    await engine.dispose()
    return {"orgs": orgs, "people": person_id, "meetings": int(counted or 0), "first_org": org_ids[0],
            "coordinator": 1, "curator": 10_000_000 + 1}


async def measure(url: str, ids: dict[str, int]) -> dict[str, float]:
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    t = I18n().get("ru")
    times: dict[str, float] = {}

    async def timed(name: str, action) -> None:
        best = float("inf")
        for _ in range(3):  # the best of three: the first run warms the caches
            async with sessionmaker() as session:
                started = time.perf_counter()
                await action(session)
                best = min(best, time.perf_counter() - started)
        times[name] = best

    async def coordinator_summary(session) -> None:
        actor = await load_actor(session, ids["coordinator"])
        area = await coordinators.region(session, actor, NOW)
        assert len(area.orgs) == ids["orgs"]

    async def curator_summary(session) -> None:
        org = await session.get(Organization, ids["first_org"])
        await summary.indicators(session, [org], NOW)
        await summary.attention(session, org, NOW)

    with tempfile.TemporaryDirectory() as folder:
        async def org_export(session) -> None:
            actor = await load_actor(session, ids["curator"])
            await exports.organisation_workbook(session, actor, ids["first_org"], "all", NOW, t,
                                                Path(folder) / "org.xlsx")

        async def coordinator_export(session) -> None:
            actor = await load_actor(session, ids["coordinator"])
            await exports.coordinator_workbook(session, actor, NOW, t, Path(folder) / "region.xlsx")

        await timed("coordinator summary (all organisations + total)", coordinator_summary)
        await timed("curator summary (indicators + attention)", curator_summary)
        await timed("export: one organisation, all time (XLSX)", org_export)
        await timed("export: coordinator, every organisation (XLSX)", coordinator_export)
        for name, action in (("one organisation", org_export), ("coordinator", coordinator_export)):
            tracemalloc.start()  # a separate run: tracing slows Python down several times
            async with sessionmaker() as session:
                await action(session)
            times[f"peak Python memory of the {name} export, MiB"] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
    await engine.dispose()
    return times


async def run(label: str, make_url, scale: float) -> None:
    results = {}
    for fraction in (0.1 * scale, scale):
        url = await make_url()
        await upgrade(url)
        started = time.perf_counter()
        ids = await seed(url, fraction)
        seeded = time.perf_counter() - started
        print(f"{label}, {fraction:.0%}: {ids['orgs']} organisations, {ids['people']} people, "
              f"{ids['meetings']} meetings (seeded in {seeded:.1f} s)", flush=True)
        results[fraction] = await measure(url, ids)
        for name, value in results[fraction].items():
            print(f"  {name}: {value * 1000:.0f} ms" if "MiB" not in name else f"  {name}: {value:.1f}", flush=True)
    small, full = results[0.1 * scale], results[scale]
    print(f"{label}: growth from 10% to 100% of the data (10x the rows)")
    for name in full:
        if "MiB" not in name:
            print(f"  {name}: x{full[name] / small[name]:.1f}")


async def main(scale: float, pg: str | None) -> None:
    print(f"machine: {platform.machine()}, {platform.system()} {platform.release()}, "
          f"Python {platform.python_version()}, {os.cpu_count()} CPUs")
    workdir = Path(tempfile.mkdtemp(prefix="nastavnik-bench-"))
    counter = iter(range(100))

    async def sqlite_url() -> str:
        return f"sqlite+aiosqlite:///{workdir / f'region-{next(counter)}.sqlite3'}"

    await run("SQLite", sqlite_url, scale)
    if pg:
        async def pg_url() -> str:
            await downgrade(pg, "base")  # a clean database for each size
            return pg

        await run("PostgreSQL", pg_url, scale)
    else:
        print("PostgreSQL: skipped (set TEST_POSTGRES_URL or pass --pg)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full region (default 1.0)")
    parser.add_argument("--pg", default=os.environ.get("TEST_POSTGRES_URL"), help="a PostgreSQL URL it may wipe")
    args = parser.parse_args()
    asyncio.run(main(args.scale, args.pg))
