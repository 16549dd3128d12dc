"""Both locales say everything, with the same parameters, in HTML Telegram accepts."""
from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from bot.handlers.registry.views import REGISTRY_FILTERS
from bot.handlers.surveys.router import DEADLINE_CHOICES
from bot.i18n import I18n
from bot.services.profile import COMMON_STEPS, ROLE_STEPS
from bot.services.surveys import AUDIENCES, TEMPLATE_KEYS, TEMPLATES
from bot.telegram.menus import MEMBER_COMMANDS, ROLE_COMMANDS, STRANGER_COMMANDS
from db.models import (
    CompletionReason,
    HelpRequestStatus,
    MeetingFormat,
    MenteeCategory,
    MentoringForm,
    MentoringKind,
    MentorshipStatus,
    QuestionKind,
    ReplacementGround,
    Role,
    SpeedSessionStatus,
    SurveyStatus,
)
from tests.emulator.telegram_html import parse_html, utf16_len

I18N = I18n()
BOT_DIR = Path(__file__).resolve().parent.parent / "bot"
KEY_RE = re.compile(r"""["']((?:[a-z_0-9]+\.)+[a-z_0-9]+)["']""")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_locales_have_the_same_keys_and_parameters():
    ru, en = I18N.catalogs["ru"], I18N.catalogs["en"]
    assert set(ru) == set(en)
    for key in ru:
        assert _fields(ru[key]) == _fields(en[key]), key


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_every_text_is_valid_telegram_html_with_hostile_parameters(locale):
    t = I18N.get(locale)
    for key, template in I18N.catalogs[locale].items():
        text = t(key, **{name: '<script>&"x"</script>' for name in _fields(template)})
        plain = parse_html(text)
        assert utf16_len(plain) <= 4096, key


def test_every_key_the_code_names_exists():
    known = set(I18N.catalogs["ru"])
    sections = {key.split(".")[0] for key in known}
    used = set()
    for path in BOT_DIR.rglob("*.py"):
        for key in KEY_RE.findall(path.read_text(encoding="utf-8")):
            if key.split(".")[0] in sections:
                used.add(key)
    assert used and used <= known, sorted(used - known)
    # keys the code builds from values
    built = {f"role.{r.value}" for r in Role} | {f"category.{c.value}" for c in MenteeCategory}
    for prefix, members in [("form", MentoringForm), ("kind", MentoringKind), ("mstatus", MentorshipStatus),
                            ("completion", CompletionReason), ("ground", ReplacementGround),
                            ("hstatus", HelpRequestStatus), ("meeting_format", MeetingFormat),
                            ("sstatus", SpeedSessionStatus), ("survey_status", SurveyStatus),
                            ("question_kind", QuestionKind), ("survey.hint", QuestionKind)]:
        built |= {f"{prefix}.{m.value}" for m in members}
    steps = set(COMMON_STEPS) | {s for steps in ROLE_STEPS.values() for s in steps}
    built |= {f"ask.{s}" for s in steps} | {f"btn.edit.{s}" for s in steps}
    built |= {f"profile.field.{s}" for s in COMMON_STEPS} | {f"help.{r.value}" for r in Role}
    commands = set(STRANGER_COMMANDS) | set(MEMBER_COMMANDS) | {c for cs in ROLE_COMMANDS.values() for c in cs}
    built |= {f"command.{c}" for c in commands} | {f"registry.filter.{f}" for f in REGISTRY_FILTERS}
    built |= {f"survey.template.{t}" for t in TEMPLATES} | {f"survey.audience.{a}" for a in AUDIENCES}
    built |= {f"survey_q.{t}.{key}" for t in TEMPLATES for key, _, _ in TEMPLATE_KEYS}
    built |= {f"survey.deadline_days.d{days}" for days in DEADLINE_CHOICES}
    assert built <= known, sorted(built - known)


def test_parameters_are_escaped_but_safe_html_is_not():
    from bot.i18n import Safe

    t = I18N.get("ru")
    assert t("registry.row", n=1, name="<b>&", roles="x", mark="") == "1. &lt;b&gt;&amp; — x"
    assert t("profile.field.full_name", value=Safe("<i>a</i>")) == "ФИО: <i>a</i>"
    assert t.plain("btn.done", count="<3") == "Готово (выбрано: <3)"
    assert I18N.get("de").locale == "ru"  # an unknown language falls back to Russian
