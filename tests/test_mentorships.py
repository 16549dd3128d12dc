"""Pairs, groups and programs at the service level: the rules the chat relies on."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot.i18n import I18n
from bot.services import mentorships as svc
from bot.services import people
from bot.services.actor import load_actor
from bot.services.errors import AccessDenied, InvalidInput
from bot.services.organizations import create_organization
from db.models import (
    CompletionReason,
    MentoringForm,
    MentoringKind,
    MentorshipStatus,
    Notification,
    Program,
    Role,
)
from tests.conftest import START, recorded_statements
from tests.factories import seed

I18N = I18n()


async def _world(db):
    async with db() as session:
        org = (await create_organization(session, "Школа № 12", "Asia/Novosibirsk")).id
        other = (await create_organization(session, "Школа № 13", "Asia/Novosibirsk")).id
    people = {
        "curator": await seed(db, org, 1, "Куратор", Role.CURATOR),
        "m1": await seed(db, org, 11, "Наставник Один", Role.MENTOR, ["Инклюзия"], 1),
        "m2": await seed(db, org, 12, "Наставник Два", Role.MENTOR, ["Оценивание"], 2),
        "a": await seed(db, org, 21, "Наставляемая А", Role.MENTEE, ["Инклюзия"]),
        "b": await seed(db, org, 22, "Наставляемый Б", Role.MENTEE, ["Оценивание"]),
        "c": await seed(db, org, 23, "Наставляемая В", Role.MENTEE, ["Оценивание"]),
        "stranger": await seed(db, other, 31, "Чужой Куратор", Role.CURATOR),
    }
    return org, people


async def _actor(db, telegram_id: int):
    async with db() as session:
        return await load_actor(session, telegram_id)


async def _propose(db, org, mentor, mentees, kind=MentoringKind.TRADITIONAL):
    async with db() as session:
        return await svc.propose(session, await _actor(db, 1), org_id=org, mentor_id=mentor, mentee_ids=mentees,
                                 form=MentoringForm.TEACHER_TEACHER, kind=kind, now=START, i18n=I18N)


async def _answer(db, telegram_id, mentorship_id, accept=True, reason=None):
    async with db() as session:
        return await svc.respond(session, await _actor(db, telegram_id), mentorship_id, accept=accept, now=START,
                                 i18n=I18N, reason=reason)


async def test_suggestions_rank_by_overlap_and_never_exceed_capacity(db):
    org, p = await _world(db)
    curator = await _actor(db, 1)
    async with db() as session:
        ranked = await svc.suggest_mentors(session, curator, org, [p["b"]])
        assert [s.name for s in ranked] == ["Наставник Два", "Наставник Один"]
        assert ranked[0].overlap == ["Оценивание и контроль результатов"] and ranked[1].overlap == []
        assert [s.name for s in await svc.suggest_mentors(session, curator, org, [p["a"], p["b"], p["c"]])] == []
        with pytest.raises(AccessDenied):
            await svc.suggest_mentors(session, await _actor(db, 31), org, [p["a"]])
    pair = await _propose(db, org, p["m1"], [p["a"]])
    async with db() as session:  # m1 (capacity 1) is full while the proposal is open
        assert await people.mentor_loads(session, [p["m1"], p["m2"], p["m1"]]) == {p["m1"]: 1}
        assert "Наставник Один" not in [s.name for s in await svc.suggest_mentors(session, curator, org, [p["b"]])]
    with pytest.raises(InvalidInput, match="pairs.mentor_full"):
        await _propose(db, org, p["m1"], [p["b"]])
    with pytest.raises(InvalidInput, match="pairs.mentee_taken"):
        await _propose(db, org, p["m2"], [p["a"]])
    with pytest.raises(InvalidInput, match="pairs.group_needs_two"):
        await _propose(db, org, p["m2"], [p["b"]], MentoringKind.GROUP)
    assert pair


async def test_declines_go_back_to_the_curator_with_the_reason(db):
    org, p = await _world(db)
    group = await _propose(db, org, p["m2"], [p["b"], p["c"]], MentoringKind.GROUP)
    assert await _answer(db, 22, group, accept=False, reason="Нет времени <сейчас>") == MentorshipStatus.PROPOSED
    assert await _answer(db, 12, group) == MentorshipStatus.PROPOSED
    assert await _answer(db, 23, group) == MentorshipStatus.ACTIVE  # the rest agreed
    with pytest.raises(InvalidInput):
        await _answer(db, 23, group)  # twice
    with pytest.raises(AccessDenied):
        await _answer(db, 22, group)  # left
    async with db() as session:
        texts = (await session.scalars(select(Notification.text).where(Notification.chat_id == 1))).all()
    assert any("Нет времени &lt;сейчас&gt;" in t for t in texts)  # the reason, escaped for HTML
    pair = await _propose(db, org, p["m1"], [p["a"]])
    assert await _answer(db, 11, pair, accept=False, reason="Болею") == MentorshipStatus.DECLINED
    async with db() as session:  # the mentee who declined does not count, nor does a declined pair
        assert await people.mentor_loads(session, [p["m1"], p["m2"], p["a"]]) == {p["m2"]: 1}
        assert await svc.mentor_load(session, p["m1"]) == 0


async def test_program_length_plan_and_completion_rules(db):
    org, p = await _world(db)
    pair = await _propose(db, org, p["m1"], [p["a"]])
    await _answer(db, 11, pair)
    await _answer(db, 21, pair)
    mentor, mentee, curator = await _actor(db, 11), await _actor(db, 21), await _actor(db, 1)
    async with db() as session:
        for months in (2, 13, 24):
            with pytest.raises(InvalidInput, match="program.bad_length"):
                await svc.create_program(session, mentor, pair, goals="Цели", months=months, now=START, i18n=I18N)
        with pytest.raises(AccessDenied):
            await svc.create_program(session, mentee, pair, goals="Цели", months=3, now=START, i18n=I18N)
        program_id = await svc.create_program(session, mentor, pair, goals="Цели", months=3, now=START, i18n=I18N)
        program = await session.get(Program, program_id)
        assert (program.start_date, program.end_date) == (date(2026, 11, 23), date(2027, 2, 23))
        with pytest.raises(InvalidInput, match="program.due_outside"):
            await svc.add_item(session, mentee, program_id, activity="Урок", due=date(2027, 3, 1), expected="Итог",
                               now=START)
        with pytest.raises(AccessDenied):
            await svc.add_item(session, curator, program_id, activity="Урок", due=date(2027, 1, 1),
                               expected="Итог", now=START)
        item = await svc.add_item(session, mentee, program_id, activity="Урок", due=date(2027, 1, 1),
                                  expected="Итог", now=START)
        with pytest.raises(InvalidInput, match="program.plan_not_done"):
            await svc.complete(session, mentor, pair, reason=CompletionReason.PLAN_DONE, now=START, i18n=I18N)
        with pytest.raises(AccessDenied):
            await svc.complete(session, mentee, pair, reason=CompletionReason.CURATOR_FORCE_MAJEURE, now=START,
                               i18n=I18N)
        await svc.complete_item(session, mentee, item, note=None, now=START)
        with pytest.raises(InvalidInput):
            await svc.complete_item(session, mentor, item, note=None, now=START)
        await svc.complete(session, mentor, pair, reason=CompletionReason.PLAN_DONE, now=START, i18n=I18N)
        view = await svc.view(session, curator, pair, START)
        assert view.status == MentorshipStatus.COMPLETED and view.completion_reason == CompletionReason.PLAN_DONE
        with pytest.raises(AccessDenied):
            await svc.view(session, await _actor(db, 31), pair, START)  # another organisation's curator
        with pytest.raises(AccessDenied):
            await svc.view(session, await _actor(db, 22), pair, START)  # another mentee


async def test_an_extension_needs_every_other_participant_and_has_a_ceiling(db):
    org, p = await _world(db)
    group = await _propose(db, org, p["m2"], [p["b"], p["c"]], MentoringKind.GROUP)
    for telegram_id in (12, 22, 23):
        await _answer(db, telegram_id, group)
    mentor = await _actor(db, 12)
    async with db() as session:
        program_id = await svc.create_program(session, mentor, group, goals="Цели", months=12, now=START, i18n=I18N)
        extension = await svc.request_extension(session, mentor, program_id, months=6, now=START, i18n=I18N)
        assert await svc.answer_extension(session, await _actor(db, 22), extension, accept=True, now=START,
                                          i18n=I18N) is None
        with pytest.raises(AccessDenied):
            await svc.answer_extension(session, mentor, extension, accept=True, now=START, i18n=I18N)
        assert await svc.answer_extension(session, await _actor(db, 23), extension, accept=True, now=START,
                                          i18n=I18N) is True
        program = await session.get(Program, program_id)
        await session.refresh(program)
        assert program.end_date == date(2028, 5, 23)
        with pytest.raises(InvalidInput, match="program.too_long"):
            await svc.request_extension(session, mentor, program_id, months=12, now=START, i18n=I18N)
        refused = await svc.request_extension(session, mentor, program_id, months=1, now=START, i18n=I18N)
        assert await svc.answer_extension(session, await _actor(db, 22), refused, accept=False, now=START,
                                          i18n=I18N) is False
        await session.refresh(program)
        assert program.end_date == date(2028, 5, 23)


async def test_reminders_wait_for_nine_local_and_go_once(db):
    org, p = await _world(db)  # Asia/Novosibirsk, UTC+7
    pair = await _propose(db, org, p["m1"], [p["a"]])
    await _answer(db, 11, pair)
    await _answer(db, 21, pair)
    mentor = await _actor(db, 11)
    async with db() as session:
        program_id = await svc.create_program(session, mentor, pair, goals="Цели", months=3, now=START, i18n=I18N)
        await svc.add_item(session, mentor, program_id, activity="Срок скоро", due=date(2026, 11, 27),
                           expected="Итог", now=START)
        early = START.replace(hour=1)  # 08:00 in Novosibirsk on 23.11: not yet
        assert await svc.send_plan_reminders(session, early, I18N) == 0
        on_time = START.replace(day=24, hour=2)  # 09:00 on 24.11: due 27.11, in 3 days
        await svc.send_plan_reminders(session, on_time, I18N)
        await svc.send_plan_reminders(session, on_time + timedelta(hours=1), I18N)
        count = await session.scalar(select(func.count()).select_from(Notification).where(
            Notification.kind == "program", Notification.text.contains("Через 3 дня")))
        assert count == 2  # mentor and mentee, once each


async def test_a_mentor_logs_for_the_active_mentorships_they_lead_named_by_the_mentees(db):
    from bot.services import journal

    org, p = await _world(db)
    group = await _propose(db, org, p["m2"], [p["b"], p["c"]], MentoringKind.GROUP)
    for telegram_id in (12, 22, 23):
        await _answer(db, telegram_id, group)
    pair = await _propose(db, org, p["m1"], [p["a"]])  # proposed, not yet active: nothing to log
    async with db() as session:
        assert await journal.loggable(session, await _actor(db, 12)) == [(group, "Наставляемый Б, Наставляемая В")]
        with pytest.raises(AccessDenied):
            await journal.loggable(session, await _actor(db, 11))
        with pytest.raises(AccessDenied):
            await journal.loggable(session, await _actor(db, 22))  # a mentee
        assert await people.pair_titles(session, [pair, group]) == {
            pair: "Наставник Один → Наставляемая А", group: "Наставник Два → Наставляемый Б, Наставляемая В"}


async def test_a_mentorship_is_viewed_from_one_statement_of_plain_rows(db):
    """`view` reads the mentorship, its organisation, program, people and plan in one statement: who
    leads now, who left with which ground, who declined, what is overdue, and who may look."""
    from bot.services import journal
    from bot.services.errors import NotFound
    from db.models import Participant, PlanItem, ReplacementGround

    org, p = await _world(db)
    group = await _propose(db, org, p["m2"], [p["a"], p["b"]], kind=MentoringKind.GROUP)
    for telegram_id in (12, 21, 22):
        await _answer(db, telegram_id, group)
    async with db() as session:
        first = await session.scalar(select(Participant).where(
            Participant.mentorship_id == group, Participant.person_id == p["m2"]))
        first.left_at, first.replacement_ground = START, ReplacementGround.LONG_ABSENCE
        session.add(Participant(mentorship_id=group, person_id=p["m1"], role=Role.MENTOR, confirmed_at=START))
        session.add(Participant(mentorship_id=group, person_id=p["c"], role=Role.MENTEE, declined_at=START))
        program = Program(mentorship_id=group, goals="Цели <b>", difficulties="—", start_date=date(2026, 11, 1),
                          end_date=date(2027, 2, 1))
        session.add(program)
        await session.flush()
        session.add_all([
            PlanItem(program_id=program.id, activity="Позже", due_date=date(2027, 1, 10), expected_result="Итог"),
            PlanItem(program_id=program.id, activity="Просрочено", due_date=date(2026, 11, 20), expected_result="Итог"),
            PlanItem(program_id=program.id, activity="Сделано", due_date=date(2026, 11, 10), expected_result="Итог",
                     done_at=START, completion_note="Готово"),
        ])
        await session.commit()
    async with db() as session:
        with recorded_statements(session) as statements:
            v = await svc.view(session, await load_actor(session, 11), group, START)
            looked = len(statements) - 1  # the actor's own
            mentee = await load_actor(session, 21)
            before = len(statements)
            page = await journal.journal(session, mentee, group)
            journal_statements = len(statements) - before
            mentee_role = (await svc.view(session, await load_actor(session, 21), group, START)).viewer_role
            curator_role = (await svc.view(session, await load_actor(session, 1), group, START)).viewer_role
            with pytest.raises(AccessDenied):
                await svc.view(session, await load_actor(session, 23), group, START)  # declined: not in it
            with pytest.raises(AccessDenied):
                await svc.view(session, await load_actor(session, 12), group, START)  # replaced: not any more
            with pytest.raises(AccessDenied):
                await svc.view(session, await load_actor(session, 31), group, START)  # another organisation
            with pytest.raises(NotFound):
                await svc.view(session, await load_actor(session, 1), group + 1000, START)
    assert looked == 1
    assert journal_statements == 2  # who is in it, then the page (empty: no totals to ask for)
    assert page.title == "Наставник Один → Наставляемая А, Наставляемый Б" and page.total == 0
    assert (v.viewer_role, mentee_role, curator_role) == (Role.MENTOR, Role.MENTEE, Role.CURATOR)
    assert v.organization_id == org and v.organization_name == "Школа № 12" and v.timezone == "Asia/Novosibirsk"
    assert v.kind == MentoringKind.GROUP and v.status == MentorshipStatus.ACTIVE
    assert v.mentor.name == "Наставник Один" and v.mentor.telegram_id == 11
    assert [m.name for m in v.mentees] == ["Наставляемая А", "Наставляемый Б"]
    assert [(ref.name, ground) for ref, ground in v.past_mentors] == [("Наставник Два", ReplacementGround.LONG_ABSENCE)]
    assert (v.goals, v.start_date, v.end_date) == ("Цели <b>", date(2026, 11, 1), date(2027, 2, 1))
    assert [(i.activity, i.done, i.overdue, i.completion_note) for i in v.items] == [
        ("Сделано", True, False, "Готово"), ("Просрочено", False, True, None), ("Позже", False, False, None)]


async def test_a_journal_page_is_one_statement_with_its_totals_and_confirmations(db):
    """A page of the journal brings the journal's totals and each meeting's confirmations in the same
    statement; comments are read only when a meeting on the page has one; a page past the end (an old
    button) shows the last page; /journal of a person with one pair opens it from the pairs' query."""
    from bot.services import journal
    from db.models import MeetingConfirmation, MeetingFormat, MeetingLog

    org, p = await _world(db)
    group = await _propose(db, org, p["m2"], [p["a"], p["b"]], kind=MentoringKind.GROUP)
    for telegram_id in (12, 21, 22):
        await _answer(db, telegram_id, group)
    async with db() as session:
        meetings = [MeetingLog(mentorship_id=group, logged_by_id=p["m2"], held_on=date(2026, 11, day),
                               duration_minutes=10 * day, format=MeetingFormat.IN_PERSON, topic=f"Тема {day}",
                               summary="Итог", created_at=START) for day in range(1, 8)]
        session.add_all(meetings)
        await session.flush()
        for m in meetings:  # both mentees asked; A confirms every meeting, B comments on the 6th and 2nd
            day = m.held_on.day
            session.add(MeetingConfirmation(meeting_id=m.id, person_id=p["a"], confirmed_at=START,
                                            comment="Спасибо" if day == 6 else None))
            session.add(MeetingConfirmation(meeting_id=m.id, person_id=p["b"],
                                            comment=f"Вопрос {day}" if day in (6, 2) else None))
        await session.commit()
    async with db() as session:
        mentee = await load_actor(session, 21)
        with recorded_statements(session) as statements:
            first = await journal.journal(session, mentee, group)
            on_first = len(statements)
            second = await journal.journal(session, mentee, group, 1)
            on_second = len(statements) - on_first
            past = await journal.journal(session, mentee, group, 9)
            on_past = len(statements) - on_first - on_second
        with pytest.raises(AccessDenied):
            await journal.journal(session, await load_actor(session, 31), group)  # another organisation
    assert (first.total, first.pages, first.page, first.hours) == (7, 2, 0, 280 / 60)
    assert [m.topic for m in first.meetings] == ["Тема 7", "Тема 6", "Тема 5", "Тема 4", "Тема 3"]
    assert [(m.confirmed, m.of) for m in first.meetings] == [(1, 2)] * 5
    assert first.meetings[1].comments == ["Спасибо", "Вопрос 6"] and first.meetings[0].comments == []
    assert on_first == 3  # who is in it, the page with its totals, the comments on it
    assert [m.topic for m in second.meetings] == ["Тема 2", "Тема 1"] and second.meetings[0].comments == ["Вопрос 2"]
    assert (second.total, second.page) == (7, 1) and on_second == 3
    assert (past.page, [m.topic for m in past.meetings]) == (1, ["Тема 2", "Тема 1"])
    assert on_past == 5  # an empty page, the totals, the last page, its comments
    async with db() as session:
        mentee = await load_actor(session, 22)
        with recorded_statements(session) as statements:
            pairs, page = await journal.my_journal(session, mentee)
        assert len(statements) == 3  # the pairs, the page, its comments: no second look at who is in it
        assert pairs == [(group, "Наставник Два → Наставляемая А, Наставляемый Б")]
        assert page is not None and page.title == pairs[0][1] and page.total == 7
        pairs, page = await journal.my_journal(session, await load_actor(session, 1), open_single=False)
        assert pairs == [(group, "Наставник Два → Наставляемая А, Наставляемый Б")] and page is None
        assert await journal.my_journal(session, await load_actor(session, 31)) == ([], None)


async def test_only_the_current_mentor_logs_a_meeting_and_it_reads_the_pair_once(db):
    """The journal's writes check who, which pair, which day and which plan item from one read of the
    pair (`view`): a mentee, a curator and another school are refused."""
    from datetime import datetime, timezone

    from bot.services import journal
    from bot.services.errors import NotFound
    from db.models import MeetingConfirmation, MeetingFormat, Mentorship, PlanItem

    org, p = await _world(db)
    group = await _propose(db, org, p["m2"], [p["a"], p["b"]], kind=MentoringKind.GROUP)
    for telegram_id in (12, 21, 22):
        await _answer(db, telegram_id, group)
    async with db() as session:
        program = Program(mentorship_id=group, goals="Цели", difficulties="—", start_date=date(2026, 11, 1),
                          end_date=date(2027, 2, 1))
        session.add(program)
        await session.flush()
        session.add_all([PlanItem(program_id=program.id, activity="Открытый урок", due_date=date(2026, 12, 1),
                                  expected_result="Итог"),
                         PlanItem(program_id=program.id, activity="Сделано", due_date=date(2026, 11, 10),
                                  expected_result="Итог", done_at=START)])
        await session.commit()
        items = {i.activity: i.id for i in (await session.scalars(select(PlanItem))).all()}
    now = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)

    def draft(**changes):
        values = dict(held_on=date(2026, 11, 22), duration_minutes=45, format=MeetingFormat.ONLINE,
                      channel="Сферум", topic="Разбор <урока>", summary="Итог", next_steps=None, plan_item_id=None)
        return journal.MeetingDraft(**{**values, **changes})

    async with db() as session:
        mentor = await load_actor(session, 12)
        assert await journal.open_items(session, mentor, group, now) == [(items["Открытый урок"], "Открытый урок")]
        for who in (21, 1, 31):  # a mentee, the curator, another school's curator
            with pytest.raises(AccessDenied):
                await journal.log_meeting(session, await load_actor(session, who), group, draft(), now, I18N)
        with pytest.raises(InvalidInput, match="journal.bad_date"):
            await journal.check_date(session, mentor, group, date(2026, 11, 24), now)  # tomorrow
        with pytest.raises(InvalidInput, match="journal.bad_date"):
            await journal.log_meeting(session, mentor, group, draft(held_on=date(2025, 11, 1)), now, I18N)
        with pytest.raises(NotFound):  # not an item of this pair's plan
            await journal.log_meeting(session, mentor, group, draft(plan_item_id=items["Сделано"] + 100), now, I18N)
        with recorded_statements(session) as statements:
            meeting = await journal.log_meeting(session, mentor, group, draft(plan_item_id=items["Открытый урок"]),
                                                now, I18N)
        reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        assert len(reads) == 1  # the pair with its people, organisation and plan
        asked = (await session.scalars(select(MeetingConfirmation.person_id).where(
            MeetingConfirmation.meeting_id == meeting))).all()
        assert sorted(asked) == sorted([p["a"], p["b"]])
        texts = (await session.scalars(select(Notification.text).where(Notification.kind == "journal"))).all()
        assert len(texts) == 2 and all("Наставник Два" in t and "Разбор &lt;урока&gt;" in t for t in texts)
        (await session.get(Mentorship, group)).status = MentorshipStatus.COMPLETED
        await session.commit()
        with pytest.raises(InvalidInput, match="program.not_active"):
            await journal.log_meeting(session, mentor, group, draft(), now, I18N)


async def test_a_help_request_reads_its_context_and_the_own_mentor_in_two_statements(db):
    """A mentee with a mentor asks them; one without asks the pool; a topic of another school is refused."""
    from bot.services import help_requests
    from bot.services.errors import NotFound
    from db.models import HelpRequest, Topic

    org, p = await _world(db)
    pair = await _propose(db, org, p["m1"], [p["a"]])
    await _answer(db, 11, pair)  # the mentor confirms
    await _answer(db, 21, pair)
    async with db() as session:
        topics = {(t.organization_id, t.title): t.id for t in (await session.scalars(select(Topic))).all()}
        assessment = next(i for (o, title), i in topics.items() if o == org and title.startswith("Оценивание"))
        foreign = next(i for (o, _), i in topics.items() if o != org)
        mentee = await load_actor(session, 21)
        with recorded_statements(session) as statements:
            created = await help_requests.start_request(session, mentee, topic_id=assessment, text="Как <быть>?",
                                                        attachment=None, now=START, i18n=I18N)
        reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        assert (created.own_mentor, created.offered) == (True, 1) and len(reads) == 2
        offer = await session.scalar(select(Notification).where(Notification.kind == "help"))
        assert offer.chat_id == 11 and "Наставляемая А" in offer.text and "Как &lt;быть&gt;?" in offer.text
        assert "Оценивание" in offer.text
        loner = await load_actor(session, 23)  # no pair: the mentors with the topic and a free place
        created = await help_requests.start_request(session, loner, topic_id=assessment, text="Вопрос",
                                                    attachment=None, now=START, i18n=I18N)
        assert created.own_mentor is False and created.offered == 1  # Наставник Два (Наставник Один is full)
        with pytest.raises(NotFound):
            await help_requests.start_request(session, loner, topic_id=foreign, text="Вопрос", attachment=None,
                                              now=START, i18n=I18N)
        assert await session.scalar(select(func.count()).select_from(HelpRequest)) == 2
