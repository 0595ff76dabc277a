"""Celery with Redis: a task goes through the broker to a real worker process and back."""

from config import health
from config.celery import ping


def test_worker_runs_task_and_result_comes_back(celery_worker_process):
    result = ping.delay()
    answer = result.get(timeout=60)
    assert answer["svar"] == "pong"
    assert result.state == "SUCCESS"
    assert celery_worker_process.poll() is None, "the worker died"


def test_check_worker_names_the_worker_that_answered(celery_worker_process):
    import socket

    assert health.check_worker(timeout=60) == socket.gethostname()
