"""End to end: /documents, DOCX files read back with python-docx: a pair's personalised program (its plan
table is the program's items, hostile texts printed as typed), the order fixing exactly the pairs approved
in its period, an organisation's own template in place of the shipped one, and who may get which."""
from __future__ import annotations

import io
import os
from datetime import date

from docx import Document
from sqlalchemy import select, update

from bot.handlers.documents.callbacks import (
    DocumentCb,
    DocumentKind,
    MentorDocument,
    MentorDocumentCb,
    MentorsPageCb,
    PeriodChoice,
    RoadmapField,
    RoadmapFieldCb,
)
from bot.services import approvals, documents
from bot.services import mentorships as svc
from bot.services.organizations import create_organization
from db.models import (
    Approval,
    ApprovalKind,
    ApprovalStatus,
    HelpRequest,
    HelpRequestStatus,
    MeetingConfirmation,
    MeetingFormat,
    MeetingLog,
    Organization,
    Person,
    PlanItem,
    ReplacementGround,
    Role,
)
from tests.conftest import START
from tests.emulator import ScriptedUser
from tests.factories import (
    I18N,
    agreed_group,
    as_person,
    group_with_program,
    gymnasium,
    open_school_chats,
    school_person,
    seed,
    seed_school,
)

HOSTILE = '<b>Урок</b> & «кавычки» "двойные" ' + "я" * 960
NAME = '<script>alert(1)</script> О\'Нил "Богдан" & ' + "Б" * 150  # a full name holds 200 characters


def _docx(emulator, reply):
    message = next(m for m in reply.messages if m.document)
    return Document(io.BytesIO(emulator._files[message.document["file_id"]]))


async def test_the_program_docx_has_the_plan_as_its_table_and_prints_any_text_as_typed(emulator, db, bot_app,
                                                                                      clock):
    w = await gymnasium(emulator, db)
    lidia = w.users[711]
    _, program_id = await group_with_program(db, clock, w)
    await as_person(db, 711, svc.add_item, program_id, activity=HOSTILE, due=date(2026, 12, 20),
                    expected="Анализ <i>урока</i>", now=clock.now())
    async with db() as session:  # a hostile name: markup, quotes, a thousand characters
        await session.execute(update(Person).where(Person.id == w.ids[702]).values(full_name=NAME))
        await session.commit()
    await lidia.send("/documents")
    reply = await lidia.press(lambda text: text.startswith("📄 Программа"))
    doc = _docx(emulator, reply)
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "Гимназия № 3" and "ПЕРСОНАЛИЗИРОВАННАЯ ПРОГРАММА НАСТАВНИЧЕСТВА" in texts
    sections = [line for line in texts if line[:2] in ("1.", "2.", "3.", "4.", "5.")]
    assert sections == ["1. Участники программы", "2. Форма, вид и срок реализации",
                        "3. Цели и направления наставнической деятельности", "4. План мероприятий"]  # none rated
    assert not any(line.startswith("УТВЕРЖДЕНА") for line in texts)  # no head here: nothing approved it
    assert f"Наставляемые ____________________ / Алексеева Анна, {NAME}, Васильева Вера" in texts
    assert "Цели: Освоить <инклюзивные> практики & оценивание" in texts
    people = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert people[0] == ["Роль", "ФИО", "Должность", "Предмет", "Стаж, лет"]
    assert [r[:2] for r in people[1:]] == [["наставник", "Лучшева Лидия"], ["наставляемый", "Алексеева Анна"],
                                          ["наставляемый", NAME], ["наставляемый", "Васильева Вера"]]
    async with db() as session:
        items = (await session.scalars(select(PlanItem).order_by(PlanItem.due_date, PlanItem.id))).all()
    rows = [[c.text for c in row.cells] for row in doc.tables[1].rows]
    assert rows[0] == ["№", "Мероприятие", "Срок", "Ожидаемый результат", "Выполнено", "Отметка"]
    assert rows[1:] == [[str(n), i.activity, i.due_date.strftime("%d.%m.%Y"), i.expected_result, "Нет", ""]
                        for n, i in enumerate(items, start=1)]
    assert HOSTILE in [r[1] for r in rows]  # markup, quotes and a thousand characters, literally


async def test_the_order_lists_exactly_the_pairs_approved_in_the_period_chosen(emulator, db, bot_app, clock):
    w = await gymnasium(emulator, db)
    await seed(db, w.org_id, 706, "Директор Дмитрий", Role.HEAD)
    emulator.open_chat(706, "Дмитрий")
    curator = w.users[700]
    group = await agreed_group(db, clock, w)  # waits for the head
    async with db() as session:
        approval = await session.scalar(select(Approval.id).where(Approval.mentorship_id == group))
    await as_person(db, 706, approvals.approve, approval, clock.now(), I18N)
    async with db() as session:  # an order of the last school year, which this one does not list
        session.add(Approval(organization_id=w.org_id, mentorship_id=w.busy_id, kind=ApprovalKind.PAIR, status=ApprovalStatus.APPROVED,
                             order_number="7-о", order_date=date(2026, 5, 12), requested_at=clock.now()))
        await session.commit()
    await curator.send("/documents")
    reply = await curator.press(lambda text: text.startswith("📜 Приказ о закреплении"))
    assert "За какой период" in reply.text
    reply = await curator.press("📅 Этот учебный год (с 1 сентября по сегодня)")
    assert "за период 01.09.2026 — 23.11.2026" in next(m for m in reply.messages if m.document).caption
    doc = _docx(emulator, reply)
    assert "Период: 01.09.2026 — 23.11.2026" in [p.text for p in doc.paragraphs]
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows[1:] == [["1", "23.11.2026", "Лучшева Лидия", "Алексеева Анна, Борисов Богдан, Васильева Вера",
                         "педагог – педагог", "групповое"]]
    await curator.send("/documents")
    await curator.press(lambda text: text.startswith("📜 Приказ о закреплении"))
    doc = _docx(emulator, await curator.press("📅 Прошлый учебный год"))
    assert "Период: 01.09.2025 — 31.08.2026" in [p.text for p in doc.paragraphs]
    assert [[c.text for c in row.cells][:2] for row in doc.tables[0].rows][1:] == [["7-о", "12.05.2026"]]
    await curator.send("/documents")
    await curator.press(lambda text: text.startswith("📜 Приказ о закреплении"))
    await curator.press("✏️ Другой период…")
    for wrong in ("вчера", "31.12.2026 — 01.09.2026", "01.01.2020 — 01.01.2026", "32.01.2026 — 01.02.2026"):
        assert "Не получилось прочитать период" in (await curator.send(wrong)).text  # and the dialog goes on
    doc = _docx(emulator, await curator.send("01.05.2026 - 23.11.2026"))
    assert [[c.text for c in row.cells][0] for row in doc.tables[0].rows][1:] == ["7-о", "1"]
    async with db() as session:  # the approved group's program carries the head's order
        program = await session.scalar(select(Approval.order_number).where(Approval.mentorship_id == group))
    program_id = await as_person(db, 711, svc.create_program, group, goals="Цели", months=6, now=clock.now(),
                                 i18n=I18N)
    assert program_id
    await w.users[711].send("/documents")
    doc = _docx(emulator, await w.users[711].press(lambda text: text.startswith("📄 Программа")))
    assert f"УТВЕРЖДЕНА приказом № {program} от 23.11.2026" in [p.text for p in doc.paragraphs]


async def test_an_organisations_own_template_replaces_the_shipped_one(emulator, db, bot_app, clock, tmp_path):
    w = await gymnasium(emulator, db)
    lidia = w.users[711]
    await group_with_program(db, clock, w)
    own = Document()
    own.add_paragraph("Бланк гимназии: {{ org }}; наставник {{ mentor }}; пунктов плана: {{ items|length }}")
    (tmp_path / str(w.org_id)).mkdir()
    own.save(tmp_path / str(w.org_id) / "program.docx")
    bot_app.dispatcher["settings"].document_templates_dir = tmp_path
    await lidia.send("/documents")
    doc = _docx(emulator, await lidia.press(lambda text: text.startswith("📄 Программа")))
    assert [p.text for p in doc.paragraphs] == ["Бланк гимназии: Гимназия № 3; наставник Лучшева Лидия; "
                                                "пунктов плана: 3"]


async def test_nobody_gets_another_pairs_program_and_only_curators_and_heads_get_the_order(emulator, db, bot_app,
                                                                                          clock):
    w = await gymnasium(emulator, db)
    gleb, lidia = w.users[704], w.users[711]
    group, _ = await group_with_program(db, clock, w)
    await gleb.send("/documents")
    assert not [b for b in gleb.buttons() if "Лучшева" in b]
    reply = await gleb.press_data(DocumentCb(kind=DocumentKind.PROGRAM, target=group).pack())
    assert reply.alerts and not [m for m in reply.messages if m.document]
    await lidia.send("/documents")
    reply = await lidia.press_data(DocumentCb(kind=DocumentKind.PAIRS_ORDER, target=w.org_id).pack())
    assert "куратор и руководитель" in reply.alerts[0]
    reply = await gleb.press_data(DocumentCb(kind=DocumentKind.PROGRAM, target=w.busy_id).pack())
    assert "ещё не составлена" in reply.alerts[0]  # his own pair has no program yet: said so, nothing sent


async def test_the_mentors_journal_docx_lists_the_school_years_meetings_hours_and_confirmations(emulator, db,
                                                                                               bot_app, clock):
    w = await gymnasium(emulator, db)
    lidia = w.users[711]
    group, _ = await group_with_program(db, clock, w)
    async with db() as session:
        for held_on, minutes, topic in ((date(2026, 8, 20), 30, "Прошлый год"), (date(2026, 11, 10), 60, "Разбор <урока>"),
                                        (date(2026, 11, 20), 45, "КИМ")):
            meeting = MeetingLog(mentorship_id=group, logged_by_id=w.ids[711], held_on=held_on,
                                 duration_minutes=minutes, format=MeetingFormat.IN_PERSON, topic=topic, summary="Итоги")
            session.add(meeting)
            await session.flush()
            for n, mentee in enumerate((701, 702, 703)):
                session.add(MeetingConfirmation(meeting_id=meeting.id, person_id=w.ids[mentee],
                                                confirmed_at=clock.now() if n < 2 else None))
        await session.commit()
    await lidia.send("/documents")
    await lidia.press(lambda text: text.startswith("📒 Журнал"))
    doc = _docx(emulator, await lidia.press(lambda text: text.startswith("📅 Этот учебный год")))
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows[1:] == [["1", "10.11.2026", "1,0", "очно", "Разбор <урока>", "Итоги", "—", "2 из 3"],
                        ["2", "20.11.2026", "0,8", "очно", "КИМ", "Итоги", "—", "2 из 3"]]
    texts = [p.text for p in doc.paragraphs]
    assert "Период: 01.09.2026 — 23.11.2026" in texts and "Встреч: 2; часов: 1,8" in texts
    await lidia.send("/documents")
    await lidia.press(lambda text: text.startswith("📒 Журнал"))
    await lidia.press("✏️ Другой период…")
    doc = _docx(emulator, await lidia.send("01.08.2026 — 31.08.2026"))
    assert [[c.text for c in row.cells][4] for row in doc.tables[0].rows][1:] == ["Прошлый год"]
    gleb = w.users[704]  # another pair's journal, whatever the period
    await gleb.send("/documents")
    forged = DocumentCb(kind=DocumentKind.JOURNAL, target=group, period=PeriodChoice.LAST_YEAR).pack()
    assert (await gleb.press_data(forged)).alerts


async def test_the_final_report_has_summarys_figures_the_programs_the_chart_and_the_conclusions(emulator, db,
                                                                                                bot_app, clock):
    w = await gymnasium(emulator, db)
    curator = w.users[700]
    await group_with_program(db, clock, w)
    summary_lines = [line for line in (await curator.send("/summary")).messages[0].text.splitlines()
                     if line.startswith("•")]
    await curator.send("/documents")
    await curator.press(lambda text: text.startswith("📊 Итоговый"))
    doc = _docx(emulator, await curator.send("Наставничество <работает> & растёт"))
    texts = [p.text for p in doc.paragraphs]
    figures = [line for line in texts if line.startswith("•")]
    assert figures and all(line in figures for line in summary_lines if "(МП" in line or "программ" in line)
    assert "Наставничество <работает> & растёт" in texts  # the conclusions, as typed
    assert any(line.startswith("МПн/МПо × 100 %") for line in texts)
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows[1][1] == "Лучшева Лидия → Алексеева Анна, Борисов Богдан, Васильева Вера" and rows[1][2] == "действует"
    assert len(doc.inline_shapes) == 1  # the weekly chart
    await w.users[711].send("/documents")
    assert "куратор и руководитель" in (await w.users[711].press_data(
        DocumentCb(kind=DocumentKind.REPORT_PLAIN, target=w.org_id).pack())).alerts[0]


async def test_a_mentors_portfolio_and_the_heads_letter_of_thanks_and_who_gets_them(emulator, db, bot_app):
    org_id, p = await seed_school(db, "Школа № 7", "Europe/Moscow", 3100)
    open_school_chats(emulator, 3100)
    mentor, head, curator = (ScriptedUser(emulator, 3100 + offset, name) for offset, name in
                             ((10, "Первый"), (1, "Директор"), (0, "Куратор")))
    async with db() as session:
        meeting = MeetingLog(mentorship_id=p["pair"], logged_by_id=p["m1"], held_on=date(2026, 11, 18),
                             duration_minutes=60, format=MeetingFormat.ONLINE, topic="Тема", summary="Итоги")
        session.add(meeting)
        await session.flush()
        session.add(MeetingConfirmation(meeting_id=meeting.id, person_id=p["e1"], confirmed_at=START))
        await session.execute(update(HelpRequest).where(HelpRequest.mentor_id == p["m1"],
                                                        HelpRequest.status == HelpRequestStatus.CLOSED).values(rating=5))
        await session.commit()
    await mentor.send("/documents")
    portfolios = [b for b in mentor.buttons() if b.startswith("🗂")]
    assert portfolios == ["🗂 Моё портфолио наставника"]  # only her own
    doc = _docx(emulator, await mentor.press(portfolios[0]))
    texts = [x.text for x in doc.paragraphs]
    assert "Проведено встреч, подтверждённых наставляемыми: 1; часов: 1,0" in texts
    assert "Запросов о помощи с ответом наставника: 2; оценено: 2, средняя оценка: 5,0 из 5" in texts
    assert "Завершённых программ наставничества: 1" in texts
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows[1:] == [["1", "Наставник Первый → Глеб Четвёртый", "—", "—", "—"]]
    for n in range(9):  # a page holds eight mentors, by name
        await school_person(db, org_id, 3150 + n, f"Ястребова {n}", Role.MENTOR, young=False)
    await head.send("/documents")
    reply = await head.press("🗂 Портфолио наставников: Школа № 7")
    assert "стр. 1 из 2" in reply.text and head.buttons()[-1] == "▶"
    assert "✉️ Благодарственное письмо: Наставник Первый" in head.buttons()
    reply = await head.press("▶")
    assert "стр. 2 из 2" in reply.text and [b for b in head.buttons() if b.startswith("🗂")] == [
        f"🗂 Портфолио наставника: Ястребова {n}" for n in (6, 7, 8)]  # the school's two, then six of nine
    await head.press("◀")
    doc = _docx(emulator, await head.press("✉️ Благодарственное письмо: Наставник Первый"))
    assert "Уважаемый(ая) Наставник Первый!" in [x.text for x in doc.paragraphs]
    other = MentorDocumentCb(org=org_id, person=p["m2"], kind=MentorDocument.PORTFOLIO).pack()
    assert (await mentor.press_data(other)).alerts  # another mentor's portfolio
    assert (await mentor.press_data(MentorsPageCb(org=org_id, page=0).pack())).alerts  # and the list of them
    await curator.send("/documents")
    await curator.press("🗂 Портфолио наставников: Школа № 7")
    assert not [b for b in curator.buttons() if b.startswith("✉️")]  # the head issues letters
    thanks = MentorDocumentCb(org=org_id, person=p["m1"], kind=MentorDocument.THANKS).pack()
    assert "куратор и руководитель" in (await curator.press_data(thanks)).alerts[0]  # the head issues it


async def test_the_coordinators_report_has_each_organisation_and_the_total_and_nothing_personal(emulator, db,
                                                                                               bot_app):
    async with db() as session:
        region = (await create_organization(session, "Управление образования", "Europe/Moscow")).id
    school_a, a = await seed_school(db, "Школа № 1", "Europe/Moscow", 3300)
    school_b, _ = await seed_school(db, "Школа № 2", "Europe/Moscow", 3500)
    async with db() as session:
        await session.execute(update(Organization).where(Organization.id.in_([school_a, school_b]))
                              .values(parent_id=region))
        await session.commit()
    await school_person(db, region, 3900, "Координатор Мария", Role.COORDINATOR, young=False)
    coordinator = ScriptedUser(emulator, 3900, "Мария")
    emulator.open_chat(coordinator.id, coordinator.first_name)
    await coordinator.send("/documents")
    assert coordinator.buttons() == ["📊 Сводный отчёт по организациям"]  # no pair's, nobody's documents
    summary_total = (await coordinator.send("/summary")).messages[0].text
    await coordinator.send("/documents")
    doc = _docx(emulator, await coordinator.press("📊 Сводный отчёт по организациям"))
    texts = [x.text for x in doc.paragraphs]
    assert "Организаций: 2. Дата: 23.11.2026" in texts
    shares = [line for line in texts if line.startswith("• Доля")]
    assert shares and all(line in summary_total for line in shares)  # the total, as /summary words it
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert [r[0] for r in rows[1:]] == ["Школа № 1", "Школа № 2"]
    whole = "\n".join(texts + [c for r in rows for c in r])
    assert not any(name in whole for name in ("Алина Первая", "Наставник Первый", "Куратор Ольга"))
    program = DocumentCb(kind=DocumentKind.PROGRAM, target=a["pair"]).pack()
    assert (await coordinator.press_data(program)).alerts  # a coordinator never gets a personal document


async def test_a_pdf_comes_along_where_libreoffice_is_installed(emulator, db, bot_app, clock, tmp_path, monkeypatch):
    """A stand-in `soffice` on PATH, called as LibreOffice is (--headless --convert-to pdf --outdir DIR FILE)."""
    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\nprintf "%%PDF-1.4 stand-in" > "$5/document.pdf"\n')  # $5: the --outdir
    fake.chmod(0o755)
    w = await gymnasium(emulator, db)
    lidia = w.users[711]
    await group_with_program(db, clock, w)
    await lidia.send("/documents")
    reply = await lidia.press(lambda text: text.startswith("📄 Программа"))
    assert [m.document["file_name"].rsplit(".", 1)[1] for m in reply.messages if m.document] == ["docx"]  # none here
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")
    await lidia.send("/documents")
    reply = await lidia.press(lambda text: text.startswith("📄 Программа"))
    files = [m.document for m in reply.messages if m.document]
    assert [f["file_name"].rsplit(".", 1)[1] for f in files] == ["docx", "pdf"]
    assert emulator._files[files[1]["file_id"]].startswith(b"%PDF")


async def test_the_road_map_is_proposed_edited_in_the_chat_and_printed_as_edited(emulator, db, bot_app, clock):
    w = await gymnasium(emulator, db)
    curator, lidia = w.users[700], w.users[711]
    await curator.send("/documents")
    reply = await curator.press("🗺 Дорожная карта: Гимназия № 3")
    assert "1. Подготовка условий для запуска программы наставничества — сентябрь 2026; Куратор Кира" \
           in reply.text and "Сейчас: пар и групп сформировано: 1." in reply.text
    await curator.press("✏️ 5")
    await curator.press("Сроки")
    assert "от 1 до 200" in (await curator.send("я" * 201)).text
    reply = await curator.send("1–20 октября 2026 <года>")
    assert "Сохранено" in reply.text and "5. Создание наставнических пар (групп) — 1–20 октября 2026 <года>" in reply.text
    doc = _docx(emulator, await curator.press("📄 Получить DOCX"))
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert len(rows) == 11 and rows[5] == ["5", "Создание наставнических пар (групп)", "1–20 октября 2026 <года>",
                                           "Куратор Кира Константиновна", "пар и групп сформировано: 1"]
    assert "ДОРОЖНАЯ КАРТА РЕАЛИЗАЦИИ ПРОГРАММЫ НАСТАВНИЧЕСТВА НА 2026/2027 УЧЕБНЫЙ ГОД" in [p.text for p in doc.paragraphs]
    english = await as_person(db, 700, documents.roadmap, w.org_id, clock.now(), I18N.get("en"))
    assert english.stages[0].title == "Preparing the conditions to launch the mentoring program"
    assert english.stages[4].result == "pairs and groups formed: 1" and english.stages[6].dates.startswith("October")
    await lidia.send("/help")
    forged = RoadmapFieldCb(org=w.org_id, stage=1, field=RoadmapField.DATES).pack()
    assert "куратор" in (await lidia.press_data(forged)).alerts[0].lower()


async def test_the_order_on_a_mentors_replacement_lists_the_approved_replacements(emulator, db, bot_app, clock):
    w = await gymnasium(emulator, db)
    await seed(db, w.org_id, 706, "Директор Дмитрий", Role.HEAD)
    emulator.open_chat(706, "Дмитрий")
    curator = w.users[700]
    group = await agreed_group(db, clock, w)
    async with db() as session:
        pair_approval = await session.scalar(select(Approval.id).where(Approval.mentorship_id == group))
    await as_person(db, 706, approvals.approve, pair_approval, clock.now(), I18N)
    await as_person(db, 700, svc.replace_mentor, group, new_mentor_id=w.ids[712], ground=ReplacementGround.LONG_ABSENCE,
                    now=clock.now(), i18n=I18N)
    async with db() as session:
        replacement = await session.scalar(select(Approval.id).where(Approval.kind == ApprovalKind.REPLACEMENT))
    await as_person(db, 706, approvals.approve, replacement, clock.now(), I18N, order="21-о 23.11.2026")
    await curator.send("/documents")
    await curator.press("📜 Приказ о замене наставника: Гимназия № 3")
    doc = _docx(emulator, await curator.press(lambda text: text.startswith("📅 Этот учебный год")))
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows[1][:5] == ["21-о", "23.11.2026", "Алексеева Анна, Борисов Богдан, Васильева Вера", "Лучшева Лидия",
                           "Запасов Захар"]
    assert rows[1][5].startswith("длительное отсутствие") and len(rows) == 2
