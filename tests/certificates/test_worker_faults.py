"""Certificate PDFs and issue emails survive a flushed broker, a killed worker and a failing
WeasyPrint: real worker processes (``tests.certificates.fault_worker``), real Redis, real
PostgreSQL. In the end every PDF is rendered exactly once and every issue email sent once.

Each test prints a ``FAULT-TABLE`` line (run with ``-s`` to see it): scenario, PDFs rendered,
emails sent, duplicates.
"""

import os
import time
from collections import Counter
from types import SimpleNamespace

import pytest
import redis

from certificates import tasks
from certificates.choices import PdfStatus
from certificates.models import Certificate
from csrprogram.celery import app as celery_app
from tests.certificates.factories import certificate
from tests.followups.mail_backend import sent_messages
from tests.worker_processes import WorkerProcesses

pytestmark = pytest.mark.celery_worker

BATCH = 6


@pytest.fixture
def faults(tmp_path, monkeypatch, settings, transactional_db):
    """The environment of the worker processes, and a way to start (and kill) them."""
    mail = tmp_path / "mail"
    mail.mkdir()
    monkeypatch.setenv("DJANGO_EMAIL_BACKEND", "tests.followups.mail_backend.SlowFileBackend")
    monkeypatch.setenv("CSR_TEST_MAIL_DIR", str(mail))
    monkeypatch.setenv("CSR_TEST_MAIL_DELAY", "0")
    monkeypatch.setenv("CSR_TEST_RENDER_LOG", str(tmp_path / "renders.log"))
    # Short leases and back-off, so that the sweeps of the test (the beat's stand-in) act in
    # seconds rather than minutes; the same rule as in production.
    monkeypatch.setenv("CSR_DOCUMENT_RETRY_SECONDS", "2")
    settings.CSR_DOCUMENT_RETRY_SECONDS = 2
    redis_url = os.environ["REDIS_URL"]
    eager, broker = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = redis_url
    workers = WorkerProcesses(tmp_path, module="tests.certificates.fault_worker")
    yield SimpleNamespace(dir=tmp_path, mail=mail, spawn=workers.spawn)
    workers.stop()
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = eager, broker


def _broker() -> redis.Redis:
    return redis.Redis.from_url(os.environ["REDIS_URL"])


def _renders(faults) -> Counter:
    log = faults.dir / "renders.log"
    return Counter(log.read_text().split()) if log.exists() else Counter()


def _emails(faults) -> Counter:
    return Counter(message["X-CSR-Certificate"] for message in sent_messages(faults.mail))


def _wait(condition, timeout: float = 120.0, *, sweep: bool = False, faults=None) -> None:
    """Poll; with ``sweep``, queue the documents sweep every two seconds, as the beat does."""
    deadline = time.monotonic() + timeout
    next_sweep = 0.0
    while time.monotonic() < deadline:
        if condition():
            return
        if sweep and time.monotonic() >= next_sweep:
            tasks.certificate_documents_sweep.delay()
            next_sweep = time.monotonic() + 2
        time.sleep(0.2)
    logs = "".join(path.read_text()[-3000:] for path in faults.dir.glob("*.log")) \
        if faults else ""
    raise AssertionError(f"condition not met in {timeout}s\n{logs}")


def _all_done(numbers) -> bool:
    return Certificate.objects.filter(number__in=numbers).exclude(
        pdf_status=PdfStatus.RENDERED, issue_email_sent_at__isnull=False).count() == 0


def _issue_batch(programme, leader, consultant, size=BATCH) -> list[str]:
    """Issue certificates one by one; each queues its render after its own commit."""
    return [certificate(programme=programme, leader=leader, consultant=consultant,
                        queue_pdf=True).number for _ in range(size)]


def _settle_and_redeliver(faults, numbers) -> None:
    """Wait for the queue to drain, then deliver everything again: nothing more may happen."""
    _wait(lambda: _broker().llen("celery") == 0, faults=faults)
    time.sleep(2)
    for certificate_id in Certificate.objects.filter(number__in=numbers).values_list("pk",
                                                                                     flat=True):
        tasks.certificate_pdf_render_task.delay(certificate_id)
        tasks.certificate_issue_email_send_task.delay(certificate_id)
    tasks.certificate_documents_sweep.delay()
    _wait(lambda: _broker().llen("celery") == 0, faults=faults)
    time.sleep(3)


def _assert_exactly_once(scenario, faults, numbers) -> None:
    renders, emails = _renders(faults), _emails(faults)
    duplicates = sum(n - 1 for n in renders.values() if n > 1) + sum(
        n - 1 for n in emails.values() if n > 1)
    print(f"\nFAULT-TABLE | {scenario} | PDFs rendered {sum(renders.values())}/{len(numbers)} "
          f"| emails sent {sum(emails.values())}/{len(numbers)} | duplicates {duplicates}")
    assert renders == Counter(numbers), "every PDF rendered exactly once"
    assert emails == Counter(numbers), "every issue email sent exactly once"


def test_flushall_in_the_middle_of_a_batch_only_delays_it(faults, programme, alice, bob):
    faults.spawn("first", CSR_TEST_RENDER_DELAY="0.5")
    numbers = _issue_batch(programme, bob, alice)
    _wait(lambda: sum(_renders(faults).values()) >= 1, faults=faults)
    queued = _broker().llen("celery")
    assert queued >= 1, "the flush must hit queued work"
    # The broker forgets everything (FLUSHDB: parallel test processes each have their own
    # Redis database, see tests/xdist_isolation.py; for this database it is a FLUSHALL).
    _broker().flushdb()
    _wait(lambda: _all_done(numbers), sweep=True, faults=faults)
    _settle_and_redeliver(faults, numbers)
    _assert_exactly_once(f"FLUSHALL with {queued} tasks queued", faults, numbers)


def test_a_worker_killed_in_the_middle_of_a_batch_is_redelivered_within_seconds(
        faults, programme, alice, bob):
    worker = faults.spawn("killed", CSR_TEST_RENDER_DELAY="3")
    numbers = _issue_batch(programme, bob, alice)

    def rendering_uncommitted() -> bool:
        started = {path.name.removeprefix("rendering-") for path in faults.dir.glob("rendering-*")}
        return bool(started - set(_renders(faults)))

    _wait(lambda: sum(_renders(faults).values()) >= 1 and rendering_uncommitted(),
          faults=faults)
    worker.kill()  # SIGKILL, in the middle of a render
    worker.wait(timeout=10)
    unacked = _broker().hlen("unacked")
    assert unacked == 1, "the killed render stays unacknowledged in Redis"
    # No sweep here: the replacement gets the killed task back from Redis once its visibility
    # timeout (5 s here, 300 s in production) has passed, and the queued rest as usual.
    started = time.monotonic()
    faults.spawn("replacement", CSR_BROKER_VISIBILITY_TIMEOUT="5")
    _wait(lambda: _all_done(numbers), faults=faults)
    redelivered_after = time.monotonic() - started
    assert _broker().hlen("unacked") == 0
    _settle_and_redeliver(faults, numbers)
    _assert_exactly_once(f"kill -9 during a render ({unacked} unacked; all done "
                         f"{redelivered_after:.0f} s after restart)", faults, numbers)


def test_an_injected_weasyprint_failure_is_retried_and_recorded(faults, programme, alice, bob):
    faults.spawn("failing", CSR_TEST_RENDER_FAILURES="2")
    numbers = _issue_batch(programme, bob, alice, size=4)
    _wait(lambda: Certificate.objects.filter(number__in=numbers, pdf_attempts__gte=1).count()
          == len(numbers), faults=faults)
    failed_once = Certificate.objects.filter(number__in=numbers).first()
    assert failed_once.pdf_error == "OSError: injected WeasyPrint failure: cannot load font"
    _wait(lambda: _all_done(numbers), sweep=True, faults=faults)
    _settle_and_redeliver(faults, numbers)
    attempts = set(Certificate.objects.filter(number__in=numbers)
                   .values_list("pdf_attempts", flat=True))
    assert attempts == {2}, "two recorded failures each, then rendered"
    _assert_exactly_once("WeasyPrint fails twice per PDF (2 recorded failures each, "
                         "retried with back-off)", faults, numbers)
