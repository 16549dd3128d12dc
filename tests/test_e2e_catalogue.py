"""End to end: the curator's /catalogue of difficulties and competencies: an entry added, renamed, retired
(offered no more, kept where it was chosen) and brought back; nobody else edits it."""
from __future__ import annotations

from sqlalchemy import select

from bot.handlers.catalogue.callbacks import TopicAction, TopicCb
from db.models import Role, Topic
from tests.emulator import ScriptedUser
from tests.factories import gymnasium, make_org, seed


async def test_the_curator_adds_and_renames_an_entry_and_the_ranking_shows_the_new_name(emulator, db, bot_app):
    w = await gymnasium(emulator, db)
    curator = w.users[700]
    reply = await curator.send("/catalogue")
    assert "Каталог профессиональных затруднений и компетенций" in reply.text
    assert "Инклюзия, дети с ОВЗ — в профилях: 7" in reply.text
    await curator.press("➕ Добавить")
    assert "от 3 до 200 символов" in (await curator.send("ab")).text
    reply = await curator.send("  Наставничество   в <цифровой> среде ")
    assert "Добавлено в каталог" in reply.text and "13. Наставничество в <цифровой> среде — в профилях: 0" in reply.text
    await curator.press("➕ Добавить")
    assert "уже есть в каталоге" in (await curator.send("инклюзия, дети с овз")).text
    await curator.send("/catalogue")
    await curator.press(lambda text: "Инклюзия" in text)
    await curator.press("✏️ Переименовать")
    reply = await curator.send("Инклюзивное образование, дети с ОВЗ")
    assert "Переименовано" in reply.text and "Инклюзивное образование, дети с ОВЗ — в профилях: 7" in reply.text
    await curator.send("/pair")
    reply = await curator.press("Алексеева Анна")
    assert "Инклюзивное образование, дети с ОВЗ" in reply.text  # the same entry under its new name


async def test_a_retired_entry_is_offered_no_more_and_can_be_brought_back(emulator, db, bot_app):
    w = await gymnasium(emulator, db)
    curator, anna = w.users[700], w.users[701]
    await curator.send("/catalogue")
    await curator.press(lambda text: "Оценивание" in text)
    reply = await curator.press("🗄 Убрать из каталога")
    assert "Убрано из каталога" in reply.alerts[0] and "остаётся там, где уже выбрано" in reply.text
    await anna.send("/ask")
    assert not [b for b in anna.buttons() if "Оценивание" in b] and [b for b in anna.buttons() if "Инклюзия" in b]
    await anna.send("/cancel")
    async with db() as session:
        assert (await session.scalar(select(Topic).where(Topic.title.startswith("Оценивание")))).archived
    await curator.send("/catalogue")
    assert "🗄 Оценивание и контроль результатов — убрано из каталога (в профилях: 5)" in curator.last().text
    await curator.press(lambda text: "Оценивание" in text)
    reply = await curator.press("↩️ Вернуть в каталог")
    assert "Возвращено в каталог" in reply.alerts[0]
    await anna.send("/ask")
    assert [b for b in anna.buttons() if "Оценивание" in b]


async def test_only_the_organisations_curator_edits_its_catalogue(emulator, db, bot_app):
    w = await gymnasium(emulator, db)
    lidia = w.users[711]
    assert "Каталог ведёт куратор" in (await lidia.send("/catalogue")).text
    await seed(db, await make_org(db, "Лицей № 9"), 950, "Чужой Куратор", Role.CURATOR)
    async with db() as session:
        topic = await session.scalar(select(Topic.id).where(Topic.organization_id == w.org_id).limit(1))
    stranger = ScriptedUser(emulator, 950, "Чужой")  # a curator, of another school
    emulator.open_chat(stranger.id, stranger.first_name)
    await stranger.send("/help")
    for action in TopicAction:
        assert (await stranger.press_data(TopicCb(topic=topic, action=action).pack())).alerts
    async with db() as session:
        assert not any((await session.scalars(select(Topic.archived).where(Topic.organization_id == w.org_id))).all())
