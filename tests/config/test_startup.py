"""An unreachable database or Redis gives one clear line, not a traceback wall."""

import pytest
from django.conf import settings

from config.startup import mask_url
from tests.conftest import run_manage

# pytest-django creates the test database only when a collected test asks for it; the processes
# these tests start use it through test_database_url even when they run alone.
needs_test_database = pytest.mark.django_db


def test_unreachable_database_is_explained_in_one_line():
    result = run_manage(
        "migrate",
        env={"NAERVAER_ENV": "test", "DATABASE_URL": "postgres://postgres@127.0.0.1:1/naervaer"},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Får ikke kontakt med databasen naervaer på 127.0.0.1:1 (DATABASE_URL)" in result.stderr


@needs_test_database
def test_unreachable_redis_is_named_by_check_stack(test_database_url):
    result = run_manage(
        "check_stack",
        "--uten-worker",
        env={
            "NAERVAER_ENV": "test",
            "DATABASE_URL": test_database_url,
            "REDIS_URL": "redis://:hemmelig@127.0.0.1:1/0",
        },
    )
    assert result.returncode == 1
    assert "Database: ok" in result.stdout
    assert (
        "Redis: FEIL — Får ikke kontakt med Redis på redis://:***@127.0.0.1:1/0 (REDIS_URL)"
        in result.stderr
    )
    assert "hemmelig" not in result.stderr
    assert "Traceback" not in result.stderr


@needs_test_database
def test_check_stack_reports_every_part_ok(celery_worker_process, test_database_url):
    # The Redis the worker listens on (a session's own database), not the default one.
    env = {
        "NAERVAER_ENV": "test",
        "DATABASE_URL": test_database_url,
        "REDIS_URL": settings.REDIS_URL,
    }
    result = run_manage("check_stack", env=env, timeout=90)
    assert result.returncode == 0, result.stderr
    for part in ("Database: ok", "Redis: ok", "PDF (WeasyPrint): ok", "Celery-worker: ok"):
        assert part in result.stdout


def test_mask_url_hides_only_the_password():
    assert mask_url("postgres://u:p4ss@db:5432/x") == "postgres://u:***@db:5432/x"
    assert mask_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"
