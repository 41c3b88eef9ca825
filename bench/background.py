# ruff: noqa: S310, S603 -- processes we start ourselves and URLs on our own loopback server
"""What is not a page: the follow-up sweep, PDFs through a real worker, throughput.

* The sweep is the beat task itself (``followups.tasks.followups_sweep``), run in-process with
  Celery in eager mode so the digests it queues run too (emails go to Django's in-memory
  outbox and are measured). First with nothing due (the dataset's steady state), then with
  5,000 items made due on purpose (in a process warmed up as a worker is after its first
  task, ``warm_up``): placements past their 3-month closing (with the enrolment
  the closing closes), visits in the reminder window and visits overdue for escalation.
  Preparing the due state sets those rows explicitly, so the figure repeats on a reused
  dataset.
* PDFs: certificate render tasks queued by name to a real Celery worker process (prefork,
  concurrency 2, as in docker-compose.yml) on the private Redis, timed until every PDF is
  stored.
* Throughput: gunicorn with 2 sync workers on loopback, driven by Debian's ``wrk`` (a bounded
  run: fixed connections and duration) or, without it, a Python client with a fixed request
  count. Each target is requested by the role that uses it, with a real session cookie.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string

from bench.pages import model

ROOT = Path(__file__).resolve().parent.parent
SWEEP_TASK = "followups.tasks.followups_sweep"
PDF_TASK = "certificates.tasks.certificate_pdf_render_task"
# How the 5,000 due items are made up (each part is filled up with closings when short).
DUE_REMINDERS = 1_000
DUE_ESCALATIONS = 1_000


class QueryCounter:
    """Counts the queries run through Django's connection (cheap enough to leave on)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def eager_celery():
    from csrprogram.celery import app

    old = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = old


def run_sweep() -> dict:
    """One sweep, with the digests it queues; time, queries and the emails it sent."""
    sweep = import_string(SWEEP_TASK)
    mail.outbox = []
    counter = QueryCounter()
    with eager_celery(), connection.execute_wrapper(counter):
        started = time.perf_counter()
        sweep()
        seconds = time.perf_counter() - started
    sizes = [len(message.message().as_bytes()) for message in mail.outbox]
    return {"seconds": round(seconds, 3), "queries": counter.count, "emails": len(sizes),
            "largest_email_bytes": max(sizes, default=0)}


def sweep_nothing_due(*, budget_seconds: float = 120, runs: int = 3) -> dict:
    results = [run_sweep()]
    while len(results) < runs and sum(r["seconds"] for r in results) < budget_seconds / 2:
        results.append(run_sweep())
    seconds = [r["seconds"] for r in results]
    return {"runs": len(results), "median_seconds": round(statistics.median(seconds), 3),
            "seconds": seconds, "queries": results[-1]["queries"],
            "emails": results[-1]["emails"]}


def dashboards_kept(*, runs: int = 3) -> dict:
    """The beat's "dashboards-keep" run in this process, ``runs`` times, as if every running
    programme had been shown in every language (the most it keeps; each run computes their
    dashboards and consultants' figures anew): the worker time it costs, median and queries
    of the last run."""
    from django.test import override_settings
    from django.utils import translation

    from csrprogram.dashboard import dashboards_keep, mark_shown
    from csrprogram.models import Programme

    seconds, kept, counter = [], 0, QueryCounter()
    today = timezone.localdate()
    with override_settings(CSR_DASHBOARD_CACHE_SECONDS=settings.CSR_DASHBOARD_CACHE_SECONDS
                           or 600):
        for programme in Programme.objects.filter(starts_on__lte=today, ends_on__gte=today):
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    mark_shown(programme)
        for _run in range(runs):
            counter.count = 0
            with connection.execute_wrapper(counter):
                started = time.perf_counter()
                kept = dashboards_keep(as_of=today)
                seconds.append(round(time.perf_counter() - started, 3))
    return {"runs": runs, "median_seconds": round(statistics.median(seconds), 3),
            "seconds": seconds, "copies": kept, "queries": counter.count}


def make_due(total: int) -> dict:
    """Put ``total`` items in the state the sweep must act on; returns how they split up."""
    from followups.services import escalation_cutoff, reminder_window_end

    Placement = model("placements.Placement")
    Visit = model("followups.Visit")
    Enrolment = model("citizens.Enrolment")
    today = timezone.localdate()
    open_visits = Visit.objects.filter(status="planned", placement__status="active")
    escalations = list(open_visits.filter(due_date__lte=escalation_cutoff(today))
                       .order_by("due_date", "pk")
                       .values_list("pk", flat=True)[:DUE_ESCALATIONS])
    reminders = list(open_visits.filter(due_date__lte=reminder_window_end(today))
                     .exclude(pk__in=escalations).order_by("-due_date", "pk")
                     .values_list("pk", flat=True)[:DUE_REMINDERS])
    closings = list(Placement.objects.filter(closed_at__isnull=False)
                    .order_by("-closed_at", "pk")
                    .values_list("pk", flat=True)[:total - len(reminders) - len(escalations)])
    Visit.objects.filter(pk__in=reminders).update(reminded_at=None)
    Visit.objects.filter(pk__in=escalations).update(escalated_at=None)
    Placement.objects.filter(pk__in=closings).update(closed_at=None, retained=None)
    # Closing a retained candidate closes their enrolment in the programme: open it again.
    pairs = set(Placement.objects.filter(pk__in=closings)
                .values_list("citizen_id", "programme_id"))
    closed = Enrolment.objects.filter(citizen_id__in={c for c, _p in pairs}, status="closed",
                                      exit_reason__in=("", "ordinary_job"))
    reopen = [pk for pk, citizen, programme in
              closed.values_list("pk", "citizen_id", "programme_id")
              if (citizen, programme) in pairs]
    reopened = Enrolment.objects.filter(pk__in=reopen).update(status="in_job", exit_date=None,
                                                              exit_reason="")
    return {"closings": len(closings), "reminders": len(reminders),
            "escalations": len(escalations), "enrolments_reopened": reopened}


def warm_up() -> None:
    """Load what a worker process holds after its first task: the URLconf (the digests link
    to visits) and the template engine with its tag libraries.

    Untimed: in a fresh process the first ``reverse()`` imports every view module (and
    WeasyPrint through them), ≈ 0.5 s on a quiet machine and several seconds under load, once
    per worker process, not once per sweep (the beat's sweeps run in long-lived workers).
    """
    from django.template import engines
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 -- imports the URLconf
    engines.all()


def sweep_with_due(total: int = 5_000) -> dict:
    made = make_due(total)
    warm_up()
    result = run_sweep()
    result["due"] = made
    after = run_sweep()  # everything must have been done: a second sweep finds nothing
    result["second_sweep_emails"] = after["emails"]
    return result


# --- PDFs through a real worker -------------------------------------------------------------------

def _stop(process: subprocess.Popen) -> None:
    """End a process we started: politely, then for good."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def _worker_env() -> dict:
    env = dict(os.environ, DATABASE_URL=os.environ["DATABASE_URL"])
    env.pop("CELERY_BROKER_URL", None)
    return env


def pdfs_through_worker(count: int = 100, *, timeout: float = 600) -> dict:
    from csrprogram.celery import app

    Certificate = model("certificates.Certificate")
    ids = list(Certificate.objects.filter(revoked_at__isnull=True).order_by("-pk")
               .values_list("pk", flat=True)[:count])
    if len(ids) < count:
        return {"status": "skipped", "note": f"only {len(ids)} certificates"}
    log = Path(settings.MEDIA_ROOT).parent / "bench-worker.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    app.conf.broker_url = os.environ["REDIS_URL"]
    with open(log, "w") as handle:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "csrprogram", "worker", "--concurrency", "2",
             "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=_worker_env(), stdout=handle, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=0.5):
            if worker.poll() is not None or time.monotonic() > deadline:
                return {"status": "error", "note": "the worker did not start: "
                        + log.read_text()[-500:]}
        Certificate.objects.filter(pk__in=ids).update(pdf_hash="", pdf_checked_at=None)
        started_at = timezone.now()
        started = time.perf_counter()
        for certificate_id in ids:
            app.send_task(PDF_TASK, args=[certificate_id])
        done = 0
        while time.perf_counter() - started < timeout:
            done = Certificate.objects.filter(pk__in=ids, pdf_checked_at__gte=started_at) \
                .exclude(pdf_hash="").count()
            if done == count:
                break
            if worker.poll() is not None:
                return {"status": "error", "note": "the worker exited: " + log.read_text()[-500:]}
            time.sleep(0.05)
        seconds = time.perf_counter() - started
    finally:
        _stop(worker)
    return {"status": "ok" if done == count else "error", "count": count, "rendered": done,
            "seconds": round(seconds, 2), "per_pdf_ms": round(seconds * 1000 / count, 1),
            "worker": "prefork, concurrency 2"}


# --- Throughput under gunicorn --------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _session_cookie(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _wrk(url: str, cookie: str | None, seconds: int, connections: int) -> dict:
    # wrk gives up on a request after 2 s by default; the slow lists take longer than that.
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency",
               "--timeout", "120s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    timeouts = re.search(r"timeout (\d+)", output)
    return {"requests_per_second": round(rps, 1), "requests": total,
            "non_2xx": int(errors.group(1)) if errors else 0,
            "timeouts": int(timeouts.group(1)) if timeouts else 0}


def _python_load(url: str, cookie: str | None, requests: int, connections: int) -> dict:
    """A fixed number of requests from ``connections`` threads (when wrk is missing)."""
    headers = {"Cookie": cookie} if cookie else {}
    left = iter(range(requests))
    lock, failures = threading.Lock(), [0]

    def work():
        while True:
            with lock:
                if next(left, None) is None:
                    return
            try:
                with urllib.request.urlopen(urllib.request.Request(url, headers=headers),
                                            timeout=60) as response:
                    response.read()
            except OSError:
                with lock:
                    failures[0] += 1

    threads = [threading.Thread(target=work) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return {"requests_per_second": round(requests / seconds, 1), "requests": requests,
            "non_2xx": failures[0]}


def throughput(targets: list[tuple[str, str, object]], *, seconds: int = 10,
               connections: int = 4) -> dict:
    """Requests per second of each (name, path, user or None) under gunicorn, 2 sync workers."""
    port = _free_port()
    log = Path(settings.MEDIA_ROOT).parent / "bench-gunicorn.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as handle:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "csrprogram.wsgi", "--workers", "2",
             "--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--timeout", "120"],
            cwd=ROOT, env=_worker_env(), stdout=handle, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    results = {"server": "gunicorn, 2 sync workers", "connections": connections,
               "generator": "wrk" if shutil.which("wrk") else "python"}
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    results["error"] = "gunicorn did not start: " + log.read_text()[-500:]
                    return results
                time.sleep(0.2)
        for name, path, user in targets:
            cookie = _session_cookie(user) if user is not None else None
            # Warm both workers up before the timed run.
            _python_load(base + path, cookie, 4, 2)
            if results["generator"] == "wrk":
                results[name] = _wrk(base + path, cookie, seconds, connections)
            else:
                results[name] = _python_load(base + path, cookie, 200, connections)
            results[name]["path"] = path
    finally:
        _stop(server)
    return results


def settle() -> None:
    """Do whatever became due since a reused dataset was built (untimed)."""
    run_sweep()
