"""The profile dialog: onboarding walks all missing steps, /profile edits one.

The Telegram side of profile (router, views, callbacks, states); its rules are bot/services/profile."""
from bot.handlers.profile.router import create_router

__all__ = ["create_router"]
