"""/mentors: a mentee without a pair chooses a mentor among those with free places, ranked as /pair ranks
them for the curator (services.mentorships.self_choice); the mentor answers as to any proposal."""
from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.mentorships.callbacks import MentorChoiceCb
from bot.handlers.render import from_pairs, mark_answered, shorten
from bot.i18n import I18n, Translator
from bot.services import mentorships as svc
from bot.services.actor import Actor
from bot.services.clock import Clock


def mentors_view(t: Translator, profiles: list[svc.MentorProfile]) -> tuple[str, InlineKeyboardMarkup | None]:
    if not profiles:
        return t("mentors.none"), None
    lines = [t("mentors.title")]
    for n, p in enumerate(profiles, start=1):
        about = ", ".join(html.escape(x, quote=False) for x in (p.position, p.subject) if x) or "—"
        lines.append(t("mentors.line", n=n, name=p.name, about=about,
                       years="—" if p.experience_years is None else p.experience_years, free=p.free,
                       covers=", ".join(p.overlap) or "—", covered=len(p.overlap), wanted=p.wanted))
    return "\n\n".join(lines), from_pairs(
        [(t.plain("btn.ask_mentor", n=n, name=shorten(p.name, 40)), MentorChoiceCb(mentor=p.person_id).pack())
         for n, p in enumerate(profiles, start=1)])


async def mentors_command(message: Message, session: AsyncSession, actor: Actor, t: Translator) -> None:
    _, profiles = await svc.choosable(session, actor)
    text, markup = mentors_view(t, profiles)
    await message.answer(text, reply_markup=markup)


async def mentor_chosen(callback: CallbackQuery, callback_data: MentorChoiceCb, session: AsyncSession, actor: Actor,
                        t: Translator, i18n: I18n, clock: Clock) -> None:
    await svc.choose(session, actor, callback_data.mentor, clock.now(), i18n)
    await callback.answer()
    await mark_answered(callback)
    await callback.bot.send_message(callback.from_user.id, t("mentors.asked_sent"))  # type: ignore[union-attr]


def create_router() -> Router:
    router = Router(name="mentor_choice")
    router.message.register(mentors_command, Command("mentors"))
    router.callback_query.register(mentor_chosen, MentorChoiceCb.filter(F.mentor > 0))
    return router
