"""docker-compose.yml passes every setting through to the containers, and .env.example names it."""

import re

from tests.conftest import BASE_DIR

SETTINGS = (BASE_DIR / "config" / "settings.py").read_text()
COMPOSE = (BASE_DIR / "docker-compose.yml").read_text()
ENV_EXAMPLE = (BASE_DIR / ".env.example").read_text()

# Set in docker-compose.yml itself, or baked into the image when it is built.
NOT_PASSED = {"NAERVAER_ENV", "STATIC_ROOT"}


def variables_settings_reads() -> set[str]:
    names = set(re.findall(r'(?:_setting|_int|_bool|env\.\w+)\(\s*"([A-Z_]+)"', SETTINGS))
    assert {"SECRET_KEY", "CONN_MAX_AGE", "DEBUG", "SECURE_HSTS_SECONDS"} <= names
    return names


def test_compose_passes_every_variable_settings_reads():
    block = COMPOSE.split("environment: &app-env", 1)[1].split("depends_on:", 1)[0]
    passed = set(re.findall(r"^ {4}([A-Z_]+):", block, re.MULTILINE))
    assert variables_settings_reads() - NOT_PASSED <= passed
    assert "NAERVAER_ENV: production" in block


def test_env_example_names_every_variable_compose_passes():
    for name in variables_settings_reads() - NOT_PASSED:
        assert re.search(rf"^#? ?{name}=", ENV_EXAMPLE, re.MULTILINE), name
    # compose sets NAERVAER_ENV itself; a line here would only mislead.
    assert not re.search(r"^NAERVAER_ENV=", ENV_EXAMPLE, re.MULTILINE)


def test_web_port_is_published_on_loopback_only():
    assert '- "127.0.0.1:${WEB_PORT:-8000}:8000"' in COMPOSE
