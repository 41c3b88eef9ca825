"""The fault scenarios of the follow-up sweep against a real Redis and real worker processes.

Emails go through ``tests.followups.mail_backend.SlowFileBackend`` (files in a directory of the
test), so the test can see what the worker processes sent, and kill one while it sends.
"""

import datetime as dt
import os
import threading
import time
from pathlib import Path

import pytest
import redis
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from followups import services, tasks
from followups.choices import VisitStatus
from followups.models import Visit
from tests.followups.mail_backend import reminders_by_recipient
from tests.worker_processes import WorkerProcesses

BACKEND = "tests.followups.mail_backend.SlowFileBackend"


def _mail_env(monkeypatch, directory: Path, delay: float) -> Path:
    directory.mkdir()
    # Read by the worker processes at start (csrprogram.settings, the backend).
    monkeypatch.setenv("DJANGO_EMAIL_BACKEND", BACKEND)
    monkeypatch.setenv("CSR_TEST_MAIL_DIR", str(directory))
    monkeypatch.setenv("CSR_TEST_MAIL_DELAY", str(delay))
    return directory


@pytest.fixture
def mail_dir(tmp_path, monkeypatch):
    return _mail_env(monkeypatch, tmp_path / "mail", 0.5)


@pytest.fixture
def hanging_mail_dir(tmp_path, monkeypatch):
    return _mail_env(monkeypatch, tmp_path / "mail", 120)


@pytest.fixture
def worker(mail_dir, celery_worker_process):
    return celery_worker_process


@pytest.fixture
def hanging_worker(hanging_mail_dir, celery_worker_process):
    return celery_worker_process


@pytest.fixture
def spawn_worker(tmp_path):
    """Start more worker processes (a second one at once, or one replacing a killed one)."""
    workers = WorkerProcesses(tmp_path)
    yield workers.spawn
    workers.stop()


def _poll(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def _sweep_until(condition, timeout=60.0):
    """Like the beat: queue a sweep every two seconds until the work is done.

    A digest that finds a visit locked by another digest (a reminder and an escalation of the
    same overdue visit at the same moment) leaves it to the next sweep.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tasks.followups_sweep.delay()
        for _ in range(10):
            if condition():
                return
            time.sleep(0.2)
    raise AssertionError("the sweeps did not finish the work in time")


def _broker() -> redis.Redis:
    return redis.Redis.from_url(os.environ["REDIS_URL"])


def _settle(seconds: float = 3.0) -> None:
    """Wait until the queue is empty and every worker had time to finish its task."""
    _poll(lambda: _broker().llen("celery") == 0)
    time.sleep(seconds)


@pytest.fixture
def due_visits(start_placement):
    """Today's work: a visit due now and an overdue one (which also escalates)."""
    today = timezone.localdate()
    start_placement(start_date=today - dt.timedelta(days=15), name="Borger Et")
    start_placement(start_date=today - dt.timedelta(days=40), name="Borger To")
    window_end = services.reminder_window_end(today)
    visits = set(Visit.objects.filter(status=VisitStatus.PLANNED, due_date__lte=window_end)
                 .values_list("pk", flat=True))
    assert len(visits) == 2
    overdue = set(Visit.objects.filter(pk__in=visits,
                                       due_date__lte=services.escalation_cutoff(today))
                  .values_list("pk", flat=True))
    assert len(overdue) == 1
    return visits, overdue


def _all_reminded(visits) -> bool:
    return Visit.objects.filter(pk__in=visits, reminded_at__isnull=True).count() == 0


def _all_escalated(visits) -> bool:
    return Visit.objects.filter(pk__in=visits, escalated_at__isnull=True).count() == 0


@pytest.mark.celery_worker
def test_flushall_between_start_and_sweep_loses_no_visit(worker, mail_dir, due_visits, alice,
                                                         bob):
    visits, overdue = due_visits
    # The broker forgets everything; the visits are rows in the database. (FLUSHDB: parallel
    # test workers each have their own Redis database, see tests/xdist_isolation.py.)
    _broker().flushdb()
    _sweep_until(lambda: _all_reminded(visits) and _all_escalated(overdue))
    _settle()
    sent = reminders_by_recipient(mail_dir)
    assert sorted(sent[alice.email]) == sorted(visits)
    assert sent[bob.email] == list(overdue)


@pytest.mark.celery_worker
def test_sweeps_in_a_row_and_in_two_workers_at_once_remind_each_visit_once(
        worker, mail_dir, spawn_worker, due_visits, alice, bob):
    visits, overdue = due_visits
    spawn_worker("second")
    for _ in range(4):
        tasks.followups_sweep.delay()
    # And the same digests queued directly, as two sweeps racing would.
    for _ in range(3):
        tasks.reminder_digest_send_task.delay(alice.pk)
    _sweep_until(lambda: _all_reminded(visits) and _all_escalated(overdue))
    _settle()
    tasks.followups_sweep.delay()
    tasks.followups_sweep.delay()
    _settle()
    sent = reminders_by_recipient(mail_dir)
    assert sorted(sent[alice.email]) == sorted(visits), "each visit reminded exactly once"
    assert sent[bob.email] == list(overdue), "each overdue visit escalated exactly once"


def _rows_unlocked(visits) -> bool:
    try:
        with transaction.atomic():
            list(Visit.objects.select_for_update(nowait=True).filter(pk__in=visits))
    except OperationalError:
        return False
    return True


@pytest.mark.celery_worker
def test_a_worker_killed_while_sending_is_resent_by_the_next_run_and_not_twice(
        hanging_worker, hanging_mail_dir, spawn_worker, due_visits, alice, bob):
    visits, overdue = due_visits
    tasks.followups_sweep.delay()
    hanging_worker(lambda: any(hanging_mail_dir.glob("*.sending")))
    hanging_worker.process.kill()
    hanging_worker.process.wait(timeout=10)
    assert list(hanging_mail_dir.glob("*.log")) == [], "nothing was sent before the kill"
    # PostgreSQL rolls the killed worker's transaction back and releases its row locks.
    _poll(lambda: _rows_unlocked(visits))
    assert Visit.objects.filter(pk__in=visits, reminded_at__isnull=False).count() == 0

    spawn_worker("replacement", CSR_TEST_MAIL_DELAY="0")
    _sweep_until(lambda: _all_reminded(visits) and _all_escalated(overdue))
    _settle()
    # Later runs, and the killed task's message coming back (acks_late), send nothing more.
    tasks.followups_sweep.delay()
    tasks.reminder_digest_send_task.delay(alice.pk)
    tasks.escalation_send_task.delay(Visit.objects.get(pk=next(iter(overdue)))
                                .placement.programme_id)
    _settle()
    sent = reminders_by_recipient(hanging_mail_dir)
    assert sorted(sent[alice.email]) == sorted(visits)
    assert sent[bob.email] == list(overdue)


def test_two_digests_racing_in_one_process_send_one_email(transactional_db, tmp_path,
                                                          monkeypatch, settings, due_visits,
                                                          alice):
    """The claim itself: two threads send the same consultant's digest at the same moment."""
    visits, _overdue = due_visits
    _mail_env(monkeypatch, tmp_path / "race", 1.0)
    settings.EMAIL_BACKEND = BACKEND
    results = []

    def send():
        try:
            results.append(services.reminder_digest_send(consultant_id=alice.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 2]
    assert sorted(reminders_by_recipient(tmp_path / "race")[alice.email]) == sorted(visits)
