"""config.toml (+ DIGEST_* environment overrides; secrets only from the environment) → Config.

Every key is declared once, here, as a typed dataclass field with its default. The loader
rejects unknown keys and wrong types with a ConfigError naming the dotted key.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import tomllib
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from digest.errors import ConfigError
from digest.types import Feed

DEFAULT_SECTIONS = (
    "Germany", "Europe", "Americas", "Middle East", "Africa", "Asia", "Oceania", "World",
)
DEFAULT_TOPICS = (
    "Politics", "Business", "Science & Technology", "Environment", "Health", "Culture", "Sports",
)


@dataclass(frozen=True)
class NewsletterConfig:
    name: str = "Evening Digest"
    sender: str = "Evening Digest <digest@example.org>"
    base_url: str = "http://127.0.0.1:8000"
    subject: str = "{name} | {date:%d.%m.%Y}, 18:30 UTC"
    reply_to: str = ""
    unsubscribe_mailto: str = ""  # default: unsubscribe@<the sender's domain>
    postal_address: str = ""  # the sender's identity in the footer
    why: str = "You receive this email because you subscribed to {name}."
    language: str = "en"
    templates_dir: str = ""  # default: the templates shipped with the package


@dataclass(frozen=True)
class DatabaseConfig:
    url: str = "sqlite:///digest.sqlite3"


@dataclass(frozen=True)
class DeliveryConfig:
    transport: str = "outbox"  # outbox | smtp
    outbox_dir: str = "outbox"
    max_attempts: int = 5  # a transient failure is retried on later runs up to this
    connections: int = 4  # SMTP connections used in parallel
    rate_limit: float = 0.0  # messages per second, 0: no limit


@dataclass(frozen=True)
class SmtpConfig:
    host: str = "127.0.0.1"
    port: int = 25
    security: str = "none"  # none | starttls | tls
    username: str = ""
    timeout: float = 30.0


@dataclass(frozen=True)
class CollectConfig:
    timeout: float = 20.0  # seconds to connect, and between bytes read
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    concurrency: int = 64
    user_agent: str = ""  # default: digest/<version> (+<base_url>)
    teaser_words: int = 45


@dataclass(frozen=True)
class EditionConfig:
    group_by: str = "feed"  # feed | region | topic
    max_items: int = 30
    max_per_section: int = 0  # 0: no cap per section
    sections: tuple[str, ...] = ()  # order of sections; default depends on group_by
    first_window_hours: float = 24.0
    min_items: int = 1
    quiet_day: str = "skip"  # skip | send
    regions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # region → ISO codes
    topics: tuple[str, ...] = ()
    # an editor's own place names by ISO code ([edition.places] IN = ["Kidwai Nagar"]), and
    # names that are no place ("Sofia Ashraf"): read before the built-in gazetteer
    places: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    not_places: tuple[str, ...] = ()
    # an editor's own topic words ([edition.topic_words] Sports = ["Kooyong Classic"]): a
    # story naming one takes that topic, over the rules and the text model
    topic_words: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    similarity: float = 0.35  # same-story threshold
    # the packaged text model's sentence vectors help the word rules pick the topic and join
    # two outlets' tellings of one story (``topic_model``: its earlier name, still read)
    text_model: bool = True


@dataclass(frozen=True)
class ScheduleConfig:
    send_at: str = "18:30"
    cron: str = ""
    timezone: str = "UTC"
    collect_every: str = "30m"
    misfire_grace: str = "2h"
    feed_alert_after: float = 24.0


@dataclass(frozen=True)
class WebConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    confirm_expires_after: str = "7d"  # a confirmation link's life; "": for ever
    resend_after: str = "10m"  # at most one subscribe email per address in this time; "": no limit
    subscribes_per_hour: int = 20  # subscribe posts one client may make in an hour; 0: no limit


@dataclass(frozen=True)
class LoggingConfig:
    level: str = "INFO"
    format: str = "text"  # text | json


@dataclass(frozen=True)
class Config:
    newsletter: NewsletterConfig = field(default_factory=NewsletterConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    delivery: DeliveryConfig = field(default_factory=DeliveryConfig)
    smtp: SmtpConfig = field(default_factory=SmtpConfig)
    collect: CollectConfig = field(default_factory=CollectConfig)
    edition: EditionConfig = field(default_factory=EditionConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    web: WebConfig = field(default_factory=WebConfig)
    logging: LoggingConfig = field(default_factory=LoggingConfig)
    feeds: tuple[Feed, ...] = ()
    path: Path | None = None  # where it was read from; relative paths resolve against it
    secret: str = ""  # DIGEST_SECRET
    smtp_password: str = ""  # DIGEST_SMTP_PASSWORD
    workbench_password: str = ""  # DIGEST_WORKBENCH_PASSWORD: editors' pages ask for it

    def resolve(self, relative: str) -> Path:
        """A path from the config, relative to the config file's folder."""
        p = Path(relative).expanduser()
        if p.is_absolute() or self.path is None:
            return p
        return self.path.parent / p

    @property
    def database_url(self) -> str:
        url = self.database.url
        m = re.match(r"^(sqlite(?:\+\w+)?:///)(?!/)(.+)$", url)
        if m and m.group(2) != ":memory:" and self.path is not None:
            return m.group(1) + str(self.resolve(m.group(2)))
        return url


SECTION_TYPES: dict[str, type[Any]] = {
    f.name: typing.cast(type[Any], f.default_factory)
    for f in dataclasses.fields(Config)
    if f.name not in ("feeds", "path", "secret", "smtp_password", "workbench_password")
    and f.default_factory is not dataclasses.MISSING
}
FEED_KEYS = {"url": str, "name": str, "section": str, "priority": int, "country": str}
# earlier names of keys, still read: old dotted key → new dotted key
ALIASES: dict[str, str] = {"edition.topic_model": "edition.text_model"}
ENV_PREFIX = "DIGEST_"
ENV_SPECIAL = {"DIGEST_CONFIG", "DIGEST_SECRET", "DIGEST_SMTP_PASSWORD",
               "DIGEST_WORKBENCH_PASSWORD"}

_CHOICES: dict[str, tuple[str, ...]] = {
    "delivery.transport": ("outbox", "smtp"),
    "smtp.security": ("none", "starttls", "tls"),
    "edition.group_by": ("feed", "region", "topic"),
    "edition.quiet_day": ("skip", "send"),
    "logging.format": ("text", "json"),
    "logging.level": ("DEBUG", "INFO", "WARNING", "ERROR"),
}


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if tp is str:
        return "a string"
    if tp is int:
        return "an integer"
    if tp is float:
        return "a number"
    if tp is bool:
        return "true or false"
    if origin is tuple:
        return "a list of strings"
    if origin in (Mapping, dict):
        return "a table of lists of strings"
    return str(tp)


def _coerce(key: str, value: Any, tp: Any) -> Any:
    """Check one value against its declared type; raise ConfigError naming the key."""
    origin = typing.get_origin(tp)
    ok: bool
    if tp is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif tp is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif tp is bool:
        ok = isinstance(value, bool)
    elif tp is str:
        ok = isinstance(value, str)
    elif origin is tuple:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        value = tuple(value) if ok else value
    elif origin in (Mapping, dict):
        ok = isinstance(value, dict) and all(
            isinstance(v, list) and all(isinstance(c, str) for c in v) for v in value.values()
        )
        value = {k: tuple(v) for k, v in value.items()} if ok else value
    else:  # pragma: no cover - every declared type is handled above
        ok = isinstance(value, tp)
    if not ok:
        raise ConfigError(
            f"expected {_type_name(tp)}, got {value!r}", key=key, hint="fix it in config.toml"
        )
    choices = _CHOICES.get(key)
    if choices and value not in choices:
        raise ConfigError(
            f"expected one of {', '.join(map(repr, choices))}, got {value!r}", key=key
        )
    return value


def _section(name: str, cls: type[Any], raw: Any) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(f"expected a table [{name}], got {raw!r}", key=name)
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        dotted = f"{name}.{key}"
        if key not in known:
            hint = f"known keys: {', '.join(sorted(known))}"
            if key == "password":
                hint = "passwords are read only from the environment, e.g. DIGEST_SMTP_PASSWORD"
            raise ConfigError("unknown key", key=dotted, hint=hint)
        values[key] = _coerce(dotted, value, hints[key])
    return cls(**values)


def _feeds(raw: Any) -> tuple[Feed, ...]:
    if not isinstance(raw, list):
        raise ConfigError("expected [[feeds]] tables", key="feeds")
    feeds: list[Feed] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        where = f"feeds[{i}]"
        if not isinstance(item, dict):
            raise ConfigError("expected a table with url, name", key=where)
        for key, value in item.items():
            if key not in FEED_KEYS:
                raise ConfigError(
                    "unknown key",
                    key=f"{where}.{key}",
                    hint=f"known keys: {', '.join(sorted(FEED_KEYS))}",
                )
            _coerce(f"{where}.{key}", value, FEED_KEYS[key])
        url = item.get("url")
        if not url:
            raise ConfigError("missing", key=f"{where}.url", hint="every feed needs a url")
        if not re.match(r"^https?://[^/\s]+", url):
            raise ConfigError(f"expected an http(s) URL, got {url!r}", key=f"{where}.url")
        if url in seen:
            raise ConfigError(f"{url} is listed twice", key=f"{where}.url")
        seen.add(url)
        name = item.get("name") or re.sub(r"^https?://(www\.)?", "", url).split("/")[0]
        country = item.get("country")
        if country is not None:
            country = country.strip().upper()
            # imported here: digest.compose imports this module
            from digest.compose.gazetteer import COUNTRY_CODES

            if country and country not in COUNTRY_CODES:
                raise ConfigError(
                    f"unknown country code {item['country']!r}", key=f"{where}.country",
                    hint='an ISO 3166 code such as "GB", or "" for an outlet with no home',
                )
        feeds.append(
            Feed(
                url=url,
                name=name,
                section=item.get("section") or name,
                priority=item.get("priority", 1),
                country=country,
            )
        )
    return tuple(feeds)


def _env_overrides(data: dict[str, Any], env: Mapping[str, str]) -> None:
    """DIGEST_<SECTION>_<KEY>=value sets [section] key (scalars only)."""
    for var, text in env.items():
        if not var.startswith(ENV_PREFIX) or var in ENV_SPECIAL:
            continue
        rest = var[len(ENV_PREFIX):].lower()
        for section, cls in SECTION_TYPES.items():
            if not rest.startswith(section + "_"):
                continue
            key = rest[len(section) + 1:]
            key = ALIASES.get(f"{section}.{key}", f"{section}.{key}").split(".", 1)[1]
            hints = typing.get_type_hints(cls)
            if key not in hints:
                raise ConfigError(
                    f"names no setting ([{section}] has no key {key!r})", key=var
                )
            tp = hints[key]
            value: Any = text
            try:
                if tp is int:
                    value = int(text)
                elif tp is float:
                    value = float(text)
                elif tp is bool:
                    value = text.lower() in ("1", "true", "yes", "on")
                elif typing.get_origin(tp) is tuple:
                    value = [v.strip() for v in text.split(",") if v.strip()]
            except ValueError:
                raise ConfigError(f"expected {_type_name(tp)}, got {text!r}", key=var) from None
            data.setdefault(section, {})[key] = value
            break


def _renamed(data: dict[str, Any]) -> None:
    """Move keys written under an earlier name (``ALIASES``) to their current name."""
    for old, new in ALIASES.items():
        section, old_key = old.split(".", 1)
        table = data.get(section)
        if not isinstance(table, dict) or old_key not in table:
            continue
        new_key = new.split(".", 1)[1]
        value = table.pop(old_key)
        if new_key in table and table[new_key] != value:
            raise ConfigError(f"is the earlier name of {new}, which is also set; keep only {new}",
                              key=old)
        table.setdefault(new_key, value)


def parse_config(
    data: Mapping[str, Any], *, path: Path | None = None, env: Mapping[str, str] | None = None
) -> Config:
    """Validate a parsed TOML document (plus the environment) into a Config."""
    env = os.environ if env is None else env
    data = {k: (dict(v) if isinstance(v, dict) else v) for k, v in data.items()}
    _renamed(data)  # before the environment, which may set either name
    _env_overrides(data, env)
    kwargs: dict[str, Any] = {}
    for key, raw in data.items():
        if key == "feeds":
            kwargs["feeds"] = _feeds(raw)
        elif key in SECTION_TYPES:
            kwargs[key] = _section(key, SECTION_TYPES[key], raw)
        else:
            raise ConfigError(
                "unknown section",
                key=key,
                hint=f"known: {', '.join(sorted([*SECTION_TYPES, 'feeds']))}",
            )
    cfg = Config(
        **kwargs,
        path=path,
        secret=env.get("DIGEST_SECRET", ""),
        smtp_password=env.get("DIGEST_SMTP_PASSWORD", ""),
        workbench_password=env.get("DIGEST_WORKBENCH_PASSWORD", ""),
    )
    validate(cfg)
    return cfg


def validate(cfg: Config) -> None:
    """Checks that span keys or need parsing beyond a type."""
    from digest.compose import validate_edition_config

    validate_edition_config(cfg.edition)
    if cfg.edition.max_items < 1:
        raise ConfigError("expected at least 1", key="edition.max_items")
    if not re.match(r"^https?://", cfg.newsletter.base_url):
        raise ConfigError(
            f"expected an http(s) URL, got {cfg.newsletter.base_url!r}", key="newsletter.base_url"
        )
    try:
        cfg.newsletter.subject.format(name="x", date=dt.date(2000, 1, 1))
    except (KeyError, ValueError, IndexError, AttributeError) as e:
        raise ConfigError(
            f"bad pattern ({e}); use {{name}} and {{date:%d.%m.%Y}}", key="newsletter.subject"
        ) from None
    from email.utils import parseaddr

    if "@" not in parseaddr(cfg.newsletter.sender)[1]:
        raise ConfigError(
            f"expected 'Name <address@domain>', got {cfg.newsletter.sender!r}",
            key="newsletter.sender",
        )
    try:
        ZoneInfo(cfg.schedule.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"unknown time zone {cfg.schedule.timezone!r}", key="schedule.timezone",
            hint="use an IANA name such as 'UTC' or 'Europe/Berlin'",
        ) from None
    parse_clock(cfg.schedule.send_at, "schedule.send_at")
    parse_duration(cfg.schedule.collect_every, "schedule.collect_every")
    parse_duration(cfg.schedule.misfire_grace, "schedule.misfire_grace")
    if cfg.web.subscribes_per_hour < 0:
        raise ConfigError(f"expected 0 or more, got {cfg.web.subscribes_per_hour}",
                          key="web.subscribes_per_hour", hint="0: no limit")
    valid, gap = confirm_valid(cfg), resend_gap(cfg)
    if valid is not None and gap is not None and valid < gap:
        raise ConfigError(
            f"a confirmation link ({cfg.web.confirm_expires_after}) would expire before a "
            f"new one may be sent (web.resend_after = {cfg.web.resend_after!r})",
            key="web.confirm_expires_after", hint="make it at least web.resend_after")
    from digest.schedule import validate_schedule  # cron, durations, zone: errors name the key
    validate_schedule(cfg)


def confirm_valid(cfg: Config) -> dt.timedelta | None:
    """How long a confirmation link works (``web.confirm_expires_after``; None: for ever)."""
    text = cfg.web.confirm_expires_after.strip()
    if not text:
        return None
    valid = parse_duration(text, "web.confirm_expires_after")
    if valid < dt.timedelta(minutes=1):
        raise ConfigError(f"expected at least '1m', got {text!r}",
                          key="web.confirm_expires_after",
                          hint='use "" for links that never expire')
    return valid


def resend_gap(cfg: Config) -> dt.timedelta | None:
    """The least time between two subscribe emails to one address (``web.resend_after``;
    None: no limit)."""
    text = cfg.web.resend_after.strip()
    if not text:
        return None
    gap = parse_duration(text, "web.resend_after")
    return gap if gap > dt.timedelta(0) else None


def parse_clock(text: str, key: str) -> dt.time:
    m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text.strip())
    if not m:
        raise ConfigError(f"expected a time HH:MM, got {text!r}", key=key)
    return dt.time(int(m.group(1)), int(m.group(2)))


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str, key: str) -> dt.timedelta:
    """'30m', '2h', '1h30m', '45s', '1d' → timedelta."""
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*([smhd])", text.strip().lower())
    if not parts or re.sub(r"[\d.\s]+[smhd]", "", text.strip().lower()):
        raise ConfigError(f"expected a duration such as '30m' or '2h', got {text!r}", key=key)
    return dt.timedelta(seconds=sum(float(n) * _UNITS[u] for n, u in parts))


def find_config_path(explicit: str | None, env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(explicit or env.get("DIGEST_CONFIG") or "config.toml")


def load_config(
    explicit: str | None = None, *, env: Mapping[str, str] | None = None, required: bool = False
) -> Config:
    """Read the config file. With no file and not ``required``: the embedded defaults."""
    env = os.environ if env is None else env
    path = find_config_path(explicit, env)
    if not path.exists():
        if required or explicit or env.get("DIGEST_CONFIG"):
            raise ConfigError(
                f"no config file at {path.resolve()}",
                hint="pass --config PATH, set DIGEST_CONFIG, or copy the sample config.toml",
            )
        return parse_config({}, path=None, env=env)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML ({e})") from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot read ({e.strerror})") from None
    return parse_config(data, path=path.resolve(), env=env)


def all_keys() -> list[str]:
    """Every dotted config key, for the documentation check."""
    keys = [f"{s}.{f.name}" for s, cls in SECTION_TYPES.items() for f in dataclasses.fields(cls)]
    keys += [f"feeds.{k}" for k in FEED_KEYS]
    return keys

