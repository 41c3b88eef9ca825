"""The access policy (csrprogram.policy): each role's abilities and reach, restrict(), can,
require, the SYSTEM actor, the narrowing hook, the template filter and the scoped-object mixin.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template import Context, Template
from django.test import RequestFactory
from django.views.generic import TemplateView

from certificates.models import Certificate
from citizens.models import Citizen
from companies.models import Company
from csrprogram import policy
from csrprogram.choices import Role
from csrprogram.models import Programme
from csrprogram.policy import ALL, COMPANY, PROGRAMMES, SYSTEM
from csrprogram.views_base import ScopedObjectMixin
from tests.certificates.factories import certificate
from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.csrprogram.factories import ProgrammeFactory, UserFactory

# The specification, written independently of ROLE_ABILITIES: for each ability, the reach of
# each role that holds it (a role not named does not hold it).
C, T, A, K = Role.CONSULTANT, Role.TEAM_LEADER, Role.ADMINISTRATOR, Role.COMPANY_CONTACT
STAFF_READ = {C: PROGRAMMES, T: ALL, A: ALL}
CASEWORK = {C: PROGRAMMES, A: ALL}
LEADING = {T: ALL, A: ALL}
SPEC = {
    # The casebank (issue 11): consultants write, team leaders review, publish and collect.
    "cases.view_casestory": STAFF_READ,
    "cases.view_programmedescription": STAFF_READ,
    "cases.view_casecollection": STAFF_READ,
    "cases.add_casestory": CASEWORK,
    "cases.change_casestory": CASEWORK,
    "cases.add_companyconsent": CASEWORK,
    "cases.review_casestory": LEADING,
    "cases.publish_casestory": LEADING,
    "cases.change_programmedescription": LEADING,
    "cases.add_casecollection": LEADING,
    "cases.change_casecollection": LEADING,
    "cases.publish_casecollection": LEADING,
    # The company relationship (issue 15): casework; the leader also hands companies over.
    **{f"relations.view_{model}": STAFF_READ for model in (
        "network", "event", "mentorcourse", "contactlogentry", "spottedopening")},
    **{f"relations.{action}_{model}": CASEWORK for action in ("add", "change") for model in (
        "network", "event", "mentorcourse", "contactlogentry")},
    "relations.change_spottedopening": CASEWORK,
    "relations.change_responsibility": {C: PROGRAMMES, T: ALL, A: ALL},
    "companies.view_company": STAFF_READ,
    "companies.add_company": CASEWORK,
    "companies.change_company": CASEWORK,
    # Inviting company contacts to the portal and closing their access (issue 12).
    "companies.invite_contactperson": CASEWORK,
    "companies.add_csrassessment": {C: PROGRAMMES},
    "companies.view_csrassessment": STAFF_READ,
    "companies.view_csrcriterion": STAFF_READ,
    "companies.add_csrcriterion": LEADING,
    "companies.change_csrcriterion": LEADING,
    "companies.view_portal": {K: COMPANY},
    "certificates.view_certificate": STAFF_READ,
    "certificates.download_certificate": {**STAFF_READ, K: COMPANY},
    "certificates.issue_certificate": LEADING,
    "certificates.revoke_certificate": LEADING,
    "certificates.add_renderbatch": LEADING,
    "certificates.view_renderbatch": LEADING,
    "citizens.view_citizen": STAFF_READ,
    "citizens.add_citizen": CASEWORK,
    "citizens.change_citizen": CASEWORK,
    "citizens.view_accesslog": LEADING,
    "citizens.export_citizen": LEADING,
    "citizens.erase_citizen": LEADING,
    "citizens.restrict_citizen": LEADING,
    "citizens.approve_retentionreview": LEADING,
    "placements.view_jobopening": STAFF_READ,
    "placements.add_jobopening": CASEWORK,
    "placements.change_jobopening": CASEWORK,
    "placements.portal_jobopening": {K: COMPANY},
    "placements.add_candidacy": CASEWORK,
    "placements.change_candidacy": CASEWORK,
    "placements.decide_candidacy": {K: COMPANY},
    "placements.view_placement": STAFF_READ,
    "placements.change_placement": CASEWORK,
    "followups.view_visit": STAFF_READ,
    "followups.add_visit": CASEWORK,
    "followups.change_visit": CASEWORK,
    "followups.change_calendarfeed": CASEWORK,
    "followups.receive_escalation": {T: ALL},
    "csrprogram.view_programme": STAFF_READ,
    "csrprogram.change_programme": LEADING,
    "csrprogram.monitor_programme": LEADING,
    "csrprogram.view_target": STAFF_READ,
    "csrprogram.change_target": LEADING,
    "csrprogram.add_reportjob": LEADING,
    "csrprogram.view_reportjob": LEADING,
    "csrprogram.carry_caseload": {C: PROGRAMMES},
    "csrprogram.administer_site": {A: ALL},
}


def test_the_specification_names_every_ability_of_the_table():
    assert set(SPEC) == policy.ABILITIES


@pytest.fixture
def role_users(db):
    return {role: UserFactory(roles=[role]) for role in Role}


@pytest.mark.parametrize("ability", sorted(SPEC))
def test_each_role_holds_each_ability_within_its_reach(role_users, ability):
    for role, user in role_users.items():
        expected = {SPEC[ability][role]} if role in SPEC[ability] else set()
        assert policy.reaches(user, ability) == expected, (role, ability)
        assert policy.can(user, ability) == bool(expected), (role, ability)


def test_superuser_holds_everything_and_inactive_or_anonymous_users_nothing(db, alice):
    root = UserFactory(is_superuser=True)
    assert policy.abilities_of(root) == policy.ABILITIES
    assert policy.reaches(root, "companies.add_csrassessment") == {ALL}
    alice.is_active = False
    assert not policy.can(alice, "citizens.view_citizen")
    from django.contrib.auth.models import AnonymousUser

    assert not policy.can(AnonymousUser(), "citizens.view_citizen")
    assert Citizen.objects.restrict(AnonymousUser(), "view").query.is_empty()


def test_an_unknown_ability_is_an_error_not_a_silent_no(alice):
    with pytest.raises(ValueError, match="Unknown ability"):
        policy.can(alice, "citizens.chnage_citizen")
    with pytest.raises(ValueError, match="Unknown ability"):
        Citizen.objects.restrict(alice, "delete")


def test_a_user_in_two_roles_holds_the_union_with_the_widest_reach(db):
    both = UserFactory(roles=[Role.CONSULTANT, Role.TEAM_LEADER])
    assert policy.reaches(both, "citizens.view_citizen") == {ALL}
    assert policy.can(both, "citizens.change_citizen")
    assert policy.can(both, "certificates.issue_certificate")


@pytest.fixture
def citizens(db, programme, alice):
    """Mine (enrolled in alice's programme), caseload (assigned to alice, no enrolment) and
    other (enrolled in a programme alice does not work in)."""
    other_programme = ProgrammeFactory(name="Andet program")
    mine = CitizenFactory(name="Mine")
    EnrolmentFactory(citizen=mine, programme=programme)
    caseload = CitizenFactory(name="Caseload", consultant=alice)
    other = CitizenFactory(name="Other")
    EnrolmentFactory(citizen=other, programme=other_programme)
    return {"mine": mine, "caseload": caseload, "other": other}


def test_programmes_reach_restricts_citizens_to_the_consultants_programmes_and_caseload(
        citizens, alice, bob, erin, carol):
    def names(user, action="view"):
        return set(Citizen.objects.restrict(user, action).values_list("name", flat=True))

    assert names(alice) == {"Mine", "Caseload"}
    assert names(alice, "change") == {"Mine", "Caseload"}
    assert names(bob) == {"Mine", "Caseload", "Other"}
    assert names(bob, "change") == set()  # team leaders read, they do not change records
    assert names(erin, "change") == {"Mine", "Caseload", "Other"}
    assert names(carol) == set()


def test_programmes_reach_on_programmes_and_unrestricted_models(programme, alice, bob):
    other = ProgrammeFactory(name="Andet program")
    assert set(Programme.objects.restrict(alice)) == {programme}
    assert set(Programme.objects.restrict(bob)) == {programme, other}
    company = Company.objects.create(cvr="30000013", name="Fælles A/S")
    # The company register is shared by all staff: a programme does not narrow it.
    assert company in Company.objects.restrict(alice)


def test_company_reach_gives_a_contact_only_their_own_company(programme, alice, bob, carol,
                                                               dave, company_a, company_b):
    own = certificate(programme=programme, leader=bob, consultant=alice, company=company_a)
    certificate(programme=programme, leader=bob, consultant=alice, company=company_b)
    assert list(Certificate.objects.restrict(carol, "download")) == [own]
    assert Certificate.objects.restrict(carol, "view").count() == 0  # not the staff list
    assert list(Company.objects.restrict(carol, ability="companies.view_portal")) == [company_a]
    assert policy.can(carol, "certificates.download_certificate", own)
    assert not policy.can(dave, "certificates.download_certificate", own)


def test_can_and_require_with_an_object(citizens, alice, bob):
    assert policy.can(alice, "citizens.change_citizen", citizens["mine"])
    assert not policy.can(alice, "citizens.change_citizen", citizens["other"])
    policy.require(alice, "citizens.change_citizen", citizens["caseload"])
    with pytest.raises(PermissionDenied):
        policy.require(alice, "citizens.change_citizen", citizens["other"])
    with pytest.raises(PermissionDenied):
        policy.require(bob, "citizens.change_citizen", citizens["mine"])


def test_the_system_actor_may_anything_but_not_a_misspelt_ability(citizens):
    policy.require(SYSTEM, "citizens.change_citizen", citizens["other"])
    assert policy.permits(SYSTEM, "certificates.issue_certificate")
    assert Citizen.objects.restrict(SYSTEM, "change").count() == 3
    with pytest.raises(ValueError, match="Unknown ability"):
        policy.require(SYSTEM, "citizens.erase_citizn")


def test_a_narrowing_narrows_every_scope_without_touching_a_view(citizens, client, bob):
    def only_mine(queryset, user, ability):
        if queryset.model is Citizen:
            return queryset.filter(name="Mine")
        return queryset

    policy.add_narrowing(only_mine)
    try:
        assert set(Citizen.objects.restrict(bob)) == {citizens["mine"]}
        assert not policy.can(bob, "citizens.view_citizen", citizens["other"])
        client.force_login(bob)
        assert client.get(f"/borgere/{citizens['other'].pk}/").status_code == 404
        assert client.get(f"/borgere/{citizens['mine'].pk}/").status_code == 200
    finally:
        policy.remove_narrowing(only_mine)
    assert citizens["other"] in Citizen.objects.restrict(bob)


def test_may_answers_per_action_for_one_object(citizens, alice, bob):
    assert policy.may_for(alice, citizens["mine"], "view")["change"] is True
    assert policy.may_for(bob, citizens["mine"], "view")["change"] is False
    # An action no role holds is a plain no; erasure is the team leader's (issue 16).
    assert policy.may_for(bob, citizens["mine"], "view")["delete"] is False
    assert policy.may_for(bob, citizens["mine"], "view")["erase"] is True
    assert policy.may_for(alice, citizens["mine"], "view")["erase"] is False


def test_template_filter(alice, bob):
    template = Template('{% load policy_tags %}{% if user|can:"citizens.change_citizen" %}'
                        'edit{% else %}read{% endif %}')
    assert template.render(Context({"user": alice})) == "edit"
    assert template.render(Context({"user": bob})) == "read"


def test_users_with_an_ability(alice, bob, erin, carol):
    assert list(policy.users_with("csrprogram.carry_caseload")) == [alice]
    assert set(policy.users_with("citizens.change_citizen")) == {alice, erin}


def test_users_per_role(alice, bob, erin, carol, dave):
    assert dict(policy.users_per_role()) == {Role.CONSULTANT: 1, Role.TEAM_LEADER: 1,
                                             Role.ADMINISTRATOR: 1, Role.COMPANY_CONTACT: 2}


class _CitizenPage(ScopedObjectMixin, TemplateView):
    model = Citizen
    action = "change"


def test_scoped_object_mixin_fetches_once_and_404s_outside_the_scope(
        citizens, alice, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = alice
    view = _CitizenPage(request=request, kwargs={"pk": citizens["mine"].pk}, args=())
    policy.role_names(alice)  # the groups, read once per user (as the first check does)
    with django_assert_num_queries(1):
        assert view.scoped_object == citizens["mine"]
        assert view.get_object() is view.scoped_object
    outside = _CitizenPage(request=request, kwargs={"pk": citizens["other"].pk}, args=())
    with pytest.raises(Http404):
        _ = outside.scoped_object
    missing = _CitizenPage(request=request, kwargs={"pk": 999_999}, args=())
    with pytest.raises(Http404):
        _ = missing.scoped_object


def test_scoped_object_mixin_puts_the_object_and_may_in_the_context(citizens, alice):
    request = RequestFactory().get("/")
    request.user = alice
    view = _CitizenPage(request=request, kwargs={"pk": citizens["mine"].pk}, args=())
    context = view.get_context_data()
    assert context["citizen"] == citizens["mine"]
    assert context["may"]["change"] is True
    assert context["may"]["view"] is True


def test_scoped_object_mixin_refuses_without_the_ability_before_fetching(citizens, bob):
    request = RequestFactory().get("/")
    request.user = bob
    with pytest.raises(PermissionDenied):
        _CitizenPage.as_view()(request, pk=citizens["mine"].pk)
