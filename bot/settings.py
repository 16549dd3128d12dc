"""Settings read from the environment and `.env` (see `.env.example`)."""
from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_URL = f"sqlite+aiosqlite:///{PROJECT_ROOT / 'data' / 'nastavnik.sqlite3'}"
OFFICIAL_API_BASE = "https://api.telegram.org"


def _config(prefix: str) -> SettingsConfigDict:
    return SettingsConfigDict(
        env_prefix=prefix, env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )


class BotSettings(BaseSettings):
    """BOT_TOKEN, BOT_USERNAME."""

    model_config = _config("BOT_")
    token: SecretStr | None = None
    # Optional: the bot's @username, used for invite links when getMe cannot be asked.
    username: str | None = None


class DatabaseSettings(BaseSettings):
    """DATABASE_URL."""

    model_config = _config("DATABASE_")
    url: str = DEFAULT_SQLITE_URL
    echo: bool = False


class RedisSettings(BaseSettings):
    """REDIS_URL: dialog state in Redis (several workers); unset, in the database."""

    model_config = _config("REDIS_")
    url: str | None = None


class WebhookSettings(BaseSettings):
    """WEBHOOK_URL set: webhook mode (aiohttp) instead of long polling."""

    model_config = _config("WEBHOOK_")
    url: str | None = None  # the public HTTPS address Telegram posts to, e.g. https://bot.example.org/telegram
    secret: SecretStr | None = None  # checked in X-Telegram-Bot-Api-Secret-Token; 1-256 of A-Z a-z 0-9 _ -
    host: str = "127.0.0.1"  # behind a reverse proxy on the same host; "0.0.0.0" to take Telegram's POSTs directly
    port: int = Field(default=8080, ge=0, le=65535)
    path: str = "/telegram"
    workers: int = Field(default=1, ge=1, le=64)

    @field_validator("secret")
    @classmethod
    def _secret_chars(cls, value: SecretStr | None) -> SecretStr | None:
        raw = value.get_secret_value() if value else None
        if raw is not None and not (1 <= len(raw) <= 256 and all(c.isalnum() or c in "_-" for c in raw)):
            raise ValueError("WEBHOOK_SECRET: 1 to 256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @model_validator(mode="after")
    def _secret_required(self) -> WebhookSettings:
        # without it anyone who finds the address can post updates in any user's name
        if self.url and self.secret is None:
            raise ValueError("WEBHOOK_SECRET must be set in webhook mode (WEBHOOK_URL is set): put a random "
                             "string of A-Z a-z 0-9 _ - into .env, e.g. the output of "
                             "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`")
        return self


class TelegramSettings(BaseSettings):
    """TELEGRAM_*: where the Bot API is, and how a handler's replies meet its troubles."""

    model_config = _config("TELEGRAM_")
    api_base: str = OFFICIAL_API_BASE
    # seconds to wait for Telegram's answer to a reply, an edit, a button's answer
    reply_timeout: float = Field(default=10.0, gt=0)
    # further attempts of a reply after a 429 (when its retry_after is at most reply_wait_max), 5xx or timeout
    reply_retries: int = Field(default=3, ge=0, le=10)
    reply_wait_max: float = Field(default=10.0, ge=0)


class LocaleSettings(BaseSettings):
    """DEFAULT_TIMEZONE, DEFAULT_LOCALE."""

    model_config = _config("DEFAULT_")
    timezone: str = "Europe/Moscow"
    locale: str = "ru"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}, use an IANA name like Europe/Moscow") from exc
        return value

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in ("ru", "en"):
            raise ValueError("DEFAULT_LOCALE must be ru or en")
        return value


class NotifySettings(BaseSettings):
    """NOTIFY_*: how the outbox is delivered within Telegram's limits."""

    model_config = _config("NOTIFY_")
    # messages a second overall; Telegram allows about 30, a little under keeps every second within it
    rate: float = Field(default=29.5, gt=0, le=30)
    # seconds between two messages into one chat (Telegram: about 1)
    chat_interval: float = Field(default=1.0, ge=0)
    # requests in flight at once (Telegram answers in ~0.1 s, so a few are needed to reach the rate)
    concurrency: int = Field(default=8, ge=1, le=64)
    # retries of 5xx and network errors: first delay, its cap, and how many attempts in all
    retry_base: float = Field(default=2.0, gt=0)
    retry_max: float = Field(default=300.0, gt=0)
    max_attempts: int = Field(default=12, ge=1)
    # seconds to wait for Telegram's answer to one message
    request_timeout: float = Field(default=15.0, gt=0)
    # seconds between looks at the outbox when nothing woke the sender
    poll_interval: float = Field(default=1.0, gt=0)
    # days a delivered notification keeps its text (names, relayed messages) before it is scrubbed
    retention_days: float = Field(default=7.0, gt=0, le=366)


class Settings(BaseSettings):
    """All settings; each group reads its own prefix, so `.env` keys stay flat."""

    model_config = _config("")
    bot: BotSettings = Field(default_factory=BotSettings)
    db: DatabaseSettings = Field(default_factory=DatabaseSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    redis: RedisSettings = Field(default_factory=RedisSettings)
    webhook: WebhookSettings = Field(default_factory=WebhookSettings)
    defaults: LocaleSettings = Field(default_factory=LocaleSettings)
    notify: NotifySettings = Field(default_factory=NotifySettings)
    log_level: str = "INFO"
    # an organisation's own DOCX templates: <dir>/<organisation id>/<name>.docx, or <dir>/<name>.docx for
    # all (`python -m bot templates DIR` writes the shipped ones to start from)
    document_templates_dir: Path | None = None
    # SPEEDUPS=off: none of the touches of libraries' internals (bot/speedups/), for a library upgrade
    # or to tell a bug of theirs from ours
    speedups: bool = True

    @classmethod
    def explicit(cls, *, token: str, db_url: str, api_base: str, redis_url: str | None = None,
                 webhook: dict | None = None, telegram: dict | None = None, speedups: bool = True,
                 **notify: float) -> Settings:
        """Settings from these values and the defaults only, ignoring `.env` (the demo and tests)."""
        return cls(
            _env_file=None,
            bot=BotSettings(_env_file=None, token=token),
            db=DatabaseSettings(_env_file=None, url=db_url),
            telegram=TelegramSettings(_env_file=None, api_base=api_base, **(telegram or {})),
            redis=RedisSettings(_env_file=None, url=redis_url),
            webhook=WebhookSettings(_env_file=None, **(webhook or {})),
            defaults=LocaleSettings(_env_file=None),
            notify=NotifySettings(_env_file=None, **notify),
            speedups=speedups,
        )


class SettingsError(Exception):
    """Settings the operator must fix; the command line prints it as one line, no traceback."""


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'setting'}: {e['msg']}" for e in exc.errors())
        raise SettingsError(f"invalid settings in the environment or .env: {problems}") from None
