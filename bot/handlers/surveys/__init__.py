"""/surveys: anonymous questionnaires — the curator builds and launches them and reads the results; everyone invited answers one question a message.

The Telegram side of surveys (router, views, callbacks, states); its rules are bot/services/surveys."""
from bot.handlers.surveys.router import create_router

__all__ = ["create_router"]
