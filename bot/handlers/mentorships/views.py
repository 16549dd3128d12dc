"""Texts and keyboards of mentorships, made from the services' data."""
from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.handlers.mentorships.callbacks import (
    AbsenceAction,
    AbsenceCb,
    AdmitCb,
    EvalCb,
    EvalWhoCb,
    FormChangeCb,
    ItemDoneCb,
    ItemEditAction,
    ItemEditCb,
    KindChangeCb,
    ProgramAction,
    ProgramCb,
    TrainingCb,
    TrainingKindCb,
)
from bot.handlers.render import from_pairs, shorten
from bot.i18n import Translator
from bot.reports import number as decimal
from bot.services import mentorships as svc
from bot.services.dates import local_time
from bot.services.message_split import visible_length
from db.models import ApprovalStatus, MentoringForm, MentoringKind, MentorshipStatus, Role, TrainingKind

CARD_BUDGET = 3800  # visible characters of a program card, below Telegram's 4096


def program_text(t: Translator, v) -> str:  # v: MentorshipView

    head = [
        t("program.title"),
        t("program.meta", org=v.organization_name, form=t.plain(f"form.{v.form.value}"),
          kind=t.plain(f"kind.{v.kind.value}")),
        t("program.mentor_line", name=v.mentor.name if v.mentor else "—"),
        t("program.mentees_line", names=", ".join(m.name for m in v.mentees) or "—"),
        t("program.status_line", status=t.plain(f"mstatus.{v.status.value}")),
    ]
    if v.completion_reason is not None:
        head.append(t("program.reason_line", reason=t.plain(f"completion.{v.completion_reason.value}")))
    latest = {a.kind: a for a in v.approvals}  # the last decision of each kind
    for a in latest.values():
        what = t.plain(f"approval_kind.{a.kind.value}")
        if a.status == ApprovalStatus.APPROVED:
            head.append(t("program.approved_line", what=what, number=a.order_number or "—",
                          date=a.order_date.strftime("%d.%m.%Y") if a.order_date else "—"))
        elif a.status == ApprovalStatus.PENDING:
            head.append(t("program.approval_pending", what=what))
        else:
            head.append(t("program.approval_returned", what=what, comment=a.comment or "—"))
    for ref, ground in v.past_mentors:
        head.append(t("program.past_mentor", name=ref.name,
                      ground=t.plain(f"ground.{ground.value}") if ground else "—"))
    if v.program_id is None:
        head += ["", t("program.no_program")]
        return "\n".join(head)
    head += [
        t("program.period", start=v.start_date.strftime("%d.%m.%Y"), end=v.end_date.strftime("%d.%m.%Y")),
        t("program.goals_line", goals=shorten(v.goals, 600)),
        t("program.difficulties_line", difficulties=shorten(v.difficulties, 400)),
        "", t("program.plan_title") if v.items else t("program.plan_empty"),
    ]
    text = "\n".join(head)
    for number, item in enumerate(v.items, start=1):
        mark = "✅" if item.done else "⚠️" if item.overdue else "▫️"
        line = t("program.item", n=number, mark=mark, activity=shorten(item.activity, 160),
                 due=item.due_date.strftime("%d.%m.%Y"), expected=shorten(item.expected_result, 160))
        if item.completion_note:
            line += "\n" + t("program.item_note", note=shorten(item.completion_note, 160))
        if visible_length(text + "\n" + line) > CARD_BUDGET:
            text += "\n" + t("program.more_items", count=len(v.items) - number + 1)
            break
        text += "\n" + line
    if v.growth:
        text += "\n\n" + growth_text(t, v.growth)
    return text


def growth_text(t: Translator, grown: list[svc.Growth]) -> str:
    """Per mentee and difficulty: self-assessment and the mentor's rating, before → after; the averages."""
    lines = [t("evaluation.title")]
    for g in grown:
        lines.append(t("evaluation.mentee", name=g.mentee_name))
        for i in g.items:
            lines.append(t("evaluation.item", title=shorten(i.title, 80), self_before=decimal(t, i.self_before, 0),
                           self_after=decimal(t, i.self_after, 0), mentor_before=decimal(t, i.mentor_before, 0),
                           mentor_after=decimal(t, i.mentor_after, 0)))
        lines.append(t("evaluation.mean", self_before=decimal(t, g.mean("self_before")),
                       self_after=decimal(t, g.mean("self_after")), mentor_before=decimal(t, g.mean("mentor_before")),
                       mentor_after=decimal(t, g.mean("mentor_after"))))
    return "\n".join(lines)


def assessment_question(t: Translator, q: svc.Question) -> tuple[str, InlineKeyboardMarkup]:
    key = "evaluation.ask_mentor" if q.by_mentor else "evaluation.ask_self"
    text = t(key, stage=t.plain(f"evaluation.stage.{q.stage.value}"), n=q.item + 1, count=q.count,
             title=q.title, name=q.mentee_name)
    return text, from_pairs([(str(score), EvalCb(mentorship=q.mentorship_id, mentee=q.mentee_id, stage=q.stage,
                                                 item=q.item, score=score).pack()) for score in svc.SCORES], 5)


def assessment_targets(t: Translator, mentorship_id: int, people: list[tuple[int, str]]) -> tuple[
        str, InlineKeyboardMarkup]:
    return t("evaluation.pick_mentee"), from_pairs(
        [(name, EvalWhoCb(mentorship=mentorship_id, mentee=person_id).pack()) for person_id, name in people])


def suggestions_view(t: Translator, title: str, suggestions: list[svc.MentorSuggestion], button) -> tuple[
        str, InlineKeyboardMarkup | None]:
    """The ranked mentors, one line each explaining the match, and a button each (`button(s)`)."""
    shown = suggestions[:8]
    lines = [title]
    for n, s in enumerate(shown, start=1):
        lines.append(t("pairs.suggestion_line", n=n, name=s.name, matched=len(s.overlap), wanted=s.wanted,
                       topics="; ".join(s.overlap) or t.plain("pairs.no_overlap"), free=s.free,
                       capacity=s.capacity))
    if not shown:
        lines.append(t("pairs.no_mentors"))
    markup = from_pairs([(f"{n}. {s.name}", button(s)) for n, s in enumerate(shown, start=1)]) if shown else None
    return "\n".join(lines), markup


def program_actions(t: Translator, v: svc.MentorshipView) -> InlineKeyboardMarkup | None:
    if v.status != MentorshipStatus.ACTIVE:
        return None
    participant = v.viewer_role in (Role.MENTOR, Role.MENTEE)
    buttons: list[tuple[str, str]] = []
    if v.program_id is None:
        if v.viewer_role != Role.MENTEE:
            buttons.append((t.plain("btn.program_create"), ProgramCb(mentorship=v.id, action=ProgramAction.CREATE).pack()))
    else:
        if participant:
            for n, item in enumerate(v.items, start=1):
                if not item.done:
                    buttons.append((f"✅ {n}. {item.activity}", ItemDoneCb(item=item.id).pack()))
            buttons.append((t.plain("btn.item_add"), ProgramCb(mentorship=v.id, action=ProgramAction.ITEM).pack()))
            if any(not item.done for item in v.items):
                buttons.append((t.plain("btn.plan_correct"),
                                ProgramCb(mentorship=v.id, action=ProgramAction.CORRECT).pack()))
            buttons.append((t.plain("btn.goals_change"), ProgramCb(mentorship=v.id, action=ProgramAction.GOALS).pack()))
            buttons.append((t.plain("btn.assess"), ProgramCb(mentorship=v.id, action=ProgramAction.ASSESS).pack()))
            buttons.append((t.plain("btn.extend"), ProgramCb(mentorship=v.id, action=ProgramAction.EXTEND).pack()))
    buttons.append((t.plain("btn.complete"), ProgramCb(mentorship=v.id, action=ProgramAction.COMPLETE).pack()))
    if participant:
        buttons.append((t.plain("btn.ask_replace"), ProgramCb(mentorship=v.id, action=ProgramAction.ASK_REPLACE).pack()))
    else:
        buttons.append((t.plain("btn.replace"), ProgramCb(mentorship=v.id, action=ProgramAction.REPLACE).pack()))
        buttons.append((t.plain("btn.form_change"), ProgramCb(mentorship=v.id, action=ProgramAction.FORM).pack()))
    buttons.append((t.plain("btn.program_history"), ProgramCb(mentorship=v.id, action=ProgramAction.HISTORY).pack()))
    return from_pairs(buttons[:40])


def back_to_program(t: Translator, mentorship_id: int) -> tuple[str, str]:
    return t.plain("btn.to_program"), ProgramCb(mentorship=mentorship_id, action=ProgramAction.SHOW).pack()


def correct_list(t: Translator, v: svc.MentorshipView) -> tuple[str, InlineKeyboardMarkup]:
    """The plan's items still open, to pick one to correct (done ones are a record and stay)."""
    buttons = [(f"✏️ {n}. {shorten(item.activity, 50)}", ItemEditCb(item=item.id, action=ItemEditAction.MENU).pack())
               for n, item in enumerate(v.items, start=1) if not item.done]
    return t("correct.pick_item"), from_pairs(buttons[:30] + [back_to_program(t, v.id)])


def item_menu(t: Translator, card: svc.ItemCard) -> tuple[str, InlineKeyboardMarkup]:
    text = t("correct.item", activity=shorten(card.activity, 600), due=card.due_date.strftime("%d.%m.%Y"),
             expected=shorten(card.expected_result, 600))
    actions = [(t.plain("btn.item_activity"), ItemEditAction.ACTIVITY), (t.plain("btn.item_due"), ItemEditAction.DUE),
               (t.plain("btn.item_expected"), ItemEditAction.EXPECTED), (t.plain("btn.item_delete"), ItemEditAction.DELETE)]
    return text, from_pairs([(label, ItemEditCb(item=card.id, action=a).pack()) for label, a in actions]
                            + [back_to_program(t, card.mentorship_id)], 2)


def delete_confirm(t: Translator, card: svc.ItemCard) -> tuple[str, InlineKeyboardMarkup]:
    return t("correct.confirm_delete", activity=shorten(card.activity, 300)), from_pairs([
        (t.plain("btn.item_delete_yes"), ItemEditCb(item=card.id, action=ItemEditAction.DELETE_CONFIRMED).pack()),
        (t.plain("btn.no"), ItemEditCb(item=card.id, action=ItemEditAction.MENU).pack())], 2)


def form_choice(t: Translator, v: svc.MentorshipView) -> tuple[str, InlineKeyboardMarkup]:
    buttons = [(("• " if f == v.form else "") + t.plain(f"form.{f.value}"), FormChangeCb(mentorship=v.id, form=f).pack())
               for f in MentoringForm]
    return t("correct.pick_form"), from_pairs(buttons + [back_to_program(t, v.id)])


def kind_choice(t: Translator, v: svc.MentorshipView, form: MentoringForm) -> tuple[str, InlineKeyboardMarkup]:
    group = len(v.mentees) > 1
    kinds = [k for k in MentoringKind if group or k != MentoringKind.GROUP]
    buttons = [(("• " if k == v.kind else "") + t.plain(f"kind.{k.value}"),
                KindChangeCb(mentorship=v.id, form=form, kind=k).pack()) for k in kinds]
    return t("correct.pick_kind", form=t.plain(f"form.{form.value}")), from_pairs(buttons + [back_to_program(t, v.id)])


def history_text(t: Translator, v: svc.MentorshipView, entries: list[svc.ChangeEntry],
                 total: int) -> tuple[str, InlineKeyboardMarkup]:
    lines = [t("correct.history_title")]
    for entry in entries:
        lines.append(t("correct.history_line", at=local_time(entry.changed_at, v.timezone), author=entry.author)
                     + " " + svc.change_line(t, entry))
    if not entries:
        lines.append(t("correct.history_empty"))
    elif total > len(entries):
        lines.append(t("correct.history_more", count=total - len(entries)))
    text = "\n".join(lines)
    while visible_length(text) > CARD_BUDGET and len(lines) > 2:
        lines.pop(-1)
        text = "\n".join(lines)
    return text, from_pairs([back_to_program(t, v.id)])


def absence_menu(t: Translator, org_id: int, standing: svc.Standing) -> tuple[str, InlineKeyboardMarkup]:
    """A person's pairs and groups, and what the curator may record: an absence or a return, a departure."""
    lines = [t("absence.title", name=standing.name)]
    if standing.absent_since is not None:
        lines.append(t("absence.absent_since", since=standing.absent_since.strftime("%d.%m.%Y")))
    for _, title, status, role in standing.pairs:
        lines.append(t("absence.pair_line", title=title, role=t.plain(f"role.{role.value}"),
                       status=t.plain(f"mstatus.{status.value}")))
    if not standing.pairs:
        lines.append(t("absence.no_pairs"))
    lines.append(t("absence.explain"))
    step = AbsenceAction.RETURN if standing.absent_since is not None else AbsenceAction.PAUSE
    buttons = [(t.plain(f"btn.absence_{step.value}"), AbsenceCb(org=org_id, person=standing.person_id,
                                                                 action=step).pack()),
               (t.plain("btn.absence_depart"), AbsenceCb(org=org_id, person=standing.person_id,
                                                         action=AbsenceAction.DEPART).pack())]
    return "\n".join(lines), from_pairs(buttons)


def departure_confirm(t: Translator, org_id: int, standing: svc.Standing) -> tuple[str, InlineKeyboardMarkup]:
    return t("absence.confirm_depart", name=standing.name, count=len(standing.pairs)), from_pairs([
        (t.plain("btn.absence_depart_yes"), AbsenceCb(org=org_id, person=standing.person_id,
                                                      action=AbsenceAction.DEPART_CONFIRMED).pack()),
        (t.plain("btn.no"), AbsenceCb(org=org_id, person=standing.person_id, action=AbsenceAction.MENU).pack())], 2)


def mentor_standing_text(t: Translator, standing: svc.MentorStanding) -> str:
    """The mentor's admission and trainings, for the registry's card."""
    lines = ["", t("selection.title")]
    if standing.waiting:
        lines.append(t("selection.waiting"))
    elif standing.admitted_at is not None:
        lines.append(t("selection.admitted_on", date=standing.admitted_at.strftime("%d.%m.%Y")))
    for kind, held_on in standing.trainings:
        lines.append(t("selection.training_line", kind=t.plain(f"training.{kind.value}"),
                       date=held_on.strftime("%d.%m.%Y")))
    if not standing.trainings:
        lines.append(t("selection.no_training"))
    return "\n".join(lines)


def mentor_buttons(t: Translator, org_id: int, person_id: int, standing: svc.MentorStanding) -> list[tuple[str, str]]:
    buttons = []
    if standing.waiting:
        buttons.append((t.plain("btn.admit"), AdmitCb(org=org_id, person=person_id).pack()))
    buttons.append((t.plain("btn.training_add"), TrainingCb(org=org_id, person=person_id).pack()))
    return buttons


def training_kinds(t: Translator, org_id: int, person_id: int) -> tuple[str, InlineKeyboardMarkup]:
    return t("selection.pick_kind"), from_pairs([(t.plain(f"training.{k.value}"),
                                                  TrainingKindCb(org=org_id, person=person_id, kind=k).pack())
                                                 for k in TrainingKind])
