"""The settings module in its two modes, each loaded in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json; from django.conf import settings; import django; django.setup(); "
    "from csrprogram.celery import app; "
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
    "'broker': app.conf.broker_url, 'lang': settings.LANGUAGE_CODE, 'tz': settings.TIME_ZONE, "
    "'use_tz': settings.USE_TZ, 'acks_late': app.conf.task_acks_late}))"
)


def _settings(env: dict, tmp_path) -> dict:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}}
    clean.update({"DJANGO_SETTINGS_MODULE": "csrprogram.settings",
                  "CSR_DATA_DIR": str(tmp_path)}, **env)
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=clean,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_default_needs_no_servers(tmp_path):
    values = _settings({"DJANGO_DEBUG": "true"}, tmp_path)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["broker"].startswith("filesystem://")
    assert values["lang"] == "da"
    assert values["tz"] == "Europe/Copenhagen"
    assert values["use_tz"] is True
    assert values["acks_late"] is True


def test_database_and_redis_urls_switch_to_postgres_and_redis(tmp_path):
    values = _settings({"DJANGO_DEBUG": "true",
                        "DATABASE_URL": "postgres://u@db.invalid:5432/csr",
                        "REDIS_URL": "redis://cache.invalid:6379/0"}, tmp_path)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["broker"] == "redis://cache.invalid:6379/0"


def test_missing_secret_key_outside_debug_fails_loudly(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env.update({"DJANGO_DEBUG": "false", "CSR_DATA_DIR": str(tmp_path)})
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_a_misspelt_boolean_stops_start_up(tmp_path):
    env = dict(os.environ, DJANGO_DEBUG="ja", CSR_DATA_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "DJANGO_DEBUG='ja' is not a boolean" in result.stderr


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CSR_"))}
    env.update({
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x7Qp" * 10,
        "DJANGO_ALLOWED_HOSTS": "csr.randers.example",
        "CSR_CPR_ENCRYPTION_KEY": "ZGV2ZWxvcG1lbnQtb25seS1jcHIta2V5LTMyYnl0ZXM=",
        "CSR_CPR_INDEX_KEY": "production-index-key",
        "CSR_DATA_DIR": str(tmp_path),
    })
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_manage_py_without_environment_runs_in_development_mode(tmp_path):
    env = {"PATH": os.environ["PATH"], "CSR_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_wsgi_without_environment_refuses_to_start_without_a_secret_key(tmp_path):
    env = {"PATH": os.environ["PATH"], "CSR_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", "import csrprogram.wsgi"], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_filesystem_broker_writes_its_exchange_tables_to_the_data_directory(tmp_path):
    """kombu's filesystem transport writes ``control/*.exchange`` to the working directory
    unless told otherwise: they belong in CSR_DATA_DIR/broker/control, never in the repo."""
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}}
    env.update({"DJANGO_SETTINGS_MODULE": "csrprogram.settings", "DJANGO_DEBUG": "true",
                "CSR_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)})
    probe = ("import django; django.setup(); from csrprogram.celery import app; "
             "app.send_task('csrprogram.probe')")
    result = subprocess.run([sys.executable, "-c", probe], cwd=workdir, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert not (workdir / "control").exists()
    assert sorted(p.name for p in (data / "broker" / "control").iterdir()) == [
        "celery.exchange"]
