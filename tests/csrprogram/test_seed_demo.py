from django.core.management import call_command

from companies.models import Company, ContactPerson
from csrprogram import policy
from csrprogram.demo import DEMO_PASSWORD, demo_users
from csrprogram.models import Programme, User


def _counts():
    return (User.objects.count(), Programme.objects.count(), Company.objects.count(),
            ContactPerson.objects.count())


def test_seed_demo_is_idempotent_and_creates_the_randers_programmes(db):
    call_command("seed_demo", verbosity=0)
    first = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == first

    strategy = Programme.objects.get(name="CSR Strategi 2017")
    assert (str(strategy.starts_on), str(strategy.ends_on)) == ("2017-06-19", "2018-12-31")
    retention = Programme.objects.get(name__startswith="Fastholdelse af medarbejdere")
    assert (str(retention.starts_on), str(retention.ends_on)) == ("2021-08-01", "2022-12-31")


def test_every_demo_login_works_and_has_its_role(db):
    call_command("seed_demo", verbosity=0)
    for _key, email, _first, _last, role in demo_users():
        user = User.objects.get(email=email)
        assert role in policy.role_names(user)
        assert user.check_password(DEMO_PASSWORD)
    contact = User.objects.get(email="virksomhed@randers.example")
    assert contact.company_contacts.get().company.cvr == "35487638"
