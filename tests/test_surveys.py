"""Surveys at the service level: anonymity against someone reading the database, one submission per
person, answers checked against the questions, who may do what, the result threshold, and the
questionnaires launched when a program completes."""
from __future__ import annotations

import io
import json
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, text

from bot import reports
from bot.handlers.surveys.views import results_text
from bot.services import mentorships, survey_mix
from bot.services import surveys as svc
from bot.services.actor import load_actor
from bot.services.errors import AccessDenied, InvalidInput, NotFound
from bot.services.organizations import create_organization, set_survey_min_answers
from db.models import (
    CompletionReason,
    MentoringForm,
    MentoringKind,
    Notification,
    QuestionKind,
    Role,
    Survey,
    SurveyParticipant,
    SurveyStatus,
)
from tests.conftest import START, recorded_statements
from tests.factories import I18N, MENTEES, WEEK, actor_of, full_answers, launched_survey, seed, survey_world


def _rank_correlation(order: list[int]) -> float:
    """Spearman's rho between the order of rows and the order of answering (0..n-1 both)."""
    n = len(order)
    return 1 - 6 * sum((position - value) ** 2 for position, value in enumerate(order)) / (n * (n * n - 1))


async def test_nothing_in_the_database_links_an_answer_to_a_person(db, db_url):
    await survey_world(db)
    sid = await launched_survey(db)
    for n in range(MENTEES):  # answer in a known order, each with a recognisable wish
        actor = await actor_of(db, 100 + n)
        async with db() as session:
            form = await svc.questionnaire(session, actor, sid, START, I18N)
            await svc.submit(session, actor, sid, full_answers(form, wish=f"пожелание {n:02d}"), START)

    # the last three wait in the mix, sealed: no answer of theirs is readable beside their person id
    mix = await _scalars(db, "SELECT sealed FROM survey_mix")
    assert len(mix) == 3 and not any("пожелание".encode() in bytes(sealed) for sealed in mix)
    assert len(await _scalars(db, "SELECT id FROM survey_responses")) == MENTEES - 3
    async with db() as session:
        await svc.close(session, await load_actor(session, 1), sid, START, I18N)  # the last batch: all three

    async with db() as session:
        raw = (await session.execute(text("SELECT * FROM survey_responses"))).mappings().all()
        by_key = (await session.execute(text("SELECT * FROM survey_responses ORDER BY id"))).mappings().all()
    assert len(raw) == MENTEES and await _scalars(db, "SELECT id FROM survey_mix") == []
    # no person, no time: the only columns are a random key, the survey, the answers and an empty respondent
    assert set(raw[0].keys()) == {"id", "survey_id", "answers", "respondent_id"}
    assert all(row["respondent_id"] is None for row in raw)
    assert len({row["id"] for row in raw}) == MENTEES and all(len(row["id"]) == 32 for row in raw)
    questions = {str(q) for q in await _scalars(db, f"SELECT id FROM survey_questions WHERE survey_id = {sid}")}
    for row in raw:  # the answers are keyed by question and hold the answers only
        stored = json.loads(row["answers"])
        assert set(stored) == questions
        assert Counter(type(v).__name__ for v in stored.values()) == {"int": 7, "bool": 2, "str": 1}
    # neither the physical order of rows nor the order of keys follows the order of answering
    # (PostgreSQL's heap keeps batches in the order they were written: a batch is the finest it tells)
    for rows in (raw, by_key) if db_url.startswith("sqlite") else (by_key,):
        order = [int(next(v for v in json.loads(row["answers"]).values()
                          if isinstance(v, str)).split()[-1]) for row in rows]
        assert sorted(order) == list(range(MENTEES))
        assert order != list(range(MENTEES))
        assert abs(_rank_correlation(order)) < 0.8, order
    if db_url.startswith("postgresql"):
        # each inserting transaction wrote a batch of at least the minimum, with as many marks
        xmins = Counter(await _scalars(db, "SELECT xmin::text FROM survey_responses"))
        marks = Counter(await _scalars(db, "SELECT xmin::text FROM survey_participants WHERE answered"))
        assert min(xmins.values()) >= 3 and xmins == marks
    else:
        ddl = await _scalars(db, "SELECT sql FROM sqlite_master WHERE name = 'survey_responses'")
        assert "WITHOUT ROWID" in ddl[0]  # no hidden rowid counting insertions
    # participation says who answered, with no time and nothing pointing into the answers
    async with db() as session:
        rows = (await session.execute(text("SELECT * FROM survey_participants"))).mappings().all()
    assert set(rows[0].keys()) == {"survey_id", "person_id", "answered"}
    assert all(row["answered"] for row in rows)


async def _scalars(db, sql: str) -> list:
    async with db() as session:
        return list((await session.execute(text(sql))).scalars().all())


async def test_one_submission_per_person_and_answers_fit_their_questions(db):
    await survey_world(db, mentees=3)
    sid = await launched_survey(db, questions=[
        svc.QuestionDraft(QuestionKind.SCALE, "Оценка"),
        svc.QuestionDraft(QuestionKind.SINGLE, "Один", ["А", "Б"]),
        svc.QuestionDraft(QuestionKind.MULTI, "Несколько", ["А", "Б", "В"], required=False),
        svc.QuestionDraft(QuestionKind.TEXT, "Текст", required=False),
    ])
    actor = await actor_of(db, 100)
    async with db() as session:
        form = await svc.questionnaire(session, actor, sid, START)
        scale, single, multi, free = (q.id for q in form.questions)
        bad = [{scale: 11, single: 0}, {scale: 0, single: 0}, {scale: True, single: 0}, {scale: 5, single: 2},
               {scale: 5, single: 0, multi: []}, {scale: 5, single: 0, multi: [3]}, {scale: 5, single: 0, free: ""},
               {scale: 5, single: 0, free: "я" * 1001}, {scale: 5, single: 0, 999999: 1}, {scale: "5", single: 0}]
        for answers in bad:
            with pytest.raises(InvalidInput):
                await svc.submit(session, actor, sid, answers, START)
        with pytest.raises(InvalidInput, match="survey.required_missing"):
            await svc.submit(session, actor, sid, {scale: 5}, START)
        await svc.submit(session, actor, sid, {scale: 5, single: 1, multi: [2, 0, 2]}, START)
        with pytest.raises(InvalidInput, match="survey.already"):
            await svc.submit(session, actor, sid, {scale: 6, single: 0}, START)
        with pytest.raises(InvalidInput, match="survey.already"):
            await svc.questionnaire(session, actor, sid, START)
        assert (await session.execute(text("SELECT answers FROM survey_responses"))).scalars().all() == []
        sealed = (await session.execute(text("SELECT sealed FROM survey_mix"))).scalars().all()
        assert [survey_mix.current().open(bytes(s), sid) for s in sealed] == [
            {str(scale): 5, str(single): 1, str(multi): [0, 2]}]  # waiting in the mix for two more
        # the mentor was not invited; a curator of another organisation neither
        for stranger in (4, 3):
            with pytest.raises(AccessDenied):
                await svc.submit(session, await actor_of(db, stranger), sid, {scale: 5, single: 0}, START)
        # after the deadline nothing is taken
        late = await actor_of(db, 101)
        with pytest.raises(InvalidInput, match="survey.closed"):
            await svc.submit(session, late, sid, {scale: 5, single: 0}, WEEK + timedelta(minutes=1))


async def test_who_may_manage_and_read_and_the_threshold(db):
    org, other = await survey_world(db, mentees=4)
    curator, head, stranger, mentee = [await actor_of(db, t) for t in (1, 2, 3, 100)]
    async with db() as session:
        for who in (head, mentee):
            with pytest.raises(AccessDenied):
                await svc.create(session, who, audience="mentees", deadline=WEEK, now=START, i18n=I18N,
                                 template="mentee")
        with pytest.raises(AccessDenied):  # a program of another organisation
            await svc.create(session, curator, audience="program.999", deadline=WEEK, now=START, i18n=I18N,
                             template="mentee")
        for deadline in (START - timedelta(hours=1), START + timedelta(days=120)):
            with pytest.raises(InvalidInput, match="survey.bad_deadline"):
                await svc.create(session, curator, audience="mentees", deadline=deadline, now=START, i18n=I18N,
                                 template="mentee")
        sid = await svc.create(session, curator, audience="mentees", deadline=WEEK, now=START, i18n=I18N,
                               template="mentee")
        await svc.set_anonymous(session, curator, sid, False)
        await svc.set_anonymous(session, curator, sid, True)
        for who in (head, stranger, mentee):
            with pytest.raises(AccessDenied):
                await svc.launch(session, who, sid, START, I18N)
        assert await svc.launch(session, curator, sid, START, I18N) == 4
        with pytest.raises(InvalidInput, match="survey.anonymity_after_launch"):
            await svc.set_anonymous(session, curator, sid, False)
        for n in range(3):
            actor = await actor_of(db, 100 + n)
            form = await svc.questionnaire(session, actor, sid, START, I18N)
            await svc.submit(session, actor, sid, full_answers(form, rating=n + 5), START)
        with pytest.raises(InvalidInput, match="survey.anonymity_locked"):
            await svc.set_anonymous(session, curator, sid, False)
        with pytest.raises(InvalidInput, match="survey.results_after_close"):
            await svc.results(session, curator, sid, I18N)
        with pytest.raises(AccessDenied):
            await svc.close(session, head, sid, START, I18N)
        await svc.close(session, curator, sid, START, I18N)
        with pytest.raises(AccessDenied):
            await svc.results(session, stranger, sid, I18N)
        with pytest.raises(AccessDenied):
            await svc.results(session, mentee, sid, I18N)
        results = await svc.results(session, head, sid, I18N)  # the head reads results too
        assert results.answered == 3 and results.invited == 4
        assert results.questions[0].mean == 6.0 and results.questions[0].distribution[4:7] == [
            ("5", 1), ("6", 1), ("7", 1)]
        # a stricter organisation: 4 answers needed; never fewer than 3
        with pytest.raises(InvalidInput, match="error.survey_min"):
            await set_survey_min_answers(session, org, 2)
        await set_survey_min_answers(session, org, 4)
        with pytest.raises(InvalidInput, match="survey.too_few"):
            await svc.results(session, curator, sid, I18N)
        with pytest.raises(NotFound):
            await svc.results(session, curator, 999, I18N)


async def test_a_completed_program_launches_both_questionnaires(db):
    async with db() as session:
        org = (await create_organization(session, "Школа № 9", "Asia/Yekaterinburg")).id
    curator_id = await seed(db, org, 1, "Куратор", Role.CURATOR)
    mentor_id = await seed(db, org, 11, "Наставник", Role.MENTOR, ["Инклюзия"], 3)
    mentee_ids = [await seed(db, org, 20 + n, f"Наставляемый {n}", Role.MENTEE, ["Инклюзия"]) for n in range(3)]
    await seed(db, org, 30, "Другой наставляемый", Role.MENTEE)
    async with db() as session:
        group = await mentorships.propose(session, await actor_of(db, 1), org_id=org, mentor_id=mentor_id,
                                          mentee_ids=mentee_ids, form=MentoringForm.TEACHER_TEACHER,
                                          kind=MentoringKind.GROUP, now=START, i18n=I18N)
    for telegram_id in (11, 20, 21, 22):
        async with db() as session:
            await mentorships.respond(session, await actor_of(db, telegram_id), group, accept=True, now=START,
                                      i18n=I18N)
    async with db() as session:
        await mentorships.complete(session, await actor_of(db, 1), group,
                                   reason=CompletionReason.CURATOR_FORCE_MAJEURE, now=START, i18n=I18N)
        surveys = {s.template: s for s in (await session.scalars(select(Survey))).all()}
        assert set(surveys) == {"mentee", "mentor"}
        # the organisation's pooled questionnaires of the school year 2026/27, open to 31 August
        assert all(s.status == SurveyStatus.OPEN and s.audience == "completion.2026" for s in surveys.values())
        # to the end of the local day (23:59 in Yekaterinburg = 18:59 UTC)
        assert surveys["mentee"].deadline == datetime(2027, 8, 31, 18, 59, tzinfo=timezone.utc)
        invited = {s.template: set((await session.scalars(select(SurveyParticipant.person_id).where(
            SurveyParticipant.survey_id == s.id))).all()) for s in surveys.values()}
        assert invited == {"mentee": set(mentee_ids), "mentor": {mentor_id}}
        invitations = await session.scalar(select(func.count()).select_from(Notification).where(
            Notification.kind == "survey"))
        assert invitations == 4
        assert curator_id not in invited["mentee"] | invited["mentor"]


async def test_a_named_survey_names_its_answers_in_the_workbook_only_when_results_may_be_shown(db):
    import io

    from openpyxl import load_workbook

    from bot import reports

    await survey_world(db, mentees=3)
    curator = await actor_of(db, 1)
    async with db() as session:
        sid = await svc.create(session, curator, audience="mentees", deadline=WEEK, now=START, i18n=I18N,
                               title="Именной опрос", questions=[svc.QuestionDraft(QuestionKind.SCALE, "Оценка")])
        await svc.set_anonymous(session, curator, sid, False)
        await svc.launch(session, curator, sid, START, I18N)
        for n in range(3):
            actor = await actor_of(db, 100 + n)
            form = await svc.questionnaire(session, actor, sid, START)
            assert not form.anonymous
            await svc.submit(session, actor, sid, {form.questions[0].id: n + 6}, START)
        with pytest.raises(InvalidInput, match="survey.results_after_close"):
            await svc.named_answers(session, curator, sid, I18N)
        await svc.close(session, curator, sid, START, I18N)
        assert (await session.get(Survey, sid)).mean_score == 7.0
        named = await svc.named_answers(session, curator, sid, I18N)
        results = await svc.results(session, curator, sid, I18N)
    book = load_workbook(io.BytesIO(await reports.survey_workbook(results, I18N.get("ru"), named)))
    rows = list(book["Ответы участников"].iter_rows(values_only=True))
    assert rows == [("Участник", "1. Оценка"), ("Наставляемый 00", "6"), ("Наставляемый 01", "7"),
                    ("Наставляемый 02", "8")]


async def test_an_open_surveys_questions_are_read_once_and_kept_per_database(db, tmp_path):
    """Every answer a respondent gives needs the survey's questions: an open survey's (they never change
    once launched) are read once, then kept in memory — per database, so another database's survey of
    the same id has its own."""
    from db.engine import create_engine, create_sessionmaker
    from db.migrate import upgrade

    async def open_survey(sessionmaker, title: str) -> int:
        await survey_world(sessionmaker, mentees=3)
        return await launched_survey(sessionmaker, questions=[svc.QuestionDraft(QuestionKind.SCALE, title),
                                                        svc.QuestionDraft(QuestionKind.TEXT, "Текст", required=False)])

    sid = await open_survey(db, "Оценка")
    actor = await actor_of(db, 100)
    async with db() as session:
        with recorded_statements(session) as statements:
            first = await svc.questionnaire(session, actor, sid, START)
            asked = len(statements)
            again = await svc.questionnaire(session, actor, sid, START)
    assert [q.text for q in first.questions] == ["Оценка", "Текст"] and again.questions == first.questions
    assert any("survey_questions" in s for s in statements[:asked])
    assert len(statements) == asked + 1 and "survey_questions" not in statements[-1]  # the survey's row only

    url = f"sqlite+aiosqlite:///{tmp_path / 'another.sqlite3'}"
    await upgrade(url)
    other_engine = create_engine(url)
    try:
        other = create_sessionmaker(other_engine)
        assert await open_survey(other, "Другая оценка") == sid  # both databases fresh: the same id
        async with other() as session:
            form = await svc.questionnaire(session, await load_actor(session, 100), sid, START)
        assert [q.text for q in form.questions] == ["Другая оценка", "Текст"]
    finally:
        await other_engine.dispose()


async def test_answers_sealed_before_a_restart_are_asked_again_and_the_bot_says_why(db):
    await survey_world(db, mentees=3)
    sid = await launched_survey(db)
    first = await actor_of(db, 100)
    async with db() as session:
        form = await svc.questionnaire(session, first, sid, START, I18N)
        await svc.submit(session, first, sid, full_answers(form, wish="до перезапуска"), START)
    survey_mix.start_afresh()  # the bot restarts: its new key cannot open what the old one sealed
    async with db() as session:
        assert await svc.send_due(session, START + timedelta(minutes=5), I18N) >= 1
        told = (await session.scalars(select(Notification.text).where(
            Notification.dedup_key.like(f"survey:{sid}:lost:%")))).all()
        assert len(told) == 1 and "не сохранились: бот перезапустился" in told[0]
        assert (await session.execute(text("SELECT count(*) FROM survey_mix"))).scalar() == 0
        form = await svc.questionnaire(session, first, sid, START, I18N)  # invited again, not "already"
        await svc.submit(session, first, sid, full_answers(form, wish="после перезапуска"), START)
        assert await svc.send_due(session, START + timedelta(minutes=10), I18N) == 0  # nothing more to say


async def test_the_pooled_completion_questionnaire_shows_results_from_the_third_program_on(db):
    """Each pair's completion adds its mentee to the organisation's pooled questionnaire of the school year;
    its results appear once three have answered (the minimum), never before, per question."""
    async with db() as session:
        org = (await create_organization(session, "Школа № 10", "Europe/Moscow")).id
    await seed(db, org, 1, "Куратор", Role.CURATOR)
    mentor_id = await seed(db, org, 11, "Наставник", Role.MENTOR, ["Инклюзия"], 5)
    curator = await actor_of(db, 1)
    surveys_seen = set()
    for n in range(3):
        mentee_id = await seed(db, org, 20 + n, f"Наставляемый {n}", Role.MENTEE, ["Инклюзия"])
        async with db() as session:
            pair = await mentorships.propose(session, curator, org_id=org, mentor_id=mentor_id, mentee_ids=[mentee_id],
                                             form=MentoringForm.TEACHER_TEACHER, kind=MentoringKind.TRADITIONAL,
                                             now=START, i18n=I18N)
        for telegram_id in (11, 20 + n):
            async with db() as session:
                await mentorships.respond(session, await actor_of(db, telegram_id), pair, accept=True, now=START,
                                          i18n=I18N)
        async with db() as session:
            await mentorships.complete(session, curator, pair, reason=CompletionReason.CURATOR_FORCE_MAJEURE,
                                       now=START, i18n=I18N)
            pooled = await session.scalar(select(Survey).where(Survey.template == "mentee"))
            surveys_seen.add(pooled.id)
            mentee = await actor_of(db, 20 + n)
            form = await svc.questionnaire(session, mentee, pooled.id, START, I18N)
            wish = {q.id: f"пожелание {n}" for q in form.questions if q.kind == QuestionKind.TEXT} if n < 2 else {}
            await svc.submit(session, mentee, pooled.id, full_answers(form, rating=6 + n) | wish, START)
            if n < 2:
                with pytest.raises(InvalidInput, match="survey.too_few"):
                    await svc.results(session, curator, pooled.id, I18N)
    assert len(surveys_seen) == 1  # one questionnaire for the three programs
    async with db() as session:
        results = await svc.results(session, curator, pooled.id, I18N)  # open, and shown
        assert (results.invited, results.answered, results.stored) == (3, 3, 3)
        scale = next(q for q in results.questions if q.kind == QuestionKind.SCALE)
        assert scale.mean == 7 and not scale.hidden
        wish = next(q for q in results.questions if q.kind == QuestionKind.TEXT)
        assert wish.hidden and wish.texts == [] and wish.answered == 2  # two free answers: not shown
        assert (await session.scalar(select(Survey.status).where(Survey.id == pooled.id))) == SurveyStatus.OPEN
    # the workbook says the question has too few answers, and holds none of them, nor their number
    book = load_workbook(io.BytesIO(await reports.survey_workbook(results, I18N.get("ru"))))
    cells = [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert not any("пожелание" in c for c in cells)
    wish_row = next(row for row in book.worksheets[0].iter_rows(values_only=True) if row[0] == wish.position + 1)
    assert wish_row[3] == "меньше 3 ответов — не показываем, чтобы их нельзя было связать с людьми"
    text = results_text(I18N.get("ru"), results)
    assert "меньше 3 ответов — не показываем" in text and "пожелание" not in text
