"""Arranging the world for tests: people, schools, pairs, surveys, and the command line run as an operator
would. Shared by the test modules, which import from here and never from each other."""
from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from bot.i18n import I18n
from bot.services import mentorships
from bot.services import surveys as svc
from bot.services.actor import load_actor
from bot.services.invites import create_invite
from bot.services.organizations import create_organization
from bot.services.profile import normalize_name
from db.models import (
    HelpRequest,
    HelpRequestStatus,
    MeetingFormat,
    MeetingLog,
    Membership,
    MembershipTopic,
    MenteeCategory,
    MentoringForm,
    MentoringKind,
    Mentorship,
    MentorshipStatus,
    Participant,
    Person,
    PlanItem,
    Program,
    QuestionKind,
    Role,
    Survey,
    SurveyParticipant,
    SurveyQuestion,
    SurveyStatus,
    Topic,
)
from tests.conftest import START
from tests.emulator import ScriptedUser
from tests.emulator.server import StoredMessage


async def add_person(session, org_id: int, telegram_id: int, name: str, role: Role, *, topics: Sequence[str] = (),
                     capacity: int | None = None, young: bool = True, at: datetime = START,
                     created: datetime | None = None, admitted: bool = True) -> int:
    """A registered person with a completed profile (`at`) and one membership, flushed in the caller's
    transaction (the caller commits: a benchmark adds hundreds in one). `created`: when the rows were
    written (the database's clock when not given); `admitted`: a mentor the curator has admitted."""
    stamp = {"created_at": created} if created else {}
    person = Person(telegram_id=telegram_id, full_name=name, search_name=normalize_name(name),
                    position="учитель", subject="математика", experience_years=5, under_35=young,
                    profile_completed_at=at, **stamp)
    session.add(person)
    await session.flush()
    membership = Membership(person_id=person.id, organization_id=org_id, role=role, capacity=capacity, **stamp,
                            approved_at=at if role == Role.MENTOR and admitted else None)
    session.add(membership)
    await session.flush()
    for title in topics:
        topic_id = await session.scalar(select(Topic.id).where(
            Topic.organization_id == org_id, Topic.title.startswith(title)))
        session.add(MembershipTopic(membership_id=membership.id, topic_id=topic_id))
    return person.id


async def seed(db, org_id: int, telegram_id: int, name: str, role: Role, topics: Sequence[str] = (),
               capacity: int | None = None) -> int:
    async with db() as session:
        person_id = await add_person(session, org_id, telegram_id, name, role, topics=topics, capacity=capacity)
        await session.commit()
        return person_id


# Rows for bulk inserts: the benchmarks' regions of 50,000 people are inserted as rows, not objects.
BULK_BATCH = 5000


def person_row(person_id: int, telegram_id: int, name: str, *, at: datetime = START, **extra: Any) -> dict[str, Any]:
    """A person as add_person makes one, as a row; `extra` sets any other column."""
    return {"id": person_id, "telegram_id": telegram_id, "full_name": name, "search_name": normalize_name(name),
            "profile_completed_at": at, "created_at": at, **extra}


def membership_row(person_id: int, org_id: int, role: Role, *, at: datetime = START, **extra: Any) -> dict[str, Any]:
    return {"person_id": person_id, "organization_id": org_id, "role": role, "created_at": at, **extra}


async def insert_rows(session, model, rows: list[dict[str, Any]]) -> None:
    """Insert rows in batches (a statement's parameters are limited: SQLite's to 32,766)."""
    for start in range(0, len(rows), BULK_BATCH):
        await session.execute(insert(model), rows[start:start + BULK_BATCH])


async def wait_text(user: ScriptedUser, needle: str, timeout: float = 15) -> StoredMessage:
    """Notifications come from the sender in the background: wait for one to arrive."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        for message in reversed(user.messages()):
            if needle in (message.text or message.caption or ""):
                return message
        await asyncio.sleep(0.05)
    raise AssertionError(f"{user.first_name} got no message with {needle!r}: {[m.text for m in user.messages()]}")


async def make_org(db, name: str = "МБОУ «Школа № 5»", tz: str = "Europe/Moscow") -> int:
    async with db() as session:
        return (await create_organization(session, name, tz)).id


async def make_invite(db, org_id: int, role: Role, uses: int = 5) -> str:
    async with db() as session:
        return (await create_invite(session, org_id=org_id, role=role, now=START, max_uses=uses)).token


async def school_person(db, org_id, tid, name, role, *, young, category=None, experience: int = 5) -> int:
    """`young`: under 35; МПм counts those of them in their first 3 years (`experience`)."""
    person_id = await seed(db, org_id, tid, name, role)
    async with db() as session:
        await session.execute(update(Person).where(Person.id == person_id).values(
            under_35=young, experience_years=experience))
        await session.execute(update(Membership).where(Membership.person_id == person_id).values(
            mentee_category=category))
        await session.commit()
    return person_id


async def school_pair(session, org_id, kind, status, people, *, program_end=None, started: datetime | None = None,
                      plan: Sequence[tuple[str, date]] = ()) -> int:
    """A pair or group of `people` ((person, role), mentor first) with a program when `program_end`
    is given, and its plan items (activity, deadline)."""
    m = Mentorship(organization_id=org_id, form=MentoringForm.TEACHER_TEACHER, kind=kind, status=status,
                   started_at=started or START - timedelta(days=60),
                   ended_at=START if status == MentorshipStatus.COMPLETED else None)
    session.add(m)
    await session.flush()
    for person_id, role in people:
        session.add(Participant(mentorship_id=m.id, person_id=person_id, role=role, confirmed_at=started or START))
    if program_end:
        program = Program(mentorship_id=m.id, goals="Цели", difficulties="Затруднения",
                          start_date=date(2026, 9, 1), end_date=program_end)
        session.add(program)
        await session.flush()
        session.add_all([PlanItem(program_id=program.id, activity=activity, expected_result="Анализ", due_date=due)
                         for activity, due in plan])
    await session.flush()
    return m.id


def school_request(org_id, mentee, mentor, created, *, answer_after=None, status=HelpRequestStatus.CLOSED):
    return HelpRequest(organization_id=org_id, mentee_id=mentee, mentor_id=mentor, text="Как вести <урок>?",
                       status=status, created_at=created, escalate_at=created + timedelta(hours=4),
                       taken_at=created if mentor else None,
                       first_answer_at=created + answer_after if answer_after else None)


# who seed_school seeds: their Telegram ids are `base` plus these
SCHOOL_OFFSETS = {"curator": 0, "head": 1, "m1": 10, "m2": 11, "e1": 20, "e2": 21, "e3": 22, "e4": 23, "e5": 24}


def open_school_chats(emulator, base: int) -> None:
    """Everyone of a seeded school has started the bot (notifications can reach them)."""
    for offset in SCHOOL_OFFSETS.values():
        emulator.open_chat(base + offset, "Педагог")


async def seed_school(db, name: str, zone: str, base: int) -> tuple[int, dict[str, int]]:
    """A school as the summary test knows it (see the expected figures in the test)."""
    async with db() as session:
        org_id = (await create_organization(session, name, zone)).id
    at = {key: base + offset for key, offset in SCHOOL_OFFSETS.items()}
    p = {
        "curator": await school_person(db, org_id, at["curator"], "Куратор Ольга", Role.CURATOR, young=False),
        "head": await school_person(db, org_id, at["head"], "Директор Иван", Role.HEAD, young=False),
        "m1": await school_person(db, org_id, at["m1"], "Наставник Первый", Role.MENTOR, young=False),
        "m2": await school_person(db, org_id, at["m2"], "Наставник Второй", Role.MENTOR, young=True, experience=2),
        "e1": await school_person(db, org_id, at["e1"], "Алина Первая", Role.MENTEE, young=True, experience=2,
                            category=MenteeCategory.YOUNG),
        "e2": await school_person(db, org_id, at["e2"], "Борис Второй", Role.MENTEE, young=True, experience=2,
                            category=MenteeCategory.NEW_IN_TEAM),
        "e3": await school_person(db, org_id, at["e3"], "Вера Третья", Role.MENTEE, young=False,
                            category=MenteeCategory.NEW_TECHNOLOGY),
        "e4": await school_person(db, org_id, at["e4"], "Глеб Четвёртый", Role.MENTEE, young=True, experience=2,
                            category=MenteeCategory.YOUNG),
        "e5": await school_person(db, org_id, at["e5"], "Дарья Пятая", Role.MENTEE, young=False,
                            category=MenteeCategory.YOUNG),
    }
    async with db() as session:
        p["pair"] = await school_pair(session, org_id, MentoringKind.TRADITIONAL, MentorshipStatus.ACTIVE,
                                [(p["m1"], Role.MENTOR), (p["e1"], Role.MENTEE)], program_end=date(2026, 12, 10))
        p["group"] = await school_pair(session, org_id, MentoringKind.GROUP, MentorshipStatus.ACTIVE,
                                 [(p["m2"], Role.MENTOR), (p["e2"], Role.MENTEE), (p["e3"], Role.MENTEE)],
                                 program_end=date(2027, 5, 1))
        await school_pair(session, org_id, MentoringKind.SHORT_TERM, MentorshipStatus.COMPLETED,
                    [(p["m1"], Role.MENTOR), (p["e4"], Role.MENTEE)], program_end=date(2026, 11, 1))
        program_id = await session.scalar(select(Program.id).where(Program.mentorship_id == p["pair"]))
        session.add_all([
            PlanItem(program_id=program_id, activity="Открытый урок", due_date=date(2026, 11, 20),
                     expected_result="Анализ урока"),
            PlanItem(program_id=program_id, activity="План самообразования", due_date=date(2026, 11, 10),
                     expected_result="План", done_at=START - timedelta(days=14)),
        ])
        for held_on, minutes in ((date(2026, 11, 5), 60), (date(2026, 11, 20), 45), (date(2026, 10, 28), 90)):
            session.add(MeetingLog(mentorship_id=p["group"], logged_by_id=p["m2"], held_on=held_on,
                                   duration_minutes=minutes, format=MeetingFormat.IN_PERSON, topic="Тема",
                                   summary="Итоги"))
        session.add_all([
            school_request(org_id, p["e1"], p["m1"], datetime(2026, 11, 10, 7, tzinfo=timezone.utc),
                     answer_after=timedelta(minutes=30)),
            school_request(org_id, p["e2"], p["m2"], datetime(2026, 11, 16, 7, tzinfo=timezone.utc),
                     answer_after=timedelta(minutes=90), status=HelpRequestStatus.TAKEN),
            school_request(org_id, p["e3"], None, datetime(2026, 11, 22, 7, tzinfo=timezone.utc),
                     status=HelpRequestStatus.OPEN),
            school_request(org_id, p["e1"], p["m1"], datetime(2026, 10, 20, 7, tzinfo=timezone.utc),
                     answer_after=timedelta(minutes=10)),
        ])
        closed = Survey(organization_id=org_id, title="Анкета", template="mentee", audience="mentees",
                        status=SurveyStatus.CLOSED, deadline=START - timedelta(days=1), mean_score=7.5)
        running = Survey(organization_id=org_id, title="Свой", audience="mentees", status=SurveyStatus.OPEN,
                         deadline=START + timedelta(days=5))
        session.add_all([closed, running, Survey(organization_id=org_id, title="Черновик", audience="mentees",
                                                 status=SurveyStatus.DRAFT, deadline=START + timedelta(days=5))])
        await session.flush()
        for n, key in enumerate(("e1", "e2", "e3", "e4")):
            session.add(SurveyParticipant(survey_id=closed.id, person_id=p[key], answered=n < 3))
        for n, key in enumerate(("e1", "e2", "e3", "e4", "e5")):
            session.add(SurveyParticipant(survey_id=running.id, person_id=p[key], answered=n == 0))
        await session.execute(update(Person).where(Person.id == p["e5"]).values(unreachable_at=START))
        await session.commit()
    return org_id, p


def cli_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("BOT_", "DATABASE_", "TELEGRAM_", "DEFAULT_"))}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    env.update(extra)
    return env


async def run_cli(tmp_path: Path, *args: str, **extra: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=tmp_path, env=cli_env(tmp_path, **extra),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    return proc.returncode or 0, out.decode(), err.decode()


I18N = I18n()


WEEK = START + timedelta(days=7)


MENTEES = 30


async def actor_of(db, telegram_id: int):
    async with db() as session:
        return await load_actor(session, telegram_id)


async def as_person(db, telegram_id: int, service, *args, **kwargs):
    """A service called as the person with that Telegram id, in a session of its own (arranging a world
    through the rules, not around them)."""
    async with db() as session:
        return await service(session, await load_actor(session, telegram_id), *args, **kwargs)


async def survey_world(db, mentees: int = MENTEES):
    async with db() as session:
        org = (await create_organization(session, "Лицей № 1", "Europe/Moscow")).id
        other = (await create_organization(session, "Лицей № 2", "Europe/Moscow")).id
    await seed(db, org, 1, "Куратор", Role.CURATOR)
    await seed(db, org, 2, "Руководитель", Role.HEAD)
    await seed(db, other, 3, "Чужой куратор", Role.CURATOR)
    await seed(db, org, 4, "Наставник", Role.MENTOR)
    for n in range(mentees):
        await seed(db, org, 100 + n, f"Наставляемый {n:02d}", Role.MENTEE)
    return org, other


async def launched_survey(db, *, questions=None, template="mentee", audience="mentees") -> int:
    curator = await actor_of(db, 1)
    async with db() as session:
        sid = await svc.create(session, curator, audience=audience, deadline=WEEK, now=START, i18n=I18N,
                               template=None if questions else template, title="Свой опрос" if questions else None,
                               questions=questions)
        await svc.launch(session, curator, sid, START, I18N)
    return sid


def full_answers(form: svc.Questionnaire, wish: str | None = None, rating: int = 7) -> dict:
    answers = {}
    for q in form.questions:
        if q.kind == QuestionKind.SCALE:
            answers[q.id] = rating
        elif q.kind == QuestionKind.YES_NO:
            answers[q.id] = True
        elif q.kind == QuestionKind.TEXT and wish is not None:
            answers[q.id] = wish
    return answers


SWEEP_BASE = 8000  # Telegram ids of the seeded school: SWEEP_BASE + SCHOOL_OFFSETS


async def arrange_sweep_school(db) -> dict:
    org_id, p = await seed_school(db, "Школа на все случаи", "Europe/Moscow", SWEEP_BASE)
    async with db() as session:
        program = await session.scalar(select(Program).where(Program.mentorship_id == p["pair"]))
        item_id = await session.scalar(select(PlanItem.id).where(PlanItem.program_id == program.id,
                                                                 PlanItem.done_at.is_(None)))
        meeting = MeetingLog(mentorship_id=p["pair"], logged_by_id=p["m1"], held_on=date(2026, 11, 22),
                             duration_minutes=45, format=MeetingFormat.IN_PERSON, topic="Разбор урока", summary="Итоги")
        answered = HelpRequest(organization_id=org_id, mentee_id=p["e1"], mentor_id=p["m1"], text="Как быть?",
                               status=HelpRequestStatus.CLOSED, created_at=START - timedelta(days=1),
                               escalate_at=START - timedelta(hours=20), rating=5,
                               first_answer_at=START - timedelta(hours=20), closed_at=START - timedelta(hours=2))
        session.add_all([meeting, answered])
        survey_id = await session.scalar(select(Survey.id).where(Survey.organization_id == org_id,
                                                                Survey.status == SurveyStatus.OPEN))
        session.add(SurveyQuestion(survey_id=survey_id, position=0, kind=QuestionKind.TEXT, text="Что улучшить?",
                                   required=True))
        await session.commit()
        return {"org": org_id, **p, "program": program.id, "item": item_id, "meeting": meeting.id,
                "request": answered.id, "survey": survey_id}


# ------------------------------------------------------------- Гимназия № 3 (pairs and programs)
@dataclass
class Gymnasium:
    org_id: int
    ids: dict  # person ids: "curator", and by Telegram id
    busy_id: int  # Полнов's pair with Григорьев (he is at capacity)
    users: dict[int, ScriptedUser]


async def gymnasium(emulator, db) -> Gymnasium:
    """Гимназия № 3: a curator, three mentees of two difficulties and one already paired, a mentor at capacity,
    and two mentors with free places; every chat open."""
    async with db() as session:
        org_id = (await create_organization(session, "Гимназия № 3", "Europe/Moscow")).id
    ids = {}
    ids["curator"] = await seed(db, org_id, 700, "Куратор Кира Константиновна", Role.CURATOR)
    for tid, name in [(701, "Алексеева Анна"), (702, "Борисов Богдан"), (703, "Васильева Вера")]:
        ids[tid] = await seed(db, org_id, tid, name, Role.MENTEE, ["Инклюзия", "Оценивание"])
    ids[704] = await seed(db, org_id, 704, "Григорьев Глеб", Role.MENTEE, ["Инклюзия"])
    ids[710] = await seed(db, org_id, 710, "Полнов Пётр (занят)", Role.MENTOR, ["Инклюзия", "Оценивание"], 1)
    ids[711] = await seed(db, org_id, 711, "Лучшева Лидия", Role.MENTOR, ["Инклюзия", "Оценивание"], 3)
    ids[712] = await seed(db, org_id, 712, "Запасов Захар", Role.MENTOR, ["Инклюзия"], 5)
    async with db() as session:  # Полнов already mentors Григорьев: he is at capacity
        busy = Mentorship(organization_id=org_id, form=MentoringForm.TEACHER_TEACHER,
                          kind=MentoringKind.TRADITIONAL, status=MentorshipStatus.ACTIVE, started_at=START)
        session.add(busy)
        await session.flush()
        session.add_all([Participant(mentorship_id=busy.id, person_id=ids[710], role=Role.MENTOR, confirmed_at=START),
                         Participant(mentorship_id=busy.id, person_id=ids[704], role=Role.MENTEE, confirmed_at=START)])
        await session.commit()
        busy_id = busy.id
    users = {tid: ScriptedUser(emulator, tid, name) for tid, name in
             [(700, "Кира"), (701, "Анна"), (702, "Богдан"), (703, "Вера"), (704, "Глеб"), (711, "Лидия"),
              (712, "Захар")]}
    for user in users.values():  # they joined long ago: their chats with the bot exist
        emulator.open_chat(user.id, user.first_name)

    return Gymnasium(org_id, ids, busy_id, users)


async def agreed_group(db, clock, w: Gymnasium) -> int:
    """Лучшева Лидия's group of the three mentees, proposed by the curator and agreed by all (as the chat
    does it: tested below). Returns its id."""
    now = clock.now()
    group_id = await as_person(db, 700, mentorships.propose, org_id=w.org_id, mentor_id=w.ids[711],
                               mentee_ids=[w.ids[701], w.ids[702], w.ids[703]], form=MentoringForm.TEACHER_TEACHER,
                               kind=MentoringKind.GROUP, now=now, i18n=I18N)
    for tid in (711, 701, 702, 703):
        await as_person(db, tid, mentorships.respond, group_id, accept=True, now=now, i18n=I18N)
    return group_id


async def group_with_program(db, clock, w: Gymnasium) -> tuple[int, int]:
    """The agreed group with a 6-month program and three plan items (as the chat makes them: tested below).
    Returns the group's and the program's ids."""
    now = clock.now()
    group_id = await agreed_group(db, clock, w)
    program_id = await as_person(db, 711, mentorships.create_program, group_id,
                                 goals="Освоить <инклюзивные> практики & оценивание", months=6, now=now,
                                 i18n=I18N)
    for activity, due, expected in PLAN:
        await as_person(db, 711, mentorships.add_item, program_id, activity=activity, due=due, expected=expected, now=now)
    return group_id, program_id


PLAN = [("Посетить урок наставника", date(2026, 11, 25), "Анализ урока"),
        ("Провести открытый урок", date(2026, 11, 26), "Самоанализ урока"),
        ("Разработать КИМ", date(2026, 12, 30), "Комплект заданий")]
