"""End to end: a meeting logged by the mentor and confirmed by the mentee; a journal of 25 paged;
the curator's list of pairs without meetings; a mentee cannot log."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot.handlers.journal.callbacks import JournalCb
from bot.i18n import I18n
from bot.services import journal
from bot.services.actor import load_actor
from bot.services.organizations import create_organization
from db.models import (
    MeetingConfirmation,
    MeetingFormat,
    MeetingLog,
    MentoringForm,
    MentoringKind,
    Mentorship,
    MentorshipStatus,
    Participant,
    PlanItem,
    Program,
    Role,
)
from tests.conftest import START
from tests.emulator import ScriptedUser
from tests.factories import seed, wait_text


async def _pair(db, org_id: int, mentor: int, mentee: int, with_program: bool) -> int:
    async with db() as session:
        m = Mentorship(organization_id=org_id, form=MentoringForm.TEACHER_TEACHER, kind=MentoringKind.VIRTUAL,
                       status=MentorshipStatus.ACTIVE, started_at=START)
        session.add(m)
        await session.flush()
        session.add_all([Participant(mentorship_id=m.id, person_id=mentor, role=Role.MENTOR, confirmed_at=START),
                         Participant(mentorship_id=m.id, person_id=mentee, role=Role.MENTEE, confirmed_at=START)])
        if with_program:
            program = Program(mentorship_id=m.id, goals="Цели", difficulties="—", start_date=date(2026, 11, 1),
                              end_date=date(2027, 5, 1))
            session.add(program)
            await session.flush()
            session.add(PlanItem(program_id=program.id, activity="Открытый урок", due_date=date(2026, 12, 10),
                                 expected_result="Самоанализ"))
        await session.commit()
        return m.id


async def test_meeting_logged_confirmed_and_the_journal_paged(emulator, db, bot_app):
    async with db() as session:
        org_id = (await create_organization(session, "Школа № 31", "Europe/Moscow")).id
    mentor = await seed(db, org_id, 1100, "Надежда Наставникова", Role.MENTOR, ["Инклюзия"], 3)
    mentee = await seed(db, org_id, 1101, "Молодой Максим", Role.MENTEE, ["Инклюзия"])
    await seed(db, org_id, 1102, "Куратор Кирилл", Role.CURATOR)
    quiet_mentor = await seed(db, org_id, 1103, "Тихий Тимур", Role.MENTOR, ["Инклюзия"], 3)
    quiet_mentee = await seed(db, org_id, 1104, "Тихая Таисия", Role.MENTEE, ["Инклюзия"])
    pair = await _pair(db, org_id, mentor, mentee, with_program=True)
    await _pair(db, org_id, quiet_mentor, quiet_mentee, with_program=False)
    users = {tid: ScriptedUser(emulator, tid, name) for tid, name in
             [(1100, "Надежда"), (1101, "Максим"), (1102, "Кирилл")]}
    for user in users.values():
        emulator.open_chat(user.id, user.first_name)
    nadezhda, maxim, kirill = users.values()

    assert "ведёт наставник" in (await maxim.send("/log")).text  # a mentee cannot log
    await nadezhda.send("/log")
    assert "сегодня или в прошлом" in (await nadezhda.send("01.01.2030")).text
    await nadezhda.press("Сегодня")
    assert "от 5 до 600" in (await nadezhda.send("9999")).text
    await nadezhda.press("60 мин.")
    await nadezhda.press("онлайн")
    assert "текстом" in (await nadezhda.send_sticker()).text
    await nadezhda.send("Сферум, видеозвонок")
    await nadezhda.send("Разбор <урока> & план")
    await nadezhda.send("Посмотрели запись урока, обсудили ошибки")
    await nadezhda.send("Подготовить конспект")
    reply = await nadezhda.press("Открытый урок")
    assert "Встреча записана" in reply.text and "Встреч: 1; часов: 1.0" in reply.text
    assert "Тема: Разбор <урока> & план" in reply.text and "онлайн (Сферум, видеозвонок)" in reply.text
    assert "Пункт плана: Открытый урок" in reply.text and "Подтвердили: 0 из 1" in reply.text

    request = await wait_text(maxim, "Подтвердите, что встреча была")
    confirm = maxim.button_data("✅ Подтверждаю", request)
    reply = await maxim.press_data(confirm, request.message_id)
    assert "подтверждена" in reply.alerts[0]
    assert "неактуальна" in (await maxim.press_data(confirm, request.message_id)).alerts[0]  # twice
    async with db() as session:
        row = await session.scalar(select(MeetingConfirmation))
        assert row.confirmed_at == START
        assert (await session.scalar(select(MeetingLog))).plan_item_id is not None

    # 24 more meetings, logged earlier (arranged through the service), and a comment on one of them
    i18n = I18n()
    async with db() as session:
        actor = await load_actor(session, 1100)
        for days in range(1, 25):
            await journal.log_meeting(session, actor, pair, journal.MeetingDraft(
                held_on=date(2026, 11, 23) - timedelta(days=days), duration_minutes=30,
                format=MeetingFormat.IN_PERSON, channel=None, topic=f"Встреча {days}", summary="Обсуждение",
                next_steps=None, plan_item_id=None), START, i18n)
    request = await wait_text(maxim, "Тема: Встреча 24", timeout=60)  # one message a second into a chat
    await maxim.press("💬 Комментарий", request)
    assert "передан наставнику" in (await maxim.send("Было полезно")).text
    await wait_text(nadezhda, "Молодой Максим прокомментировал(а) встречу 30.10.2026: Было полезно")

    reply = await nadezhda.send("/journal")
    page = reply.messages[0]
    sent_before = len(nadezhda.messages())
    assert "Встреч: 25; часов: 13.0" in page.text and "1/5" in nadezhda.buttons(page)
    assert page.text.index("Разбор") < page.text.index("Встреча 1\n")  # newest first
    for number in range(2, 6):
        await nadezhda.press("▶", page)
        assert f"{number}/5" in nadezhda.buttons(page)
    assert "Встреча 24" in page.text and "💬 Было полезно" in page.text and "▶" not in nadezhda.buttons(page)
    assert len(nadezhda.messages()) == sent_before  # pages are edited in place, never re-sent

    reply = await kirill.send("/journal")
    assert "Тихий Тимур → Тихая Таисия — последняя встреча: не было" in reply.text
    assert "Надежда Наставникова → Молодой Максим —" not in reply.text
    reply = await kirill.press(lambda text: text.startswith("Надежда Наставникова"))
    assert "Встреч: 25" in reply.text  # the curator reads every journal
    outsider = ScriptedUser(emulator, 1104, "Таисия")
    emulator.open_chat(1104, "Таисия")
    reply = await outsider.press_data(JournalCb(mentorship=pair, page=0).pack(), (await outsider.send("/help")).messages[0].message_id)
    assert reply.alerts and all("Разбор" not in text for text in reply.texts)


async def test_a_journal_of_the_longest_meetings_fits_telegram_and_numbers_take_ascii_digits_only(emulator, db,
                                                                                                 bot_app):
    """Five meetings with every field as long as /log accepts, each commented as long as allowed: the fifth
    /log's confirmation and /journal still fit one message; «²» and other non-ASCII digits are answered
    politely wherever a number is typed (the bot_app fixture fails on a handler error or a 400)."""
    async with db() as session:
        org_id = (await create_organization(session, "Школа № 35", "Europe/Moscow")).id
    mentor = await seed(db, org_id, 1150, "Длинная Дарья", Role.MENTOR, ["Инклюзия"], 3)
    mentee = await seed(db, org_id, 1151, "Подробный Павел", Role.MENTEE, ["Инклюзия"])
    await seed(db, org_id, 1152, "Куратор Клара", Role.CURATOR)
    pair = await _pair(db, org_id, mentor, mentee, with_program=True)
    darya, pavel, klara = (ScriptedUser(emulator, tid, name) for tid, name in
                           ((1150, "Дарья"), (1151, "Павел"), (1152, "Клара")))
    for user in (darya, pavel, klara):
        emulator.open_chat(user.id, user.first_name)
    longest = "Очень подробно о встрече " * 40  # 1,000 characters, the most /log accepts
    longest = longest[:1000]
    i18n = I18n()
    async with db() as session:
        actor, reader = await load_actor(session, 1150), await load_actor(session, 1151)
        for days in range(1, 5):
            meeting = await journal.log_meeting(session, actor, pair, journal.MeetingDraft(
                held_on=date(2026, 11, 23) - timedelta(days=days), duration_minutes=600,
                format=MeetingFormat.ONLINE, channel="к" * 200, topic=longest, summary=longest,
                next_steps=longest, plan_item_id=None), START, i18n)
            await journal.confirm(session, reader, meeting, comment=longest, now=START, i18n=i18n)

    await darya.send("/log")
    await darya.press("Сегодня")
    assert "от 5 до 600" in (await darya.send("6²")).text  # «²» passes str.isdigit() and crashed int()
    assert "от 5 до 600" in (await darya.send("٦٠")).text  # Arabic-Indic digits: int() takes them, we do not
    await darya.send("600")
    await darya.press("онлайн")
    for answer in ("к" * 200, longest, longest, longest):
        await darya.send(answer)
    saved = next(m for m in (await darya.press("Открытый урок")).messages if "Встреча записана" in (m.text or ""))
    assert "Встреч: 5" in saved.text and len(saved.text) <= 4096
    page = next(m for m in (await darya.send("/journal")).messages if "Встреч: 5" in (m.text or ""))
    assert "Встреч: 5; часов: 50.0" in page.text and page.text.count("Тема:") == 5 and len(page.text) <= 4096
    async with db() as session:
        assert len((await session.scalars(select(MeetingLog).where(MeetingLog.mentorship_id == pair))).all()) == 5

    # the other number inputs: an invite's uses and days, a speed session's capacity
    assert "/invite" in (await klara.send("/invite наставник ²0 14")).text
    await darya.send("/sessions")
    await darya.press("➕ Объявить встречу")
    for answer in ("Обмен опытом", "30.11.2026 12:00", "30", "Кабинет 12"):
        await darya.send(answer)
    assert "Число мест — от 1 до" in (await darya.send("1²")).text
