"""End to end: what users really type and press. Every case gets a polite answer; the fixture
checks after each test that no handler failed and that the emulator rejected no request."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.services.profile import normalize_name
from db.models import Membership, Person, Role
from tests.conftest import START, count, onboard
from tests.emulator import ScriptedUser
from tests.factories import make_invite, make_org

HOSTILE_NAME = '<b>Анна</b> & <script>alert("x")</script> Ивановa'


async def seed_people(db, org_id: int, names: list[str], role: Role = Role.MENTEE) -> list[int]:
    """People who joined long ago (arranged directly in the database, not the subject of the test)."""
    ids = []
    async with db() as session:
        for name in names:
            person = Person(full_name=name, search_name=normalize_name(name), profile_completed_at=START)
            session.add(person)
            await session.flush()
            session.add(Membership(person_id=person.id, organization_id=org_id, role=role))
            ids.append(person.id)
        await session.commit()
    return ids


async def test_html_in_names_is_shown_as_typed(emulator, db, bot_app):
    org_id = await make_org(db, "Школа <№ 1> & «Ко»")
    curator = ScriptedUser(emulator, 501, "Анна")
    await onboard(curator, await make_invite(db, org_id, Role.CURATOR), name=HOSTILE_NAME,
                  position="<i>учитель", subject="&amp; физика")
    reply = await curator.send("/profile")
    assert HOSTILE_NAME in reply.text  # escaped on the way out, so Telegram shows exactly what was typed
    assert "<i>учитель" in reply.text and "&amp; физика" in reply.text
    reply = await curator.send("/registry")
    assert "Школа <№ 1> & «Ко»" in reply.text and HOSTILE_NAME in reply.text
    reply = await curator.send("/invite mentee")
    assert "Школа <№ 1> & «Ко»" in reply.text


async def test_overlong_and_non_text_answers_are_refused_and_asked_again(emulator, db, bot_app):
    org_id = await make_org(db)
    user = ScriptedUser(emulator, 502, "Ирина")
    await user.send(f"/start {await make_invite(db, org_id, Role.MENTEE)}")
    await user.press("✅ Даю согласие")
    reply = await user.send("Я" * 5000)
    assert "Слишком длинно: 5000 символов" in reply.text
    assert "текстом" in (await user.send_sticker()).text
    assert "текстом" in (await user.send_document("cv.pdf", b"%PDF-1.4")).text
    assert "Слишком коротко" in (await user.send("1")).text
    async with db() as session:
        person = await session.scalar(select(Person).where(Person.telegram_id == 502))
        assert person.full_name is None  # nothing wrong was stored
    await user.send("Смирнова Ирина Олеговна")
    await user.send("воспитатель")
    await user.send("логопедия")
    assert "числом" in (await user.send("пять")).text
    assert "числом" in (await user.send("500")).text
    await user.send("3")
    assert "кнопкой" in (await user.send("да")).text  # a button step answered by typing
    assert "кнопкой" in (await user.send_sticker()).text
    await user.press("Да")
    await user.press("молодой педагог")
    reply = await user.press(lambda text: text.startswith("Готово"))
    assert "хотя бы одну" in reply.alerts[0]
    await user.press(lambda text: "Инклюзия" in text)
    await user.press(lambda text: "Инклюзия" in text)  # unmark
    await user.press(lambda text: "Оценивание" in text)
    await user.press(lambda text: text.startswith("Готово"))
    assert "Слишком длинно: 1001" in (await user.send("x" * 1001)).text
    await user.send("Не получается выстроить <работу> с родителями & коллегами")
    assert "Анкета заполнена" in user.last().text
    profile = (await user.send("/profile")).text
    assert "Оценивание" in profile and "Инклюзия" not in profile
    assert "Не получается выстроить <работу> с родителями & коллегами" in profile


async def test_forged_and_stale_callbacks_leak_nothing(emulator, db, bot_app):
    org_a = await make_org(db, "Школа А")
    org_b = await make_org(db, "Школа Б")
    [secret_id] = await seed_people(db, org_b, ["Секретова Тайна Скрытовна"])
    curator = ScriptedUser(emulator, 503, "Анна")
    await onboard(curator, await make_invite(db, org_a, Role.CURATOR), name="Куратор Анна Андреевна")
    await curator.send("/registry")
    forged = [
        f"rp:{org_b}:{secret_id}:all:0:0",  # another organisation's person
        f"rp:{org_a}:{secret_id}:all:0:0",  # a person who is not in my organisation
        f"rg:{org_b}:all:0:0",  # another organisation's registry
        f"rg:{org_a}:superuser:0:0",  # a role that does not exist
        f"rs:{org_b}:all",  # searching another organisation
        f"ir:{org_b}:curator",  # inviting into another organisation
        f"ir:{org_a}:coordinator",  # a role curators may not invite
        "pe:category.99999",  # editing someone else's membership
        "pe:telegram_id",  # a field that is not editable
        "pt:difficulties.1:1",  # a dialog step that is not running
        "wd:999:1",  # withdrawing a consent never given
        "rp:abc",  # garbage
        "x" * 64,
    ]
    for data in forged:
        reply = await curator.press_data(data)
        assert reply.alerts, data
        assert all("Секретова" not in text for text in reply.texts + reply.alerts), data
    assert await count(db, Membership, Membership.organization_id == org_b) == 1
    # the newest bot message (the registry) is untouched by all of that
    assert "Куратор Анна Андреевна" in curator.last().text


async def test_paging_edits_in_place_and_a_double_press_is_harmless(emulator, db, bot_app):
    org_id = await make_org(db)
    await seed_people(db, org_id, [f"Учитель{i:02d} Иван Иванович" for i in range(19)])
    curator = ScriptedUser(emulator, 504, "Анна")
    await onboard(curator, await make_invite(db, org_id, Role.CURATOR), name="Яковлева Анна Павловна")
    reply = await curator.send("/registry")
    registry_message = reply.messages[0]
    assert "Найдено: 20. Страница 1 из 3." in reply.text
    sent_before = len(curator.messages())
    reply = await curator.press("▶", registry_message)
    assert "Страница 2 из 3" in reply.text and reply.messages[0].message_id == registry_message.message_id
    forward = curator.button_data("▶", registry_message)
    await curator.press_data(forward, registry_message.message_id)
    reply = await curator.press_data(forward, registry_message.message_id)  # the same press again
    assert "Страница 3 из 3" in registry_message.text
    assert len(curator.messages()) == sent_before  # edited, never re-sent
    reply = await curator.press("3/3", registry_message)  # the page counter does nothing
    assert reply.messages == []


async def test_search_is_case_insensitive_and_takes_wildcards_literally(emulator, db, bot_app):
    org_id = await make_org(db)
    await seed_people(db, org_id, ["Ёлкина Светлана Петровна", "Иванов Пётр Ильич", "Петрова Ольга"])
    curator = ScriptedUser(emulator, 505, "Анна")
    await onboard(curator, await make_invite(db, org_id, Role.CURATOR), name="Куратор Анна Андреевна")
    await curator.send("/registry")
    await curator.press("🔎 Поиск по ФИО")
    reply = await curator.send("ИВАНОВ")
    assert "Иванов Пётр Ильич" in reply.text and "Найдено: 1." in reply.text
    await curator.press("🔎 Поиск по ФИО")
    reply = await curator.send("  пётр ")  # ё and е are one letter for search
    assert "Найдено: 3." in reply.text and "Куратор" not in reply.text
    await curator.press("🔎 Поиск по ФИО")
    assert "Ёлкина Светлана Петровна" in (await curator.send("елкина")).text
    await curator.press("🔎 Поиск по ФИО")
    assert "Никого не найдено" in (await curator.send("%")).text
    await curator.press("🔎 Поиск по ФИО")
    assert "Слишком длинно" in (await curator.send("а" * 5000)).text
    assert "Никого не найдено" in (await curator.send("<b>_</b>")).text
    reply = await curator.press("✖ Сбросить поиск")
    assert "Найдено: 4." in reply.text


async def test_group_chats_are_ignored(emulator, db, bot_app):
    org_id = await make_org(db)
    curator = ScriptedUser(emulator, 506, "Анна")
    await onboard(curator, await make_invite(db, org_id, Role.CURATOR), name="Куратор Анна Андреевна")
    reply = await curator.send_in_group(-100500, "/registry")
    assert reply.events == []
    assert emulator.chat_messages(-100500) == []


async def test_invites_expire_run_out_and_validate_their_arguments(emulator, db, bot_app, clock):
    org_id = await make_org(db)
    curator = ScriptedUser(emulator, 507, "Анна")
    await onboard(curator, await make_invite(db, org_id, Role.CURATOR), name="Куратор Анна Андреевна")
    assert "Формат" in (await curator.send("/invite директор")).text
    assert "Формат" in (await curator.send("/invite mentor много")).text
    assert "от 1 до 500" in (await curator.send("/invite mentor 9999")).text
    assert "от 1 до 90" in (await curator.send("/invite mentor 1 365")).text
    await curator.send("/invite")
    reply = await curator.press("наставляемый")
    assert "https://t.me/" in reply.text

    single = await make_invite(db, org_id, Role.MENTEE, uses=1)
    first = ScriptedUser(emulator, 508, "Первый")
    await onboard(first, single, name="Первый Пётр Петрович", role="mentee")
    second = ScriptedUser(emulator, 509, "Второй")
    assert "максимальное число раз" in (await second.send(f"/start {single}")).text
    assert "уже участвуете" in (await first.send(f"/start {single}")).text

    late = await make_invite(db, org_id, Role.MENTOR)
    clock.advance(timedelta(days=8))
    assert "истёк" in (await second.send(f"/start {late}")).text
    assert await count(db, Person, Person.telegram_id == 509) == 0


async def test_invite_that_runs_out_while_consent_is_pending(emulator, db, bot_app):
    org_id = await make_org(db)
    token = await make_invite(db, org_id, Role.MENTEE, uses=1)
    slow = ScriptedUser(emulator, 510, "Медленный")
    fast = ScriptedUser(emulator, 511, "Быстрый")
    await slow.send(f"/start {token}")
    await onboard(fast, token, name="Быстров Борис Борисович", role="mentee")
    reply = await slow.press("✅ Даю согласие")
    assert "максимальное число раз" in reply.text
    assert await count(db, Person, Person.telegram_id == 510) == 0


async def test_cancel_leaves_any_dialog_and_start_resumes_the_profile(emulator, db, bot_app):
    org_id = await make_org(db)
    user = ScriptedUser(emulator, 512, "Нина")
    assert "Отменять нечего" in (await user.send("/cancel")).text
    await user.send(f"/start {await make_invite(db, org_id, Role.MENTOR)}")
    await user.press("✅ Даю согласие")
    await user.send("Носова Нина Николаевна")
    assert "Действие отменено" in (await user.send("/cancel")).text
    assert "Не понимаю" in (await user.send("учитель")).text  # no longer inside the dialog
    reply = await user.send("/start")
    assert "Продолжим" in reply.text and "должность" in reply.text
    await user.send("учитель")
    await user.send("история")
    await user.send("20")
    await user.press("Нет")
    await user.press(lambda text: "Методика" in text)
    await user.press(lambda text: text.startswith("Готово"))
    await user.send("4")
    assert "Анкета заполнена" in user.last().text
    assert "наставляемых: 4" in (await user.send("/profile")).text
    assert "Что-то" not in (await user.send("/help")).text
