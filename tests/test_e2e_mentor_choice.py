"""End to end: /mentors — a mentee without a pair sees the mentors with free places ranked as /pair ranks
them, asks one, and the mentor agrees (the curator is told); another mentor declines with a reason the
mentee reads; a mentee in a pair, a full mentor and an organisation that pairs by the curator only."""
from __future__ import annotations

from sqlalchemy import select

from bot.handlers.mentorships.callbacks import MentorChoiceCb
from bot.handlers.summary.callbacks import SettingCb
from bot.services import approvals
from db.models import Approval, Mentorship, MentorshipStatus, Participant, Role
from tests.emulator import ScriptedUser
from tests.factories import I18N, as_person, gymnasium, seed, wait_text


async def test_a_mentee_chooses_a_mentor_and_the_mentor_agrees(emulator, db, bot_app):
    w = await gymnasium(emulator, db)
    anna, curator, lidia = w.users[701], w.users[700], w.users[711]
    reply = await anna.send("/mentors")
    assert reply.text.index("1. Лучшева Лидия") < reply.text.index("2. Запасов Захар")
    assert "Покрывает ваши затруднения: 2 из 2" in reply.text and "Полнов" not in reply.text  # he is full
    reply = await anna.press("🙋 Попросить 1: Лучшева Лидия")
    assert "Просьба отправлена" in reply.text
    assert "Алексеева Анна просит наставника Лучшева Лидия" in (await wait_text(curator, "Выбор наставника")).text
    asked = await wait_text(lidia, "Вас выбрали наставником")
    await lidia.press("✅ Согласен(на)", asked)
    await wait_text(anna, "Наставничество началось")
    async with db() as session:
        m = await session.scalar(select(Mentorship).where(Mentorship.created_by_id == w.ids[701]))
        people = {(p.person_id, p.role) for p in (await session.scalars(
            select(Participant).where(Participant.mentorship_id == m.id))).all()}
    assert m.status == MentorshipStatus.ACTIVE and people == {(w.ids[701], Role.MENTEE), (w.ids[711], Role.MENTOR)}
    assert "уже есть пара" in (await anna.send("/mentors")).text


async def test_a_mentor_declines_with_a_reason_and_the_mentee_may_choose_again(emulator, db, bot_app):
    w = await gymnasium(emulator, db)
    vera, zakhar = w.users[703], w.users[712]
    await vera.send("/mentors")
    await vera.press("🙋 Попросить 2: Запасов Захар")
    asked = await wait_text(zakhar, "Вас выбрали наставником")
    await zakhar.press("❌ Отказаться", asked)
    await zakhar.send("Нет окон в расписании")
    declined = await wait_text(vera, "не может взять вас")
    assert "«Нет окон в расписании»" in declined.text and "/mentors" in declined.text
    assert "1. Лучшева Лидия" in (await vera.send("/mentors")).text  # free to choose again


async def test_who_may_not_choose_and_forged_choices(emulator, db, bot_app):
    w = await gymnasium(emulator, db)
    bogdan, gleb, lidia = w.users[702], w.users[704], w.users[711]
    assert "уже есть пара" in (await gleb.send("/mentors")).text  # Григорьев has Полнов
    assert "Выбрать наставника может наставляемый" in (await lidia.send("/mentors")).text
    await bogdan.send("/mentors")
    reply = await bogdan.press_data(MentorChoiceCb(mentor=w.ids[710]).pack())  # full: never offered
    assert reply.alerts
    async with db() as session:
        assert await session.scalar(select(Mentorship.id).where(Mentorship.created_by_id == w.ids[702])) is None
    curator = w.users[700]  # the curator turns the choice off in /summary
    await curator.send("/summary")
    reply = await curator.press("⚙️ Подбор наставников")
    assert "Наставляемые сами выбирают наставника (/mentors): да" in reply.text
    reply = await curator.press("Запретить выбор наставника")
    assert "Наставляемые сами выбирают наставника (/mentors): нет" in reply.text
    assert "подбирает куратор" in (await bogdan.send("/mentors")).text
    forged = SettingCb(org=w.org_id, name="mentor_self_choice").pack()
    assert (await bogdan.press_data(forged)).alerts  # a mentee turns nothing over
    assert (await curator.press_data(SettingCb(org=w.org_id, name="approvals").pack())).alerts  # not this one


async def test_where_the_head_approves_pairs_a_chosen_mentor_starts_once_approved(emulator, db, bot_app, clock):
    w = await gymnasium(emulator, db)
    anna, lidia = w.users[701], w.users[711]
    await seed(db, w.org_id, 706, "Директор Дмитрий", Role.HEAD)
    head = ScriptedUser(emulator, 706, "Дмитрий")
    emulator.open_chat(706, "Дмитрий")
    await anna.send("/mentors")
    await anna.press("🙋 Попросить 1: Лучшева Лидия")
    await lidia.press("✅ Согласен(на)", await wait_text(lidia, "Вас выбрали наставником"))
    await wait_text(anna, "передана на утверждение руководителю")
    async with db() as session:
        m = await session.scalar(select(Mentorship).where(Mentorship.created_by_id == w.ids[701]))
        approval = await session.scalar(select(Approval.id).where(Approval.mentorship_id == m.id))
    assert m.status == MentorshipStatus.APPROVAL
    await wait_text(head, "На утверждение: закрепление наставнической пары (группы)")
    await as_person(db, 706, approvals.approve, approval, clock.now(), I18N)
    await wait_text(anna, "Утверждено приказом № 1")
    async with db() as session:
        assert (await session.get(Mentorship, m.id)).status == MentorshipStatus.ACTIVE
