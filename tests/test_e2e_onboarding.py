"""End to end: the CLI, the consent, the profile, invites in chat and the registry, over real HTTP."""
from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from sqlalchemy import select

from bot.handlers.onboarding.callbacks import ConsentCb
from db.models import Consent, Invite, Membership, MembershipTopic, Person, Role
from tests.conftest import count, link_token, onboard
from tests.emulator import ScriptedUser
from tests.factories import make_invite, make_org

ROOT = Path(__file__).resolve().parent.parent


async def cli(*args: str, env: dict[str, str]) -> list[str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 0, err.decode()
    return out.decode().strip().splitlines()






async def test_curator_from_cli_invites_a_mentor_who_appears_in_the_registry(emulator, db, db_url, bot_app):
    env = {**os.environ, "DATABASE_URL": db_url, "BOT_TOKEN": emulator.token,
           "TELEGRAM_API_BASE": emulator.base_url, "BOT_USERNAME": ""}
    org_id = int((await cli("org", "add", "МБОУ «Школа № 5»", "--tz", "Europe/Moscow", env=env))[-1])
    invite_lines = await cli("invite", "--org", str(org_id), "--role", "curator", env=env)
    assert invite_lines[-2] == f"https://t.me/{emulator.username}?start={invite_lines[-1]}"
    assert len(invite_lines[-1]) >= 22  # at least 128 random bits, URL-safe

    curator = ScriptedUser(emulator, 101, "Анна")
    await onboard(curator, invite_lines[-1], name="Иванова Анна Сергеевна")
    async with db() as session:
        person = await session.scalar(select(Person).where(Person.telegram_id == 101))
        assert person.full_name == "Иванова Анна Сергеевна" and person.experience_years == 12
        assert person.profile_completed_at is not None
        consent = await session.scalar(select(Consent).where(Consent.person_id == person.id))
        assert consent.organization_id == org_id and consent.withdrawn_at is None
    curator_menu = [c["command"] for c in emulator.commands[(f"chat:{curator.id}", "")]]
    assert {"registry", "invite", "profile", "consent", "cancel"} <= set(curator_menu)

    reply = await curator.send("/invite mentor")
    mentor_token = link_token(reply.text)
    assert "наставник" in reply.text

    mentor = ScriptedUser(emulator, 102, "Пётр")
    await onboard(mentor, mentor_token, name="Петров Пётр Петрович", role="mentor",
                  topics=("Инклюзия", "Цифровые"), capacity="3")
    mentor_menu = [c["command"] for c in emulator.commands[(f"chat:{mentor.id}", "")]]
    assert "registry" not in mentor_menu and "profile" in mentor_menu

    reply = await curator.send("/registry")
    assert "Петров Пётр Петрович — наставник" in reply.text
    assert "Иванова Анна Сергеевна — куратор" in reply.text
    reply = await curator.press("Наставники")
    assert "Петров Пётр Петрович" in reply.text and "Иванова" not in reply.text
    reply = await curator.press("Петров Пётр Петрович")
    card = reply.text
    assert "Карточка участника" in card and "Инклюзия, дети с ОВЗ" in card and "Цифровые" in card
    assert "наставляемых: 3" in card
    reply = await curator.press("◀ К списку")
    assert "Показаны: Наставники" in reply.text

    # the mentor can neither read the registry nor invite
    assert "Реестр доступен куратору" in (await mentor.send("/registry")).text
    assert "Приглашать участников может" in (await mentor.send("/invite mentee")).text


async def test_strangers_and_bad_tokens_store_nothing(emulator, db, bot_app):
    org_id = await make_org(db)
    token = await make_invite(db, org_id, Role.MENTEE)
    stranger = ScriptedUser(emulator, 201, "Незнакомец")
    assert "только по приглашениям" in (await stranger.send("/start")).text
    assert "недействительна" in (await stranger.send("/start badtoken")).text
    assert "недействительна" in (await stranger.send("/start " + "A" * 24)).text
    assert "недействительна" in (await stranger.send("/start " + token + "x")).text
    assert "только по приглашениям" in (await stranger.send("привет")).text
    assert "Сначала войдите" in (await stranger.send("/profile")).text
    reply = await stranger.send("/registry")
    assert "Реестр доступен куратору" in reply.text
    assert await count(db, Person) == 0
    assert await count(db, Consent) == 0
    assert await count(db, Membership) == 0
    assert await count(db, Invite, Invite.used_count > 0) == 0


async def test_declined_consent_stores_nothing(emulator, db, bot_app):
    org_id = await make_org(db)
    token = await make_invite(db, org_id, Role.MENTEE)
    user = ScriptedUser(emulator, 301, "Мария")
    reply = await user.send(f"/start {token}")
    consent_message = reply.messages[0]
    assert "До вашего ответа бот ничего о вас не сохраняет" in reply.text
    assert await count(db, Person) == 0
    assert "кнопкой" in (await user.send("Хочу подумать")).text
    reply = await user.press("Не даю согласие", consent_message)
    assert "ничего о вас не сохранил" in reply.text
    # the same (now stale) button's data pressed again changes nothing
    reply = await user.press_data(ConsentCb(accept=True).pack(), consent_message.message_id)
    assert "неактуальна" in reply.alerts[0]
    assert await count(db, Person) == 0
    assert await count(db, Consent) == 0
    assert await count(db, Invite, Invite.used_count > 0) == 0


async def test_withdrawal_erases_personal_fields(emulator, db, bot_app):
    org_id = await make_org(db)
    token = await make_invite(db, org_id, Role.MENTEE)
    user = ScriptedUser(emulator, 401, "Ольга")
    await onboard(user, token, name="Сидорова Ольга Ивановна", role="mentee", under_35=True,
                  topics=("Управление классом", "Работа с родителями"))
    async with db() as session:
        person = await session.scalar(select(Person).where(Person.telegram_id == 401))
        person_id = person.id
    assert await count(db, MembershipTopic) == 2

    reply = await user.send("/consent")
    assert "МБОУ «Школа № 5»" in reply.text and "версия" in reply.text
    reply = await user.press("Отозвать согласие")
    assert "будут <b>удалены</b>" not in reply.text and "удалены" in reply.text
    reply = await user.press("Да, отозвать согласие")
    assert "персональные данные удалены" in reply.text

    async with db() as session:
        person = await session.get(Person, person_id)
        assert person.erased_at is not None
        for field in ("telegram_id", "full_name", "search_name", "position", "subject",
                      "experience_years", "under_35"):
            assert getattr(person, field) is None, field
        membership = await session.scalar(select(Membership).where(Membership.person_id == person_id))
        assert membership.ended_at is not None and membership.difficulties_note is None
        assert membership.role == Role.MENTEE  # the anonymous count stays
        consent = await session.scalar(select(Consent).where(Consent.person_id == person_id))
        assert consent.withdrawn_at is not None
    assert await count(db, MembershipTopic) == 0
    assert "Сначала войдите" in (await user.send("/profile")).text
    assert [c["command"] for c in emulator.commands[(f"chat:{user.id}", "")]] == ["start", "help"]


async def test_profile_editing_and_english(emulator, db, bot_app):
    org_id = await make_org(db)
    user = ScriptedUser(emulator, 601, "Вера")
    await onboard(user, await make_invite(db, org_id, Role.MENTEE), name="Верина Вера Васильевна", role="mentee",
                  topics=("Оценивание",))
    await user.send("/profile")
    await user.press("ФИО")
    assert "Слишком длинно" in (await user.send("В" * 201)).text
    reply = await user.send("Верина-Петрова Вера Васильевна")
    assert "Сохранено" in reply.text and "ФИО: Верина-Петрова Вера Васильевна" in reply.text
    await user.press("Затруднения")
    await user.press(lambda text: "Оценивание" in text)  # unmark the old one
    await user.press(lambda text: "Инклюзия" in text)
    reply = await user.press(lambda text: text.startswith("Готово"))
    assert "Затруднения: Инклюзия, дети с ОВЗ" in reply.text
    await user.press("Категория")
    reply = await user.press("новая должность")
    assert "Категория: новая должность" in reply.text

    await user.send("/language")
    reply = await user.press("English")
    assert "Interface language: English" in reply.text
    assert (await user.send("/profile")).text.startswith("Your profile")
    menu = {c["command"]: c["description"] for c in emulator.commands[(f"chat:{user.id}", "")]}
    assert menu["profile"] == "My profile" and menu["program"] == "Mentoring program"
    async with db() as session:
        person = await session.scalar(select(Person).where(Person.telegram_id == 601))
        assert person.full_name == "Верина-Петрова Вера Васильевна" and person.locale == "en"
