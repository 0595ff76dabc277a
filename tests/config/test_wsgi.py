"""gunicorn stops, instead of restarting workers for ever, when a setting is missing."""

import json
import os
import subprocess
import sys
import tempfile

from tests.conftest import BASE_DIR

MISSING = "Nærvær: Feil i oppsettet: Miljøvariabelen SECRET_KEY mangler (NAERVAER_ENV=production)."


def run(*args: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", tempfile.gettempdir()),
        "NAERVAER_ENV": "production",
    }
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )


def test_importing_wsgi_without_a_setting_exits_with_gunicorns_boot_error():
    result = run("-c", "import config.wsgi")
    assert result.returncode == 3  # gunicorn's WORKER_BOOT_ERROR: the arbiter halts
    assert result.stderr.strip().splitlines() == [MISSING]


def test_the_images_gunicorn_command_stops_at_once_with_the_message():
    line = next(
        line
        for line in (BASE_DIR / "Dockerfile").read_text().splitlines()
        if line.startswith("CMD ")
    )
    command = json.loads(line.removeprefix("CMD "))
    assert command[0] == "gunicorn"
    assert "--preload" in command
    args = ["127.0.0.1:0" if arg == "0.0.0.0:8000" else arg for arg in command[1:]]
    result = run("-m", "gunicorn", *args)
    assert result.returncode == 3
    assert result.stderr.strip().splitlines() == [MISSING]
