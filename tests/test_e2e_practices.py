"""End to end (issue 25, the best-practice bank): a mentor submits a practice with a file; the curator
approves it for the school; another school does not see it until the municipality's coordinator features
it; then a mentee there finds it by search and gets its file; nobody but its curator decides on it."""
from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.handlers.practices.callbacks import PracticeAction, PracticeCb
from bot.services.onboarding import CONSENT_VERSION
from bot.services.organizations import create_organization, set_channel
from db.models import Consent, Practice, PracticeFile, PracticeStatus, Role
from tests.emulator import ScriptedUser
from tests.factories import seed, wait_text

CHANNEL = -1001234567890


async def test_a_practice_submitted_approved_featured_and_found_by_search(emulator, db, bot_app):
    async with db() as session:
        town = (await create_organization(session, "Управление образования города", "Europe/Moscow")).id
        first = (await create_organization(session, "Школа № 1", "Europe/Moscow", town)).id
        second = (await create_organization(session, "Школа № 2", "Europe/Moscow", town)).id
    ids = {}
    for org, tid, name, role, topics in ((town, 6000, "Координатор Кира", Role.COORDINATOR, ()),
                                         (first, 6100, "Куратор Клавдия", Role.CURATOR, ()),
                                         (first, 6101, "Наставник Мария", Role.MENTOR, ("Инклюзия",)),
                                         (first, 6102, "Алексеева Анна", Role.MENTEE, ("Инклюзия",)),
                                         (second, 6201, "Борисов Борис", Role.MENTEE, ("Инклюзия",))):
        ids[tid] = await seed(db, org, tid, name, role, list(topics), 2 if role == Role.MENTOR else None)
    async with db() as session:  # Мария's consent, which she withdraws at the end
        session.add(Consent(person_id=ids[6101], organization_id=first, version=CONSENT_VERSION))
        await session.commit()
    kira, klavdia, maria, anna, boris = (ScriptedUser(emulator, tid, name) for tid, name in (
        (6000, "Кира"), (6100, "Клавдия"), (6101, "Мария"), (6102, "Анна"), (6201, "Борис")))
    for user in (kira, klavdia, maria, anna, boris):
        emulator.open_chat(user.id, user.first_name)

    await maria.send("/practices")
    await maria.press("➕ Предложить практику")
    await maria.send("Проектные задачи <на уроках> математики")
    await maria.send("Дети с ОВЗ работают в парах над проектом; через месяц все сдали работы.")
    await maria.press(lambda text: text.startswith("Инклюзия"))
    assert "документ или фото" in (await maria.send("вот файл")).text
    reply = await maria.send_document("проект.docx", b"PK\x03\x04 project", caption="Разработка урока")
    assert "Файл принят (1)" in reply.text
    assert "отправлена куратору" in (await maria.press("Готово (1)")).text

    notice = await wait_text(klavdia, "Новая практика на рассмотрение")
    await klavdia.press("📘 Открыть", notice)
    assert "на рассмотрении у куратора" in klavdia.last().text
    reply = await klavdia.press("✅ Одобрить")
    assert "одобрена" in reply.alerts[0]
    await wait_text(maria, "одобрена и добавлена в банк")
    async with db() as session:
        practice = await session.scalar(select(Practice))
    assert practice.status == PracticeStatus.APPROVED
    async with db() as session:  # the school's channel, where the bot is an admin
        await set_channel(session, first, CHANNEL)
    emulator.open_chat(CHANNEL, "Канал школы № 1")
    await klavdia.send("/practices")
    await klavdia.press(lambda text: text.startswith("📘 Проектные"))
    assert "в банке организации" in klavdia.last().text
    reply = await klavdia.press("📣 В канал организации")
    assert "отправлена в канал" in reply.alerts[0]
    for _ in range(100):
        posted = emulator.chat_messages(CHANNEL)
        if len(posted) == 2:
            break
        await asyncio.sleep(0.05)
    assert "Проектные задачи <на уроках> математики" in posted[0].text and "#лучшиепрактики" in posted[0].text
    assert posted[1].document is not None and posted[1].caption == "Разработка урока"
    assert "уже опубликована" in (await klavdia.press("📣 В канал организации")).alerts[0]
    await anna.send("/practices")
    assert (await anna.press_data(PracticeCb(action=PracticeAction.POST, practice=practice.id).pack())).alerts
    assert "Проектные задачи <на уроках> математики" in str((await anna.send("/practices")).messages[0].buttons)
    assert "Проектные" not in str((await boris.send("/practices")).messages[0].buttons)  # another school's
    forged = PracticeCb(action=PracticeAction.SHOW, practice=practice.id).pack()
    assert (await boris.press_data(forged)).alerts
    assert (await boris.press_data(PracticeCb(action=PracticeAction.APPROVE, practice=practice.id).pack())).alerts

    await kira.send("/practices")
    await kira.press(lambda text: text.startswith("📘 Проектные"))
    reply = await kira.press("⭐ Отметить для всех")
    assert "отмечена" in reply.alerts[0]
    await wait_text(maria, "координатор отметил")

    await boris.send("/practices")
    await boris.press("🔎 Найти практику")
    reply = await boris.send("ПРОЕКТНЫЕ задачи")  # any case
    assert "Найдено по запросу «ПРОЕКТНЫЕ задачи»" in reply.text
    await boris.press(lambda text: text.startswith("📘 Проектные"))
    card = boris.last()
    assert "Школа № 1" in card.text and "⭐ отмечена координатором" in card.text and "в парах" in card.text
    reply = await boris.press("📎 Файлы (1)", card)
    copy = await wait_text(boris, "Разработка урока")
    assert copy.document is not None
    await boris.press("🔎 Найти практику")
    assert "Практик пока нет" in (await boris.send("химия")).text
    await maria.send("/consent")  # the author withdraws: her practices and their files go with her data
    await maria.press("Отозвать согласие")
    await maria.press("Да, отозвать согласие")
    async with db() as session:
        assert (await session.scalar(select(func.count()).select_from(Practice))) == 0
        assert (await session.scalar(select(func.count()).select_from(PracticeFile))) == 0
    await boris.press("🔎 Найти практику")
    assert "Практик пока нет" in (await boris.send("проектные")).text
