"""End to end: evaluating growth (seed 002 §7.1, 004 §III.12.10; seed 001's self-assessment and diagnosis): a
mentee rates each difficulty of the program 1–5 at its start and at its end, and so does the mentor; the
program is then completed «по результатам оценки эффективности», and the growth is on the card, in the
completion notice and in /summary, figure by figure."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import func, select

from bot.handlers.mentorships.callbacks import EvalCb
from bot.services import mentorships as svc
from bot.services.onboarding import CONSENT_VERSION
from db.models import (
    Assessment,
    AssessmentStage,
    CompletionReason,
    Consent,
    MentoringKind,
    Mentorship,
    MentorshipStatus,
    Role,
)
from tests.emulator import ScriptedUser
from tests.factories import I18N, add_person, as_person, gymnasium, school_pair, wait_text


async def _pair_with_program(db, emulator, clock, w) -> tuple[int, ScriptedUser]:
    """Запасов Захар and Дмитриева Дина (difficulties: assessment, inclusion), with a 6-month program."""
    async with db() as session:
        dina = await add_person(session, w.org_id, 705, "Дмитриева Дина", Role.MENTEE, topics=("Инклюзия", "Оценивание"))
        pair = await school_pair(session, w.org_id, MentoringKind.TRADITIONAL, MentorshipStatus.ACTIVE,
                                 [(w.ids[712], Role.MENTOR), (dina, Role.MENTEE)])
        await session.commit()
    await as_person(db, 712, svc.create_program, pair, goals="Инклюзивные практики", months=6, now=clock.now(),
                    i18n=I18N)
    emulator.open_chat(705, "Дина")
    return pair, ScriptedUser(emulator, 705, "Дина")


async def _rate(user: ScriptedUser, scores: list[int], first_question: str) -> str:
    await user.send("/program")
    reply = await user.press("📊 Оценка роста")
    assert first_question in reply.text
    for score in scores:
        reply = await user.press(str(score))
    return reply.text


async def test_ratings_before_and_after_complete_the_program_on_evaluation_with_its_growth(emulator, db, bot_app,
                                                                                            clock):
    w = await gymnasium(emulator, db)
    curator, zakhar = w.users[700], w.users[712]
    emulator.open_chat(710, "Пётр")
    pair, dina = await _pair_with_program(db, emulator, clock, w)
    text = await _rate(dina, [2, 3], "Оценка в начале программы (1 из 2). Насколько вы справляетесь с затруднением "
                                     "«Оценивание и контроль результатов»?")
    assert "Оценки записаны. Итоговая оценка — в последний месяц программы, с 23.04.2027." in text
    assert "• Оценивание и контроль результатов: 2 → — / — → —" in text
    await _rate(zakhar, [2, 2], "Дмитриева Дина: насколько справляется с затруднением «Оценивание")
    await zakhar.press("🏁 Завершить")
    reply = await zakhar.press("по результатам оценки эффективности")
    assert "нужна итоговая оценка" in reply.alerts[0]
    clock.advance(datetime(2027, 4, 23, 7, 0, tzinfo=timezone.utc) - clock.now())  # the program's last month
    await _rate(dina, [4, 5], "Оценка в конце программы (1 из 2)")
    text = await _rate(zakhar, [3, 4], "Оценка в конце программы (1 из 2)")
    assert "• Оценивание и контроль результатов: 2 → 4 / 2 → 3" in text
    assert "• Инклюзия, дети с ОВЗ: 3 → 5 / 2 → 4" in text
    assert "в среднем: 2,5 → 4,5 / 2,0 → 3,5" in text
    await zakhar.press("🏁 Завершить")
    await zakhar.press("по результатам оценки эффективности")
    notice = await wait_text(curator, "Наставничество завершено (Запасов Захар → Дмитриева Дина)")
    assert "Основание: по результатам оценки эффективности." in notice.text
    assert "📈 Дмитриева Дина: самооценка 2,5 → 4,5, оценка наставника 2,0 → 3,5" in notice.text
    async with db() as session:
        m = await session.get(Mentorship, pair)
        assert (m.status, m.completion_reason) == (MentorshipStatus.COMPLETED, CompletionReason.EVALUATION)
        assert await session.scalar(select(func.count()).select_from(Assessment)) == 8
    reply = await curator.send("/summary")
    # the program's average rating: (2 + 3 + 2 + 2) / 4 at the start, (4 + 5 + 3 + 4) / 4 at the end
    assert ("• Завершённые программы с ростом по оценке: 1 из 1 (100,0%); средняя оценка затруднений (1–5): "
            "2,25 → 4,00") in reply.text


async def test_a_stale_or_forged_rating_is_refused_and_nobody_else_rates(emulator, db, bot_app, clock):
    w = await gymnasium(emulator, db)
    lidia = w.users[711]
    pair, dina = await _pair_with_program(db, emulator, clock, w)
    await dina.send("/program")
    await dina.press("📊 Оценка роста")
    first = dina.button_data("2")
    await dina.press_data(first)
    assert "неактуальна" in (await dina.press_data(first)).alerts[0]  # the same item again: already rated
    forged = EvalCb(mentorship=pair, mentee=w.ids[701], stage=AssessmentStage.START, item=0, score=5).pack()
    assert (await dina.press_data(forged)).alerts  # another mentee's rating
    await lidia.send("/help")
    assert (await lidia.press_data(EvalCb(mentorship=pair, mentee=0, stage=AssessmentStage.START, item=1,
                                          score=5).pack())).alerts
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(Assessment)) == 1


async def test_a_mentees_ratings_go_when_she_withdraws_her_consent(emulator, db, bot_app, clock):
    w = await gymnasium(emulator, db)
    pair, dina = await _pair_with_program(db, emulator, clock, w)
    await _rate(dina, [2, 3], "Оценка в начале программы (1 из 2)")
    async with db() as session:
        person_id = await session.scalar(select(Assessment.mentee_id))
        session.add(Consent(person_id=person_id, organization_id=w.org_id, version=CONSENT_VERSION))
        await session.commit()
    await dina.send("/consent")
    await dina.press("Отозвать согласие")
    assert "персональные данные удалены" in (await dina.press("Да, отозвать согласие")).text
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(Assessment)) == 0
