"""The README's offline demo runs and shows the bot working."""
from __future__ import annotations

from bot.demo import run_demo


async def test_demo_conversation(tmp_path, capsys):
    transcript = await run_demo(tmp_path)
    said = [text for who, text in transcript if who != "bot"]
    answers = "\n".join(text for who, text in transcript if who == "bot")
    assert said[0].startswith("/start ")
    assert "Согласие на обработку персональных данных" in answers
    assert "Анкета заполнена" in answers
    assert "Петров Пётр <Петрович>" in answers  # typed HTML comes back as typed
    assert "Компетенции: Методика преподавания предмета; Цифровые и дистанционные технологии" in answers
    printed = capsys.readouterr().out
    assert "👤 Пётр (наставник): /start" in printed
    assert "отклонено: 0" in printed
