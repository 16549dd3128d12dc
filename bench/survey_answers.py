"""The cost of one anonymous answer against the survey's size: it must not grow with the respondents.

For a survey of N respondents (1,000 and 50,000, a region's), all but the last 120 have answered (their
answers written as the mix would have written them); then the last 120 answer through the service, each
in its own session, as the bot does. It prints the mean time an answer at both sizes and their ratio
(about 1 is O(1); the design before the mix rewrote every response on every answer: O(N)). SQLite
always; PostgreSQL too when TEST_POSTGRES_URL (or --pg) names a database it may wipe.

    .venv/bin/python -m bench.survey_answers [--sizes 1000,50000] [--pg postgresql+asyncpg://...]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bot.i18n import I18n
from bot.services import surveys
from bot.services.actor import load_actor
from db.engine import create_engine, create_sessionmaker
from db.migrate import downgrade, upgrade
from db.models import (
    Membership,
    Organization,
    Person,
    QuestionKind,
    Role,
    Survey,
    SurveyParticipant,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)
from tests.factories import insert_rows, membership_row, person_row

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
TIMED = 120  # the last respondents, who answer through the service
FIRST_TELEGRAM_ID = 10_000_000


async def _seed(sessionmaker, size: int) -> int:
    """A school of `size` mentees, an open mentee questionnaire to all of them, all but TIMED answered."""
    i18n = I18n()
    async with sessionmaker() as session:
        org = Organization(name="Школа", timezone="Europe/Moscow")
        session.add(org)
        await session.flush()
        await insert_rows(session, Person, [person_row(n + 1, FIRST_TELEGRAM_ID + n, f"Человек {n}", at=NOW)
                                            for n in range(size)])
        await insert_rows(session, Membership, [membership_row(n + 1, org.id, Role.MENTEE, at=NOW)
                                                for n in range(size)])
        survey = Survey(organization_id=org.id, title="Анкета", template="mentee", audience="mentees", anonymous=True,
                        status=SurveyStatus.OPEN, deadline=NOW + timedelta(days=7), created_at=NOW, launched_at=NOW)
        session.add(survey)
        await session.flush()
        questions = []
        for position, (key, kind, required) in enumerate(surveys.TEMPLATE_KEYS):
            question = SurveyQuestion(survey_id=survey.id, position=position, kind=kind, key=key, required=required,
                                      text=i18n.get(None).plain(f"survey_q.mentee.{key}"))
            session.add(question)
            questions.append(question)
        await session.flush()
        answered = size - TIMED
        await insert_rows(session, SurveyParticipant, [{"survey_id": survey.id, "person_id": n + 1, "answered": n < answered}
                                                   for n in range(size)])
        answers = json.dumps({str(q.id): 7 if q.kind == QuestionKind.SCALE else True for q in questions
                              if q.kind != QuestionKind.TEXT}, sort_keys=True)
        await insert_rows(session, SurveyResponse, [{"id": secrets.token_hex(16), "survey_id": survey.id,
                                                 "answers": answers} for _ in range(answered)])
        await session.commit()
        return survey.id


async def _timed_answers(sessionmaker, survey_id: int, size: int) -> float:
    """Mean seconds an answer, over the last TIMED respondents."""
    i18n, spent = I18n(), 0.0
    for n in range(size - TIMED, size):
        async with sessionmaker() as session:
            actor = await load_actor(session, FIRST_TELEGRAM_ID + n)
            started = time.perf_counter()
            form = await surveys.questionnaire(session, actor, survey_id, NOW, i18n)
            answers = {q.id: 8 if q.kind == QuestionKind.SCALE else True
                       for q in form.questions if q.kind != QuestionKind.TEXT}
            await surveys.submit(session, actor, survey_id, answers, NOW)
            spent += time.perf_counter() - started
    return spent / TIMED


async def run(name: str, url_for, sizes: list[int]) -> None:
    means = {}
    for size in sizes:
        url = await url_for(size)
        await upgrade(url)
        engine = create_engine(url)
        sessionmaker = create_sessionmaker(engine)
        survey_id = await _seed(sessionmaker, size)
        means[size] = await _timed_answers(sessionmaker, survey_id, size)
        await engine.dispose()
        print(f"{name}: {size:>6} respondents: {means[size] * 1000:.1f} ms an answer (mean of the last {TIMED})")
    smallest, largest = min(sizes), max(sizes)
    print(f"{name}: ratio {largest}/{smallest} respondents: x{means[largest] / means[smallest]:.2f} "
          f"(O(N) would be about x{largest / smallest:.0f})")


async def main(sizes: list[int], pg: str | None) -> None:
    print(f"machine: {platform.machine()}, {platform.system()} {platform.release()}, "
          f"Python {platform.python_version()}, {os.cpu_count()} CPUs")
    workdir = Path(tempfile.mkdtemp(prefix="nastavnik-bench-"))

    async def sqlite_url(size: int) -> str:
        return f"sqlite+aiosqlite:///{workdir / f'survey-{size}.sqlite3'}"

    await run("SQLite", sqlite_url, sizes)
    if pg:
        async def pg_url(size: int) -> str:
            await downgrade(pg, "base")
            return pg

        await run("PostgreSQL", pg_url, sizes)
    else:
        print("PostgreSQL: skipped (set TEST_POSTGRES_URL or pass --pg)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,50000", help="respondents, comma-separated (default 1000,50000)")
    parser.add_argument("--pg", default=os.environ.get("TEST_POSTGRES_URL"), help="a PostgreSQL URL it may wipe")
    args = parser.parse_args()
    asyncio.run(main([int(n) for n in args.sizes.split(",")], args.pg))
