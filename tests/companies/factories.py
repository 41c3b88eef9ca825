import itertools

import factory

from companies.models import Company, ContactPerson


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
