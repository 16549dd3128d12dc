"""/sessions: speed mentoring — announce, sign up, waitlist, attendance, feedback.

The Telegram side of speed_sessions (router, views, callbacks, states); its rules are bot/services/speed_sessions."""
from bot.handlers.speed_sessions.router import create_router

__all__ = ["create_router"]
