"""/export: an organisation's workbook (people, pairs and groups, programs, meetings, help requests, surveys)
and registry CSV for its curator or head; the coordinator's workbook of the organisations below."""
from __future__ import annotations

import tempfile
from pathlib import Path

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, FSInputFile, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.exports.callbacks import ExportCb, ExportPeriod
from bot.handlers.render import from_pairs, shorten
from bot.i18n import Translator
from bot.services import exports, summary
from bot.services.actor import Actor
from bot.services.clock import Clock
from bot.services.dates import local_date
from bot.services.errors import AccessDenied, InvalidInput
from db.models import Role


async def export_command(message: Message, session: AsyncSession, actor: Actor, t: Translator) -> None:
    if not actor.registered:
        raise AccessDenied("error.not_registered")
    orgs = await summary.readable_orgs(session, actor)
    buttons = [(t.plain("export.for_org", org=shorten(o.name, 40)), ExportCb(org=o.id, period=ExportPeriod.ASK).pack())
               for o in orgs]
    if actor.orgs_where(Role.COORDINATOR):
        buttons.append((t.plain("btn.export_coordinator"), ExportCb(org=0, period=ExportPeriod.ALL).pack()))
    if not buttons:
        raise AccessDenied("summary.only_curators")
    await message.answer(t("export.pick"), reply_markup=from_pairs(buttons))


async def export_pressed(callback: CallbackQuery, callback_data: ExportCb, session: AsyncSession, actor: Actor,
                         t: Translator, clock: Clock) -> None:
    org_id, period = callback_data.org, callback_data.period
    if org_id and not actor.has_role(org_id, *summary.READERS):  # a coordinator exports figures only
        raise AccessDenied("summary.not_yours")
    if org_id == 0 and not actor.orgs_where(Role.COORDINATOR):
        raise AccessDenied("summary.only_curators")
    if org_id and period == ExportPeriod.ASK:
        await callback.answer()
        await callback.bot.send_message(callback.from_user.id, t("export.ask_period"), reply_markup=from_pairs(  # type: ignore[union-attr]
            [(t.plain(f"export.period.{p}"), ExportCb(org=org_id, period=ExportPeriod(p)).pack()) for p in exports.PERIODS], 2))
        return
    if org_id and period.value not in exports.PERIODS:
        raise InvalidInput()
    await callback.answer(t.plain("export.preparing"))
    bot, chat = callback.bot, callback.from_user.id
    with tempfile.TemporaryDirectory(prefix="nastavnik-export-") as folder:
        stamp = local_date(clock.now(), "UTC").replace(".", "-")
        if org_id == 0:
            path = Path(folder) / f"indicators-{stamp}.xlsx"
            count = await exports.coordinator_workbook(session, actor, clock.now(), t, path)
            await bot.send_document(chat, FSInputFile(path), caption=t("export.coordinator_caption", count=count))  # type: ignore[union-attr]
            return
        org = await summary.org_for_reader(session, actor, org_id)
        path = Path(folder) / f"export-{org.id}-{period.value}-{stamp}.xlsx"
        await exports.organisation_workbook(session, actor, org.id, period.value, clock.now(), t, path)
        await bot.send_document(chat, FSInputFile(path), caption=t(  # type: ignore[union-attr]
            "export.caption", org=org.name, period=t.plain(f"export.period.{period.value}")))
        registry = Path(folder) / f"registry-{org.id}-{stamp}.csv"
        await exports.registry_csv(session, actor, org.id, t, registry)
        await bot.send_document(chat, FSInputFile(registry), caption=t("export.registry_caption", org=org.name))  # type: ignore[union-attr]


def create_router() -> Router:
    router = Router(name="exports")
    router.message.register(export_command, Command("export"))
    router.callback_query.register(export_pressed, ExportCb.filter())
    return router
