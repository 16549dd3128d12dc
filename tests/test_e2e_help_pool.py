"""End to end (issue 25, the pool above the school): a mentor opts in to help other schools from /profile;
a help request that no mentor of its school matches goes at once to the matching mentors of the
municipality's other schools who opted in — not to those who did not, nor to another municipality's — and
one of them takes it and answers through the bot; with a matching mentor at the school, the pool hears of
the request only once the school's mentors let its deadline pass."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select, update

from bot.services.organizations import create_organization
from db.models import Membership, MembershipTopic, Person, Role, Topic
from tests.emulator import ScriptedUser
from tests.factories import seed, wait_text


async def _municipality(db, emulator):
    """Two schools of one municipality and a school of another; the mentee Анна at school 1 (Инклюзия), no
    mentor of hers there; mentors of Инклюзия at school 2 (Борис; Вадим, who does not opt in) and at the
    other municipality's school (Галина, opted in)."""
    async with db() as session:
        town = (await create_organization(session, "Управление образования города", "Europe/Moscow")).id
        other_town = (await create_organization(session, "Управление образования района", "Europe/Moscow")).id
        first = (await create_organization(session, "Школа № 1", "Europe/Moscow", town)).id
        second = (await create_organization(session, "Школа № 2", "Europe/Moscow", town)).id
        far = (await create_organization(session, "Школа № 9", "Europe/Moscow", other_town)).id
    await seed(db, first, 5100, "Куратор Клавдия", Role.CURATOR)
    await seed(db, first, 5101, "Алексеева Анна", Role.MENTEE, ["Инклюзия"])
    await seed(db, first, 5102, "Сергеев Семён", Role.MENTOR, ["Оценивание"], 2)  # not her topic
    await seed(db, second, 5201, "Борисов Борис", Role.MENTOR, ["Инклюзия"], 2)
    await seed(db, second, 5202, "Вадимов Вадим", Role.MENTOR, ["Инклюзия"], 2)
    galina = await seed(db, far, 5901, "Галина Дальняя", Role.MENTOR, ["Инклюзия"], 2)
    async with db() as session:
        await session.execute(update(Membership).where(Membership.person_id == galina).values(beyond_school=True))
        await session.commit()
    users = {tid: ScriptedUser(emulator, tid, name) for tid, name in
             [(5100, "Клавдия"), (5101, "Анна"), (5102, "Семён"), (5201, "Борис"), (5202, "Вадим"),
              (5901, "Галина")]}
    for user in users.values():
        emulator.open_chat(user.id, user.first_name)
    return users


async def test_a_request_no_mentor_of_the_school_matches_reaches_a_mentor_of_another_school(emulator, db,
                                                                                           bot_app):
    users = await _municipality(db, emulator)
    anna, boris = users[5101], users[5201]
    await boris.send("/profile")
    reply = await boris.press("Помощь другим школам")
    assert "других школ" in reply.text
    reply = await boris.press("Да")
    assert "Помогает и другим школам: Да" in (await boris.send("/profile")).text
    await anna.send("/ask")
    await anna.press(lambda text: text.startswith("Инклюзия"))
    reply = await anna.send("Как включить ребёнка с ОВЗ в групповую работу?")
    assert "отправлен наставникам с подходящими компетенциями (1)" in reply.text
    offer = await wait_text(boris, "Запрос №1")
    assert "из другой школы: Школа № 1" in offer.text and "групповую работу" in offer.text
    assert not [m for user in (users[5102], users[5202], users[5901]) for m in user.messages()
                if "Запрос №1" in (m.text or "")]  # not his topic, not opted in, another municipality
    assert not [m for m in users[5100].messages() if "Запрос №1" in (m.text or "")]  # nobody to escalate to
    await boris.press("🙋 Беру", offer)
    await wait_text(anna, "Ваш запрос №1 взял(а) Борисов Борис")
    await anna.send("Спасибо! Группа из четырёх детей.")
    relayed = await wait_text(boris, "Группа из четырёх детей")
    assert "Алексеева Анна · запрос №1" in relayed.text
    await boris.send("Начните с парной работы.")
    await wait_text(anna, "Начните с парной работы")


async def test_with_a_matching_mentor_at_the_school_the_pool_hears_only_after_the_deadline(emulator, db, bot_app,
                                                                                          clock):
    users = await _municipality(db, emulator)
    anna, boris, semyon = users[5101], users[5201], users[5102]
    async with db() as session:  # Семён takes Инклюзия too, and Борис has opted in
        await session.execute(update(Membership).where(Membership.person_id == await _id(session, 5201))
                              .values(beyond_school=True))
        await session.commit()
    await _add_topic(db, 5102, "Инклюзия")
    await anna.send("/ask")
    await anna.press(lambda text: text.startswith("Инклюзия"))
    await anna.send("Помогите с адаптацией")
    await wait_text(semyon, "Запрос №1")
    clock.advance(datetime(2026, 11, 23, 12, 59, tzinfo=timezone.utc) - clock.now())  # 15:59: not yet due
    await bot_app.backbone.scheduler.run_due()
    assert not [m for m in boris.messages() if "Запрос №1" in (m.text or "")]
    clock.advance(datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc) - clock.now())  # well past the deadline
    await bot_app.backbone.scheduler.run_due()
    assert "из другой школы: Школа № 1" in (await wait_text(boris, "Запрос №1")).text
    await wait_text(users[5100], "Запрос №1")  # and the curator, as before


async def _id(session, telegram_id: int) -> int:
    return await session.scalar(select(Person.id).where(Person.telegram_id == telegram_id))


async def _add_topic(db, telegram_id: int, title: str) -> None:
    async with db() as session:
        membership = await session.scalar(select(Membership).where(
            Membership.person_id == await _id(session, telegram_id)))
        topic = await session.scalar(select(Topic.id).where(Topic.organization_id == membership.organization_id,
                                                            Topic.title.startswith(title)))
        session.add(MembershipTopic(membership_id=membership.id, topic_id=topic))
        await session.commit()
