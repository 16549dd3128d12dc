"""`python -m bot <command>`: run the bot, migrate, add organisations, create invites, demo."""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import datetime, timezone
from pathlib import Path

from bot import logs
from bot.settings import Settings, SettingsError, load_settings

TOKEN_HELP = (
    "Create a file named .env in {cwd} (copy .env.example) and put the token @BotFather gave you into it:\n"
    "    BOT_TOKEN=123456789:AAE-your-token-from-BotFather\n"
    "then run the bot again."
)


class CliError(SettingsError):
    """A problem the operator can fix; printed as one line, no traceback."""


def require_token(settings: Settings) -> str:
    import os

    from aiogram.utils.token import TokenValidationError, validate_token

    token = settings.bot.token.get_secret_value().strip() if settings.bot.token else ""
    if not token:
        raise CliError("BOT_TOKEN is not set. " + TOKEN_HELP.format(cwd=os.getcwd()))
    try:
        validate_token(token)
    except TokenValidationError:
        raise CliError("BOT_TOKEN looks malformed (expected digits, a colon, then letters). "
                       + TOKEN_HELP.format(cwd=os.getcwd())) from None
    return token


async def cmd_migrate(settings: Settings) -> None:
    from db.migrate import upgrade

    await upgrade(settings.db.url)
    print("database is up to date")


async def cmd_run(settings: Settings) -> None:
    require_token(settings)
    from bot.app import BotApp
    from db.migrate import upgrade

    await upgrade(settings.db.url)
    if settings.webhook.url:
        return  # main() starts the webhook workers after the migration
    app = BotApp.create(settings, serving=True)
    await app.run_polling()


async def cmd_org_add(settings: Settings, name: str, tz: str | None, parent: int | None = None) -> None:
    from bot.services.errors import DomainError
    from bot.services.organizations import create_organization
    from db.engine import create_engine, create_sessionmaker
    from db.migrate import upgrade

    await upgrade(settings.db.url)
    engine = create_engine(settings.db.url)
    try:
        async with create_sessionmaker(engine)() as session:
            try:
                org = await create_organization(session, name, tz or settings.defaults.timezone, parent)
            except DomainError as exc:
                raise CliError(_explain(exc)) from None
    finally:
        await engine.dispose()
    print(f"organisation {org.id}: {org.name} ({org.timezone})")
    print(org.id)


async def cmd_org_setting(settings: Settings, setting: str, org_id: int, value: int) -> None:
    """One organisation setting: help-hours, survey-min or channel."""
    from bot.services import organizations
    from bot.services.errors import DomainError
    from db.engine import create_engine, create_sessionmaker
    from db.migrate import upgrade

    setter, done = {
        "help-hours": (organizations.set_help_escalation_hours,
                       "untaken help requests go to the curator after {} working hour(s)"),
        "survey-min": (organizations.set_survey_min_answers, "survey results are shown with at least {} answers"),
        "channel": (organizations.set_channel, "practices are posted to the channel {} (0: none); make the bot its admin"),
    }[setting]
    await upgrade(settings.db.url)
    engine = create_engine(settings.db.url)
    try:
        async with create_sessionmaker(engine)() as session:
            try:
                await setter(session, org_id, value)
            except DomainError as exc:
                raise CliError(_explain(exc)) from None
    finally:
        await engine.dispose()
    print(f"organisation {org_id}: " + done.format(value))


async def cmd_org_list(settings: Settings) -> None:
    from sqlalchemy import select

    from db.engine import create_engine, create_sessionmaker
    from db.migrate import upgrade
    from db.models import Organization

    await upgrade(settings.db.url)
    engine = create_engine(settings.db.url)
    try:
        async with create_sessionmaker(engine)() as session:
            for org in await session.scalars(select(Organization).order_by(Organization.id)):
                print(f"{org.id}\t{org.timezone}\t{org.name}")
    finally:
        await engine.dispose()


async def _bot_username(settings: Settings) -> str | None:
    if settings.bot.username:
        return settings.bot.username.lstrip("@")
    if not settings.bot.token or not settings.bot.token.get_secret_value().strip():
        return None
    from bot.telegram.dispatcher import create_bot

    try:
        require_token(settings)
        bot = create_bot(settings)
    except CliError:
        return None
    try:
        me = await asyncio.wait_for(bot.get_me(), timeout=15)
        return me.username
    except Exception as exc:  # noqa: BLE001 - the link can still be made by hand
        print(f"warning: could not ask the Bot API for the bot's username ({type(exc).__name__}); "
              "set BOT_USERNAME in .env", file=sys.stderr)
        return None
    finally:
        await bot.session.close()


async def cmd_invite(settings: Settings, org_id: int, role: str, uses: int, days: int) -> None:
    from bot.services.errors import DomainError
    from bot.services.invites import create_invite, deep_link
    from db.engine import create_engine, create_sessionmaker
    from db.migrate import upgrade
    from db.models import Role

    await upgrade(settings.db.url)
    engine = create_engine(settings.db.url)
    try:
        async with create_sessionmaker(engine)() as session:
            try:
                created = await create_invite(session, org_id=org_id, role=Role(role), max_uses=uses, days=days,
                                              now=datetime.now(timezone.utc))
            except DomainError as exc:
                raise CliError(_explain(exc)) from None
    finally:
        await engine.dispose()
    username = await _bot_username(settings)
    link = deep_link(username or "<bot username>", created.token)
    print(f"invite for {created.role.value} of organisation {created.organization_id} ({created.organization_name}), "
          f"{created.max_uses} use(s), valid until {created.expires_at:%Y-%m-%d %H:%M} UTC")
    print(link)
    print(created.token)


def _explain(exc: Exception) -> str:
    from bot.i18n import I18n

    key = getattr(exc, "key", "error.generic")
    params = getattr(exc, "params", {})
    return I18n().get("en").plain(key, **params)


async def cmd_demo(settings: Settings) -> None:
    from bot.demo import run_demo

    logging.getLogger().setLevel(logging.WARNING)  # the conversation is the output
    await run_demo()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="migrate the database, then run the bot with long polling (the default)")
    sub.add_parser("migrate", help="bring the database schema up to date")
    org = sub.add_parser("org", help="organisations").add_subparsers(dest="org_command", required=True)
    add = org.add_parser("add", help="add an organisation; prints its id")
    add.add_argument("name")
    add.add_argument("--tz", help="IANA time zone, e.g. Europe/Moscow (default: DEFAULT_TIMEZONE)")
    add.add_argument("--parent", type=int, help="id of the municipal or regional body above it (its coordinators "
                                                  "see this organisation's figures)")
    org.add_parser("list", help="list organisations")
    hours = org.add_parser("help-hours", help="working hours before an untaken help request goes to the curator")
    hours.add_argument("org_id", type=int)
    hours.add_argument("value", type=int, metavar="hours")
    survey_min = org.add_parser("survey-min", help="answers a survey needs before its results are shown (3 or more)")
    survey_min.add_argument("org_id", type=int)
    survey_min.add_argument("value", type=int, metavar="answers")
    channel = org.add_parser("channel", help="the Telegram channel (its id, -100…) practices are posted to; 0: none")
    channel.add_argument("org_id", type=int)
    channel.add_argument("value", type=int, metavar="chat_id")
    invite = sub.add_parser("invite", help="create an invite link; prints the deep link and the bare token")
    invite.add_argument("--org", type=int, required=True, help="organisation id")
    invite.add_argument("--role", required=True, choices=["mentee", "mentor", "curator", "head", "coordinator", "guest"])
    invite.add_argument("--uses", type=int, default=1, help="how many people may use it (default 1)")
    invite.add_argument("--days", type=int, default=7, help="days it stays valid (default 7)")
    sub.add_parser("demo", help="run a scripted conversation against the local emulator and print it")
    templates = sub.add_parser("templates", help="write the shipped DOCX templates to DIR, to make your own "
                                                 "(set DOCUMENT_TEMPLATES_DIR to that folder)")
    templates.add_argument("folder", metavar="DIR")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "run"
    try:
        settings = load_settings()
        logs.configure(settings.log_level)
        if command == "run":
            if settings.webhook.workers > 1 and settings.db.url.startswith("sqlite"):
                raise CliError("several webhook workers need PostgreSQL (DATABASE_URL=postgresql+asyncpg://...): "
                               "on SQLite run WEBHOOK_WORKERS=1")
            asyncio.run(cmd_run(settings))
            if settings.webhook.url:
                from bot.telegram.webhook import run_workers

                run_workers(settings)
        elif command == "migrate":
            asyncio.run(cmd_migrate(settings))
        elif command == "org" and args.org_command == "add":
            asyncio.run(cmd_org_add(settings, args.name, args.tz, args.parent))
        elif command == "org" and args.org_command in ("help-hours", "survey-min", "channel"):
            asyncio.run(cmd_org_setting(settings, args.org_command, args.org_id, args.value))
        elif command == "org":
            asyncio.run(cmd_org_list(settings))
        elif command == "invite":
            asyncio.run(cmd_invite(settings, args.org, args.role, args.uses, args.days))
        elif command == "demo":
            asyncio.run(cmd_demo(settings))
        elif command == "templates":
            from bot.services.documents.templates import write_shipped  # python-docx only when asked

            for path in write_shipped(Path(args.folder)):
                print(path)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0
