"""End to end: a group formed from a suggestion, consents, a program, reminders, an extension,
a replacement and a completion, through the emulator; and what a stranger to the pair cannot see."""
from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from bot.handlers.mentorships.callbacks import (
    CompleteCb,
    GroundCb,
    ItemDoneCb,
    MentorshipAnswerCb,
    PairAddCb,
    PairMenteeCb,
    ProgramAction,
    ProgramCb,
)
from bot.services import mentorships as svc
from bot.services.organizations import create_organization
from db.models import (
    CompletionReason,
    MeetingFormat,
    MeetingLog,
    MentoringKind,
    Mentorship,
    MentorshipStatus,
    Participant,
    PlanItem,
    Program,
    ReplacementGround,
    Role,
)
from tests.conftest import START
from tests.emulator import ScriptedUser
from tests.factories import PLAN, agreed_group, as_person, group_with_program, gymnasium, seed, wait_text


async def test_a_group_is_formed_from_the_ranking_and_begins_when_everyone_agrees(emulator, db, bot_app):
    w = await gymnasium(emulator, db)
    curator, anna, bogdan, vera, lidia = (w.users[tid] for tid in (700, 701, 702, 703, 711))
    ids, busy_id = w.ids, w.busy_id
    reply = await curator.send("/pair")
    assert "Григорьев" not in reply.text  # already has a mentor
    reply = await curator.press("Алексеева Анна")
    assert "Лучшева Лидия</b> — совпадений 2 из 2" not in reply.text  # HTML is not shown as text
    assert "1. Лучшева Лидия — совпадений 2 из 2" in reply.text and "свободно мест 3 из 3" in reply.text
    assert "2. Запасов Захар — совпадений 1 из 2" in reply.text
    assert "Полнов" not in reply.text  # at capacity: never suggested
    await curator.press("1. Лучшева Лидия")
    await curator.press("➕ Борисов Богдан")
    reply = await curator.press("➕ Васильева Вера")
    assert "ещё мест: 0" in reply.text and "➕" not in " ".join(curator.buttons())
    await curator.press("Далее ▶")
    await curator.press("педагог – педагог")
    reply = await curator.press("групповое")
    assert "Предложение отправлено" in reply.text

    # --- everyone consents; the mentor's consent is recorded with its date
    for user in (lidia, anna, bogdan, vera):
        invitation = await wait_text(user, "Согласны?")
        await user.press("✅ Согласен(на)", invitation)
    for user in (curator, lidia, anna, bogdan, vera):
        await wait_text(user, "Наставничество началось")
    async with db() as session:
        group = await session.scalar(select(Mentorship).where(Mentorship.id != busy_id))
        assert group.status == MentorshipStatus.ACTIVE and group.kind == MentoringKind.GROUP
        mentor_row = await session.scalar(select(Participant).where(
            Participant.mentorship_id == group.id, Participant.role == Role.MENTOR))
        assert mentor_row.person_id == ids[711] and mentor_row.confirmed_at == START



async def test_the_mentor_writes_the_program_and_its_plan_and_a_mentee_marks_an_item_done(emulator, db, bot_app,
                                                                                         clock):
    w = await gymnasium(emulator, db)
    anna, lidia = w.users[701], w.users[711]
    await agreed_group(db, clock, w)
    reply = await lidia.send("/program")
    assert "Программа ещё не составлена" in reply.text
    await lidia.press("📝 Составить программу")
    await lidia.send("Освоить <инклюзивные> практики & оценивание")
    reply = await lidia.press("6 мес.")
    assert "Срок: 23.11.2026 — 23.05.2027" in reply.text
    assert "Цели: Освоить <инклюзивные> практики & оценивание" in reply.text
    assert "Затруднения: Оценивание и контроль результатов; Инклюзия, дети с ОВЗ" in reply.text
    items = [("Посетить урок наставника", "25.11.2026", "Анализ урока"),
             ("Провести открытый урок", "26.11.2026", "Самоанализ урока"),
             ("Разработать КИМ", "30.12.2026", "Комплект заданий")]
    for activity, due, expected in items:
        await lidia.press("➕ Пункт плана")
        reply = await lidia.send(activity)
        if activity == "Посетить урок наставника":  # a day picked on the calendar
            assert "Ноябрь 2026" in lidia.buttons() and "•23" in lidia.buttons()  # today, marked
            assert "22" not in lidia.buttons()  # before the program: not offered
            reply = await lidia.press("25")
            assert "→ 25.11.2026" in reply.messages[0].text
        elif activity == "Разработать КИМ":  # the next month, on the calendar
            assert "в пределах программы" in (await lidia.send("01.01.2030")).text
            assert "ДД.ММ.ГГГГ" in (await lidia.send("завтра")).text
            await lidia.press("▶")
            assert [m for m in lidia.messages() if m.buttons and "Декабрь 2026" in lidia.buttons(m)]
            await lidia.press("30")
        else:  # typed, as before
            await lidia.send(due)
        reply = await lidia.send(expected)
        assert "Пункт добавлен" in reply.text
    assert "3. ▫️ Разработать КИМ — до 30.12.2026" in reply.text

    # --- a mentee marks one item done
    await anna.send("/program")
    await anna.press("✅ 1. Посетить урок наставника")
    reply = await anna.send("Посетила, анализ в папке")
    assert "1. ✅ Посетить урок наставника" in reply.text and "Посетила, анализ в папке" in reply.text



async def test_plan_items_due_soon_remind_the_group_and_an_overdue_one_the_curator_once(emulator, db, bot_app, clock):
    w = await gymnasium(emulator, db)
    curator, anna, bogdan, vera, lidia = (w.users[tid] for tid in (700, 701, 702, 703, 711))
    group_id, _ = await group_with_program(db, clock, w)
    async with db() as session:  # Анна has done the first item
        item = await session.scalar(select(PlanItem.id).where(PlanItem.activity == PLAN[0][0]))
    await as_person(db, 701, svc.complete_item, item, note="Посетила, анализ в папке", now=clock.now())
    clock.advance(timedelta(minutes=20))
    await bot_app.backbone.scheduler.run_due()
    for user in (lidia, anna, bogdan, vera):
        await wait_text(user, "Через 3 дня срок пункта плана «Провести открытый урок»")
    assert all("Посетить урок" not in (m.text or "") for m in anna.messages() if "Через 3 дня" in (m.text or ""))
    clock.advance(datetime(2026, 11, 27, 7, 0, tzinfo=timezone.utc) - clock.now())  # 10:00 in Moscow
    await bot_app.backbone.scheduler.run_due()
    notice = await wait_text(curator, "Просрочен пункт плана «Провести открытый урок»")
    assert "Лучшева Лидия → Алексеева Анна, Борисов Богдан, Васильева Вера" in notice.text
    await bot_app.backbone.scheduler.run_due()  # runs again: the notice is not repeated
    await asyncio.sleep(0.5)
    assert sum("Просрочен" in (m.text or "") for m in curator.messages()) == 1
    reply = await lidia.send("/program")
    assert "2. ⚠️ Провести открытый урок" in reply.text



async def test_an_extension_takes_every_participants_consent(emulator, db, bot_app, clock):
    w = await gymnasium(emulator, db)
    curator, anna, bogdan, vera, lidia = (w.users[tid] for tid in (700, 701, 702, 703, 711))
    await group_with_program(db, clock, w)
    await lidia.send("/program")
    await lidia.press("📅 Продлить")
    assert "отправлено" in (await lidia.press("3 мес.")).text
    for user in (anna, bogdan, vera):
        proposal = await wait_text(user, "предлагает продлить программу с 23.05.2027 до 23.08.2027")
        await user.press("✅ Согласен(на)", proposal)
    await wait_text(curator, "продлена до 23.08.2027")
    async with db() as session:
        assert await session.scalar(select(Program.end_date)) == date(2027, 8, 23)



async def test_a_replacement_asked_by_a_mentee_made_by_the_curator_then_completion_kept_in_the_history(
        emulator, db, bot_app, clock):
    w = await gymnasium(emulator, db)
    curator, anna, bogdan, lidia, zakhar = (w.users[tid] for tid in (700, 701, 702, 711, 712))
    ids = w.ids
    group_id, _ = await group_with_program(db, clock, w)
    await bogdan.send("/program")
    await bogdan.press("🔁 Попросить замену наставника")
    assert "отправлена куратору" in (await bogdan.press("психологическая несовместимость")).text
    await wait_text(curator, "Борисов Богдан просит заменить наставника")
    reply = await curator.send("/program")
    await curator.press(lambda text: text.startswith("Лучшева Лидия"))
    await curator.press("🔁 Заменить наставника")
    reply = await curator.press("психологическая несовместимость")
    assert "Запасов Захар" in reply.text and "Полнов" not in reply.text and "Лучшева" not in reply.text
    assert "заменён" in (await curator.press("1. Запасов Захар")).text
    await wait_text(lidia, "Вы больше не наставник")
    invitation = await wait_text(zakhar, "Согласны?")
    await zakhar.press("✅ Согласен(на)", invitation)
    await wait_text(anna, "Новый наставник Запасов Захар")
    reply = await zakhar.send("/program")
    assert "Наставник: Запасов Захар" in reply.text
    assert "Прежний наставник: Лучшева Лидия (замена: психологическая несовместимость)" in reply.text
    assert "нет пар и групп" in (await lidia.send("/program")).text  # no longer her group

    # --- completion by the curator
    await curator.send("/program")
    await curator.press(lambda text: text.startswith("Запасов Захар"))
    await curator.press("🏁 Завершить")
    reply = await curator.press("по решению куратора (форс-мажор)")
    assert "Статус: завершена" in reply.text and "форс-мажор" in reply.text
    await wait_text(anna, "Наставничество завершено")
    async with db() as session:
        group = await session.get(Mentorship, group_id)
        assert group.status == MentorshipStatus.COMPLETED
        assert group.completion_reason == CompletionReason.CURATOR_FORCE_MAJEURE
        history = (await session.scalars(select(Participant).where(
            Participant.mentorship_id == group_id, Participant.role == Role.MENTOR).order_by(Participant.id))).all()
        assert [(p.person_id, p.replacement_ground) for p in history] == [
            (ids[711], ReplacementGround.INCOMPATIBILITY), (ids[712], None)]
        assert history[0].left_at is not None and history[1].confirmed_at is not None

    # --- the registry keeps the history
    await curator.send("/registry")
    reply = await curator.press("Лучшева Лидия")
    assert "наставник для: Алексеева Анна, Борисов Богдан, Васильева Вера — завершена" in reply.text
    assert "(заменён: психологическая несовместимость)" in reply.text
    await curator.press("◀ К списку")
    reply = await curator.press("Алексеева Анна")
    assert "наставляемый у: Запасов Захар — завершена (по решению куратора (форс-мажор))" in reply.text



async def test_someone_from_another_pair_can_neither_see_nor_touch_it(emulator, db, bot_app, clock):
    w = await gymnasium(emulator, db)
    gleb = w.users[704]
    group_id, _ = await group_with_program(db, clock, w)
    async with db() as session:
        item_id = (await session.scalars(select(Program.id))).first()
    for cb in (ProgramCb(mentorship=group_id, action=ProgramAction.SHOW),
               ProgramCb(mentorship=group_id, action=ProgramAction.ITEM),
               ProgramCb(mentorship=group_id, action=ProgramAction.REPLACE), ItemDoneCb(item=item_id),
               CompleteCb(mentorship=group_id, reason=CompletionReason.MENTEE_INITIATIVE),
               MentorshipAnswerCb(mentorship=group_id, accept=True),
               GroundCb(mentorship=group_id, ground=ReplacementGround.INCOMPATIBILITY, replace=False)):
        data = cb.pack()
        reply = await gleb.press_data(data, (await gleb.send("/help")).messages[0].message_id)
        assert reply.alerts, data
        assert all("Освоить" not in t and "Алексеева" not in t for t in reply.texts + reply.alerts), data


async def test_hostile_input_in_pairing_and_programs(emulator, db, bot_app, clock):
    async with db() as session:
        org_id = (await create_organization(session, "Лицей № 1", "Europe/Moscow")).id
        other_org = (await create_organization(session, "Лицей № 2", "Europe/Moscow")).id
    await seed(db, org_id, 800, "Куратор <b>Жирный</b> & Ко", Role.CURATOR)
    await seed(db, org_id, 801, "Ученица <script>", Role.MENTEE, ["Инклюзия"])
    await seed(db, org_id, 802, "Учитель & Наставник", Role.MENTOR, ["Инклюзия"], 2)
    foreign = await seed(db, other_org, 803, "Чужая Наставляемая", Role.MENTEE, ["Инклюзия"])
    users = {tid: ScriptedUser(emulator, tid, name) for tid, name in [(800, "К"), (801, "У"), (802, "Н")]}
    for user in users.values():
        emulator.open_chat(user.id, user.first_name)
    curator, mentee, mentor = users.values()

    # a mentee and a mentor cannot form pairs; a forged pick of another organisation's mentee fails
    assert "может куратор" in (await mentee.send("/pair")).text
    reply = await curator.send("/pair")
    assert "Ученица <script>" in curator.buttons(reply.messages[0])
    reply = await curator.press_data(PairMenteeCb(org=other_org, mentee=foreign).pack())
    assert reply.alerts and all("Чужая" not in text for text in reply.texts)
    await curator.press("Ученица <script>")
    assert "кнопкой" in (await curator.send("первый")).text  # buttons expected here
    await curator.press("1. Учитель & Наставник")
    await curator.press("Далее ▶")
    stale_next = curator.last()
    await curator.press("педагог – педагог")
    assert "групповое" not in " ".join(curator.buttons())  # one mentee: not a group
    await curator.press("традиционное (один на один)")
    reply = await curator.press_data(PairAddCb(mentee=0).pack(), stale_next.message_id)  # "Далее ▶" again, after the proposal
    assert "неактуальна" in reply.alerts[0]  # the dialog is over: the old button does nothing

    # the mentor agrees twice (a stale second press), the mentee declines with a reason
    invitation = await wait_text(mentor, "Согласны?")
    agree = mentor.button_data("✅ Согласен(на)", invitation)
    await mentor.press_data(agree, invitation.message_id)
    reply = await mentor.press_data(agree, invitation.message_id)  # pressed again
    assert reply.alerts and "неактуальна" in reply.alerts[0]
    invitation = await wait_text(mentee, "Согласны?")
    await mentee.press("❌ Отказаться", invitation)
    assert "текстом" in (await mentee.send_sticker()).text
    assert "Слишком длинно" in (await mentee.send("я" * 5000)).text
    assert "Отказ отправлен" in (await mentee.send("Пока не готова <к> работе & учёбе")).text
    notice = await wait_text(curator, "отказывается")
    assert "Пока не готова <к> работе & учёбе" in notice.text and "Ученица <script>" in notice.text


async def test_a_pair_without_a_meeting_for_21_days_is_nudged_once_before_the_curator_hears_of_it(
        emulator, db, bot_app, clock):
    w = await gymnasium(emulator, db)
    curator, anna, bogdan, vera, lidia, gleb = (w.users[tid] for tid in (700, 701, 702, 703, 711, 704))
    emulator.open_chat(710, "Пётр")
    group_id, _ = await group_with_program(db, clock, w)
    async with db() as session:
        session.add(MeetingLog(mentorship_id=group_id, logged_by_id=w.ids[711], held_on=date(2026, 11, 24),
                               duration_minutes=45, format=MeetingFormat.IN_PERSON, topic="Знакомство",
                               summary="Договорились о плане"))
        await session.commit()
    clock.advance(datetime(2026, 12, 15, 5, 0, tzinfo=timezone.utc) - clock.now())  # 08:00 in Moscow, day 21
    await bot_app.backbone.scheduler.run_due()
    await asyncio.sleep(0.3)
    assert not [m for m in anna.messages() if "не было встреч" in (m.text or "")]  # not before 09:00
    clock.advance(timedelta(hours=2))
    await bot_app.backbone.scheduler.run_due()
    for user in (lidia, anna, bogdan, vera):
        notice = await wait_text(user, "не было встреч с 24.11.2026")
        assert "Лучшева Лидия → Алексеева Анна, Борисов Богдан, Васильева Вера" in notice.text
    await wait_text(gleb, "встреч в журнале пока нет")  # the other pair, quiet since it began on 23.11
    await bot_app.backbone.scheduler.run_due()  # runs again: nobody is told twice
    await asyncio.sleep(0.5)
    assert sum("не было встреч" in (m.text or "") for m in anna.messages()) == 1
    assert not [m for m in curator.messages() if "встреч" in (m.text or "")]  # the curator: at 30 days, in /summary


async def test_on_1_september_the_curator_is_asked_to_review_the_bank_once(emulator, db, bot_app, clock):
    w = await gymnasium(emulator, db)
    curator = w.users[700]
    emulator.open_chat(710, "Пётр")
    clock.advance(datetime(2027, 9, 1, 5, 30, tzinfo=timezone.utc) - clock.now())  # 08:30 in Moscow
    await bot_app.backbone.scheduler.run_due()
    await asyncio.sleep(0.3)
    assert not [m for m in curator.messages() if "учебный год" in (m.text or "")]
    clock.advance(timedelta(hours=1))
    await bot_app.backbone.scheduler.run_due()
    review = await wait_text(curator, "Гимназия № 3: начинается 2027/2028 учебный год")
    assert "Наставляемые без пары: 3" in review.text  # Анна, Богдан, Вера; Глеб is paired
    assert "Наставников: 3, из них без свободных мест: 1; свободных мест всего: 8" in review.text
    clock.advance(timedelta(hours=2))
    await bot_app.backbone.scheduler.run_due()
    await asyncio.sleep(0.3)
    assert sum("учебный год" in (m.text or "") for m in curator.messages()) == 1
    await curator.press("Наставляемые", review)
    assert "Алексеева Анна" in " ".join(curator.buttons())
