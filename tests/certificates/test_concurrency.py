"""Gap-free numbering when certificates are issued at the same moment (real PostgreSQL)."""

import threading
import time

import pytest
from django.db import connection, connections

from certificates.models import Certificate, CertificateCounter
from certificates.services import certificate_issue
from tests.certificates.factories import at
from tests.companies.factories import CompanyFactory, assessment

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 6


def test_concurrent_issues_get_distinct_gap_free_numbers(programme, alice, bob, monkeypatch):
    assert connection.vendor == "postgresql"
    # Widen the window between reading the counter and writing it back, so that without the
    # row lock every thread would read the same number.
    original_save = CertificateCounter.save

    def slow_save(self, *args, **kwargs):
        time.sleep(0.2)
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(CertificateCounter, "save", slow_save)
    # The year's counter row exists already (creating it would itself serialise the threads).
    CertificateCounter.objects.create(year=2017, last_sequence=0)
    assessments = [assessment(company=CompanyFactory(), programme=programme, by=alice, met=3)
                   for _ in range(WORKERS)]
    barrier = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def issue(found):
        try:
            barrier.wait(timeout=10)
            certificate_issue(assessment=found, actor=bob, issued_at=at(2017, 9, 1),
                              queue_pdf=False)
        except BaseException as error:  # reported to the main thread below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(found,)) for found in assessments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert numbers == [f"CSR-2017-{n:04d}" for n in range(1, WORKERS + 1)]


def test_concurrent_issues_from_the_same_assessment_give_one_certificate(programme, alice, bob):
    found = assessment(company=CompanyFactory(), programme=programme, by=alice, met=3)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def issue():
        try:
            barrier.wait(timeout=10)
            certificate_issue(assessment=found, actor=bob, queue_pdf=False)
            outcomes.append("issued")
        except Exception as error:
            outcomes.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["ValidationError", "issued"]
    assert Certificate.objects.count() == 1
