"""End to end: mentors are selected and trained (seed 000 §4.1, 003 §4): a mentor candidate is not offered
in /pair until the curator admits them from the registry's card, where the curator also records the
mentor's training; an organisation that does not select its mentors offers them at once."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from bot.handlers.mentorships.callbacks import AdmitCb
from bot.services.mentorships import record_training
from bot.services.onboarding import CONSENT_VERSION
from db.models import Consent, Membership, MentorTraining, Organization, Role, TrainingKind
from tests.emulator import ScriptedUser
from tests.factories import add_person, as_person, gymnasium, wait_text


async def _candidate(db, emulator, w) -> ScriptedUser:
    async with db() as session:
        await add_person(session, w.org_id, 713, "Новикова Нина", Role.MENTOR, topics=("Инклюзия", "Оценивание"),
                         capacity=2, young=False, admitted=False)
        await session.commit()
    emulator.open_chat(713, "Нина")
    return ScriptedUser(emulator, 713, "Нина")


async def _ranking(curator: ScriptedUser) -> str:
    await curator.send("/pair")
    return (await curator.press("Алексеева Анна")).text


async def test_a_candidate_is_offered_in_pair_only_once_the_curator_admits_her(emulator, db, bot_app):
    w = await gymnasium(emulator, db)
    curator = w.users[700]
    nina = await _candidate(db, emulator, w)
    assert "Новикова Нина" not in await _ranking(curator)
    await curator.send("/cancel")
    card = (await curator.send("/summary")).messages[0]
    assert "🧑‍🏫 Кандидаты в наставники ждут допуска: 1" in card.text
    reply = await curator.press("🧑‍🏫 Новикова Нина", card)
    assert "Кандидат: ещё не допущен(а)" in reply.text and "Обучение пока не записано" in reply.text
    await curator.press("🎓 Записать обучение")
    await curator.press("установочная сессия")
    assert "ДД.ММ.ГГГГ" in (await curator.send("²")).text
    assert "не позже сегодняшней" in (await curator.send("01.01.2030")).text
    assert "Записано: установочная сессия, 20.11.2026" in (await curator.send("20.11.2026")).text
    card = (await curator.send("/summary")).messages[0]
    reply = await curator.press("🧑‍🏫 Новикова Нина", card)
    assert "🎓 установочная сессия — 20.11.2026" in reply.text
    await curator.press("🎓 Записать обучение")  # another, its day on the calendar (none after today)
    await curator.press("установочная сессия")
    assert "24" not in curator.buttons() and "•23" in curator.buttons()
    assert "Записано: установочная сессия, 21.11.2026" in (await curator.press("21")).text
    card = (await curator.send("/summary")).messages[0]
    reply = await curator.press("🧑‍🏫 Новикова Нина", card)
    reply = await curator.press("✅ Допустить к наставничеству")
    assert "Допущен(а) к наставничеству" in reply.alerts[0]
    await wait_text(nina, "Вы допущены к наставничеству")
    assert "Новикова Нина — совпадений 2 из 2" in await _ranking(curator)
    async with db() as session:
        training = await session.scalar(select(MentorTraining))
        assert training.kind == TrainingKind.ORIENTATION and training.recorded_by_id == w.ids["curator"]
    assert "неактуальна" in (await curator.press("✅ Допустить к наставничеству")).alerts[0]  # pressed twice


async def test_without_selection_a_new_mentor_is_offered_at_once_and_only_curators_admit(emulator, db, bot_app):
    w = await gymnasium(emulator, db)
    curator, lidia = w.users[700], w.users[711]
    await _candidate(db, emulator, w)
    async with db() as session:
        nina = await session.scalar(select(Membership).where(Membership.role == Role.MENTOR,
                                                             Membership.approved_at.is_(None)))
        await session.execute(update(Organization).where(Organization.id == w.org_id).values(mentor_selection=False))
        await session.commit()
    assert "Новикова Нина — совпадений 2 из 2" in await _ranking(curator)
    await lidia.send("/help")
    reply = await lidia.press_data(AdmitCb(org=w.org_id, person=nina.person_id).pack())
    assert "куратор" in reply.alerts[0].lower()
    async with db() as session:
        assert (await session.get(Membership, nina.id)).approved_at is None


async def test_a_mentors_trainings_go_when_she_withdraws_her_consent(emulator, db, bot_app, clock):
    w = await gymnasium(emulator, db)
    nina = await _candidate(db, emulator, w)
    async with db() as session:
        person_id = await session.scalar(select(Membership.person_id).where(Membership.approved_at.is_(None),
                                                                           Membership.role == Role.MENTOR))
        session.add(Consent(person_id=person_id, organization_id=w.org_id, version=CONSENT_VERSION))
        await session.commit()
    await as_person(db, 700, record_training, w.org_id, person_id, TrainingKind.COURSE, date(2026, 10, 1), clock.now())
    await nina.send("/consent")
    await nina.press("Отозвать согласие")
    assert "персональные данные удалены" in (await nina.press("Да, отозвать согласие")).text
    async with db() as session:
        assert await session.scalar(select(MentorTraining)) is None
