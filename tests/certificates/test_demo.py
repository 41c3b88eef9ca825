from collections import Counter

import pytest
from django.core.management import call_command

from certificates.choices import CertificateStatus
from certificates.models import Certificate
from companies.models import CsrAssessment, CsrCriterion

pytestmark = pytest.mark.django_db


def test_demo_certifies_most_companies_with_a_trend_and_is_idempotent():
    call_command("seed_demo", verbosity=0)
    counts = (Certificate.objects.count(), CsrAssessment.objects.count(),
              CsrCriterion.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Certificate.objects.count(), CsrAssessment.objects.count(),
            CsrCriterion.objects.count()) == counts

    titles = list(CsrCriterion.objects.order_by("order").values_list("title_da", flat=True))
    assert len(titles) == 10
    assert titles[:3] == [
        "Virksomheden tilbyder løbende praktikpladser",
        "Virksomheden engagerer sig i socialøkonomiske aktiviteter",
        "Virksomheden har en aktiv personalepolitik med plads til mangfoldighed",
    ]
    strategy = Certificate.objects.filter(programme__name="CSR Strategi 2017")
    by_year = Counter(strategy.filter(year__in=(2017, 2018)).values_list("year", flat=True))
    assert by_year[2017] >= 15
    assert by_year[2018] >= 5
    statuses = Counter(c.status for c in Certificate.objects.all())
    assert statuses[CertificateStatus.REVOKED] == 2
    assert statuses[CertificateStatus.EXPIRED] > 0
    assert statuses[CertificateStatus.VALID] > 0
    contact_company = Certificate.objects.filter(company__cvr="35487638")
    assert any(c.is_valid for c in contact_company)
    # The programme's figures: 100 companies certified by the end of 2017, 150 by 2018.
    import datetime as dt

    from csrprogram.metrics import registry
    from csrprogram.models import Programme

    programme = Programme.objects.get(name="CSR Strategi 2017")
    certified = registry.get("certified_companies")
    assert certified.count(programme, start=programme.starts_on,
                           end=dt.date(2017, 12, 31)) >= 100
    assert certified.count(programme, start=programme.starts_on,
                           end=dt.date(2018, 12, 31)) >= 150
    # Numbers are gap-free per year.
    for year in by_year:
        sequences = sorted(strategy.filter(year=year).values_list("sequence", flat=True))
        assert sequences == list(range(1, len(sequences) + 1))
