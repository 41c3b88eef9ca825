import itertools

import factory

from companies.models import Company, ContactPerson, CsrAssessment, CsrCriterion
from companies.services import assessment_create


def _valid_cvrs():
    """CVR numbers that pass the modulus-11 check, in increasing order, never repeated."""
    weights = (2, 7, 6, 5, 4, 3, 2)
    for prefix in itertools.count(2_000_000):
        digits = [int(c) for c in str(prefix)]
        check = (-sum(d * w for d, w in zip(digits, weights, strict=True))) % 11
        if check < 10:
            yield f"{prefix}{check}"


_cvr_numbers = _valid_cvrs()


def next_cvr() -> str:
    return next(_cvr_numbers)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    cvr = factory.LazyFunction(next_cvr)
    name = factory.Sequence(lambda n: f"Virksomhed {n} ApS")
    address = factory.Faker("street_address", locale="da_DK")
    postcode = "8900"
    city = "Randers C"
    industry = "Detailhandel"


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    company = factory.SubFactory(CompanyFactory)
    name = factory.Faker("name", locale="da_DK")
    email = factory.Sequence(lambda n: f"kontakt{n}@virksomhed.example")
    is_primary = False


class CsrCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CsrCriterion

    title_da = factory.Sequence(lambda n: f"Kriterie {n}")
    title_en = factory.Sequence(lambda n: f"Criterion {n}")
    order = factory.Sequence(lambda n: n)


def criteria(count: int = 5) -> list[CsrCriterion]:
    """The active catalogue: reuse what exists, top up to ``count``."""
    existing = list(CsrCriterion.objects.filter(is_active=True).order_by("order", "pk"))
    return existing + [CsrCriterionFactory() for _ in range(count - len(existing))]


def assessment(*, company, programme, by, met: int, assessed_on=None) -> CsrAssessment:
    """An assessment through the service: the first ``met`` active criteria are met."""
    import datetime as dt

    active = criteria(max(5, met))
    return assessment_create(
        company=company, programme=programme, assessed_by=by,
        assessed_on=assessed_on or dt.date(2017, 8, 1),
        answers={c.pk: (i < met, "Dokumenteret ved besøg." if i < met else "")
                 for i, c in enumerate(active)},
    )
