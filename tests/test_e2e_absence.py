"""End to end: the curator records a mentor's dismissal, which ends both her pairs on that ground and puts
the mentees back in /pair; and a mentor's long absence, which pauses the pair (no reminders) until her
return resumes it with the program's end moved on (seed 004 §III.9.2–3)."""
from __future__ import annotations

import asyncio
from datetime import date, timedelta

from sqlalchemy import select, update

from bot.handlers.mentorships.callbacks import AbsenceAction, AbsenceCb
from db.models import (
    CompletionReason,
    Membership,
    MentoringKind,
    Mentorship,
    MentorshipStatus,
    Participant,
    Program,
    ReplacementGround,
    Role,
)
from tests.emulator import ScriptedUser
from tests.factories import add_person, agreed_group, group_with_program, gymnasium, school_pair, wait_text


async def _second_pair(db, emulator, w) -> tuple[int, ScriptedUser]:
    """Лучшева Лидия also mentors Дмитриева Дина (one to one)."""
    async with db() as session:
        dina = await add_person(session, w.org_id, 705, "Дмитриева Дина", Role.MENTEE)
        pair = await school_pair(session, w.org_id, MentoringKind.TRADITIONAL, MentorshipStatus.ACTIVE,
                                 [(w.ids[711], Role.MENTOR), (dina, Role.MENTEE)])
        await session.execute(update(Membership).where(Membership.person_id == w.ids[711]).values(capacity=4))
        await session.commit()
    emulator.open_chat(705, "Дина")
    return pair, ScriptedUser(emulator, 705, "Дина")


async def _lidias_card(curator: ScriptedUser):
    await curator.send("/registry")
    await curator.press("Наставники")
    await curator.press("Лучшева Лидия")
    return await curator.press("🗓 Отсутствие, увольнение, перевод")


async def test_a_mentors_dismissal_ends_both_her_pairs_and_her_mentees_wait_in_pair(emulator, db, bot_app, clock):
    w = await gymnasium(emulator, db)
    curator, anna = w.users[700], w.users[701]
    group_id = await agreed_group(db, clock, w)
    pair_id, dina = await _second_pair(db, emulator, w)
    reply = await _lidias_card(curator)
    assert "Лучшева Лидия</b>" not in reply.text and "Лучшева Лидия: отсутствие, увольнение, перевод" in reply.text
    assert reply.text.count("(наставник) — действует") == 2
    reply = await curator.press("🚪 Увольнение или перевод")
    assert "Пар и групп с участием: 2" in reply.text
    reply = await curator.press("🚪 Да, выбыл(а)")
    assert "завершено пар и групп: 2" in reply.alerts[0]
    for user, title in ((anna, "Лучшева Лидия → Алексеева Анна, Борисов Богдан, Васильева Вера"),
                        (dina, "Лучшева Лидия → Дмитриева Дина")):
        notice = await wait_text(user, "выбывает из организации")
        assert title in notice.text
    await wait_text(curator, "Наставничество Лучшева Лидия → Дмитриева Дина завершено")
    async with db() as session:
        for mentorship_id in (group_id, pair_id):
            m = await session.get(Mentorship, mentorship_id)
            assert (m.status, m.completion_reason) == (MentorshipStatus.COMPLETED, CompletionReason.DISMISSAL_TRANSFER)
        grounds = (await session.scalars(select(Participant.replacement_ground).where(
            Participant.person_id == w.ids[711]))).all()
        assert grounds == [ReplacementGround.DISMISSAL_TRANSFER] * 2
        assert (await session.scalar(select(Membership).where(Membership.person_id == w.ids[711]))).ended_at
    reply = await curator.send("/pair")
    assert all(name in " ".join(curator.buttons()) for name in ("Алексеева Анна", "Дмитриева Дина"))
    reply = await curator.press("Дмитриева Дина")
    assert "Лучшева" not in reply.text  # no longer offered as a mentor
    again = AbsenceCb(org=w.org_id, person=w.ids[711], action=AbsenceAction.DEPART_CONFIRMED).pack()
    assert (await curator.press_data(again)).alerts  # pressed again: she is gone, nothing more happens


async def test_a_long_absence_pauses_the_pair_without_reminders_and_her_return_resumes_it(emulator, db, bot_app,
                                                                                           clock):
    w = await gymnasium(emulator, db)
    curator, anna, lidia = w.users[700], w.users[701], w.users[711]
    emulator.open_chat(710, "Пётр")  # the other pair goes on, and is nudged when quiet
    group_id, _ = await group_with_program(db, clock, w)
    await _lidias_card(curator)
    reply = await curator.press("⏸ Длительное отсутствие")
    assert "приостановлено пар и групп: 1" in reply.alerts[0] and "Длительное отсутствие с 23.11.2026" in reply.text
    notice = await wait_text(anna, "приостановлено: длительное отсутствие (Лучшева Лидия)")
    assert "Программа сохранена" in notice.text
    reply = await lidia.send("/program")
    assert "Статус: приостановлена" in reply.text and "Посетить урок наставника" in reply.text
    assert "✏️ Исправить план" not in " ".join(lidia.buttons())
    clock.advance(timedelta(days=30))  # items fall due and the pair is quiet: nobody is reminded
    await bot_app.backbone.scheduler.run_due()
    await asyncio.sleep(0.5)
    assert not [m for m in anna.messages() if "Через 3 дня" in (m.text or "") or "не было встреч" in (m.text or "")]
    await _lidias_card(curator)
    reply = await curator.press("▶️ Вернулся(ась) к работе")
    assert "возобновлено пар и групп: 1" in reply.alerts[0]
    notice = await wait_text(anna, "возобновлено: Лучшева Лидия снова на работе")
    assert "Программа действует до 22.06.2027" in notice.text  # 23.05.2027 and the 30 days of the pause
    async with db() as session:
        m = await session.get(Mentorship, group_id)
        assert m.status == MentorshipStatus.ACTIVE and m.paused_at is None
        assert (await session.scalar(select(Program.end_date))) == date(2027, 6, 22)
    await lidia.send("/program")
    assert "✏️ Исправить план" in lidia.buttons()
