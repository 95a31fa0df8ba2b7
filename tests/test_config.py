"""config.toml: what is accepted, what is refused and how the refusal reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from digest.config import load_config, parse_config, parse_duration
from digest.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def refused(data: dict[str, object], env: dict[str, str] | None = None) -> str:
    with pytest.raises(ConfigError) as e:
        parse_config(data, env=env or {})
    return str(e.value)


def test_the_sample_config_is_valid_and_uses_dw() -> None:
    cfg = load_config(str(ROOT / "config.toml"), env={})
    assert cfg.delivery.transport == "outbox"
    assert cfg.database.url == "sqlite:///digest.sqlite3"
    assert "https://rss.dw.com/rdf/rss-en-all" in [f.url for f in cfg.feeds]
    assert cfg.database_url == f"sqlite:///{ROOT}/digest.sqlite3"  # next to the file


def test_defaults_without_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    cfg = load_config(env={})
    assert cfg.feeds == () and cfg.edition.max_items == 30 and cfg.smtp.port == 25


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"edition": {"max_items": "30"}}, "edition.max_items: expected an integer, got '30'"),
        ({"edition": {"maxitems": 3}}, "edition.maxitems: unknown key"),
        ({"smtp": {"security": "ssl"}}, "smtp.security: expected one of 'none', 'starttls'"),
        ({"delivery": {"transport": "pigeon"}}, "delivery.transport: expected one of"),
        ({"newsletter": {"base_url": "ftp://x"}}, "newsletter.base_url: expected an http(s) URL"),
        ({"newsletter": {"sender": "nobody"}}, "newsletter.sender: expected 'Name <address"),
        ({"newsletter": {"subject": "{nam}"}}, "newsletter.subject: bad pattern"),
        ({"schedule": {"timezone": "Mars/Olympus"}}, "schedule.timezone: unknown time zone"),
        ({"schedule": {"send_at": "25:00"}}, "schedule.send_at: expected a time HH:MM"),
        ({"schedule": {"collect_every": "often"}}, "schedule.collect_every: expected a duration"),
        ({"feeds": [{"name": "x"}]}, "feeds[0].url: missing"),
        ({"feeds": [{"url": "file:///etc/passwd"}]}, "feeds[0].url: expected an http(s) URL"),
        ({"feeds": [{"url": "http://a/", "colour": "red"}]}, "feeds[0].colour: unknown key"),
        ({"feeds": [{"url": "http://a/"}, {"url": "http://a/"}]}, "is listed twice"),
        ({"feeds": [{"url": "http://a/", "priority": "high"}]}, "feeds[0].priority: expected"),
        ({"feeds": [{"url": "http://a/", "country": "UK"}]},
         "feeds[0].country: unknown country code 'UK'"),
        ({"mail": {}}, "mail: unknown section"),
        ({"edition": {"max_items": 0}}, "edition.max_items: expected at least 1"),
        ({"web": {"confirm_expires_after": "a week"}},
         "web.confirm_expires_after: expected a duration"),
        ({"web": {"confirm_expires_after": "10s"}},
         "web.confirm_expires_after: expected at least '1m', got '10s'"),
        ({"web": {"subscribes_per_hour": -1}}, "web.subscribes_per_hour: expected 0 or more"),
        ({"web": {"confirm_expires_after": "5m"}},
         "web.confirm_expires_after: a confirmation link (5m) would expire before a new one"),
    ],
)
def test_bad_settings_name_the_key(data: dict[str, object], message: str) -> None:
    assert message in refused(data)


def test_environment_overrides_and_secrets() -> None:
    cfg = parse_config(
        {"smtp": {"port": 25}},
        env={"DIGEST_SMTP_PORT": "2525", "DIGEST_DATABASE_URL": "sqlite:///x.db",
             "DIGEST_SMTP_PASSWORD": "hunter2", "DIGEST_SECRET": "s3"},
    )
    assert cfg.smtp.port == 2525 and cfg.database.url == "sqlite:///x.db"
    assert cfg.smtp_password == "hunter2" and cfg.secret == "s3"
    assert "DIGEST_SMTP_PORT: expected an integer" in refused({}, {"DIGEST_SMTP_PORT": "x"})
    assert "DIGEST_SMTP_COLOUR" in refused({}, {"DIGEST_SMTP_COLOUR": "x"})


def test_a_password_in_the_file_is_refused() -> None:
    assert "smtp.password: unknown key" in refused({"smtp": {"password": "x"}})


def test_feed_defaults() -> None:
    (feed,) = parse_config({"feeds": [{"url": "https://www.example.org/rss"}]}, env={}).feeds
    assert (feed.name, feed.section, feed.priority) == ("example.org", "example.org", 1)


def test_durations() -> None:
    assert parse_duration("30m", "k") == dt.timedelta(minutes=30)
    assert parse_duration("1h30m", "k") == dt.timedelta(minutes=90)
    with pytest.raises(ConfigError):
        parse_duration("30 minutes", "k")


def test_broken_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[edition\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(str(path), env={})


def test_a_feed_country_is_an_iso_code_or_empty() -> None:
    cfg = parse_config({"feeds": [{"url": "http://a/", "country": "gb"},
                                  {"url": "http://b/", "country": ""},
                                  {"url": "http://c/"}]}, env={})
    assert [f.country for f in cfg.feeds] == ["GB", "", None]



def test_edition_topic_model_is_read_as_its_new_name_text_model() -> None:
    from digest.config import parse_config
    from digest.errors import ConfigError

    assert parse_config({"edition": {"topic_model": False}}, env={}).edition.text_model is False
    assert parse_config({"edition": {"text_model": False}}, env={}).edition.text_model is False
    assert parse_config({}, env={"DIGEST_EDITION_TOPIC_MODEL": "false"}).edition.text_model \
        is False
    assert parse_config({"edition": {"topic_model": True, "text_model": True}},
                        env={}).edition.text_model is True
    # the environment overrides the file, whichever name either uses
    for var in ("DIGEST_EDITION_TOPIC_MODEL", "DIGEST_EDITION_TEXT_MODEL"):
        for key in ("topic_model", "text_model"):
            cfg = parse_config({"edition": {key: True}}, env={var: "false"})
            assert cfg.edition.text_model is False, (var, key)
    with pytest.raises(ConfigError) as err:
        parse_config({"edition": {"topic_model": True, "text_model": False}}, env={})
    assert str(err.value).startswith("edition.topic_model: is the earlier name of "
                                     "edition.text_model")
