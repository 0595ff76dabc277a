"""Celery with Redis: a task goes through the broker to a real worker process and back."""

import os
import subprocess
import sys
import tempfile

import pytest

from config import health
from config.celery import ping
from tests.conftest import BASE_DIR


def test_worker_runs_task_and_result_comes_back(celery_worker_process):
    # The worker's own queue: no other worker on the same Redis can take the task.
    result = ping.apply_async(queue=celery_worker_process.queue)
    answer = result.get(timeout=60)
    assert answer == {"svar": "pong", "worker": celery_worker_process.nodename}
    assert result.state == "SUCCESS"
    assert celery_worker_process.poll() is None, "the worker died"


def test_check_worker_names_the_worker_that_answered(celery_worker_process):
    assert health.check_worker(timeout=60) == celery_worker_process.nodename


@pytest.mark.parametrize("command", ["worker", "beat"])
def test_worker_and_beat_without_a_required_variable_stop_in_one_line(command):
    result = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "config", command],
        cwd=BASE_DIR,
        env={
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", tempfile.gettempdir()),
            "NAERVAER_ENV": "production",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "Nærvær: Feil i oppsettet: Miljøvariabelen SECRET_KEY mangler (NAERVAER_ENV=production)."
    ]
