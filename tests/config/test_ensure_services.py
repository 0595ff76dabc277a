"""bin/ensure-services (make test, make demo) logs in to PostgreSQL, not only knocks on the port."""

import os
import shutil
import subprocess

import pytest

from tests.conftest import BASE_DIR

pytestmark = pytest.mark.skipif(
    not (shutil.which("psql") and shutil.which("pg_isready")), reason="needs psql and pg_isready"
)


def ensure_services(database_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BASE_DIR / "bin" / "ensure-services"],
        env={"PATH": os.environ["PATH"], "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_refused_login_is_explained_with_the_password_hidden(test_database_url):
    host = test_database_url.split("@", 1)[1]
    result = ensure_services(f"postgres://ingen_slik_rolle:hemmelig@{host}")
    assert result.returncode == 1
    assert "innloggingen med postgres://ingen_slik_rolle:***@" in result.stderr
    assert "pg_hba.conf" in result.stderr
    assert "hemmelig" not in result.stderr


def test_the_tests_own_login_passes(test_database_url):
    result = ensure_services(test_database_url)
    assert result.returncode == 0, result.stderr
