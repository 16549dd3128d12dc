"""One router per feature. Each module's `create_router()` lists its routes; a fresh router
is made for every dispatcher, so tests can build as many dispatchers as they need."""
from aiogram import Router


def get_routers() -> list[Router]:
    from bot.handlers import (
        common,
        consent,
        fallback,
        help_requests,
        invites,
        journal,
        mentorships,
        onboarding,
        profile,
        registry,
        speed_sessions,
        summary,
        surveys,
    )

    # common first (/cancel and /help work inside any dialog); the help requests' relay takes free text, so it
    # comes after every dialog; fallback last
    modules = [common, onboarding, profile, consent, invites, registry, mentorships, journal, speed_sessions,
               surveys, summary, help_requests, fallback]
    return [module.create_router() for module in modules]
