"""/invite: a curator (or head) creates an invitation link for a role in their organisation."""
from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.common.callbacks import OrgPickCb
from bot.handlers.common.views import org_pick
from bot.handlers.invites.callbacks import InviteRoleCb
from bot.handlers.invites.views import invite_roles
from bot.handlers.render import show
from bot.i18n import Translator
from bot.services import invites as invite_service
from bot.services.actor import Actor
from bot.services.clock import Clock
from bot.services.dates import local_time
from bot.services.errors import AccessDenied, InvalidInput
from bot.services.numbers import is_whole
from db.models import Role

ROLE_NAMES = {
    "mentee": Role.MENTEE, "наставляемый": Role.MENTEE, "наставляемого": Role.MENTEE,
    "mentor": Role.MENTOR, "наставник": Role.MENTOR, "наставника": Role.MENTOR,
    "curator": Role.CURATOR, "куратор": Role.CURATOR, "куратора": Role.CURATOR,
    "head": Role.HEAD, "руководитель": Role.HEAD, "руководителя": Role.HEAD,
    "guest": Role.GUEST, "эксперт": Role.GUEST, "эксперта": Role.GUEST,
}


def _inviter_orgs(actor: Actor) -> list[tuple[int, str]]:
    return actor.orgs_where(*invite_service.INVITABLE_BY)


async def _render(t: Translator, bot: Bot, created: invite_service.CreatedInvite) -> str:
    me = await bot.me()
    return t("invite.created", role=t.plain(f"role.{created.role.value}"), org=created.organization_name,
             link=invite_service.deep_link(me.username or "", created.token), uses=created.max_uses,
             expires=local_time(created.expires_at, created.timezone))


async def invite(message: Message, command: CommandObject, session: AsyncSession, actor: Actor,
                 t: Translator, bot: Bot, clock: Clock) -> None:
    orgs = _inviter_orgs(actor)
    if not orgs:
        raise AccessDenied("invite.only_curators")
    args = (command.args or "").split()
    if not args:
        if len(orgs) > 1:
            await message.answer(t("org.pick"), reply_markup=org_pick(orgs, "invite"))
            return
        org_id = orgs[0][0]
        await message.answer(t("invite.pick_role"),
                             reply_markup=invite_roles(t, org_id, invite_service.invitable_roles(actor, org_id)))
        return
    role = ROLE_NAMES.get(args[0].casefold())
    numbers = args[1:3]
    if role is None or len(args) > 3 or not all(is_whole(n) for n in numbers):
        raise InvalidInput("invite.usage", max_uses=invite_service.MAX_USES, max_days=invite_service.MAX_DAYS)
    uses = int(numbers[0]) if numbers else invite_service.DEFAULT_USES
    days = int(numbers[1]) if len(numbers) > 1 else invite_service.DEFAULT_DAYS
    created = await invite_service.create_invite(session, org_id=orgs[0][0], role=role, now=clock.now(),
                                                 max_uses=uses, days=days, created_by=actor)
    await message.answer(await _render(t, bot, created))


async def org_picked(callback: CallbackQuery, callback_data: OrgPickCb, actor: Actor, t: Translator) -> None:
    roles = invite_service.invitable_roles(actor, callback_data.org)
    if not roles:
        raise AccessDenied()
    await callback.answer()
    await show(callback, t("invite.pick_role"), invite_roles(t, callback_data.org, roles))


async def role_picked(callback: CallbackQuery, callback_data: InviteRoleCb, session: AsyncSession, actor: Actor,
                      t: Translator, bot: Bot, clock: Clock) -> None:
    created = await invite_service.create_invite(session, org_id=callback_data.org, role=callback_data.role, now=clock.now(),
                                                 created_by=actor)
    await callback.answer()
    await show(callback, await _render(t, bot, created))


def create_router() -> Router:
    router = Router(name="invites")
    router.message.register(invite, Command("invite"))
    router.callback_query.register(org_picked, OrgPickCb.filter(F.purpose == "invite"))
    router.callback_query.register(role_picked, InviteRoleCb.filter())
    return router
