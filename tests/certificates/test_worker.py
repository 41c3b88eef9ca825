import pytest

from certificates.models import Certificate
from tests.certificates.factories import certificate


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_pdf_queued_after_commit(celery_worker_process, programme,
                                                           alice, bob):
    # No primary contact: this test is about the rendering, not the email.
    issued = certificate(programme=programme, leader=bob, consultant=alice, queue_pdf=True,
                         with_contact=False)
    rendered = celery_worker_process(
        lambda: Certificate.objects.exclude(pdf_hash="").filter(pk=issued.pk).first(),
        timeout=60)
    assert rendered.pdf.name.endswith(".pdf")
    with rendered.pdf.open("rb") as handle:
        assert handle.read(4) == b"%PDF"
