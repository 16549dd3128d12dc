"""End to end: a curator's summary whose every figure matches a seeded organisation, its buttons to the
items that need attention, the staff numbers; the export opened with openpyxl and checked cell by cell,
and the registry CSV; a coordinator's totals equal the sum of their two organisations; nobody sees
another organisation; the weekly digest at each organisation's local Monday 08:00 (clock advanced)."""
from __future__ import annotations

import asyncio
import csv
import io
from dataclasses import dataclass
from datetime import datetime, timezone

from openpyxl import load_workbook
from sqlalchemy import update

from bot.handlers.common.callbacks import OrgPickCb
from bot.handlers.coordinators.callbacks import RegionOrgCb
from bot.handlers.exports.callbacks import ExportCb, ExportPeriod
from bot.handlers.summary.callbacks import SummaryRequestCb
from bot.services import summary
from bot.services.organizations import create_organization
from bot.services.summary.queries import ATTENTION_SHOWN
from db.models import (
    HelpRequestStatus,
    MentoringKind,
    MentorshipStatus,
    Organization,
    Person,
    Role,
)
from tests.conftest import START, recorded_statements
from tests.emulator import ScriptedUser
from tests.factories import (
    as_person,
    open_school_chats,
    school_pair,
    school_person,
    school_request,
    seed_school,
    wait_text,
)

SUMMARY_LINES = [
    "Участники: наставляемых 5, наставников 2, кураторов 1, руководителей 1",
    "Наставляемые по категориям: молодой педагог — 3, новый педагог в коллективе — 1, опытный педагог, "
    "осваивающий новую технологию — 1",
    "• Доля педагогов в программах наставничества (МПн/МПо): 55,6% — 5 из 9 (по зарегистрированным в боте",
    "• Доля молодых педагогов (до 35 лет, в первые 3 года работы), охваченных наставничеством (МПм/МПо): "
    "50,0% — 2 из 4 (по",
    "• Персонализированных программ: 3 (действуют: 2)",
    "• Действующих пар и групп: 2; формы: педагог – педагог — 2; виды: групповое — 1, традиционное (один на один) — 1",
    "• В этом месяце: встреч 2, часов 1,8; запросов о помощи 3, медиана до первого ответа 60 мин.",
    "• Запросы о помощи сейчас: открыто 2, просрочено 1",
    "• Опросы: запущено 2, ответили 4 из 9 (44,4%), средняя удовлетворённость 7,50 из 10",
    "⏰ Просроченные пункты планов: 1",
    "🆘 Запросы о помощи, которые никто не взял: 1",
    "💤 Пары и группы без встреч 30 дней: 1",
    "📅 Программы, которые заканчиваются в ближайшие 30 дней: 1",
    "🚫 Недоступны (заблокировали бота): 1",
    "🧑‍🎓 Наставляемые без пары (ждут наставника): 2",
]


@dataclass
class Region:
    region: int
    org_a: int
    a: dict[str, int]
    curator: ScriptedUser  # Школа № 1's
    other: ScriptedUser  # Школа № 2's curator
    coordinator: ScriptedUser
    mentee: ScriptedUser


async def two_schools(emulator, db, *, staff: bool = False) -> Region:
    """Two schools as seed_school makes them under one region with its coordinator; `staff`: Школа № 1's
    staff numbers set (40 teachers, 10 of them young) as its curator types them in /summary."""
    async with db() as session:
        region = (await create_organization(session, "Управление образования", "Europe/Moscow")).id
    org_a, a = await seed_school(db, "Школа № 1", "Europe/Moscow", 1500)
    org_b, _ = await seed_school(db, "Школа № 2", "Europe/Moscow", 1700)
    async with db() as session:
        await session.execute(update(Organization).where(Organization.id.in_([org_a, org_b])).values(parent_id=region))
        await session.commit()
    await school_person(db, region, 1900, "Координатор Мария", Role.COORDINATOR, young=False)
    if staff:
        await as_person(db, 1500, summary.set_staff, org_a, 40, 10)
    users = {tid: ScriptedUser(emulator, tid, name) for tid, name in
             [(1500, "Ольга"), (1700, "Ольга-2"), (1900, "Мария"), (1520, "Алина")]}
    for user in users.values():
        emulator.open_chat(user.id, user.first_name)
    return Region(region, org_a, a, users[1500], users[1700], users[1900], users[1520])


async def test_a_curators_summary_has_every_figure_and_a_button_to_each_item_that_needs_attention(
        emulator, db, bot_app):
    w = await two_schools(emulator, db)
    curator = w.curator
    reply = await curator.send("/summary")
    text = reply.text
    assert "Сводка: Школа № 1" in text
    for line in SUMMARY_LINES:
        assert line in text, (line, text)
    card = reply.messages[0]
    # a button to each item that needs attention
    labels = curator.buttons(card)
    assert "⏰ Алина Первая → …" not in labels
    assert any(label.startswith("⏰ Наставник Первый → Алина Первая: Открытый урок") for label in labels), labels
    reply = await curator.press(lambda label: label.startswith("🆘"), card)
    assert "Запрос №" in reply.text and "Как вести <урок>?" in reply.text and "Вера Третья" in reply.text
    reply = await curator.press(lambda label: label.startswith("💤"), card)
    assert "Наставник Первый" in reply.text  # the pair's journal, in place of the summary
    card = (await curator.send("/summary")).messages[0]
    reply = await curator.press(lambda label: label.startswith("🚫"), card)
    assert "Дарья Пятая" in reply.text
    card = (await curator.send("/summary")).messages[0]
    unpaired = [label for label in curator.buttons(card) if label.startswith("🧑‍🎓")]
    assert unpaired[0] == "🧑‍🎓 Глеб Четвёртый (с 23.11.2026)"  # since his pair ended; she joined later
    assert unpaired[1].startswith("🧑‍🎓 Дарья Пятая (с ")
    reply = await curator.press("🧑‍🎓 Дарья Пятая", card)
    assert "Наставники для: Дарья Пятая" in reply.text  # one press from the list to pairing her



async def test_young_teachers_are_those_under_35_in_their_first_3_years(emulator, db, bot_app):
    """Seed 001's МПм: a mentee under 35 with 5 years of work is not a young teacher; with 2 years, she is."""
    w = await two_schools(emulator, db)
    line = "охваченных наставничеством (МПм/МПо): {} — {} из {}"
    assert line.format("50,0%", 2, 4) in (await w.curator.send("/summary")).text  # all four young ones: 2 years
    async with db() as session:  # Борис Второй (in the group) has worked 5 years
        await session.execute(update(Person).where(Person.id == w.a["e2"]).values(experience_years=5))
        await session.commit()
    assert line.format("33,3%", 1, 3) in (await w.curator.send("/summary")).text
    async with db() as session:  # and Алина Первая's experience is unknown: not counted
        await session.execute(update(Person).where(Person.id == w.a["e1"]).values(experience_years=None))
        await session.commit()
    assert line.format("0,0%", 0, 2) in (await w.curator.send("/summary")).text


async def test_the_real_numbers_of_teachers_make_the_shares(emulator, db, bot_app):
    w = await two_schools(emulator, db)
    curator = w.curator
    await curator.send("/summary")
    await curator.press("👥 Число педагогов")
    assert "два целых числа" in (await curator.send("сорок")).text
    assert "не больше общего" in (await curator.send("10 40")).text
    reply = await curator.send("40 10")
    assert "(МПн/МПо): 12,5% — 5 из 40" in reply.text and "(МПм/МПо): 20,0% — 2 из 10" in reply.text



async def test_nobody_reads_another_organisations_summary_nor_forges_a_button_to_it(emulator, db, bot_app):
    w = await two_schools(emulator, db)
    mentee, other, org_a = w.mentee, w.other, w.org_a
    assert "для куратора" in (await mentee.send("/summary")).text
    await other.send("/summary")
    assert "не ваша организация" in (await other.press_data(OrgPickCb(org=org_a, purpose="summary").pack())).alerts[0]
    assert "не ваша организация" in (await other.press_data(ExportCb(org=org_a, period=ExportPeriod.ALL).pack())).alerts[0]
    assert "не ваша организация" in (await other.press_data(SummaryRequestCb(request=1).pack())).alerts[0]



async def test_the_export_is_this_months_workbook_cell_by_cell_and_the_registry(emulator, db, bot_app):
    w = await two_schools(emulator, db, staff=True)
    curator, a = w.curator, w.a
    await curator.send("/export")
    await curator.press("📥 Школа № 1")
    reply = await curator.press("Этот месяц")
    documents = [m for m in reply.messages if m.document]
    assert [d.document["file_name"].split("-")[0] for d in documents] == ["export", "registry"]
    book = load_workbook(io.BytesIO(emulator._files[documents[0].document["file_id"]]))
    assert book.sheetnames == ["Участники", "Пары и группы", "Программы", "Пункты планов", "Встречи",
                               "Запросы о помощи", "Скоростные встречи", "Опросы", "Показатели"]
    rows = list(book["Участники"].iter_rows(values_only=True))
    assert rows[0] == ("ФИО", "Роль", "Должность", "Предмет", "Стаж, лет", "До 35 лет", "Категория",
                       "Готов взять наставляемых", "В системе с", "Недоступен с")
    assert len(rows) == 10
    assert ("Дарья Пятая", "наставляемый", "учитель", "математика", 5, "Нет", "молодой педагог", None) == rows[5][:8]
    assert rows[5][9] == "23.11.2026 12:00"  # Moscow time
    rows = list(book["Пары и группы"].iter_rows(values_only=True))
    assert rows[1][:6] == (a["pair"], "педагог – педагог", "традиционное (один на один)", "действует", "Наставник Первый",
                           "Алина Первая")
    assert rows[2][5] == "Борис Второй, Вера Третья" and len(rows) == 4
    rows = list(book["Пункты планов"].iter_rows(values_only=True))
    assert rows[1:] == [(a["pair"], "План самообразования", "10.11.2026", "План", "09.11.2026 12:00", None),
                        (a["pair"], "Открытый урок", "20.11.2026", "Анализ урока", None, None)]
    rows = list(book["Встречи"].iter_rows(values_only=True))
    assert [r[:4] for r in rows[1:]] == [(a["group"], "05.11.2026", 60, "очно"), (a["group"], "20.11.2026", 45, "очно")]
    rows = list(book["Запросы о помощи"].iter_rows(values_only=True))
    assert [(r[1], r[3], r[4], r[9]) for r in rows[1:]] == [
        ("10.11.2026 10:00", "закрыт", "Алина Первая", None), ("16.11.2026 10:00", "в работе", "Борис Второй", None),
        ("22.11.2026 10:00", "ждёт наставника", "Вера Третья", None)]
    rows = list(book["Опросы"].iter_rows(values_only=True))
    assert rows[1:] == [("Анкета удовлетворённости наставляемого", "Завершён", "22.11.2026 12:00", 4, 3, 7.5),
                        ("Свой", "Идёт", "28.11.2026 12:00", 5, 1, None)]
    indicators = dict(list(book["Показатели"].iter_rows(values_only=True))[1:])
    assert indicators["Педагогов всего (МПо)"] == 40 and indicators["Доля педагогов в программах, % (МПн/МПо)"] == 12.5
    assert indicators["Медиана времени до первого ответа, мин"] == 60 and indicators["Доля ответивших, %"] == 44.4
    registry = list(csv.reader(io.StringIO(emulator._files[documents[1].document["file_id"]].decode("utf-8-sig")),
                               delimiter=";"))
    assert registry[0][:3] == ["ФИО", "Роль", "Должность"] and len(registry) == 10
    assert ["Алина Первая", "наставляемый", "учитель", "математика", "2", "Да", "молодой педагог", ""] in registry



async def test_the_coordinator_sees_both_schools_and_their_total_figures_only(emulator, db, bot_app):
    w = await two_schools(emulator, db, staff=True)
    coordinator, mentee, region = w.coordinator, w.mentee, w.region
    reply = await coordinator.send("/summary")
    assert "Сводка по организациям (2)" in reply.text
    assert "Действующих пар и групп: 4; формы: педагог – педагог — 4" in reply.text
    assert "запросов о помощи 6, медиана до первого ответа 60 мин." in reply.text
    assert "• Школа № 1: 12,5% / 20,0% / 2 / 2 / 2" in reply.text and "• Школа № 2: 55,6% / 50,0% / 2 / 2 / 2" in reply.text
    reply = await coordinator.press("Школа № 2")
    assert "Сводка: Школа № 2" in reply.text and "Требует внимания" not in reply.text  # nothing personal
    assert "Сводка по организациям (2)" in (await coordinator.press("◀ Ко всем организациям")).text
    assert "не ваша организация" in (await coordinator.press_data(RegionOrgCb(org=region, page=0).pack())).alerts[0]
    await w.other.send("/summary")  # a curator, not a coordinator
    assert "не ваша организация" in (await w.other.press_data(RegionOrgCb(org=w.org_a, page=0).pack())).alerts[0]
    reply = await coordinator.press_data(ExportCb(org=0, period=ExportPeriod.ALL).pack())
    document = next(m for m in reply.messages if m.document)
    rows = list(load_workbook(io.BytesIO(emulator._files[document.document["file_id"]])).active.iter_rows(
        values_only=True))
    assert [r[0] for r in rows] == ["Организация", "Школа № 1", "Школа № 2", "ИТОГО"]
    header = rows[0]
    for column in range(1, len(header)):
        name = header[column]
        one, two, total = rows[1][column], rows[2][column], rows[3][column]
        if name.startswith(("Доля", "Медиана", "Средняя")):
            continue  # shares and means are not sums
        assert total == one + two, name
    assert rows[3][header.index("Педагогов всего (МПо)")] == 49 and rows[3][header.index(
        "Доля педагогов в программах, % (МПн/МПо)")] == round(100 * 10 / 49, 1)
    assert "для куратора" in (await mentee.send("/export")).text


async def test_weekly_digest_at_each_organisations_local_time(emulator, db, bot_app, clock):
    moscow, _ = await seed_school(db, "Школа в Москве", "Europe/Moscow", 2100)
    vladivostok, _ = await seed_school(db, "Школа во Владивостоке", "Asia/Vladivostok", 2300)
    users = {tid: ScriptedUser(emulator, tid, name) for tid, name in [(2100, "Москва"), (2300, "Владивосток")]}
    for base in (2100, 2300):  # everyone has started the bot: the quiet pairs' nudges reach them too
        open_school_chats(emulator, base)
    msk, vvo = users[2100], users[2300]

    def digests(user: ScriptedUser) -> list:
        return [m for m in user.messages() if "Еженедельная сводка" in (m.text or "")]

    async def at(moment: datetime) -> None:
        clock.advance(moment - clock.now())
        await bot_app.backbone.scheduler.run_due()
        await asyncio.sleep(0.5)

    # Monday 30.11, 08:00 in Vladivostok (UTC+10) is 22:00 UTC on Sunday
    await at(datetime(2026, 11, 29, 21, 59, tzinfo=timezone.utc))
    assert not digests(vvo) and not digests(msk)
    await at(datetime(2026, 11, 29, 22, 0, tzinfo=timezone.utc))
    digest = await wait_text(vvo, "Еженедельная сводка: Школа во Владивостоке")
    assert "За неделю" in digest.text and "Требует внимания" in digest.text
    chart = None
    for _ in range(100):
        chart = next((m for m in vvo.messages() if m.photo), None)
        if chart:
            break
        await asyncio.sleep(0.05)
    assert chart is not None and chart.caption.startswith("📊 Встречи и запросы о помощи по неделям")
    assert emulator._files[chart.photo[0]["file_id"]].startswith(b"\x89PNG")
    assert not digests(msk)
    # Monday 08:00 in Moscow (UTC+3) is 05:00 UTC
    await at(datetime(2026, 11, 30, 4, 59, tzinfo=timezone.utc))
    assert not digests(msk)
    await at(datetime(2026, 11, 30, 5, 0, tzinfo=timezone.utc))
    await wait_text(msk, "Еженедельная сводка: Школа в Москве")
    await at(datetime(2026, 11, 30, 5, 30, tzinfo=timezone.utc))
    assert len(digests(msk)) == 1 and len(digests(vvo)) == 1  # once a week

    # the curator moves it to Friday 16:00; it comes then, not on Monday
    await msk.send("/summary")
    await msk.press("🗓 Дайджест: понедельник, 08:00")
    await msk.press("пятница")
    reply = await msk.press("16:00")
    card = next(m for m in reply.messages if "Сводка" in (m.text or ""))
    assert "Дайджест: пятница, 16:00" in " ".join(msk.buttons(card))
    await at(datetime(2026, 12, 4, 12, 59, tzinfo=timezone.utc))
    assert len(digests(msk)) == 1
    await at(datetime(2026, 12, 4, 13, 0, tzinfo=timezone.utc))  # 16:00 in Moscow
    for _ in range(100):
        if len(digests(msk)) == 2:
            break
        await asyncio.sleep(0.05)
    assert len(digests(msk)) == 2
    assert vladivostok != moscow


async def test_attention_counts_every_item_shows_the_first_few_and_names_each_pair(db):
    """Each list of what needs attention: how many in all and the first few, in one statement; the
    pairs named in one more (each pair its own mentor and mentees, whatever the order of the rows)."""
    from bot.services import summary
    from db.models import Organization

    org_id, p = await seed_school(db, "Школа № 3", "Asia/Yekaterinburg", 2500)
    async with db() as session:
        for hours in range(1, 8):  # seven more open requests, older than the seeded one
            session.add(school_request(org_id, p["e4"], None, datetime(2026, 11, 1, hours, tzinfo=timezone.utc),
                                 status=HelpRequestStatus.OPEN))
        quiet = {p["pair"]: "Наставник Первый → Алина Первая"}
        for mentor, mentees in ((p["m2"], ["e4"]), (p["m1"], ["e5", "e2"]), (p["m2"], ["e1"]),
                                (p["m1"], ["e3"]), (p["m2"], ["e5"]), (p["m1"], ["e4"])):
            pair = await school_pair(session, org_id, MentoringKind.TRADITIONAL, MentorshipStatus.ACTIVE,
                               [(mentor, Role.MENTOR)] + [(p[key], Role.MENTEE) for key in mentees])
            names = {"e1": "Алина Первая", "e2": "Борис Второй", "e3": "Вера Третья", "e4": "Глеб Четвёртый",
                     "e5": "Дарья Пятая"}
            quiet[pair] = ("Наставник Первый" if mentor == p["m1"] else "Наставник Второй") + " → " + ", ".join(
                names[key] for key in mentees)
        await session.commit()
    async with db() as session:
        org = await session.get(Organization, org_id)
        with recorded_statements(session) as statements:
            att = await summary.attention(session, org, START)
            ind = (await summary.indicators(session, [org], START))[org_id]
    # ten lists and the pairs' names; the figures: ten for all organisations, three per time zone
    assert len(statements) == 11 + 10 + 3, statements
    assert ind.help_open == 9 and ind.help_overdue == 8 and ind.help_month == 10  # not closed; open, late; this month

    count, shown = att.unanswered_requests
    assert count == 8 and len(shown) == ATTENTION_SHOWN
    assert [item.when.hour for item in shown] == [1, 2, 3, 4, 5]  # the oldest first
    count, shown = att.quiet_pairs
    assert count == 7 and len(shown) == ATTENTION_SHOWN
    assert [item.target for item in shown] == sorted(quiet)[:5]
    assert {item.target: item.text for item in shown} == {pair: quiet[pair] for pair in sorted(quiet)[:5]}
    assert att.overdue_items[0] == 1
    assert att.overdue_items[1][0].text == "Наставник Первый → Алина Первая: Открытый урок"
    assert att.ending_programs[0] == 1 and att.ending_programs[1][0].text == "Наставник Первый → Алина Первая"
    assert att.unreachable[0] == 1 and att.unreachable[1][0].text == "Дарья Пятая"
    assert att.unpaired_mentees[0] == 0  # every mentee is in a pair now
    count, shown = att.no_program  # the six pairs added here have none
    assert count == 6 and len(shown) == ATTENTION_SHOWN and {item.text for item in shown} <= set(quiet.values())
