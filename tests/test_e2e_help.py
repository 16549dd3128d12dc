"""End to end: mentees ask for help; their own mentor or the first mentor of the pool takes it;
the conversation is relayed; unaccepted requests escalate after working hours; figures add up."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from bot.services import help_requests
from bot.services.actor import load_actor
from bot.services.help_requests import add_working_hours
from bot.services.organizations import create_organization
from db.models import (
    HelpRequest,
    HelpRequestStatus,
    MentoringForm,
    MentoringKind,
    Mentorship,
    MentorshipStatus,
    Participant,
    Role,
)
from tests.conftest import START
from tests.emulator import ScriptedUser
from tests.factories import I18N, as_person, seed, wait_text


def test_working_hours_skip_nights_and_weekends():
    friday_4pm = datetime(2026, 11, 27, 13, 0, tzinfo=timezone.utc)  # 16:00 in Moscow
    assert add_working_hours(friday_4pm, 4, "Europe/Moscow") == datetime(2026, 11, 30, 8, 0, tzinfo=timezone.utc)
    saturday = datetime(2026, 11, 28, 10, 0, tzinfo=timezone.utc)
    assert add_working_hours(saturday, 1, "Europe/Moscow") == datetime(2026, 11, 30, 7, 0, tzinfo=timezone.utc)
    monday_noon = START  # 12:00 in Moscow
    assert add_working_hours(monday_noon, 4, "Europe/Moscow") == datetime(2026, 11, 23, 13, 0, tzinfo=timezone.utc)
    # 19:00 in Vladivostok: the day is over, so 09:00–13:00 tomorrow
    assert add_working_hours(monday_noon, 4, "Asia/Vladivostok") == datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)


@dataclass
class HelpSchool:
    ids: dict[int, int]  # person ids by Telegram id
    users: dict[int, ScriptedUser]


async def help_school(emulator, db) -> HelpSchool:
    """Школа № 21: a curator, four mentees (Анна in a pair with Мария), four mentors of the competencies the
    mentees' difficulties need or not, and a mentor of another school; every chat open."""
    async with db() as session:
        org_id = (await create_organization(session, "Школа № 21", "Europe/Moscow")).id
    ids = {
        900: await seed(db, org_id, 900, "Куратор Ксения", Role.CURATOR),
        901: await seed(db, org_id, 901, "Анна С Наставником", Role.MENTEE, ["Инклюзия"]),
        902: await seed(db, org_id, 902, "Борис Без Пары", Role.MENTEE, ["Инклюзия"]),
        903: await seed(db, org_id, 903, "Вера Выгорание", Role.MENTEE, ["Профессиональное"]),
        904: await seed(db, org_id, 904, "Глеб Ждущий", Role.MENTEE, ["Инклюзия"]),
        911: await seed(db, org_id, 911, "Мария Своя", Role.MENTOR, ["Оценивание"], 2),
        912: await seed(db, org_id, 912, "Пётр Первый", Role.MENTOR, ["Инклюзия"], 3),
        913: await seed(db, org_id, 913, "Олег Второй", Role.MENTOR, ["Инклюзия"], 3),
        914: await seed(db, org_id, 914, "Нина Другая", Role.MENTOR, ["Оценивание"], 3),
    }
    async with db() as session:
        other_org = (await create_organization(session, "Школа № 22", "Europe/Moscow")).id
    ids[990] = await seed(db, other_org, 990, "Чужой Наставник", Role.MENTOR, ["Инклюзия"], 3)
    async with db() as session:  # Анна is in a pair with Мария
        pair = Mentorship(organization_id=org_id, form=MentoringForm.TEACHER_TEACHER,
                          kind=MentoringKind.SITUATIONAL, status=MentorshipStatus.ACTIVE, started_at=START)
        session.add(pair)
        await session.flush()
        session.add_all([Participant(mentorship_id=pair.id, person_id=ids[911], role=Role.MENTOR, confirmed_at=START),
                         Participant(mentorship_id=pair.id, person_id=ids[901], role=Role.MENTEE, confirmed_at=START)])
        await session.commit()
    users = {tid: ScriptedUser(emulator, tid, name) for tid, name in
             [(900, "Ксения"), (901, "Анна"), (902, "Борис"), (903, "Вера"), (904, "Глеб"), (911, "Мария"),
              (912, "Пётр"), (913, "Олег"), (914, "Нина"), (990, "Чужой")]}
    for user in users.values():
        emulator.open_chat(user.id, user.first_name)
    return HelpSchool(ids, users)


async def test_a_request_reaches_the_mentees_own_mentor_only_and_is_relayed_closed_and_rated(emulator, db, bot_app,
                                                                                              clock):
    w = await help_school(emulator, db)
    anna, maria, petr, alien = (w.users[tid] for tid in (901, 911, 912, 990))
    assert "может наставляемый" in (await maria.send("/ask")).text
    await anna.send("/ask")
    await anna.press(lambda text: text.startswith("Инклюзия"))
    assert "текст, фото или документ" in (await anna.send_sticker()).text
    assert "Пустой запрос" in (await anna.send("   ")).text
    assert "Слишком длинно: 5000" in (await anna.send("я" * 5000)).text
    reply = await anna.send("Ребёнок с ОВЗ <не> включается в работу & мешает")
    assert "отправлен вашему наставнику" in reply.text
    offer = await wait_text(maria, "Запрос №1")
    assert "Ребёнок с ОВЗ <не> включается в работу & мешает" in offer.text
    assert all("Запрос №1" not in (m.text or "") for m in petr.messages())  # only her own mentor
    take = maria.button_data("🙋 Беру", offer)
    own_message = (await alien.send("/help")).messages[0]
    reply = await alien.press_data(take, own_message.message_id)  # a mentor of another school, forged
    assert "Нет доступа" in reply.alerts[0]
    reply = await maria.press("🙋 Беру", offer)
    assert "Вы взяли запрос №1" in reply.text
    await wait_text(anna, "Ваш запрос №1 взял(а) Мария Своя")
    assert "уже взяли" in (await maria.press_data(take, offer.message_id)).alerts[0]  # pressed twice
    clock.advance(timedelta(minutes=10))
    await maria.send("Попробуйте <b>так</b> & так")
    relayed = await wait_text(anna, "Мария Своя · запрос №1")
    assert "Попробуйте <b>так</b> & так" in relayed.text
    await anna.send_document("plan.docx", b"PK\x03\x04 plan", caption="Вот мой план")
    copy = await wait_text(maria, "Анна С Наставником · запрос №1")
    assert copy.document["file_name"] == "plan.docx" and "Вот мой план" in copy.caption
    await anna.press("✖ Закрыть запрос", await wait_text(anna, "Ваш запрос №1 взял"))
    await anna.press("5")
    assert "Комментарий сохранён к запросу №1" in (await anna.send("Очень помогло")).text
    assert "Запрос №1 закрыт, и это сообщение никуда не ушло" in (await anna.send("И ещё вопрос")).text
    await wait_text(maria, "Наставляемый закрыл запрос №1")



async def test_two_mentors_of_the_pool_race_for_a_request_and_exactly_one_wins(emulator, db, bot_app, clock):
    w = await help_school(emulator, db)
    boris, petr, oleg, nina = (w.users[tid] for tid in (902, 912, 913, 914))
    ids = w.ids
    await boris.send("/ask")
    await boris.press(lambda text: text.startswith("Инклюзия"))
    assert "наставникам с подходящими компетенциями (2)" in (await boris.send("Как вести урок?")).text
    petr_offer, oleg_offer = await wait_text(petr, "Запрос №1"), await wait_text(oleg, "Запрос №1")
    assert all("Запрос №1" not in (m.text or "") for m in nina.messages())  # no matching competence
    first, _ = await emulator.push_callback(petr.id, petr_offer.message_id, petr.button_data("🙋 Беру", petr_offer))
    second, _ = await emulator.push_callback(oleg.id, oleg_offer.message_id, oleg.button_data("🙋 Беру", oleg_offer))
    await emulator.wait_processed(second)
    async with db() as session:
        request = await session.get(HelpRequest, 1)
        assert request.status == HelpRequestStatus.TAKEN and request.mentor_id == ids[912]
    # updated in place, naming the taker as the registry does (not their Telegram name «Пётр»)
    assert "Запрос №1 взял(а) Пётр Первый" in oleg_offer.text and not oleg_offer.buttons
    alerts = [e.text for e in emulator.events if e.kind == "callback_answer" and e.chat_id == oleg.id and e.text]
    assert alerts == ["Этот запрос уже взял другой наставник."]
    clock.advance(timedelta(minutes=20))
    await petr.send("Давайте разберём")
    await wait_text(boris, "Пётр Первый · запрос №1")



async def test_a_request_no_mentor_can_take_goes_to_the_curator_and_an_untaken_one_after_four_working_hours(
        emulator, db, bot_app, clock):
    w = await help_school(emulator, db)
    curator, vera, gleb, petr = (w.users[tid] for tid in (900, 903, 904, 912))
    clock.advance(timedelta(minutes=30))  # 12:30 in Moscow, as the requests below are timed
    await vera.send("/ask")
    await vera.press(lambda text: text.startswith("Профессиональное"))
    assert "передан куратору" in (await vera.send("Устала, ничего не хочу")).text
    await wait_text(curator, "Запрос №1 от Вера Выгорание никто из наставников не взял")
    await gleb.send("/ask")
    await gleb.press(lambda text: text.startswith("Инклюзия"))
    await gleb.send("Помогите с адаптацией")
    assert clock.now() == datetime(2026, 11, 23, 9, 30, tzinfo=timezone.utc)  # asked at 12:30 in Moscow
    clock.advance(datetime(2026, 11, 23, 13, 29, tzinfo=timezone.utc) - clock.now())
    await bot_app.backbone.scheduler.run_due()
    await wait_text(petr, "Запрос №2")
    await asyncio.sleep(0.5)  # the job has had its chance
    assert all("Запрос №2" not in (m.text or "") for m in curator.messages())  # 16:29: not yet
    clock.advance(timedelta(minutes=2))  # 16:31 in Moscow: 4 working hours have passed
    await bot_app.backbone.scheduler.run_due()
    await wait_text(curator, "Запрос №2 от Глеб Ждущий никто из наставников не взял")



async def test_the_curators_figures_and_a_mentors_list_match_the_requests_made(emulator, db, bot_app, clock):
    w = await help_school(emulator, db)
    curator, petr = w.users[900], w.users[912]
    async with db() as session:
        catalogue = await help_requests.topics(session, await load_actor(session, 901))
    inclusion = next(tid for tid, title in catalogue if title.startswith("Инклюзия"))
    professional = next(tid for tid, title in catalogue if title.startswith("Профессиональное"))

    async def ask(tid: int, topic: int, text: str) -> int:
        return (await as_person(db, tid, help_requests.start_request, topic_id=topic, text=text, attachment=None,
                          now=clock.now(), i18n=I18N)).request_id

    async def answer(tid: int, request_id: int) -> None:
        async with db() as session:
            request = await session.get(HelpRequest, request_id)
            await help_requests.relay(session, await load_actor(session, tid), request, text="Давайте разберём",
                                      copy_of=None, now=clock.now(), i18n=I18N)

    first = await ask(901, inclusion, "Ребёнок с ОВЗ не включается в работу")  # to her own mentor, Мария
    await as_person(db, 911, help_requests.take, first, clock.now(), I18N)
    clock.advance(timedelta(minutes=10))
    await answer(911, first)
    await as_person(db, 901, help_requests.close, first, clock.now(), I18N)
    await as_person(db, 901, help_requests.rate, first, 5, None)
    await as_person(db, 901, help_requests.rate, first, None, "Очень помогло")
    second = await ask(902, inclusion, "Как вести урок?")  # to the pool; Пётр takes it
    await as_person(db, 912, help_requests.take, second, clock.now(), I18N)
    clock.advance(timedelta(minutes=20))
    await answer(912, second)
    await ask(903, professional, "Устала, ничего не хочу")  # no mentor for it: to the curator at once
    await ask(904, inclusion, "Помогите с адаптацией")  # at 12:30 in Moscow
    clock.advance(datetime(2026, 11, 23, 13, 31, tzinfo=timezone.utc) - clock.now())  # 16:31: past 4 working hours

    reply = await curator.send("/requests")
    assert "Всего: 4; открыто: 2; в работе: 1; закрыто: 1" in reply.text
    assert "Просрочено (не взяты вовремя): 2" in reply.text
    assert "Медиана времени до первого ответа, мин: 15" in reply.text  # 10 and 20 minutes
    assert "Средняя оценка: 5.0" in reply.text
    reply = await petr.send("/requests")
    assert "№2 · Борис Без Пары · в работе" in reply.text and "№4 · Глеб Ждущий · ждёт наставника" in reply.text
    async with db() as session:
        rated = await session.get(HelpRequest, 1)
        assert (rated.rating, rated.rating_comment) == (5, "Очень помогло")
        assert rated.first_answer_at - rated.created_at == timedelta(minutes=10)


async def test_a_taken_unanswered_request_reminds_the_mentor_once(db):
    from bot.i18n import I18n
    from bot.services import help_requests as svc
    from bot.services.actor import load_actor
    from db.models import Notification

    async with db() as session:
        org_id = (await create_organization(session, "Школа № 23", "Europe/Moscow")).id
    await seed(db, org_id, 1, "Наставляемый", Role.MENTEE, ["Инклюзия"])
    await seed(db, org_id, 2, "Наставник", Role.MENTOR, ["Инклюзия"], 2)
    i18n = I18n()
    async with db() as session:
        created = await svc.start_request(session, await load_actor(session, 1), topic_id=None, text="Помогите",
                                          attachment=None, now=START, i18n=i18n)
        await svc.take(session, await load_actor(session, 2), created.request_id, START, i18n)
        assert await svc.escalate_due(session, START + timedelta(hours=3, minutes=59), i18n) == 0
        assert await svc.escalate_due(session, START + timedelta(hours=4), i18n) == 1
        assert await svc.escalate_due(session, START + timedelta(hours=5), i18n) == 0
        reminders = (await session.scalars(select(Notification.text).where(Notification.kind == "help"))).all()
        assert sum("ещё не ответили" in text for text in reminders) == 1


async def test_the_relay_never_guesses(emulator, db, bot_app, clock):
    """A closed request's next message asks where to go; several conversations and no choice ask too; every
    relayed message says where it went; the rating comment stays with its request; the mentor closes."""
    async with db() as session:
        org_id = (await create_organization(session, "Школа № 24", "Europe/Moscow")).id
    for tid, name, role, capacity in ((921, "Алла Первая", Role.MENTEE, None), (922, "Борис Второй", Role.MENTEE, None),
                                      (923, "Вика Третья", Role.MENTEE, None), (931, "Марк Наставник", Role.MENTOR, 5),
                                      (932, "Нона Наставница", Role.MENTOR, 5)):
        await seed(db, org_id, tid, name, role, ["Инклюзия"], capacity)
    alla, boris, vika, mark, nona = (ScriptedUser(emulator, tid, name) for tid, name in
                                     ((921, "Алла"), (922, "Борис"), (923, "Вика"), (931, "Марк"), (932, "Нона")))
    for user in (alla, boris, vika, mark, nona):
        emulator.open_chat(user.id, user.first_name)

    async def ask(user: ScriptedUser, text: str, mentor: ScriptedUser, number: int) -> None:
        await user.send("/ask")
        await user.press(lambda label: label.startswith("Инклюзия"))
        await user.send(text)
        await mentor.press("🙋 Беру", await wait_text(mentor, f"Запрос №{number}"))
        await wait_text(user, f"Ваш запрос №{number} взял")

    await ask(alla, "Первый вопрос Аллы", mark, 1)
    await ask(boris, "Вопрос Бориса", mark, 2)
    await ask(alla, "Второй вопрос Аллы", nona, 3)

    # Марк took №2 last, so his messages go there, and he is told so
    reply = await mark.send("Борису: начнём с плана")
    assert "Передано в запрос №2 (Борис Второй)" in reply.text
    await wait_text(boris, "Борису: начнём с плана")
    # he switches to №1 with the button under the request he took
    await mark.press("↩️ Ответить", next(m for m in mark.messages() if "Вы взяли запрос №1" in (m.text or "")))
    assert "Передано в запрос №1 (Алла Первая)" in (await mark.send("Алле: посмотрите ФГОС")).text
    await wait_text(alla, "Алле: посмотрите ФГОС")

    # Алла closes №1 while №3 is open: her comment is about №1, not №3
    await alla.press("✖ Закрыть запрос", await wait_text(alla, "Ваш запрос №1 взял"))
    await alla.press("5")
    assert "Комментарий сохранён к запросу №1" in (await alla.send("Марк очень помог")).text
    async with db() as session:
        first, third = await session.get(HelpRequest, 1), await session.get(HelpRequest, 3)
        assert (first.rating, first.rating_comment) == (5, "Марк очень помог") and third.rating_comment is None

    # Марк's chosen request is closed now: his next message waits, and he picks where it goes
    reply = await mark.send("Ещё одна мысль")
    assert "Запрос №1 закрыт, и это сообщение никуда не ушло" in reply.text
    assert mark.buttons(reply.messages[0]) == ["№2 · Борис Второй"]
    assert all("Ещё одна мысль" not in (m.text or "") for m in alla.messages() + boris.messages())
    reply = await mark.press("№2 · Борис Второй", reply.messages[0])
    assert "Передано в запрос №2 (Борис Второй)" in mark.last().text
    await wait_text(boris, "Ещё одна мысль")

    # two conversations and no choice (the dialog was cancelled): Нона picks with buttons
    await ask(vika, "Вопрос Вики", nona, 4)
    await nona.send("/cancel")
    reply = await nona.send("Кому это?")
    assert "несколько открытых разговоров" in reply.text
    assert sorted(nona.buttons(reply.messages[0])) == ["№3 · Алла Первая", "№4 · Вика Третья"]
    await nona.press("№4 · Вика Третья", reply.messages[0])
    await wait_text(vika, "Кому это?")
    assert all("Кому это?" not in (m.text or "") for m in alla.messages())

    # the mentor closes a request he took, from /requests; the mentee is asked to rate it
    reply = await mark.send("/requests")
    assert mark.buttons(reply.messages[0]) == ["✅ Закрыть №2"]
    await mark.press("✅ Закрыть №2", reply.messages[0])
    await wait_text(boris, "Наставник закрыл запрос №2")
    async with db() as session:
        assert (await session.get(HelpRequest, 2)).status == HelpRequestStatus.CLOSED
    assert emulator.rejections == []
