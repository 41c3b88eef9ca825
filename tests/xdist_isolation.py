"""Keeps parallel test workers (pytest-xdist) out of each other's way.

Loaded as a plugin (``-p tests.xdist_isolation`` in the pytest options) so it runs before
pytest-django reads the settings: each worker (``gw0``, ``gw1``, …) gets its own Redis database
— the cache, the rate-limit counters and the Celery broker of the worker processes a test starts
— and its own data directory for media, mail and logs. The collected static files stay shared:
``bin/test`` collects them once, before the workers start.

Without xdist (a plain ``pytest`` run) nothing changes.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def _isolate(worker: str) -> None:
    index = int(worker.removeprefix("gw")) + 1  # database 0 stays the unparallelised default
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        parts = urlsplit(redis_url)
        os.environ["REDIS_URL"] = urlunsplit(parts._replace(path=f"/{index}"))
    data_dir = os.environ.get("CSR_DATA_DIR")
    if data_dir:
        shared = Path(data_dir)
        own = shared / worker
        own.mkdir(parents=True, exist_ok=True)
        static = own / "staticfiles"
        if (shared / "staticfiles").is_dir() and not static.exists():
            static.symlink_to(shared / "staticfiles", target_is_directory=True)
        os.environ["CSR_DATA_DIR"] = str(own)


_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker:
    _isolate(_worker)
