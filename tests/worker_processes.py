"""Real Celery worker processes for the fault tests: start several, kill one, stop them all."""

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection


class WorkerProcesses:
    """Workers on the test database and the test Redis, each logging to ``<name>.log``.

    ``module`` is what ``python -m`` runs: ``celery``, or a wrapper that instruments the
    worker first (``tests.certificates.fault_worker``).
    """

    def __init__(self, log_dir: Path, *, module: str = "celery"):
        self.log_dir = log_dir
        self.module = module
        self.processes: list[tuple[subprocess.Popen, object]] = []

    def spawn(self, name: str, **env_overrides) -> subprocess.Popen:
        db = connection.settings_dict
        env = dict(os.environ,
                   DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
                   **env_overrides)
        env.pop("CELERY_BROKER_URL", None)
        log = open(self.log_dir / f"{name}.log", "w")  # noqa: SIM115 (closed in stop())
        process = subprocess.Popen(
            [sys.executable, "-m", self.module, "-A", "csrprogram", "worker", "--pool", "solo",
             "-n", f"{name}@%h", "--loglevel", "INFO", "--without-heartbeat",
             "--without-gossip", "--without-mingle"],
            env=env, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append((process, log))
        return process

    def stop(self) -> None:
        for process, log in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
            log.close()
