"""End to end: a speed session with capacity 2 and 3 sign-ups, the waitlist moving up, a change of
time, reminders a day and an hour before at local time (the clock moved), attendance and feedback;
a mentee can neither announce nor mark attendance; a cancellation is told to everyone."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from bot.handlers.speed_sessions.callbacks import SpeedAction, SpeedAttendCb, SpeedCb
from bot.i18n import I18n
from bot.services import speed_sessions as speed
from bot.services.organizations import create_organization
from db.models import Person, Role, SignupStatus, SpeedSignup
from tests.conftest import LINK_RE
from tests.emulator import ScriptedUser
from tests.factories import as_person, seed, wait_text


@dataclass
class SpeedSchool:
    org_id: int
    ids: dict[int, int]  # the mentees' person ids by Telegram id
    klara: ScriptedUser  # the curator
    viktor: ScriptedUser  # a mentor, the host
    polina: ScriptedUser
    vasily: ScriptedUser
    tatiana: ScriptedUser


async def speed_school(emulator, db) -> SpeedSchool:
    """A school at UTC+5 with a curator, a mentor and three mentees, all with open chats."""
    async with db() as session:
        org_id = (await create_organization(session, "Школа № 41", "Asia/Yekaterinburg")).id  # UTC+5
    await seed(db, org_id, 1200, "Куратор Клара", Role.CURATOR)
    await seed(db, org_id, 1201, "Ведущий Виктор", Role.MENTOR, ["Инклюзия"], 3)
    ids = {tid: await seed(db, org_id, tid, name, Role.MENTEE, ["Инклюзия"])
           for tid, name in [(1202, "Первая Полина"), (1203, "Второй Василий"), (1204, "Третья Татьяна")]}
    users = [ScriptedUser(emulator, tid, name) for tid, name in
             [(1200, "Клара"), (1201, "Виктор"), (1202, "Полина"), (1203, "Василий"), (1204, "Татьяна")]]
    for user in users:
        emulator.open_chat(user.id, user.first_name)
    return SpeedSchool(org_id, ids, *users)


async def announced(db, clock, *signed_up: ScriptedUser) -> int:
    """Виктор's meeting for two on 25.11.2026 at 15:00 local (10:00 UTC), and who signed up, in order."""
    i18n = I18n(default="ru")
    sid = await as_person(db, 1201, speed.announce, topic="Как удержать внимание класса",
                          starts_at=datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc), duration=45,
                          place="Каб. 12", capacity=2, audience="all", now=clock.now(), i18n=i18n)
    for user in signed_up:
        await as_person(db, user.id, speed.join, sid, clock.now())
    return sid


async def test_announcing_a_speed_session_answers_each_wrong_step(emulator, db, bot_app):
    w = await speed_school(emulator, db)
    polina, viktor = w.polina, w.viktor
    reply = await polina.send("/sessions")
    assert "➕ Объявить встречу" not in polina.buttons(reply.messages[0])
    assert "наставник, куратор" in (await polina.press_data(SpeedCb(session=0, action=SpeedAction.NEW).pack(), reply.messages[0].message_id)).alerts[0]

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



async def test_three_sign_ups_for_two_places_and_a_cancellation_moves_the_waiting_list_up(emulator, db, bot_app,
                                                                                           clock):
    w = await speed_school(emulator, db)
    polina, vasily, tatiana, ids = w.polina, w.vasily, w.tatiana, w.ids
    await announced(db, clock)
    invitations = {}
    for user in (polina, vasily, tatiana):
        invitations[user.id] = await wait_text(user, "Скоростная встреча")
        answer = await user.press("✅ Записаться", invitations[user.id])
        assert answer.alerts
    assert "в листе ожидания" in answer.alerts[0]  # Татьяна
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



async def test_moving_a_session_tells_everyone_and_the_reminders_follow_local_time(emulator, db, bot_app, clock):
    w = await speed_school(emulator, db)
    viktor, polina, vasily, tatiana = w.viktor, w.polina, w.vasily, w.tatiana
    await announced(db, clock, vasily, tatiana)
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



async def test_only_the_host_marks_attendance_from_the_start_and_an_attendee_rates_it(emulator, db, bot_app, clock):
    w = await speed_school(emulator, db)
    viktor, vasily, tatiana, ids = w.viktor, w.vasily, w.tatiana, w.ids
    session_id = await announced(db, clock, vasily, tatiana)
    await wait_text(tatiana, "Скоростная встреча")
    clock.advance(datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc) - clock.now())  # an hour before the start
    forged = await tatiana.press_data(SpeedAttendCb(session=session_id, person=ids[1204]).pack(), tatiana.last().message_id)
    assert "ведущий встречи или куратор" in forged.alerts[0]
    await viktor.send("/sessions")
    card = (await viktor.press(lambda text: "Как удержать внимание" in text)).messages[0]
    early = await viktor.press("Отметить присутствие", card)  # an hour before the start: not yet
    assert "с начала встречи: 25.11.2026 15:00" in early.alerts[0]
    forged = await viktor.press_data(SpeedAttendCb(session=session_id, person=ids[1203]).pack(), card.message_id)
    assert "с начала встречи" in forged.alerts[0]
    clock.advance(datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc) - clock.now())
    await viktor.press("Отметить присутствие", card)
    await viktor.press("▫️ Второй Василий", card)
    reply = await viktor.press("Готово", card)
    assert "Присутствие отмечено: 1" in reply.alerts[0] and "Статус: прошла" in card.text
    question = await wait_text(vasily, "Оцените от 1 до 5")
    await vasily.press("4", question)
    async with db() as session:
        rows = {row.person_id: (row.attended, row.feedback) for row in (await session.scalars(select(SpeedSignup)))}
    assert rows[ids[1203]] == (True, 4) and rows[ids[1204]] == (False, None)



async def test_a_cancelled_session_is_told_to_everyone_signed_up(emulator, db, bot_app):
    w = await speed_school(emulator, db)
    klara, polina = w.klara, w.polina
    await klara.send("/sessions")
    await klara.press("➕ Объявить встречу")
    for answer in ("Портфолио педагога", "30.11.2026 12:00", "30", "Онлайн, ссылка в чате", "5"):
        await klara.send(answer)
    await klara.press("Всех наставляемых")
    await polina.press("✅ Записаться", await wait_text(polina, "Портфолио педагога"))
    card = klara.last()
    await klara.press("Отменить встречу", card)
    await wait_text(polina, "Встреча «Портфолио педагога» (30.11.2026 12:00) отменена")


async def test_an_invited_expert_hosts_a_session_for_mentors_and_mentees_and_sees_only_their_own(emulator, db,
                                                                                               bot_app, clock):
    w = await speed_school(emulator, db)
    klara, viktor, polina = w.klara, w.viktor, w.polina
    other = await announced(db, clock)  # Виктор's, for mentees: not the guest's business
    await klara.send("/invite")
    reply = await klara.press("приглашённый эксперт")
    token = LINK_RE.search(reply.text).group(2)
    guest = ScriptedUser(emulator, 1290, "Гость")
    reply = await guest.send(f"/start {token}")
    await guest.press("✅ Даю согласие")
    await guest.send("Экспертова Елена Петровна")
    reply = await guest.send("методист ИРО")  # a guest is asked no teacher's questions
    assert "Анкета заполнена" in reply.text
    assert "Приглашённому эксперту" in (await guest.send("/help")).text
    reply = await guest.send("/sessions")
    assert "Как удержать внимание" not in reply.text  # another host's session is not shown
    assert (await guest.press_data(SpeedCb(session=other, action=SpeedAction.SHOW).pack(),
                                   reply.messages[0].message_id)).alerts
    assert "куратору" in (await guest.send("/registry")).text
    for command in ("/summary", "/program", "/journal", "/meetings", "/documents"):
        assert "Как удержать" not in (await guest.send(command)).text  # nothing of the school's
    await guest.send("/sessions")
    await guest.press("➕ Объявить встречу")
    await guest.send("Цифровые инструменты урока")
    await guest.press("26")  # on the calendar
    assert "ЧЧ:ММ" in (await guest.send("в обед")).text
    await guest.press("15:00")
    await guest.send("60")
    await guest.send("https://meet.example/iro")
    await guest.send("10")
    reply = await guest.press("Всех: наставников и наставляемых")
    assert "Встреча объявлена" in reply.text and "26.11.2026 15:00" in reply.text
    for user in (viktor, polina):  # a mentor too, as one who learns
        invitation = await wait_text(user, "Цифровые инструменты урока")
        assert (await user.press("✅ Записаться", invitation)).alerts
    async with db() as session:
        signed = {row.person_id for row in (await session.scalars(select(SpeedSignup))).all()}
    assert signed == {w.ids[1202], await _person_id(db, 1201)}
    reply = await guest.send("/sessions")
    assert "Цифровые инструменты урока" in str(guest.buttons()) and "Как удержать" not in str(guest.buttons())


async def _person_id(db, telegram_id: int) -> int:
    async with db() as session:
        return await session.scalar(select(Person.id).where(Person.telegram_id == telegram_id))


async def test_a_coordinators_event_takes_sign_ups_from_two_schools_and_no_one_elses(emulator, db, bot_app):
    async with db() as session:
        town = (await create_organization(session, "Управление образования города", "Asia/Yekaterinburg")).id
        other_town = (await create_organization(session, "Управление образования района", "Asia/Yekaterinburg")).id
        first = (await create_organization(session, "Школа № 1", "Asia/Yekaterinburg", town)).id
        second = (await create_organization(session, "Школа № 2", "Asia/Yekaterinburg", town)).id
        far = (await create_organization(session, "Школа № 9", "Asia/Yekaterinburg", other_town)).id
    await seed(db, town, 1300, "Координатор Кира", Role.COORDINATOR)
    for org, tid, name in ((first, 1301, "Первая Полина"), (second, 1302, "Второй Василий"), (far, 1309, "Дальний Денис")):
        await seed(db, org, tid, name, Role.MENTEE, ["Инклюзия"])
    kira, polina, vasily, denis = (ScriptedUser(emulator, tid, name) for tid, name in (
        (1300, "Кира"), (1301, "Полина"), (1302, "Василий"), (1309, "Денис")))
    for user in (kira, polina, vasily, denis):
        emulator.open_chat(user.id, user.first_name)
    await kira.send("/sessions")
    await kira.press("➕ Объявить встречу")
    await kira.send("Городской семинар молодых педагогов")
    await kira.press("27")
    await kira.press("15:00")
    await kira.send("90")
    await kira.send("Актовый зал ИРО")
    await kira.send("30")
    assert not [b for b in kira.buttons() if b.startswith("⚑")]  # the body's catalogue is not the schools'
    reply = await kira.press("Всех наставляемых")
    assert "Встреча объявлена" in reply.text
    for user in (polina, vasily):
        invitation = await wait_text(user, "Городской семинар молодых педагогов")
        assert (await user.press("✅ Записаться", invitation)).alerts
    await asyncio.sleep(0.3)
    assert not [m for m in denis.messages() if "Городской семинар" in (m.text or "")]  # another town's
    async with db() as session:
        sid = await session.scalar(select(SpeedSignup.session_id))
        signed = (await session.scalars(select(SpeedSignup.person_id))).all()
    assert len(signed) == 2
    await denis.send("/sessions")
    assert (await denis.press_data(SpeedCb(session=sid, action=SpeedAction.JOIN).pack())).alerts
    await kira.send("/sessions")
    reply = await kira.press(lambda text: "Городской семинар" in text)
    assert "Записано: 2 из 30" in reply.messages[0].text
