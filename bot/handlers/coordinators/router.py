"""The coordinator's pages of organisations and one organisation's figures (/summary opens the first
page: handlers.summary)."""
from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.coordinators.callbacks import RegionCb, RegionOrgCb
from bot.handlers.coordinators.views import organisation_figures, region_page
from bot.handlers.render import show
from bot.i18n import Translator
from bot.services import coordinators
from bot.services.actor import Actor
from bot.services.clock import Clock


async def page_pressed(callback: CallbackQuery, callback_data: RegionCb, session: AsyncSession, actor: Actor,
                       t: Translator, clock: Clock) -> None:
    area = await coordinators.region(session, actor, clock.now())
    await callback.answer()
    await show(callback, *region_page(t, area, callback_data.page))


async def organisation_pressed(callback: CallbackQuery, callback_data: RegionOrgCb, session: AsyncSession,
                               actor: Actor, t: Translator, clock: Clock) -> None:
    now = clock.now()
    org, figures = await coordinators.organisation(session, actor, callback_data.org, now)
    await callback.answer()
    await show(callback, *organisation_figures(t, org, figures, now, callback_data.page))


def create_router() -> Router:
    router = Router(name="coordinators")
    router.callback_query.register(page_pressed, RegionCb.filter())
    router.callback_query.register(organisation_pressed, RegionOrgCb.filter())
    return router
