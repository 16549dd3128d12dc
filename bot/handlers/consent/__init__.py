"""/consent: what was agreed to, and withdrawal, which erases personal data.

The Telegram side of consent (router, views, callbacks); its rules are bot/services/consent."""
from bot.handlers.consent.router import create_router

__all__ = ["create_router"]
