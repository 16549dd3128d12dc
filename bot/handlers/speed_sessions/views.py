"""Texts and keyboards of speed sessions, made from the services' data."""
from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.handlers.render import from_pairs
from bot.handlers.speed_sessions.callbacks import SpeedAction, SpeedCb
from bot.i18n import Translator
from bot.services import speed_sessions as svc
from bot.services.dates import local_time
from db.models import SignupStatus, SpeedSessionStatus


def card_view(t: Translator, v: svc.SessionView) -> tuple[str, InlineKeyboardMarkup | None]:
    lines = [t("speed.card", topic=v.topic, host=v.host, when=local_time(v.starts_at, v.timezone),
               minutes=v.duration_minutes, place=v.place, taken=len(v.registered), capacity=v.capacity,
               waitlist=v.waitlist, status=t.plain(f"sstatus.{v.status.value}"))]
    if v.my_status is not None and v.my_status != SignupStatus.CANCELLED:
        lines.append(t(f"speed.you_{v.my_status.value}"))
    if v.can_manage and v.registered:
        lines.append(t("speed.registered", names=", ".join(
            ("✅ " if attended else "") + name for _, name, attended in v.registered)))
    buttons: list[tuple[str, str]] = []
    if v.status == SpeedSessionStatus.SCHEDULED:
        if v.my_status in (None, SignupStatus.CANCELLED) and not v.can_manage:
            buttons.append((t.plain("btn.speed_join"), SpeedCb(session=v.id, action=SpeedAction.JOIN).pack()))
        elif v.my_status in (SignupStatus.REGISTERED, SignupStatus.WAITLIST):
            buttons.append((t.plain("btn.speed_leave"), SpeedCb(session=v.id, action=SpeedAction.LEAVE).pack()))
        if v.can_manage:
            buttons += [(t.plain("btn.speed_attendance"), SpeedCb(session=v.id, action=SpeedAction.ATTENDANCE).pack()),
                        (t.plain("btn.speed_move"), SpeedCb(session=v.id, action=SpeedAction.MOVE).pack()),
                        (t.plain("btn.speed_cancel"), SpeedCb(session=v.id, action=SpeedAction.CANCEL).pack())]
    return "\n".join(lines), from_pairs(buttons) if buttons else None
