"""End to end: the head's approval («Утверждаю», seed 000 §4.6, 003 §1.1, 004 §III.8.2): a pair or group starts
only once the head approves it; the bot numbers the orders consecutively within a school year, or the head
types the order's number and date; a returned item reaches the curator with the head's comment; with
approval off, a pair starts as soon as everyone agrees."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import select, update

from bot.handlers.approvals.callbacks import ApprovalAction, ApprovalCb
from bot.services import approvals
from bot.services import mentorships as svc
from db.models import (
    Approval,
    ApprovalKind,
    ApprovalStatus,
    MentoringForm,
    MentoringKind,
    Mentorship,
    MentorshipStatus,
    Role,
)
from tests.emulator import ScriptedUser
from tests.factories import I18N, agreed_group, as_person, gymnasium, seed, wait_text


async def _with_head(db, emulator, w) -> ScriptedUser:
    await seed(db, w.org_id, 706, "Директор Дмитрий Денисович", Role.HEAD)
    emulator.open_chat(706, "Дмитрий")
    return ScriptedUser(emulator, 706, "Дмитрий")


async def _pair(db, emulator, clock, w, mentor: int, mentee_tid: int, name: str) -> int:
    """A one-to-one pair proposed by the curator and agreed by both (as the chat does it)."""
    mentee = await seed(db, w.org_id, mentee_tid, name, Role.MENTEE, ["Инклюзия"])
    emulator.open_chat(mentee_tid, name)
    pair = await as_person(db, 700, svc.propose, org_id=w.org_id, mentor_id=w.ids[mentor], mentee_ids=[mentee],
                           form=MentoringForm.TEACHER_TEACHER, kind=MentoringKind.TRADITIONAL, now=clock.now(),
                           i18n=I18N)
    for tid in (mentor, mentee_tid):
        await as_person(db, tid, svc.respond, pair, accept=True, now=clock.now(), i18n=I18N)
    return pair


async def _status(db, mentorship_id: int) -> MentorshipStatus:
    async with db() as session:
        return (await session.get(Mentorship, mentorship_id)).status


async def test_a_group_starts_only_once_the_head_approves_it_numbered_by_the_bot(emulator, db, bot_app, clock):
    w = await gymnasium(emulator, db)
    anna, lidia, curator = w.users[701], w.users[711], w.users[700]
    head = await _with_head(db, emulator, w)
    group_id = await agreed_group(db, clock, w)
    assert await _status(db, group_id) == MentorshipStatus.APPROVAL
    await wait_text(anna, "передана на утверждение руководителю")
    assert not [m for m in anna.messages() if "Наставничество началось" in (m.text or "")]
    assert "Ждут утверждения руководителем: 1" in (await curator.send("/summary")).text
    notice = await wait_text(head, "На утверждение: закрепление наставнической пары (группы)")
    reply = await head.press("📜 Открыть", notice)
    assert "письменное согласие (в боте): 23.11.2026 12:00" in reply.text
    await head.press("✅ Утверждаю")
    by_bot = head.button_data("🔢 Номер присвоит бот")
    reply = await head.press_data(by_bot)
    assert "Утверждено, приказ № 1" in reply.alerts[0]
    assert "Утверждено приказом № 1 от 23.11.2026" in reply.text
    assert await _status(db, group_id) == MentorshipStatus.ACTIVE
    for user in (anna, lidia, curator):
        await wait_text(user, "Утверждено приказом № 1 от 23.11.2026")
    await wait_text(anna, "Наставничество началось")
    reply = await lidia.send("/program")
    assert "закрепление наставнической пары (группы): утверждено приказом № 1 от 23.11.2026" in reply.text
    assert "неактуальна" in (await head.press_data(by_bot)).alerts[0]  # pressed twice: decided already


async def test_the_bots_numbers_run_on_within_a_school_year_and_start_again_in_the_next(emulator, db, bot_app,
                                                                                         clock):
    w = await gymnasium(emulator, db)
    head = await _with_head(db, emulator, w)
    first = await _pair(db, emulator, clock, w, 712, 720, "Дмитриева Дина")
    second = await _pair(db, emulator, clock, w, 711, 721, "Егорова Ева")
    numbers = []
    for pair in (first, second):
        async with db() as session:
            approval = await session.scalar(select(Approval.id).where(Approval.mentorship_id == pair))
        numbers.append((await as_person(db, 706, approvals.approve, approval, clock.now(), I18N)).order_number)
    assert numbers == ["1", "2"]
    async with db() as session:  # a program of the first pair, put to the head in the next school year
        session.add(Approval(organization_id=w.org_id, mentorship_id=first, kind=ApprovalKind.PROGRAM,
                             status=ApprovalStatus.PENDING, requested_at=clock.now()))
        await session.commit()
        later = await session.scalar(select(Approval.id).where(Approval.status == ApprovalStatus.PENDING))
    september = datetime(2027, 9, 2, 9, 0, tzinfo=timezone.utc)
    card = await as_person(db, 706, approvals.approve, later, september, I18N)
    assert (card.order_number, card.order_date) == ("1", date(2027, 9, 2))
    await head.send("/approvals")
    assert "Ничего не ждёт утверждения" in head.last().text


async def test_the_head_types_the_order_or_returns_a_pair_to_the_curator_with_a_comment(emulator, db, bot_app,
                                                                                         clock):
    w = await gymnasium(emulator, db)
    curator, zakhar = w.users[700], w.users[712]
    head = await _with_head(db, emulator, w)
    typed = await _pair(db, emulator, clock, w, 712, 720, "Дмитриева Дина")
    returned = await _pair(db, emulator, clock, w, 711, 721, "Егорова Ева")
    reply = await head.send("/approvals")
    assert "1. закрепление наставнической пары (группы): Запасов Захар → Дмитриева Дина" in reply.text
    await head.press(lambda text: text.startswith("1."))
    await head.press("✅ Утверждаю")
    await head.press("⌨️ Введу номер и дату приказа")
    assert "через пробел" in (await head.send("пятнадцатый")).text
    assert "не может быть позже" in (await head.send("15-о 01.12.2027")).text
    reply = await head.send("№ 15-о от 20.11.2026")
    assert "Утверждено приказом № 15-о от 20.11.2026" in reply.text
    await wait_text(zakhar, "Утверждено приказом № 15-о от 20.11.2026")
    assert await _status(db, typed) == MentorshipStatus.ACTIVE
    await head.send("/approvals")
    await head.press(lambda text: text.startswith("1."))
    await head.press("↩️ Вернуть куратору")
    reply = await head.send("Нет <заявления> наставника & стаж не подтверждён")
    assert "Возвращено куратору" in reply.text
    notice = await wait_text(curator, "Руководитель вернул на доработку")
    assert "Комментарий: Нет <заявления> наставника & стаж не подтверждён" in notice.text
    assert await _status(db, returned) == MentorshipStatus.DECLINED
    await curator.send("/pair")
    assert "Егорова Ева" in " ".join(curator.buttons())  # back among those to pair


async def test_with_approval_off_a_pair_starts_when_everyone_agrees_and_only_the_head_decides(emulator, db,
                                                                                               bot_app, clock):
    w = await gymnasium(emulator, db)
    curator = w.users[700]
    head = await _with_head(db, emulator, w)
    await head.send("/approvals")
    reply = await head.press("Выключить утверждение: Гимназия № 3")
    assert "Утверждение выключено" in reply.alerts[0] and "Утверждение руководителем выключено" in reply.text
    pair = await _pair(db, emulator, clock, w, 712, 720, "Дмитриева Дина")
    assert await _status(db, pair) == MentorshipStatus.ACTIVE
    async with db() as session:
        assert await session.scalar(select(Approval)) is None
        await session.execute(update(Mentorship).where(Mentorship.id == pair).values(
            status=MentorshipStatus.APPROVAL))
        session.add(Approval(organization_id=w.org_id, mentorship_id=pair, kind=ApprovalKind.PAIR,
                             status=ApprovalStatus.PENDING, requested_at=clock.now()))
        await session.commit()
        approval = await session.scalar(select(Approval.id))
    assert "Утверждает руководитель" in (await curator.send("/approvals")).text
    reply = await curator.press_data(ApprovalCb(approval=approval, action=ApprovalAction.NUMBER_BY_BOT).pack())
    assert "Утверждает руководитель" in reply.alerts[0]
    assert await _status(db, pair) == MentorshipStatus.APPROVAL
