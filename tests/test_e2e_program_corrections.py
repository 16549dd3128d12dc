"""End to end: a running program corrected (seed 004 §VII.2; the plan is joint: 000 §1.7, 004 §V.1.2):
plan items edited and deleted by the mentor and a mentee, the goals changed, the form and kind changed
by the curator; every change kept in the program's history and told to the other participants."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from bot.handlers.mentorships.callbacks import FormChangeCb, ItemEditAction, ItemEditCb, KindChangeCb
from bot.services import mentorships as svc
from db.models import (
    MeetingFormat,
    MeetingLog,
    MentoringForm,
    MentoringKind,
    Mentorship,
    PlanItem,
    Program,
    ProgramChange,
    ProgramChangeKind,
)
from tests.conftest import START
from tests.factories import I18N, as_person, group_with_program, gymnasium, wait_text


async def _items(db) -> list[tuple[str, str, str]]:
    async with db() as session:
        return [(i.activity, i.due_date.strftime("%d.%m.%Y"), i.expected_result)
                for i in (await session.scalars(select(PlanItem).order_by(PlanItem.due_date))).all()]


async def test_the_mentor_moves_a_deadline_and_the_others_are_told(emulator, db, bot_app, clock):
    w = await gymnasium(emulator, db)
    curator, anna, bogdan, vera, lidia = (w.users[tid] for tid in (700, 701, 702, 703, 711))
    await group_with_program(db, clock, w)
    await lidia.send("/program")
    reply = await lidia.press("✏️ Исправить план")
    assert "Какой пункт плана исправить?" in reply.text
    reply = await lidia.press("✏️ 1. Посетить урок наставника")
    assert "Срок: 25.11.2026" in reply.text
    await lidia.press("Срок")
    assert "ДД.ММ.ГГГГ" in (await lidia.send("²")).text  # nothing changed, the question stands
    assert "в пределах программы" in (await lidia.send("01.01.2030")).text
    assert "то же самое" in (await lidia.send("25.11.2026")).text  # typed, and read
    await lidia.press("▶")  # the new deadline on the calendar: December
    reply = await lidia.press("1")
    assert "Пункт плана изменён" in reply.text and "Посетить урок наставника — до 01.12.2026" in reply.text
    for user in (anna, bogdan, vera):
        notice = await wait_text(user, "Изменение в программе наставничества")
        assert "Пункт плана «Посетить урок наставника»: срок 25.11.2026 → 01.12.2026" in notice.text
        assert "Автор изменения: Лучшева Лидия" in notice.text
        assert "📋 Открыть программу" in user.buttons(notice)
    assert not [m for m in lidia.messages() + curator.messages() if "Изменение в программе" in (m.text or "")]
    reply = await anna.press("📋 Открыть программу")
    assert "Посетить урок наставника — до 01.12.2026" in reply.text


async def test_a_mentee_rewrites_an_expected_result_markup_kept_as_text_too_long_refused(emulator, db, bot_app, clock):
    w = await gymnasium(emulator, db)
    anna, lidia = w.users[701], w.users[711]
    await group_with_program(db, clock, w)
    await anna.send("/program")
    await anna.press("✏️ Исправить план")
    await anna.press("✏️ 2. Провести открытый урок")
    await anna.press("Ожидаемый результат")
    assert "Слишком длинно" in (await anna.send("я" * 1200)).text
    assert (await _items(db))[1][2] == "Самоанализ урока"  # refused: nothing changed, the question stands
    reply = await anna.send("<b>Самоанализ</b> & видеозапись")
    assert "Пункт плана изменён" in reply.text
    notice = await wait_text(lidia, "Изменение в программе наставничества")
    assert "ожидаемый результат «Самоанализ урока» → «<b>Самоанализ</b> & видеозапись" in notice.text
    assert "Автор изменения: Алексеева Анна" in notice.text
    assert (await _items(db))[1][2] == "<b>Самоанализ</b> & видеозапись"


async def test_deleting_an_item_keeps_it_in_the_history_and_the_journal_keeps_its_meeting(emulator, db, bot_app,
                                                                                           clock):
    w = await gymnasium(emulator, db)
    anna, lidia = w.users[701], w.users[711]
    group_id, _ = await group_with_program(db, clock, w)
    async with db() as session:
        third = await session.scalar(select(PlanItem.id).where(PlanItem.activity == "Разработать КИМ"))
        session.add(MeetingLog(mentorship_id=group_id, logged_by_id=w.ids[711], held_on=START.date(),
                               duration_minutes=45, format=MeetingFormat.IN_PERSON, topic="КИМ", summary="Начали",
                               plan_item_id=third))
        await session.commit()
    await lidia.send("/program")
    await lidia.press("✏️ Исправить план")
    await lidia.press("✏️ 3. Разработать КИМ")
    reply = await lidia.press("🗑 Удалить пункт")
    assert "Удалить из плана пункт «Разработать КИМ»?" in reply.text
    reply = await lidia.press("Нет")
    assert "Срок: 30.12.2026" in reply.text  # back to the item, nothing deleted
    await lidia.press("🗑 Удалить пункт")
    reply = await lidia.press("🗑 Да, удалить")
    assert "Пункт удалён из плана" in reply.text and "Разработать КИМ" not in reply.text
    notice = await wait_text(anna, "Изменение в программе")
    assert "удалён пункт плана «Разработать КИМ» (срок 30.12.2026)" in notice.text
    assert [a for a, _, _ in await _items(db)] == ["Посетить урок наставника", "Провести открытый урок"]
    async with db() as session:
        meeting = await session.scalar(select(MeetingLog))
        assert meeting.plan_item_id is None and meeting.topic == "КИМ"
        change = await session.scalar(select(ProgramChange))
        assert change.kind == ProgramChangeKind.ITEM_DELETED and change.changed_by_id == w.ids[711]
        assert json.loads(change.before) == {"activity": "Разработать КИМ", "due": "2026-12-30",
                                             "expected": "Комплект заданий"}
    reply = await lidia.press_data(ItemEditCb(item=third, action=ItemEditAction.DELETE_CONFIRMED).pack())
    assert reply.alerts  # pressed twice: answered, nothing more happens
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(ProgramChange)) == 1


async def test_the_history_lists_every_change_with_its_author_and_time(emulator, db, bot_app, clock):
    w = await gymnasium(emulator, db)
    curator, anna = w.users[700], w.users[701]
    await group_with_program(db, clock, w)
    async with db() as session:
        first, second = (await session.scalars(select(PlanItem.id).order_by(PlanItem.due_date).limit(2))).all()
    now = clock.now()
    await as_person(db, 711, svc.edit_item, first, ProgramChangeKind.ITEM_ACTIVITY, "Посетить два урока", now, I18N)
    await as_person(db, 701, svc.delete_item, second, now, I18N)
    await anna.send("/program")
    await anna.press("🎯 Изменить цели")
    reply = await anna.send("Освоить инклюзивные практики")
    assert "Цели программы изменены" in reply.text and "Цели: Освоить инклюзивные практики" in reply.text
    await curator.send("/program")
    await curator.press(lambda text: "Лучшева" in text)
    reply = await curator.press("🕘 История изменений")
    assert "История изменений программы" in reply.text
    lines = [line for line in reply.text.splitlines() if line.startswith("•")]
    assert len(lines) == 3
    assert lines[0].startswith("• 23.11.2026 12:00, Алексеева Анна: цели «Освоить <инклюзивные> практики & оценивание»")
    assert "Алексеева Анна: удалён пункт плана «Провести открытый урок» (срок 26.11.2026)" in lines[1]
    assert "Лучшева Лидия: мероприятие «Посетить урок наставника» → «Посетить два урока»" in lines[2]
    assert "✏️ Исправить план" not in curator.buttons()  # the plan is the participants'


async def test_the_curator_changes_the_form_and_kind_and_only_the_curator_may(emulator, db, bot_app, clock):
    w = await gymnasium(emulator, db)
    curator, anna, lidia = w.users[700], w.users[701], w.users[711]
    group_id, _ = await group_with_program(db, clock, w)
    await curator.send("/program")
    await curator.press(lambda text: "Лучшева" in text)
    reply = await curator.press("🔧 Форма и вид")
    assert "• педагог – педагог" in curator.buttons()
    await curator.press("школа – школа")
    assert "• групповое" in " ".join(curator.buttons())
    reply = await curator.press("виртуальное")
    assert "Форма и вид наставничества изменены" in reply.text and "школа – школа · виртуальное" in reply.text
    for user in (anna, lidia):
        notice = await wait_text(user, "Изменение в программе")
        assert "форма наставничества: педагог – педагог → школа – школа" in notice.text
        assert "Автор изменения: Куратор Кира Константиновна" in notice.text
    async with db() as session:
        m = await session.get(Mentorship, group_id)
        assert (m.form, m.kind) == (MentoringForm.SCHOOL_SCHOOL, MentoringKind.VIRTUAL)
        assert await session.scalar(select(func.count()).select_from(ProgramChange)) == 2  # form, kind
    forged = FormChangeCb(mentorship=group_id, form=MentoringForm.TEACHER_TEACHER).pack()
    assert "куратор" in (await lidia.press_data(forged)).alerts[0].lower()
    reply = await curator.press_data(KindChangeCb(mentorship=w.busy_id, form=MentoringForm.TEACHER_TEACHER,
                                                  kind=MentoringKind.GROUP).pack())
    assert "для группы из двух и более" in reply.alerts[0]


async def test_a_done_item_and_someone_elses_program_cannot_be_corrected(emulator, db, bot_app, clock):
    w = await gymnasium(emulator, db)
    lidia, zakhar = w.users[711], w.users[712]
    await group_with_program(db, clock, w)
    async with db() as session:
        first = await session.scalar(select(PlanItem.id).order_by(PlanItem.due_date).limit(1))
    await as_person(db, 711, svc.complete_item, first, note=None, now=clock.now())
    await lidia.send("/program")
    await lidia.press("✏️ Исправить план")
    assert not [b for b in lidia.buttons() if "Посетить урок наставника" in b]  # done: a record, not a draft
    reply = await lidia.press_data(ItemEditCb(item=first, action=ItemEditAction.DUE).pack())
    assert "уже выполнен" in reply.alerts[0]
    await zakhar.send("/help")
    reply = await zakhar.press_data(ItemEditCb(item=first + 1, action=ItemEditAction.MENU).pack())
    assert reply.alerts and "Срок" not in reply.text
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(ProgramChange)) == 0
        assert (await session.scalar(select(Program))).goals.startswith("Освоить")
