"""/start with an invite: the consent first (nothing is stored before it), then the profile.

The Telegram side of onboarding (router, views, callbacks, states); its rules are bot/services/onboarding."""
from bot.handlers.onboarding.router import create_router

__all__ = ["create_router"]
