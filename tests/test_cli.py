"""`python -m bot` as an operator runs it: clear one-line errors, and the real process against the emulator."""
from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import pytest
from docx import Document

from tests.emulator import ScriptedUser
from tests.factories import cli_env, run_cli

ROOT = Path(__file__).resolve().parent.parent






async def test_without_a_token_it_says_what_to_put_in_env(tmp_path):
    code, out, err = await run_cli(tmp_path, "run")
    assert code == 2
    assert "BOT_TOKEN is not set" in err and "BOT_TOKEN=123456789:" in err and ".env" in err
    assert "Traceback" not in err
    code, _, err = await run_cli(tmp_path, BOT_TOKEN="not-a-token")
    assert code == 2 and "BOT_TOKEN looks malformed" in err and "Traceback" not in err


async def test_bad_settings_and_arguments_are_one_line(tmp_path):
    code, _, err = await run_cli(tmp_path, "org", "add", "Школа", "--tz", "Mars/Olympus")
    assert code == 2 and "Unknown time zone: Mars/Olympus" in err and "Traceback" not in err
    code, _, err = await run_cli(tmp_path, "invite", "--org", "42", "--role", "mentor")
    assert code == 2 and "Organisation 42 not found" in err
    code, _, err = await run_cli(tmp_path, "migrate", DEFAULT_TIMEZONE="Nowhere/City")
    assert code == 2 and "unknown time zone" in err and "Traceback" not in err


async def test_invite_without_a_reachable_api_still_prints_the_token(tmp_path):
    code, out, _ = await run_cli(tmp_path, "org", "add", "Школа № 1")
    org_id = out.strip().splitlines()[-1]
    code, out, _ = await run_cli(tmp_path, "invite", "--org", org_id, "--role", "curator", BOT_USERNAME="my_school_bot")
    lines = out.strip().splitlines()
    assert code == 0 and lines[-2] == f"https://t.me/my_school_bot?start={lines[-1]}"


async def test_the_real_process_serves_users_and_stops_on_sigterm(tmp_path, emulator):
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path,
        env=cli_env(tmp_path, BOT_TOKEN=emulator.token, TELEGRAM_API_BASE=emulator.base_url),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        await emulator.wait_polling(timeout=90)
        user = ScriptedUser(emulator, 900, "Гость")
        await emulator.push_message(user.id, text="/start")
        for _ in range(200):
            if user.messages():
                break
            await asyncio.sleep(0.05)
        assert "только по приглашениям" in user.last().text
        assert [c["command"] for c in emulator.commands[("default", "")]] == ["start", "help"]
        assert emulator.commands[("default", "en")][0]["description"] == "Start with an invitation"
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()
    assert "Traceback" not in err.decode()
    assert "objects frozen out of the garbage collector's way" in err.decode()  # bot/speedups/heap.py, before serving
    assert emulator.rejections == []


@pytest.mark.parametrize(("setting", "good", "said", "bad", "refusal"), [
    ("help-hours", "8", "after 8 working hour", "0", "1 to 40"),  # help requests go to the curator after
    ("survey-min", "5", "at least 5 answers", "2", "at least 3"),  # survey results never below 3 answers
])
async def test_organisation_settings(tmp_path, setting, good, said, bad, refusal):
    _, out, _ = await run_cli(tmp_path, "org", "add", "Школа № 2")
    org_id = out.strip().splitlines()[-1]
    code, out, _ = await run_cli(tmp_path, "org", setting, org_id, good)
    assert code == 0 and said in out
    code, _, err = await run_cli(tmp_path, "org", setting, org_id, bad)
    assert code == 2 and refusal in err


async def test_templates_writes_the_shipped_docx_templates_to_start_from(tmp_path):
    folder = tmp_path / "templates"
    code, out, _ = await run_cli(tmp_path, "templates", str(folder), BOT_TOKEN="123:abc")
    names = ("program.docx", "pairs_order.docx", "replacement_order.docx", "journal.docx", "report.docx",
             "portfolio.docx", "thanks.docx", "region_report.docx", "roadmap.docx")
    assert code == 0 and sorted(p.name for p in folder.iterdir()) == sorted(names)
    assert out.split() == [str(folder / name) for name in names]
    texts = [p.text for p in Document(folder / "program.docx").paragraphs]
    assert "{{ org }}" in texts and "Форма наставничества: {{ form }}" in texts  # docxtpl's tags, to edit in Word


async def test_an_organisations_channel_for_practices(tmp_path):
    _, out, _ = await run_cli(tmp_path, "org", "add", "Школа № 3")
    org_id = out.strip().splitlines()[-1]
    code, out, _ = await run_cli(tmp_path, "org", "channel", org_id, "-1001234567890")
    assert code == 0 and "posted to the channel -1001234567890" in out
    code, _, err = await run_cli(tmp_path, "org", "channel", "999", "-1001234567890")
    assert code == 2 and "999" in err
