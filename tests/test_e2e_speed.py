"""End to end: a speed session with capacity 2 and 3 sign-ups, the waitlist moving up, a change of
time, reminders a day and an hour before at local time (the clock moved), attendance and feedback;
a mentee can neither announce nor mark attendance; a cancellation is told to everyone."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from bot.handlers.speed_sessions.callbacks import SpeedAction, SpeedAttendCb, SpeedCb
from bot.services.organizations import create_organization
from db.models import Role, SignupStatus, SpeedSession, SpeedSignup
from tests.emulator import ScriptedUser
from tests.factories import seed, wait_text


async def test_speed_session_from_announcement_to_feedback(emulator, db, bot_app, clock):
    async with db() as session:
        org_id = (await create_organization(session, "Школа № 41", "Asia/Yekaterinburg")).id  # UTC+5
    await seed(db, org_id, 1200, "Куратор Клара", Role.CURATOR)
    await seed(db, org_id, 1201, "Ведущий Виктор", Role.MENTOR, ["Инклюзия"], 3)
    ids = {tid: await seed(db, org_id, tid, name, Role.MENTEE, ["Инклюзия"])
           for tid, name in [(1202, "Первая Полина"), (1203, "Второй Василий"), (1204, "Третья Татьяна")]}
    users = {tid: ScriptedUser(emulator, tid, name) for tid, name in
             [(1200, "Клара"), (1201, "Виктор"), (1202, "Полина"), (1203, "Василий"), (1204, "Татьяна")]}
    for user in users.values():
        emulator.open_chat(user.id, user.first_name)
    klara, viktor, polina, vasily, tatiana = users.values()

    reply = await polina.send("/sessions")
    assert "➕ Объявить встречу" not in polina.buttons(reply.messages[0])
    assert "наставник или куратор" in (await polina.press_data(SpeedCb(session=0, action=SpeedAction.NEW).pack(), reply.messages[0].message_id)).alerts[0]

    await viktor.send("/sessions")
    await viktor.press("➕ Объявить встречу")
    await viktor.send("Как удержать внимание <класса> & не сорвать голос")
    assert "в будущем" in (await viktor.send("01.01.2020 10:00")).text
    assert "ДД.ММ.ГГГГ ЧЧ:ММ" in (await viktor.send("завтра вечером")).text
    await viktor.send("25.11.2026 15:00")
    await viktor.send("45")
    await viktor.send("Каб. 12, актовый зал")
    assert "от 1 до 100" in (await viktor.send("0")).text
    await viktor.send("2")
    reply = await viktor.press("Всех наставляемых")
    assert "Встреча объявлена" in reply.text and "25.11.2026 15:00" in reply.text

    # three sign-ups for two places: the third waits; a cancellation moves the waitlist up
    invitations = {}
    for user in (polina, vasily, tatiana):
        invitations[user.id] = await wait_text(user, "Скоростная встреча")
        answer = await user.press("✅ Записаться", invitations[user.id])
        assert answer.alerts
    assert "в листе ожидания" in answer.alerts[0]  # Татьяна
    async with db() as session:
        session_id = await session.scalar(select(SpeedSession.id))
    card = invitations[polina.id]  # the invitation became the session's card; open it afresh
    await polina.send("/sessions")
    card = (await polina.press(lambda text: "Как удержать внимание" in text)).messages[0]
    assert "Записано: 2 из 2; в листе ожидания: 1" in card.text
    await polina.press("Отменить запись", card)
    await wait_text(tatiana, "Освободилось место")
    async with db() as session:
        statuses = {row.person_id: row.status for row in (await session.scalars(select(SpeedSignup))).all()}
    assert statuses == {ids[1202]: SignupStatus.CANCELLED, ids[1203]: SignupStatus.REGISTERED,
                        ids[1204]: SignupStatus.REGISTERED}

    # the host moves it an hour later; everyone signed up is told
    reply = await viktor.send("/sessions")
    await viktor.press(lambda text: "Как удержать внимание" in text)
    await viktor.press("Перенести")
    reply = await viktor.send("25.11.2026 16:00")
    assert "Время изменено" in reply.text
    for user in (vasily, tatiana):
        await wait_text(user, "перенесена: теперь 25.11.2026 16:00")

    # reminders at local times: a day before (16:00 local on the 24th = 11:00 UTC) and an hour before
    clock.advance(datetime(2026, 11, 24, 10, 59, tzinfo=timezone.utc) - clock.now())
    await bot_app.backbone.scheduler.run_due()
    await asyncio.sleep(0.5)
    assert not any("Завтра" in (m.text or "") for m in vasily.messages())
    clock.advance(timedelta(minutes=1))
    await bot_app.backbone.scheduler.run_due()
    for user in (vasily, tatiana):
        await wait_text(user, "Завтра в 25.11.2026 16:00")
    assert not any("Завтра" in (m.text or "") for m in polina.messages())  # she cancelled
    clock.advance(datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc) - clock.now())
    await bot_app.backbone.scheduler.run_due()
    for user in (vasily, tatiana):
        await wait_text(user, "Через час (25.11.2026 16:00)")
    await bot_app.backbone.scheduler.run_due()
    await asyncio.sleep(0.5)
    assert sum("Через час" in (m.text or "") for m in vasily.messages()) == 1  # once

    # a mentee cannot mark attendance; the host does; the attendee rates it
    forged = await tatiana.press_data(SpeedAttendCb(session=session_id, person=ids[1204]).pack(), tatiana.last().message_id)
    assert "ведущий встречи или куратор" in forged.alerts[0]
    await viktor.send("/sessions")
    card = (await viktor.press(lambda text: "Как удержать внимание" in text)).messages[0]
    early = await viktor.press("Отметить присутствие", card)  # an hour before the start: not yet
    assert "с начала встречи: 25.11.2026 16:00" in early.alerts[0]
    forged = await viktor.press_data(SpeedAttendCb(session=session_id, person=ids[1203]).pack(), card.message_id)
    assert "с начала встречи" in forged.alerts[0]
    clock.advance(datetime(2026, 11, 25, 11, 0, tzinfo=timezone.utc) - clock.now())
    await viktor.press("Отметить присутствие", card)
    await viktor.press("▫️ Второй Василий", card)
    reply = await viktor.press("Готово", card)
    assert "Присутствие отмечено: 1" in reply.alerts[0] and "Статус: прошла" in card.text
    question = await wait_text(vasily, "Оцените от 1 до 5")
    await vasily.press("4", question)
    async with db() as session:
        rows = {row.person_id: (row.attended, row.feedback) for row in (await session.scalars(select(SpeedSignup)))}
    assert rows[ids[1203]] == (True, 4) and rows[ids[1204]] == (False, None)

    # a cancelled meeting is told to everyone signed up
    await klara.send("/sessions")
    await klara.press("➕ Объявить встречу")
    for answer in ("Портфолио педагога", "30.11.2026 12:00", "30", "Онлайн, ссылка в чате", "5"):
        await klara.send(answer)
    await klara.press("Всех наставляемых")
    await polina.press("✅ Записаться", await wait_text(polina, "Портфолио педагога"))
    card = klara.last()
    await klara.press("Отменить встречу", card)
    await wait_text(polina, "Встреча «Портфолио педагога» (30.11.2026 12:00) отменена")
