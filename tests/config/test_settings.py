"""Configuration comes from the environment; production refuses to start half-configured."""

import pytest

from tests.conftest import run_manage

SECRET = "k" * 20 + "9f2Jx!q@Lr-7Zp#Wm4Vt^Bn8Hs*Gd3Ek(Ya6Uc)Rw5"
PRODUCTION = {
    "NAERVAER_ENV": "production",
    "SECRET_KEY": SECRET,
    "ALLOWED_HOSTS": "naervaer.kommune.no",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp+tls://naervaer:hemmelig@smtp.kommune.no:587",
}


def test_production_settings_pass_the_deploy_check():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "name", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"]
)
def test_production_without_a_required_variable_stops_naming_it(name):
    env = {key: value for key, value in PRODUCTION.items() if key != name}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert f"Miljøvariabelen {name} mangler" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SECRET_KEY", "for-kort"),
        ("NAERVAER_ENV", "prod"),
        ("DATABASE_URL", "postgress://feil@127.0.0.1/x"),
        ("DEBUG", "kanskje"),
        ("REDIS_URL", "127.0.0.1:6379"),
        ("CONN_MAX_AGE", "ett minutt"),
        ("LOG_LEVEL", "høyt"),
    ],
)
def test_production_with_a_bad_value_stops_naming_it(name, value):
    result = run_manage("check", env={**PRODUCTION, name: value})
    assert result.returncode != 0
    assert name in result.stderr
    assert "Traceback" not in result.stderr


def test_production_defaults_to_no_debug_and_secure_cookies():
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env=PRODUCTION)
    assert result.stdout.split() == ["False", "True", "True", "True"], result.stderr


def test_without_naervaer_env_the_defaults_are_production():
    env = {key: value for key, value in PRODUCTION.items() if key != "NAERVAER_ENV"}
    del env["SECRET_KEY"]
    result = run_manage("check", env=env)
    assert "Miljøvariabelen SECRET_KEY mangler (NAERVAER_ENV=production)" in result.stderr


@pytest.mark.parametrize("value", ["²", "٣٠٠", "-1", "1.5"])
def test_a_whole_number_is_plain_ascii_digits(value):
    result = run_manage("check", env={**PRODUCTION, "CONN_MAX_AGE": value})
    assert result.returncode != 0
    assert f"Miljøvariabelen CONN_MAX_AGE må være et heltall, ikke {value!r}." in result.stderr
    assert "Traceback" not in result.stderr
