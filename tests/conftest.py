import os
import socket
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from redis import Redis

from tests.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parent.parent


def run_manage(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh process with exactly the given environment (plus PATH)."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", tempfile.gettempdir()),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def ansatt(db):
    return UserFactory(username="kari", first_name="Kari", last_name="Nordmann")


@pytest.fixture
def administrator(db):
    return UserFactory(username="anne", first_name="Anne", is_superuser=True, is_staff=True)


@pytest.fixture(scope="session")
def test_database_url(django_db_setup) -> str:
    """DATABASE_URL of the test database, for processes the tests start."""
    db = connection.settings_dict
    user, password = quote(db["USER"] or "", safe=""), quote(db["PASSWORD"] or "", safe="")
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{user}:{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture(scope="session")
def celery_worker_process(test_database_url, tmp_path_factory):
    """A real Celery worker in its own process, on the test database and the test Redis.

    Besides Celery's default queue it consumes a queue of its own, ``.queue``. A test that must
    know the answer came from this worker, not from another one on the same Redis, sends there
    (``task.apply_async(queue=celery_worker_process.queue)``) and compares the node name the
    task reports with ``.nodename``.
    """
    from config.celery import app

    log = tmp_path_factory.mktemp("celery") / "worker.log"
    run = uuid.uuid4().hex[:8]
    nodename = f"test-{run}@{socket.gethostname()}"
    queue = f"test-{run}"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "-n",
                nodename,
                "-Q",
                f"{queue},{app.conf.task_default_queue}",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=BASE_DIR,
            env={**os.environ, "NAERVAER_ENV": "test", "DATABASE_URL": test_database_url},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    process.nodename = nodename
    process.queue = queue
    yield process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
    if process.returncode not in (0, -15):
        print(log.read_text())
    # Kombu keeps the own queue's binding in Redis; leave no key behind per run.
    Redis.from_url(settings.REDIS_URL).delete(f"_kombu.binding.{queue}")
