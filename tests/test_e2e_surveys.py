"""End to end: the mentee questionnaire launched to 5 mentees, 4 answers (back, skip, wrong kinds of input
on the way), one reminder reaching only the fifth, the survey closing at its deadline, results with the right
means as a message, a PNG chart and an XLSX checked cell by cell; the curator's own survey with 2 answers
shows no results; what the database keeps links no answer to a person."""
from __future__ import annotations

import asyncio
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, timezone

from openpyxl import load_workbook
from sqlalchemy import select, text

from bot.handlers.surveys.callbacks import SurveyAction, SurveyCb
from bot.services import surveys
from bot.services.actor import load_actor
from bot.services.organizations import create_organization
from db.models import Role, Survey, SurveyParticipant, SurveyStatus
from tests.conftest import START
from tests.emulator import ScriptedUser
from tests.emulator.server import StoredMessage
from tests.factories import I18N, seed, wait_text

# (seven 1–10 ratings, been in a program before, would continue, a wish or None to skip)
ANSWERS = {
    1301: ([8, 9, 7, 6, 9, 8, 7], True, True, "Больше открытых уроков <b>и</b> разборов & обсуждений"),
    1302: ([6, 7, 8, 5, 7, 6, 8], False, True, None),
    1303: ([9, 10, 9, 8, 10, 9, 9], False, True, "Спасибо наставнику!"),
    1304: ([6, 8, 6, 7, 8, 7, 6], True, False, "Встречи почаще"),
}


async def answer_questionnaire(user: ScriptedUser, invitation: StoredMessage, answers) -> None:
    ratings, before, go_on, wish = answers
    reply = await user.press("📝 Пройти опрос", invitation)
    assert "вопрос 1 из 10" in reply.text and "анонимный" in reply.text
    for rating in ratings:
        await user.press(str(rating))
    await user.press("Да" if before else "Нет")
    await user.press("Да" if go_on else "Нет")
    reply = await (user.send(wish) if wish else user.press("Пропустить"))
    assert "Проверьте ответы" in reply.text, reply.text
    reply = await user.press("✅ Отправить ответы")
    assert "Спасибо! Ваши ответы приняты." in reply.text


@dataclass
class SurveySchool:
    org_id: int
    ids: dict[int, int]  # the five mentees' person ids by Telegram id (1301…1305)
    users: dict[int, ScriptedUser]
    curator: ScriptedUser
    mentor: ScriptedUser


async def survey_school(emulator, db) -> SurveySchool:
    async with db() as session:
        org_id = (await create_organization(session, "Школа № 7", "Europe/Moscow")).id
    await seed(db, org_id, 1300, "Куратор Калинина", Role.CURATOR)
    ids = {tid: await seed(db, org_id, tid, f"Наставляемый {tid}", Role.MENTEE) for tid in range(1301, 1306)}
    await seed(db, org_id, 1306, "Наставник Не Адресат", Role.MENTOR)
    users = {tid: ScriptedUser(emulator, tid, f"Н{tid}") for tid in range(1300, 1307)}
    for user in users.values():
        emulator.open_chat(user.id, user.first_name)
    return SurveySchool(org_id, ids, users, users[1300], users[1306])


async def questionnaire_launched(db, w: SurveySchool, *answering: int) -> tuple[int, dict[int, StoredMessage]]:
    """The mentee questionnaire launched by the curator to the mentees, due 30.11.2026 23:59 in Moscow (as
    «Неделя» makes it), its invitations, and the answers of `answering` given in the chat (ANSWERS)."""
    async with db() as session:
        curator = await load_actor(session, 1300)
        sid = await surveys.create(session, curator, audience="mentees", now=START, i18n=I18N, template="mentee",
                                   deadline=surveys.deadline_for(date(2026, 11, 30), "Europe/Moscow"))
        await surveys.launch(session, curator, sid, START, I18N)
    invitations = {tid: await wait_text(w.users[tid], "Опрос «Анкета удовлетворённости наставляемого»")
                   for tid in w.ids}
    for tid in answering:
        await answer_questionnaire(w.users[tid], invitations[tid], ANSWERS[tid])
    return sid, invitations


async def test_a_mentee_can_neither_build_a_survey_nor_press_the_curators_button(emulator, db, bot_app):
    w = await survey_school(emulator, db)
    users = w.users
    reply = await users[1301].send("/surveys")
    assert "Открытых опросов для вас нет" in reply.text and "➕ Новый опрос" not in users[1301].buttons()
    assert "куратор" in (await users[1301].press_data(SurveyCb(survey=0, action=SurveyAction.NEW).pack())).alerts[0]



async def test_a_deadline_picked_on_the_calendar(emulator, db, bot_app):
    w = await survey_school(emulator, db)
    curator = w.curator
    await curator.send("/surveys")
    await curator.press("➕ Новый опрос")
    await curator.press("Анкета удовлетворённости наставляемого")
    await curator.press("Всем наставляемым")
    await curator.press("📅 Другой день")
    assert "Ноябрь 2026" in curator.buttons() and "23" not in curator.buttons()  # from tomorrow on
    reply = await curator.press("28")
    assert "Срок: до 28.11.2026 23:59" in reply.text and "Черновик" in reply.text, reply.text


async def test_the_curator_builds_the_mentee_questionnaire_and_launches_it_to_the_mentees_only(emulator, db, bot_app):
    w = await survey_school(emulator, db)
    curator, mentor, users, ids = w.curator, w.mentor, w.users, w.ids
    await curator.send("/surveys")
    await curator.press("➕ Новый опрос")
    await curator.press("Анкета удовлетворённости наставляемого")
    assert "Всем наставникам" not in curator.buttons()  # the mentee questionnaire goes to mentees
    await curator.press("Всем наставляемым")
    reply = await curator.press("Неделя")
    assert "Срок: до 30.11.2026 23:59" in reply.text and "Черновик" in reply.text, reply.text
    card = curator.last()
    reply = await curator.press("🚀 Запустить", card)
    assert "приглашения отправлены (5)" in reply.alerts[0]
    assert "Ответили: 0 из 5" in card.text

    for tid in ids:  # every mentee is invited, the mentor is not
        await wait_text(users[tid], "Опрос «Анкета удовлетворённости наставляемого»")
    assert not any("Опрос «" in (m.text or "") for m in mentor.messages())



async def test_answers_go_through_detours_once_only_and_only_for_those_asked(emulator, db, bot_app):
    w = await survey_school(emulator, db)
    curator, mentor, users = w.curator, w.mentor, w.users
    _, invitations = await questionnaire_launched(db, w)
    first = users[1301]
    await first.press("📝 Пройти опрос", invitations[1301])
    question_one = first.last()
    assert "Ответьте кнопкой" in (await first.send("восемь")).text
    old_button = first.button_data("3", question_one)
    await first.press("3", question_one)
    assert "→ 3" in question_one.text and not question_one.buttons
    reply = await first.press("◀ Назад")
    assert "вопрос 1 из 10" in reply.text
    await first.press("8")
    assert "неактуальна" in (await first.press_data(old_button, question_one.message_id)).alerts[0]
    for rating in ANSWERS[1301][0][1:]:
        await first.press(str(rating))
    await first.press("Да")
    await first.press("Да")
    assert "отправьте ответ текстом" in (await first.send_sticker()).text
    assert "не более 1000" in (await first.send("я" * 5000)).text
    reply = await first.send(ANSWERS[1301][3])
    assert "1. Насколько эффективной для вас была программа наставничества? — 8" in reply.text, reply.text
    assert "<b>и</b>" in reply.text  # shown as typed, not as markup
    await first.press("✅ Отправить ответы")

    for tid in (1302, 1303, 1304):
        await answer_questionnaire(users[tid], invitations[tid], ANSWERS[tid])

    # once only: a second try is told politely
    reply = await first.press("📝 Пройти опрос", invitations[1301])
    assert "Вы уже ответили на этот опрос" in reply.alerts[0]
    # a stranger to the survey (the mentor) cannot open it with a forged button
    survey_id = int(users[1301].button_data("📝 Пройти опрос", invitations[1301]).split(":")[1])
    await mentor.send("/surveys")
    assert "не вам" in (await mentor.press_data(SurveyCb(survey=survey_id, action=SurveyAction.START).pack())).alerts[0]
    # results are not shown while the survey is open
    await curator.send("/surveys")
    reply = await curator.press_data(SurveyCb(survey=survey_id, action=SurveyAction.RESULTS).pack())
    assert "после завершения опроса" in reply.alerts[0]



async def test_one_reminder_a_day_before_the_deadline_to_who_has_not_answered(emulator, db, bot_app, clock):
    w = await survey_school(emulator, db)
    users, ids = w.users, w.ids
    await questionnaire_launched(db, w, 1301, 1302, 1303, 1304)
    clock.advance(datetime(2026, 11, 29, 20, 50, tzinfo=timezone.utc) - clock.now())
    await bot_app.backbone.scheduler.run_due()
    await asyncio.sleep(0.5)
    assert not any("Напоминание" in (m.text or "") for m in users[1305].messages())
    clock.advance(datetime(2026, 11, 29, 21, 5, tzinfo=timezone.utc) - clock.now())
    await bot_app.backbone.scheduler.run_due()
    await wait_text(users[1305], "⏰ Напоминание: опрос «Анкета удовлетворённости наставляемого»")
    await bot_app.backbone.scheduler.run_due()
    await asyncio.sleep(0.5)
    for tid in ids:
        reminders = [m for m in users[tid].messages() if "⏰ Напоминание" in (m.text or "")]
        assert len(reminders) == (1 if tid == 1305 else 0), tid



async def test_after_the_deadline_the_results_the_workbook_and_what_the_database_keeps(emulator, db, bot_app, clock):
    w = await survey_school(emulator, db)
    curator, users, ids = w.curator, w.users, w.ids
    await questionnaire_launched(db, w, 1301, 1302, 1303, 1304)
    clock.advance(datetime(2026, 11, 30, 21, 5, tzinfo=timezone.utc) - clock.now())
    await bot_app.backbone.scheduler.run_due()
    notice = await wait_text(curator, "завершён: ответили 4 из 5")
    assert "Опрос уже завершён" in (await users[1305].press("📝 Пройти опрос")).alerts[0]

    reply = await curator.press("📊 Результаты", notice)
    report = "\n".join(m.text or "" for m in reply.messages if m.text)
    ratings = [a[0] for a in ANSWERS.values()]
    for n, column in enumerate(zip(*ratings, strict=True)):
        mean = f"{sum(column) / 4:.2f}".replace(".", ",")
        assert f"Среднее: {mean} (ответов: 4)" in report, (n, mean, report)
    assert "Среднее: 7,25 (ответов: 4); оценки: 9 — 1, 8 — 1, 6 — 2" in report  # effectiveness
    assert "Да — 2 (50%)" in report and "Нет — 2 (50%)" in report  # been in a program before
    assert "Да — 3 (75%)" in report  # would continue
    assert "— «Больше открытых уроков <b>и</b> разборов & обсуждений»" in report
    assert "Ответили: 4 из 5 (80%)" in report
    photos = [m for m in reply.messages if m.photo]
    assert photos and photos[0].caption.startswith("Средние оценки")
    assert emulator._files[photos[0].photo[0]["file_id"]].startswith(b"\x89PNG")

    await curator.send("/surveys")
    reply = await curator.press(lambda label: "Анкета удовлетворённости наставляемого" in label)
    reply = await curator.press("📥 Результаты в XLSX", reply.messages[0])
    document = next(m for m in reply.messages if m.document)
    book = load_workbook(io.BytesIO(emulator._files[document.document["file_id"]]))
    assert book.sheetnames == ["Итоги", "Свободные ответы"]
    sheet = book["Итоги"]
    assert [c.value for c in sheet[1]][:2] == ["Опрос", "Анкета удовлетворённости наставляемого"]
    assert [c.value for c in sheet[2]][:2] == ["Срок", "30.11.2026 23:59"]
    assert [c.value for c in sheet[3]][:2] == ["Приглашено", 5] and [c.value for c in sheet[4]][:2] == ["Ответили", 4]
    assert [c.value for c in sheet[6]][:6] == ["№", "Вопрос", "Вид вопроса", "Ответов", "Среднее", "Распределение"]
    assert [c.value for c in sheet[7]][:5] == [1, "Насколько эффективной для вас была программа наставничества?",
                                               "Оценка от 1 до 10", 4, 7.25]
    assert [c.value for c in sheet[7]][5:15] == ["1: 0", "2: 0", "3: 0", "4: 0", "5: 0", "6: 2", "7: 0", "8: 1",
                                                 "9: 1", "10: 0"]
    for row, column in zip(range(7, 14), zip(*ratings, strict=True), strict=True):
        assert sheet.cell(row, 5).value == round(sum(column) / 4, 2)
    assert [c.value for c in sheet[14]][:6] == [8, "Участвовали ли вы раньше в программах наставничества?",
                                                "Да или нет", 4, None, "Да: 2"]
    assert [c.value for c in sheet[16]][:4] == [10, "Ваши пожелания по организации наставничества",
                                                "Свободный ответ", 3]
    wishes = sorted(row[2] for row in book["Свободные ответы"].iter_rows(min_row=2, values_only=True))
    assert wishes == sorted(a[3] for a in ANSWERS.values() if a[3])

    # what the database keeps: answers with no person and no time; participation with no time
    async with db() as session:
        rows = (await session.execute(text("SELECT * FROM survey_responses"))).mappings().all()
        assert set(rows[0].keys()) == {"id", "survey_id", "answers", "respondent_id"}  # no time, no person
        assert len(rows) == 4 and all(row["respondent_id"] is None for row in rows)
        question_ids = {str(q) for q in (await session.scalars(text("SELECT id FROM survey_questions"))).all()}
        assert all(set(json.loads(row["answers"])) <= question_ids for row in rows)  # keyed by question only
        participation = (await session.execute(text("SELECT * FROM survey_participants"))).mappings().all()
        assert set(participation[0].keys()) == {"survey_id", "person_id", "answered"}  # no time of answering
        answered = {row.person_id: row.answered for row in (await session.scalars(select(SurveyParticipant))).all()}
        assert answered == {ids[tid]: tid != 1305 for tid in ids}


async def test_own_survey_with_two_answers_shows_no_results(emulator, db, bot_app, clock):
    async with db() as session:
        org_id = (await create_organization(session, "Детский сад № 5", "Asia/Novosibirsk")).id
    await seed(db, org_id, 1400, "Куратор Кудрявцева", Role.CURATOR)
    for tid in (1401, 1402, 1403):
        await seed(db, org_id, tid, f"Воспитатель {tid}", Role.MENTEE)
    users = {tid: ScriptedUser(emulator, tid, f"В{tid}") for tid in (1400, 1401, 1402, 1403)}
    for user in users.values():
        emulator.open_chat(user.id, user.first_name)
    curator = users[1400]

    await curator.send("/surveys")
    await curator.press("➕ Новый опрос")
    await curator.press("Свой опрос")
    await curator.send("Методический <день> & семинар")
    await curator.press("Оценка от 1 до 10")
    await curator.send("Насколько полезен был семинар?")
    await curator.press("Обязательный")
    await curator.press("➕ Ещё вопрос")
    await curator.press("Несколько вариантов")
    await curator.send("Какие темы продолжить?")
    assert "от 2 до 10" in (await curator.send("только одна")).text
    await curator.send("Игровые технологии\nИнклюзия\nРабота с родителями")
    await curator.press("Можно пропустить")
    await curator.press("Готово: выбрать, кому")
    await curator.press("Всем наставляемым")
    assert "ДД.ММ.ГГГГ" in (await curator.send("в пятницу")).text
    reply = await curator.send("27.11.2026")
    assert "Методический <день> & семинар" in reply.text and "Вопросов: 2" in reply.text
    card = curator.last()
    await curator.press("🔒 Анонимный — сделать именным", card)
    assert "Анонимный: Нет" in card.text
    await curator.press("👤 Именной — сделать анонимным", card)
    assert "Анонимный: Да" in card.text
    await curator.press("🚀 Запустить", card)
    assert "Ответили: 0 из 3" in card.text

    for tid, rating, topics in ((1401, "9", ["Инклюзия"]), (1402, "4", ["Инклюзия", "Игровые технологии"])):
        user = users[tid]
        await user.press("📝 Пройти опрос", await wait_text(user, "Методический <день> & семинар"))
        await user.press(rating)
        assert "Выберите хотя бы один" in (await user.press(lambda label: label.startswith("Готово"))).alerts[0]
        for topic in topics:
            await user.press(lambda label, topic=topic: topic in label)
        summary = await user.press(lambda label: label.startswith("Готово"))
        assert "2. Какие темы продолжить? — " + "; ".join(sorted(topics, key=["Игровые технологии", "Инклюзия",
                                                                          "Работа с родителями"].index)) in summary.text
        assert "Спасибо!" in (await user.press("✅ Отправить ответы")).text
    async with db() as session:
        survey = await session.scalar(select(Survey))
        assert survey.status == SurveyStatus.OPEN
    reply = await curator.press_data(SurveyCb(survey=survey.id, action=SurveyAction.ANON).pack(), card.message_id)
    assert "уже отвечали" in reply.alerts[0]

    await curator.press("⏹ Завершить досрочно", card)
    assert "Завершён" in card.text and "Ответили: 2 из 3" in card.text
    reply = await curator.press("📊 Результаты", card)
    assert "ответов 2, а нужно не меньше 3" in reply.alerts[0]
    reply = await curator.press("📥 Результаты в XLSX", card)
    assert "ответов 2, а нужно не меньше 3" in reply.alerts[0]
    assert not any(m.document or m.photo for m in curator.messages())
    # two answers cannot be written without pointing to their authors: they are told, not left wondering
    for tid in (1401, 1402):
        assert "меньше 3" in (await wait_text(users[tid], "Ваши ответы не вошли в итоги")).text
    # the third mentee is too late
    assert "Опрос уже завершён" in (await users[1403].press("📝 Пройти опрос")).alerts[0]
