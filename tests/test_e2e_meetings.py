"""End to end: /meetings — a meeting proposed with the calendar and the time buttons, answered with another
time and accepted; its .ics read back with icalendar (the local time, one UID across the update and the
cancellation); reminders a day and an hour ahead with the clock moved; the question after it becoming a
journal entry; a weekly series to the program's end; and what a stranger or a stale button gets."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from icalendar import Calendar
from sqlalchemy import func, select

from bot.handlers.journal.callbacks import MeetingHeldCb
from bot.handlers.meetings.callbacks import MeetingAnswerCb
from bot.services import meetings
from bot.services.consent import withdraw_consent
from bot.services.onboarding import CONSENT_VERSION
from db.models import Consent, MeetingAnswer, MeetingFormat, MeetingLog, PlanItem, PlannedMeeting, PlannedMeetingStatus
from tests.factories import I18N, PLAN, as_person, group_with_program, gymnasium, wait_text

MOSCOW = timezone(timedelta(hours=3))


def _ics(emulator, message) -> Calendar:
    return Calendar.from_ical(emulator._files[message.document["file_id"]])


def _event(calendar: Calendar):
    return next(c for c in calendar.walk("VEVENT"))


async def _plan_in_chat(user, day: str, at: str, repeat: str) -> None:
    """Lidia plans with buttons only: the day, the time, an hour, in person, a room, the topic, the item."""
    await user.send("/meetings")
    await user.press("➕ Запланировать встречу")
    assert "Ноябрь 2026" in user.buttons() and "•23" in user.buttons() and "22" not in user.buttons()
    await user.press(day)
    await user.press(at)
    await user.press("60 мин.")
    await user.press("очно")
    await user.send("Кабинет 204")
    await user.send("Разбор <урока> & план")
    await user.press(PLAN[0][0])
    reply = await user.press(repeat)
    assert "Предложение отправлено" in reply.text


async def test_a_meeting_proposed_moved_by_a_mentee_and_accepted_comes_with_one_calendar_event(emulator, db,
                                                                                              bot_app, clock):
    w = await gymnasium(emulator, db)
    anna, lidia = w.users[701], w.users[711]
    await group_with_program(db, clock, w)
    await _plan_in_chat(lidia, "25", "15:00", "Один раз")
    proposal = await wait_text(anna, "Предложение встречи")
    assert "25.11.2026 15:00, 60 мин, очно; место: Кабинет 204" in proposal.text
    assert "Разбор <урока> & план" in proposal.text  # as typed
    await anna.press("🕘 Другое время", proposal)
    await anna.press("26")
    reply = await anna.press("16:30")
    assert "Новое время предложено" in reply.text
    moved = await wait_text(lidia, "Другое время встречи")
    assert "Было: 25.11.2026 15:00; теперь: 26.11.2026 16:30" in moved.text
    await lidia.press("✅ Принять", moved)
    files = [await wait_text(user, "Встреча согласована") for user in (lidia, anna)]
    events = [_event(_ics(emulator, message)) for message in files]
    assert {str(e["uid"]) for e in events} == {str(events[0]["uid"])}
    start = events[0]["dtstart"].dt
    assert (start.replace(tzinfo=None), start.utcoffset()) == (datetime(2026, 11, 26, 16, 30), timedelta(hours=3))
    assert events[0]["dtend"].dt - start == timedelta(minutes=60)
    assert int(events[0]["sequence"]) == 1 and str(events[0]["location"]) == "Кабинет 204"
    summary = (await w.users[700].send("/summary")).text
    assert "Встречи, запланированные на этой неделе: 1; согласованные, но не отмеченные" in summary
    bogdan = w.users[702]  # his button of the first time answers nothing now: the meeting has moved since
    first = await wait_text(bogdan, "Предложение встречи")
    reply = await bogdan.press("✅ Принять", first)
    assert "перенесли" in reply.alerts[0]
    await bogdan.press("✅ Принять", await wait_text(bogdan, "Другое время встречи"))  # the new time
    await wait_text(bogdan, "Встреча согласована")

    await anna.send("/meetings")
    assert "26.11.2026 16:30" in anna.last().text and "согласована" in anna.last().text
    await anna.press("🗑 Отменить 1")
    await anna.press("Да, отменить")
    cancelled = await wait_text(lidia, "отменена. Файл уберёт")
    calendar = _ics(emulator, cancelled)
    event = _event(calendar)
    assert str(calendar["method"]) == "CANCEL" and str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == str(events[0]["uid"]) and int(event["sequence"]) == 2
    async with db() as session:
        assert (await session.scalar(select(PlannedMeeting.status))) == PlannedMeetingStatus.CANCELLED


async def _agreed(db, clock, w, day: date, at: time, every_weeks: int | None = None) -> int:
    """A meeting Lidia proposes and Anna accepts, through the services."""
    group, _ = await group_with_program(db, clock, w)
    async with db() as session:
        item = await session.scalar(select(PlanItem.id).where(PlanItem.activity == PLAN[0][0]))
    draft = meetings.MeetingDraft(day=day, at=at, duration_minutes=60, format=MeetingFormat.ONLINE,
                                  place="https://meet.example/abc", topic="Разбор урока", plan_item_id=item,
                                  every_weeks=every_weeks)
    meeting_id = await as_person(db, 711, meetings.propose, group, draft, clock.now(), I18N)
    await as_person(db, 701, meetings.answer, meeting_id, True, clock.now(), I18N)
    return meeting_id


async def test_reminders_come_a_day_and_an_hour_before_at_the_local_time(emulator, db, bot_app, clock):
    w = await gymnasium(emulator, db)
    anna, lidia, vera = w.users[701], w.users[711], w.users[703]
    await _agreed(db, clock, w, date(2026, 11, 25), time(10, 0))  # 07:00 UTC
    clock.advance(datetime(2026, 11, 24, 6, 58, tzinfo=timezone.utc) - clock.now())  # 09:58 in Moscow
    await bot_app.backbone.scheduler.run_due()
    assert not [m for m in lidia.messages() if "Завтра встреча" in (m.text or "")]
    clock.advance(timedelta(minutes=3))
    await bot_app.backbone.scheduler.run_due()
    for user in (lidia, anna):
        assert "25.11.2026 10:00" in (await wait_text(user, "⏰ Завтра встреча")).text
    assert not [m for m in vera.messages() if "встреча" in (m.text or "")]  # she did not accept it
    clock.advance(datetime(2026, 11, 25, 6, 1, tzinfo=timezone.utc) - clock.now())  # 09:01 in Moscow
    await bot_app.backbone.scheduler.run_due()
    await wait_text(anna, "⏰ Через час встреча")
    await bot_app.backbone.scheduler.run_due()
    assert len([m for m in anna.messages() if "встреча:" in (m.text or "")]) == 2  # once each
    group = await _group_of(db)  # agreed five hours ahead: no «tomorrow», the hour's reminder only
    later = meetings.MeetingDraft(day=date(2026, 11, 25), at=time(14, 0), duration_minutes=30,
                                  format=MeetingFormat.IN_PERSON, place=None, topic="Вторая встреча")
    second = await as_person(db, 701, meetings.propose, group, later, clock.now(), I18N)
    await as_person(db, 711, meetings.answer, second, True, clock.now(), I18N)
    await bot_app.backbone.scheduler.run_due()
    clock.advance(datetime(2026, 11, 25, 10, 1, tzinfo=timezone.utc) - clock.now())  # 13:01 in Moscow
    await bot_app.backbone.scheduler.run_due()
    assert "25.11.2026 14:00" in (await wait_text(lidia, "Через час встреча: 25.11.2026 14:00")).text
    assert not [m for m in lidia.messages() if "Завтра встреча: 25.11.2026 14:00" in (m.text or "")]


async def _group_of(db) -> int:
    async with db() as session:
        return await session.scalar(select(PlannedMeeting.mentorship_id))


async def test_after_the_meeting_the_mentors_yes_becomes_a_journal_entry_with_the_plan_filled_in(emulator, db,
                                                                                               bot_app, clock):
    w = await gymnasium(emulator, db)
    lidia = w.users[711]
    meeting_id = await _agreed(db, clock, w, date(2026, 11, 25), time(10, 0))
    clock.advance(datetime(2026, 11, 25, 8, 1, tzinfo=timezone.utc) - clock.now())  # 11:01: it is over
    await bot_app.backbone.scheduler.run_due()
    question = await wait_text(lidia, "состоялась?")
    clock.advance(timedelta(hours=12))  # the curator sees it has not been followed up
    assert "не отмечены как несостоявшиеся): 1." in (await w.users[700].send("/summary")).text
    reply = await lidia.press("✅ Да, записать в журнал", question)
    assert "25.11.2026, 60 мин, «Разбор урока»" in reply.text and "итоги" in reply.text.lower()
    await lidia.send("Разобрали урок, наметили шаги")
    reply = await lidia.press("Пропустить")
    assert "сохранена" in reply.text.lower() or "записана" in reply.text.lower()
    async with db() as session:
        log = await session.scalar(select(MeetingLog))
        planned = await session.get(PlannedMeeting, meeting_id)
        item = await session.scalar(select(PlanItem.id).where(PlanItem.activity == PLAN[0][0]))
    assert (log.held_on, log.duration_minutes, log.format, log.channel, log.plan_item_id) == (
        date(2026, 11, 25), 60, MeetingFormat.ONLINE, "https://meet.example/abc", item)
    assert planned.status == PlannedMeetingStatus.HELD and planned.meeting_log_id == log.id
    reply = await lidia.press_data(MeetingHeldCb(meeting=meeting_id, held=True).pack(), question.message_id)
    assert reply.alerts  # asked once, answered once
    assert "не отмечены как несостоявшиеся): 0." in (await w.users[700].send("/summary")).text


async def test_a_weekly_series_runs_to_the_programs_end_as_one_calendar_event(emulator, db, bot_app, clock):
    w = await gymnasium(emulator, db)
    anna, lidia = w.users[701], w.users[711]
    await group_with_program(db, clock, w)  # 23.11.2026 — 23.05.2027
    await _plan_in_chat(lidia, "25", "15:00", "🔁 Каждую неделю")
    proposal = await wait_text(anna, "Предложение встречи")
    assert "каждую неделю до конца программы" in proposal.text and "Другое время" not in str(proposal.buttons)
    await anna.press("✅ Принять", proposal)
    event = _event(_ics(emulator, await wait_text(anna, "Встреча согласована")))
    rule = event["rrule"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["INTERVAL"] == [1]
    async with db() as session:
        rows = (await session.scalars(select(PlannedMeeting).order_by(PlannedMeeting.starts_at))).all()
    days = [r.starts_at.astimezone(MOSCOW).date() for r in rows]
    assert len(rows) == 26 and days[0] == date(2026, 11, 25) and days[-1] == date(2027, 5, 19)
    assert all(b - a == timedelta(weeks=1) for a, b in zip(days, days[1:], strict=False))
    assert all(r.status == PlannedMeetingStatus.ACCEPTED for r in rows)
    assert rule["UNTIL"][0] == rows[-1].starts_at
    await anna.send("/meetings")  # one occurrence cancelled: the calendar drops that one only
    await anna.press("🗑 Отменить 2")
    await anna.press("Да, отменить")
    cancelled = _event(_ics(emulator, await wait_text(lidia, "отменена. Файл уберёт")))
    assert str(cancelled["uid"]) == str(event["uid"]) and "rrule" not in cancelled
    assert cancelled["recurrence-id"].dt.astimezone(MOSCOW) == datetime(2026, 12, 2, 15, 0, tzinfo=MOSCOW)
    async with db() as session:
        statuses = [r.status for r in (await session.scalars(select(PlannedMeeting)
                                                             .order_by(PlannedMeeting.starts_at))).all()]
    assert statuses[1] == PlannedMeetingStatus.CANCELLED and statuses.count(PlannedMeetingStatus.CANCELLED) == 1


async def test_bad_input_stale_and_forged_buttons_get_an_answer_and_change_nothing(emulator, db, bot_app, clock):
    w = await gymnasium(emulator, db)
    anna, gleb, lidia = w.users[701], w.users[704], w.users[711]
    await group_with_program(db, clock, w)
    await lidia.send("/meetings")
    await lidia.press("➕ Запланировать встречу")
    assert "ДД.ММ.ГГГГ" in (await lidia.send("²")).text
    await lidia.send("23.11.2026")
    assert "ЧЧ:ММ" in (await lidia.send("25:99")).text
    assert "уже прошло" in (await lidia.send("11:00")).text  # 12:00 in Moscow now
    await lidia.send("18:00")
    assert "от 15 до 480" in (await lidia.send("²")).text
    await lidia.send("45")
    await lidia.press("онлайн")
    await lidia.press("Пропустить")
    assert "до 300" in (await lidia.send("я" * 5000)).text or "символ" in lidia.last().text
    await lidia.send("<b>Тема</b>")
    await lidia.press("Без пункта плана")
    await lidia.press("Один раз")
    proposal = await wait_text(anna, "Предложение встречи")
    assert "<b>Тема</b>" in proposal.text
    async with db() as session:
        meeting_id = await session.scalar(select(PlannedMeeting.id))
    await gleb.send("/meetings")
    assert (await gleb.press_data(MeetingAnswerCb(meeting=meeting_id, accept=True, version=0).pack())).alerts
    assert "ваше предложение" in (await lidia.press_data(MeetingAnswerCb(meeting=meeting_id, accept=True, version=0).pack())).alerts[0]
    await anna.press("✖️ Отклонить", proposal)
    assert "уже ответили" in (await anna.press_data(MeetingAnswerCb(meeting=meeting_id, accept=True, version=0).pack(),
                                                    proposal.message_id)).alerts[0]
    await wait_text(lidia, "отклонил участник: Алексеева Анна")


async def test_a_withdrawal_takes_the_answers_and_what_one_typed_in_proposals(emulator, db, bot_app, clock):
    w = await gymnasium(emulator, db)
    group, _ = await group_with_program(db, clock, w)
    async with db() as session:
        session.add(Consent(person_id=w.ids[701], organization_id=w.org_id, version=CONSENT_VERSION))
        await session.commit()
    draft = meetings.MeetingDraft(day=date(2026, 11, 27), at=time(15, 0), duration_minutes=45,
                                  format=MeetingFormat.IN_PERSON, place="Кабинет Анны 12", topic="Моя тайная тема")
    mine = await as_person(db, 701, meetings.propose, group, draft, clock.now(), I18N)
    theirs = await as_person(db, 711, meetings.propose, group, draft, clock.now(), I18N)
    await as_person(db, 701, meetings.answer, theirs, True, clock.now(), I18N)
    await as_person(db, 701, withdraw_consent, w.org_id, clock.now(), I18N)
    async with db() as session:
        proposed = await session.get(PlannedMeeting, mine)
        assert (proposed.topic, proposed.place) == ("—", None)
        assert (await session.get(PlannedMeeting, theirs)).topic == "Моя тайная тема"  # the mentor's words
        assert await session.scalar(select(func.count()).select_from(MeetingAnswer)) == 0
