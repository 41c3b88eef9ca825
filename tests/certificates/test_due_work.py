"""The certificate's PDF and issue email as due work: the sweep, failures, retries, the links."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from certificates import services
from certificates.choices import PdfStatus
from certificates.models import Certificate
from tests.certificates.factories import at, certificate

pytestmark = pytest.mark.django_db

ISSUED = at(2017, 9, 1)


@pytest.fixture
def queued(monkeypatch):
    """The tasks the sweep queues (after commit), by name, instead of a broker."""
    from certificates import tasks

    found = {"render": [], "email": []}
    monkeypatch.setattr(tasks.certificate_pdf_render_task, "apply_async",
                        lambda args, kwargs: found["render"].append(args[0]))
    monkeypatch.setattr(tasks.certificate_issue_email_send_task, "apply_async",
                        lambda args, kwargs: found["email"].append(args[0]))
    return found


@pytest.fixture
def issued(programme, alice, bob, private_media, settings):
    settings.CSR_DOCUMENT_RETRY_SECONDS = 300
    with time_machine.travel(ISSUED, tick=False):
        # Issued, but its task never reached a worker (as if the broker lost it).
        return certificate(programme=programme, leader=bob, consultant=alice, issued_at=ISSUED)


@pytest.fixture
def broken_weasyprint(monkeypatch):
    def broken(**kwargs):
        raise OSError("cannot load font")

    monkeypatch.setattr("certificates.services.render_pdf", broken)


def sweep(when, capture):
    with time_machine.travel(when, tick=False), capture(execute=True):
        return services.certificate_documents_sweep()


def test_a_lost_render_and_email_are_queued_again_once_their_lease_runs_out(
        issued, queued, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    assert issued.pdf_status == PdfStatus.PENDING
    assert sweep(ISSUED + dt.timedelta(seconds=299), capture) == (0, 0)  # still leased
    assert sweep(ISSUED + dt.timedelta(seconds=300), capture) == (1, 0)
    assert sweep(ISSUED + dt.timedelta(seconds=301), capture) == (0, 0)  # claimed: not twice
    assert queued["render"] == [issued.pk]
    services.certificate_pdf_render(certificate_id=issued.pk)
    issued.refresh_from_db()
    assert (issued.pdf_status, issued.pdf_next_attempt_at) == (PdfStatus.RENDERED, None)
    # The email is due (its lease ran out too) now that the PDF exists; queued once.
    assert sweep(ISSUED + dt.timedelta(seconds=400), capture) == (0, 1)
    assert sweep(ISSUED + dt.timedelta(seconds=401), capture) == (0, 0)
    assert queued["email"] == [issued.pk]
    assert services.certificate_issue_email_send(certificate_id=issued.pk) is True
    assert services.certificate_issue_email_send(certificate_id=issued.pk) is False
    assert sweep(ISSUED + dt.timedelta(days=1), capture) == (0, 0)


def test_back_filled_history_is_never_due(programme, alice, bob, private_media, queued,
                                          django_capture_on_commit_callbacks):
    old = certificate(programme=programme, leader=bob, consultant=alice, issued_at=ISSUED)
    Certificate.objects.filter(pk=old.pk).update(pdf_next_attempt_at=None,
                                                 issue_email_next_attempt_at=None)
    assert sweep(ISSUED + dt.timedelta(days=30), django_capture_on_commit_callbacks) == (0, 0)
    services.certificate_pdf_render(certificate_id=old.pk)
    assert services.certificate_issue_email_send(certificate_id=old.pk) is False


def test_a_failed_render_is_recorded_retried_with_back_off_and_then_shown_as_failed(
        issued, queued, broken_weasyprint, django_capture_on_commit_callbacks):
    now = ISSUED
    delays = []
    for failures in range(1, 6):
        with time_machine.travel(now, tick=False):
            assert services.certificate_pdf_render(certificate_id=issued.pk) is False
        issued.refresh_from_db()
        assert issued.pdf_attempts == failures
        assert issued.pdf_error == "OSError: cannot load font"
        if failures < 5:
            assert issued.pdf_status == PdfStatus.PENDING
            delays.append((issued.pdf_next_attempt_at - now).total_seconds())
            now = issued.pdf_next_attempt_at
            assert sweep(now, django_capture_on_commit_callbacks) == (1, 0)
    assert delays == [300, 600, 1200, 2400]
    assert (issued.pdf_status, issued.pdf_next_attempt_at) == (PdfStatus.FAILED, None)
    assert sweep(now + dt.timedelta(days=1), django_capture_on_commit_callbacks) == (0, 0)
    assert len(queued["render"]) == 4


def _fail_for_good(certificate_id):
    Certificate.objects.filter(pk=certificate_id).update(
        pdf_status=PdfStatus.FAILED, pdf_attempts=5, pdf_next_attempt_at=None,
        pdf_error="OSError: cannot load font")


def test_staff_see_the_failure_and_whoever_may_issue_retries(client, issued, alice, bob,
                                                             queued,
                                                             django_capture_on_commit_callbacks):
    _fail_for_good(issued.pk)
    detail = reverse("certificates:certificate-detail", args=[issued.pk])
    retry = reverse("certificates:certificate-pdf-retry", args=[issued.pk])
    client.force_login(alice)  # a consultant may not issue: sees the failure, no button
    html = client.get(detail).content.decode()
    assert "PDF kunne ikke dannes — prøv igen" in html
    assert "OSError: cannot load font" in html
    assert retry not in html
    assert client.post(retry).status_code == 403
    client.force_login(bob)
    assert retry in client.get(detail).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry, follow=True)
    assert "PDF&#x27;en dannes igen" in response.content.decode()
    issued.refresh_from_db()
    assert (issued.pdf_status, issued.pdf_attempts, issued.pdf_error) == (
        PdfStatus.PENDING, 0, "")
    assert queued["render"] == [issued.pk]


@pytest.mark.parametrize("link", ["staff", "public"])
def test_a_pdf_link_whose_render_fails_answers_a_clear_page_not_500(client, issued, bob, link,
                                                                    broken_weasyprint):
    if link == "staff":
        client.force_login(bob)
        url = reverse("certificates:certificate-pdf", args=[issued.pk])
    else:
        url = reverse("certificates:public-pdf", args=[issued.public_token])
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "300"
    assert "PDF'en kan ikke hentes lige nu" in response.content.decode()
    issued.refresh_from_db()
    assert issued.pdf_attempts == 1  # the on-demand attempt counts and is recorded
    # Failed for good: no more renders on demand, still a clear page.
    _fail_for_good(issued.pk)
    assert client.get(url).status_code == 503


def test_a_pdf_whose_stored_file_is_missing_is_rendered_again_on_demand(client, issued, bob):
    services.certificate_pdf_render(certificate_id=issued.pk)
    issued.refresh_from_db()
    issued.pdf.storage.delete(issued.pdf.name)
    client.force_login(bob)
    response = client.get(reverse("certificates:certificate-pdf", args=[issued.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    response = client.get(reverse("certificates:public-pdf", args=[issued.public_token]))
    assert response.status_code == 200


def test_a_render_batch_counts_failures_and_finishes(client, issued, bob, queued,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.render_batch_create(
            certificates=Certificate.objects.filter(pk=issued.pk), actor=bob)
    assert queued["render"] == [issued.pk]
    _fail_for_good(issued.pk)
    assert services.render_batch_progress(batch) == (0, 1, 1)
    client.force_login(bob)
    html = client.get(reverse("certificates:render-batch-detail", args=[batch.pk])
                      ).content.decode()
    assert "1 PDF kunne ikke dannes — prøv igen fra certifikatets side." in html
    assert 'http-equiv="refresh"' not in html
