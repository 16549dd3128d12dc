"""Texts and keyboards of approvals, made from services.approvals' cards."""
from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.handlers.approvals.callbacks import ApprovalAction, ApprovalCb, ApprovalsListCb, ApprovalsSettingCb
from bot.handlers.render import from_pairs, shorten
from bot.i18n import Translator
from bot.services.approvals import ApprovalCard
from bot.services.dates import local_time
from db.models import ApprovalStatus


def pending_list(t: Translator, cards: list[ApprovalCard],
                 settings: list[tuple[int, str, bool]]) -> tuple[str, InlineKeyboardMarkup]:
    """What waits, oldest first, and each organisation's setting."""
    lines = [t("approvals.title")]
    if not cards:
        lines.append(t("approvals.none"))
    buttons = []
    for n, c in enumerate(cards, start=1):
        what = t.plain(f"approval_kind.{c.kind.value}")
        lines.append(t("approvals.line", n=n, what=what, title=c.title, at=local_time(c.requested_at, c.timezone)))
        buttons.append((f"{n}. {what}: {shorten(c.title, 40)}", ApprovalCb(approval=c.id,
                                                                            action=ApprovalAction.SHOW).pack()))
    for org_id, name, on in settings:
        lines.append(t("approvals.setting_on" if on else "approvals.setting_off", org=name))
        buttons.append((t.plain("btn.approvals_off" if on else "btn.approvals_on", org=shorten(name, 30)),
                        ApprovalsSettingCb(org=org_id, on=not on).pack()))
    return "\n".join(lines), from_pairs(buttons)


def approval_text(t: Translator, c: ApprovalCard) -> str:
    lines = [t("approvals.card_title", what=t.plain(f"approval_kind.{c.kind.value}")),
             t("approvals.card_mentor", name=c.mentor,
               agreed=local_time(c.mentor_agreed_at, c.timezone) if c.mentor_agreed_at else "—"),
             t("approvals.card_mentees", names=", ".join(c.mentees) or "—"),
             t("approvals.card_requested", at=local_time(c.requested_at, c.timezone))]
    if c.period is not None:
        lines.append(t("approvals.card_period", start=c.period[0].strftime("%d.%m.%Y"),
                       end=c.period[1].strftime("%d.%m.%Y")))
    if c.goals:
        lines.append(t("approvals.card_goals", goals=shorten(c.goals, 600)))
    if c.status == ApprovalStatus.APPROVED and c.order_date is not None:
        lines.append(t("approvals.card_approved", number=c.order_number or "—", date=c.order_date.strftime("%d.%m.%Y")))
    elif c.status == ApprovalStatus.RETURNED:
        lines.append(t("approvals.card_returned", comment=c.comment or "—"))
    return "\n".join(lines)


def approval_actions(t: Translator, c: ApprovalCard) -> InlineKeyboardMarkup:
    back = (t.plain("btn.approvals_back"), ApprovalsListCb().pack())
    if c.status != ApprovalStatus.PENDING:
        return from_pairs([back])
    return from_pairs([(t.plain("btn.approve"), ApprovalCb(approval=c.id, action=ApprovalAction.APPROVE).pack()),
                       (t.plain("btn.approval_return"), ApprovalCb(approval=c.id, action=ApprovalAction.RETURN).pack()),
                       back])


def numbering(t: Translator, c: ApprovalCard) -> tuple[str, InlineKeyboardMarkup]:
    return t("approvals.ask_numbering"), from_pairs([
        (t.plain("btn.order_by_bot"), ApprovalCb(approval=c.id, action=ApprovalAction.NUMBER_BY_BOT).pack()),
        (t.plain("btn.order_typed"), ApprovalCb(approval=c.id, action=ApprovalAction.NUMBER_TYPED).pack()),
        (t.plain("btn.approvals_back"), ApprovalCb(approval=c.id, action=ApprovalAction.SHOW).pack())])
