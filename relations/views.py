"""Pages of the relations app: thin views over the services and selectors, every object
fetched through the access policy (``ScopedObjectMixin``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from citizens.selectors import citizens_visible_to, programmes_for_enrolment
from citizens.views import CitizensShownLogMixin
from companies.models import Company
from csrprogram import policy
from csrprogram.views_base import (
    AbilityRequiredMixin,
    ScopedObjectMixin,
    ServiceFormMixin,
    import_response,
)
from relations import selectors, services
from relations.choices import Rsvp
from relations.forms import (
    BaseSpotFormSet,
    CompleteForm,
    ContactedForm,
    ContactLogForm,
    EventForm,
    InviteForm,
    LeaveForm,
    MemberForm,
    MentorCourseForm,
    NetworkForm,
    NextStepDoneForm,
    RepresentativeForm,
    ResponsibleForm,
    RsvpForm,
    SpotFormSet,
    SpotImportForm,
    SpotRowForm,
    StoryForm,
)
from relations.models import ContactLogEntry, Event, MentorCourse, Network, SpottedOpening


def _pdf_response(filename: str, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- Events --------------------------------------------------------------------------------------

class EventListView(AbilityRequiredMixin, ListView):
    ability = "relations.view_event"
    template_name = "relations/event_list.html"
    context_object_name = "events"
    paginate_by = 25

    def get_queryset(self):
        queryset = selectors.event_list(self.request.user)
        programme = self.request.GET.get("programme", "")
        return queryset.filter(programme_id=programme) if programme.isdigit() else queryset


class EventCreateView(ServiceFormMixin, AbilityRequiredMixin, FormView):
    ability = "relations.add_event"
    template_name = "relations/event_form.html"
    form_class = EventForm
    success_message = gettext_lazy("Arrangementet er oprettet.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(),
                "programmes": programmes_for_enrolment(self.request.user)}

    def perform(self, form):
        event = services.event_create(actor=self.request.user, data=form.cleaned_data)
        return reverse("relations:event-detail", args=[event.pk])


class EventMixin(ScopedObjectMixin):
    model = Event

    def get_scoped_queryset(self):
        return selectors.event_detail(self.request.user, self.action)


class EventDetailView(CitizensShownLogMixin, EventMixin, TemplateView):
    """The event; the citizens who tell their story are shown to staff who may see them (the
    page is staff-only) and each such read is in the citizen's access log."""

    template_name = "relations/event_detail.html"
    citizens_shown_key = "stories"
    citizens_shown_path = "citizen_id"
    citizens_shown_purpose = gettext_lazy("Borgerfortælling ved arrangement")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["invitations"] = list(self.scoped_object.invitations.all())
        context["spotted"] = list(self.scoped_object.spotted_openings.all())
        context["stories"] = list(selectors.stories_visible_to(
            self.request.user, self.scoped_object))
        context["rsvp"] = Rsvp
        context["today"] = timezone.localdate()
        return context


class EventUpdateView(ServiceFormMixin, EventMixin, FormView):
    """Edit an event with the creation form's rules (it must end after it starts)."""

    action = "change"
    template_name = "relations/event_form.html"
    form_class = EventForm
    success_message = gettext_lazy("Arrangementet er gemt.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.scoped_object,
                "programmes": programmes_for_enrolment(self.request.user)}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "editing": True}

    def perform(self, form):
        # The form has copied its data onto the instance; the service saves a fresh copy.
        services.event_update(actor=self.request.user, event=self.scoped_object,
                              data=form.cleaned_data)
        return reverse("relations:event-detail", args=[self.scoped_object.pk])


class EventStoriesView(CitizensShownLogMixin, ServiceFormMixin, EventMixin, FormView):
    """The citizens who tell their story at the event: add one (only with the consent in
    force) or remove one. Offers the citizens the user may see who have the consent."""

    action = "change"
    template_name = "relations/event_stories.html"
    form_class = StoryForm
    success_message = gettext_lazy("Borgeren er tilføjet arrangementet.")
    citizens_shown_key = "citizens_shown"
    citizens_shown_path = "pk"
    citizens_shown_purpose = gettext_lazy("Borgerfortælling ved arrangement")

    def stories(self):
        if not hasattr(self, "_stories"):
            self._stories = list(selectors.stories_visible_to(self.request.user,
                                                              self.scoped_object))
        return self._stories

    def offered(self):
        if not hasattr(self, "_offered"):
            self._offered = list(selectors.story_candidates(self.request.user,
                                                            self.scoped_object))
        return self._offered

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(),
                "citizens": citizens_visible_to(self.request.user),
                "offered": self.offered()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["stories"] = self.stories()
        context["offered"] = self.offered()
        context["citizens_shown"] = ([story.citizen for story in self.stories()]
                                     + self.offered())
        return context

    def perform(self, form):
        services.event_story_add(actor=self.request.user, event=self.scoped_object,
                                 citizen=form.cleaned_data["citizen"],
                                 note=form.cleaned_data["note"])
        return reverse("relations:event-stories", args=[self.scoped_object.pk])


class EventStoryRemoveView(EventMixin, View):
    action = "change"

    def post(self, request, pk, story):
        story = get_object_or_404(self.scoped_object.stories, pk=story)
        services.event_story_remove(actor=request.user, story=story)
        messages.success(request, _("Borgeren er fjernet fra arrangementet."))
        return redirect("relations:event-stories", pk=self.scoped_object.pk)


class EventInviteView(ServiceFormMixin, EventMixin, FormView):
    action = "change"
    template_name = "relations/event_invite.html"
    form_class = InviteForm

    def perform(self, form):
        invitations = services.event_invite(actor=self.request.user, event=self.scoped_object,
                                            companies=form.cleaned_data["chosen"])
        self.success_message = _("%(count)s virksomheder er inviteret.") % {
            "count": len(invitations)}
        return reverse("relations:event-detail", args=[self.scoped_object.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        if getattr(form, "unknown_cvr", None):
            context["create_url"] = f"{reverse('companies:company-create')}?cvr={form.unknown_cvr}"
        return context


class EventSendView(EventMixin, View):
    action = "change"

    def post(self, request, pk):
        count = services.event_invitations_send(actor=request.user, event=self.scoped_object)
        messages.success(request, _("%(count)s invitationer sendes nu.") % {"count": count})
        return redirect("relations:event-detail", pk=self.scoped_object.pk)


class EventIcalView(EventMixin, View):
    def get(self, request, pk):
        response = HttpResponse(services.event_ical(self.scoped_object),
                                content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="event-{pk}.ics"'
        return response


class InvitationMixin(AbilityRequiredMixin):
    """An invitation of an event the user may view (letters) or change (answers)."""

    action = "view"

    def get_ability(self):
        return f"relations.{self.action}_event"

    @property
    def invitation(self):
        if not hasattr(self, "_invitation"):
            self._invitation = get_object_or_404(
                selectors.invitations_visible_to(self.request.user, self.action),
                pk=self.kwargs["pk"])
        return self._invitation


class InvitationLetterView(InvitationMixin, View):
    def get(self, request, pk):
        return _pdf_response(*services.invitation_letter(self.invitation))


class InvitationRsvpView(InvitationMixin, View):
    action = "change"

    def post(self, request, pk):
        invitation = self.invitation
        form = RsvpForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Svaret kunne ikke læses."))
            return redirect("relations:event-detail", pk=invitation.event_id)
        answer = form.cleaned_data["answer"]
        try:
            if answer in (RsvpForm.ATTENDED, RsvpForm.ABSENT):
                services.invitation_attendance(actor=request.user, invitation=invitation,
                                               attended=answer == RsvpForm.ATTENDED)
            else:
                services.invitation_rsvp(
                    actor=request.user, invitation=invitation, answer=answer,
                    answered_on=form.cleaned_data["answered_on"] or timezone.localdate())
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("Svaret er registreret for %(company)s.")
                             % {"company": invitation.company.name})
        return redirect("relations:event-detail", pk=invitation.event_id)


class EventSpotView(EventMixin, TemplateView):
    """The phone-friendly "Spot et job" sheet: one row per company."""

    action = "change"
    template_name = "relations/event_spot.html"

    def formset(self, data=None):
        companies = Company.objects.order_by("name", "pk")
        extra = self.request.GET.get("rader", "")
        formset_class = SpotFormSet
        if extra.isdigit() and 1 <= int(extra) <= 50:
            formset_class = forms.formset_factory(
                SpotRowForm, formset=BaseSpotFormSet, extra=int(extra), max_num=50,
                absolute_max=50)
        return formset_class(data=data, prefix="spot", form_kwargs={"companies": companies})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("formset", self.formset())
        return context

    def post(self, request, pk):
        formset = self.formset(data=request.POST)
        errors = []
        if formset.is_valid():
            try:
                spotted = services.spotted_openings_create(
                    actor=request.user, event=self.scoped_object, rows=formset.rows())
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, _("%(count)s job er spottet og følges op.")
                                 % {"count": len(spotted)})
                return redirect("relations:event-detail", pk=self.scoped_object.pk)
        return self.render_to_response(self.get_context_data(formset=formset,
                                                             sheet_errors=errors))


class EventSpotImportView(EventMixin, FormView):
    action = "change"
    template_name = "relations/event_spot_import.html"
    form_class = SpotImportForm
    success_message = ngettext_lazy("%(count)s spottet job er importeret.",
                                    "%(count)s spottede job er importeret.", "count")

    def form_valid(self, form):
        result = services.spotted_openings_import(actor=self.request.user,
                                                  event=self.scoped_object,
                                                  uploaded=form.cleaned_data["file"])
        return import_response(
            self, form, result,
            success_url=reverse("relations:event-detail", args=[self.scoped_object.pk]),
            success_message=self.success_message)


class SpottedContactedView(ServiceFormMixin, ScopedObjectMixin, FormView):
    model = SpottedOpening
    action = "change"
    template_name = "relations/spotted_contacted.html"
    form_class = ContactedForm
    scoped_context_name = "spotted"
    success_message = gettext_lazy("Opfølgningen er registreret.")

    def get_scoped_queryset(self):
        return selectors.spotted_visible_to(self.request.user, self.action)

    def get_initial(self):
        return {"contacted_on": timezone.localdate()}

    def perform(self, form):
        services.spotted_opening_contacted(actor=self.request.user, spotted=self.scoped_object,
                                           **form.cleaned_data)
        return reverse("relations:event-detail", args=[self.scoped_object.event_id])


# --- Networks ------------------------------------------------------------------------------------

class NetworkListView(AbilityRequiredMixin, ListView):
    ability = "relations.view_network"
    template_name = "relations/network_list.html"
    context_object_name = "networks"
    paginate_by = 25

    def get_queryset(self):
        return selectors.network_list(self.request.user)


class NetworkCreateView(ServiceFormMixin, AbilityRequiredMixin, FormView):
    ability = "relations.add_network"
    template_name = "relations/network_form.html"
    form_class = NetworkForm
    success_message = gettext_lazy("Netværket er oprettet.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(),
                "programmes": programmes_for_enrolment(self.request.user)}

    def perform(self, form):
        data = {key: form.cleaned_data[key] for key in ("name", "kind", "organiser",
                                                        "description")}
        network = services.network_create(actor=self.request.user, data=data,
                                          programmes=form.cleaned_data["programmes"])
        return reverse("relations:network-detail", args=[network.pk])


class ChangeOnPostMixin:
    """A page any reader sees whose form (POST) needs the ``change`` ability on the object."""

    def post(self, request, *args, **kwargs):
        if not self.get_context_may()["change"]:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_context_may(self):
        return policy.may_for(self.request.user, self.scoped_object, self.action)


class NetworkMixin(ScopedObjectMixin):
    model = Network

    def get_scoped_queryset(self):
        return selectors.network_detail(self.request.user, self.action)


class MembershipMixin(ServiceFormMixin, NetworkMixin):
    """A membership of the URL's network (``membership`` in the URL), changed on its own
    page; back to the network page when done."""

    action = "change"
    scoped_context_name = "network"

    @property
    def membership(self):
        if not hasattr(self, "_membership"):
            self._membership = get_object_or_404(
                self.scoped_object.memberships.select_related("company"),
                pk=self.kwargs["membership"])
        return self._membership

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "membership": self.membership}

    def done(self):
        return reverse("relations:network-detail", args=[self.scoped_object.pk])


class MembershipLeaveView(MembershipMixin, FormView):
    """The company leaves the network; the membership stays in the history with its dates."""

    template_name = "relations/membership_leave.html"
    form_class = LeaveForm

    def get_initial(self):
        return {"left_on": timezone.localdate()}

    def perform(self, form):
        services.network_member_leave(actor=self.request.user, membership=self.membership,
                                      left_on=form.cleaned_data["left_on"])
        self.success_message = _("%(company)s er udtrådt af netværket.") % {
            "company": self.membership.company.name}
        return self.done()


class MembershipRepresentativeView(MembershipMixin, FormView):
    """Choose who represents the company in the network, among its contact persons."""

    template_name = "relations/membership_representative.html"
    form_class = RepresentativeForm

    def offered(self):
        if not hasattr(self, "_offered"):
            self._offered = list(services.representative_choices(self.membership.company))
        return self._offered

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "offered": self.offered()}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "offered": self.offered()}

    def get_initial(self):
        return {"representative": self.membership.representative_id}

    def perform(self, form):
        services.network_representative_set(
            actor=self.request.user, membership=self.membership,
            representative=form.cleaned_data["representative"])
        self.success_message = _("Repræsentanten er gemt.")
        return self.done()


class NetworkDetailView(ChangeOnPostMixin, ServiceFormMixin, NetworkMixin, FormView):
    """A network, its members over time (with the links to end a membership and to choose
    the representative), and the form to add a company."""

    template_name = "relations/network_detail.html"
    form_class = MemberForm
    success_message = gettext_lazy("Virksomheden er tilføjet netværket.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = list(self.scoped_object.memberships.all())
        context["events"] = list(selectors.events_visible_to(self.request.user).filter(
            network=self.scoped_object).order_by("-starts_at", "-pk")[:20])
        return context

    def perform(self, form):
        services.network_member_add(actor=self.request.user, network=self.scoped_object,
                                    company=form.cleaned_data["company"],
                                    joined_on=form.cleaned_data["joined_on"])
        return reverse("relations:network-detail", args=[self.scoped_object.pk])


# --- Mentor courses ------------------------------------------------------------------------------

class CourseListView(AbilityRequiredMixin, ListView):
    ability = "relations.view_mentorcourse"
    template_name = "relations/course_list.html"
    context_object_name = "courses"
    paginate_by = 25

    def get_queryset(self):
        return selectors.course_list(self.request.user)


class CourseCreateView(ServiceFormMixin, AbilityRequiredMixin, FormView):
    ability = "relations.add_mentorcourse"
    template_name = "relations/course_form.html"
    form_class = MentorCourseForm
    success_message = gettext_lazy("Mentorkurset er oprettet.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(),
                "programmes": programmes_for_enrolment(self.request.user)}

    def perform(self, form):
        data = {key: form.cleaned_data[key] for key in ("title", "programme", "organiser",
                                                        "place", "starts_on", "ends_on")}
        course = services.mentor_course_create(actor=self.request.user, data=data,
                                               trainees=form.cleaned_data["participants"])
        return reverse("relations:course-detail", args=[course.pk])


class CourseDetailView(ChangeOnPostMixin, ServiceFormMixin, ScopedObjectMixin, FormView):
    """A course, its participants and the form to record who completed it."""

    model = MentorCourse
    template_name = "relations/course_detail.html"
    form_class = CompleteForm
    scoped_context_name = "course"

    def get_scoped_queryset(self):
        return selectors.course_detail(self.request.user, self.action)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "course": self.scoped_object}

    def get_initial(self):
        return {"completed_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["trainees"] = list(self.scoped_object.trainees.all())
        return context

    def perform(self, form):
        count = services.mentor_trainees_complete(
            actor=self.request.user, course=self.scoped_object,
            trainees=form.cleaned_data["trainees"],
            completed_on=form.cleaned_data["completed_on"])
        self.success_message = _("%(count)s deltagere har gennemført kurset.") % {"count": count}
        return reverse("relations:course-detail", args=[self.scoped_object.pk])


class TraineeCertificateView(AbilityRequiredMixin, View):
    ability = "relations.view_mentorcourse"

    def get(self, request, pk):
        trainee = get_object_or_404(selectors.trainees_visible_to(request.user),
                                    pk=pk, completed_on__isnull=False)
        return _pdf_response(*services.mentor_certificate(trainee))


# --- The company relationship --------------------------------------------------------------------

class CompanyMixin(ScopedObjectMixin):
    model = Company

    def get_scoped_queryset(self):
        return Company.objects.restrict(self.request.user, "view", ability=self.get_ability())


class ContactCreateView(ServiceFormMixin, CompanyMixin, FormView):
    ability = "relations.add_contactlogentry"
    template_name = "relations/contact_form.html"
    form_class = ContactLogForm
    success_message = gettext_lazy("Kontakten er logget.")

    def get_initial(self):
        return {"occurred_on": timezone.localdate()}

    def perform(self, form):
        services.contact_log_record(actor=self.request.user, company=self.scoped_object,
                                    data=form.cleaned_data)
        return (reverse("companies:company-detail", args=[self.scoped_object.pk])
                + "#relations-contacts")


class ResponsibleSetView(ServiceFormMixin, CompanyMixin, FormView):
    ability = "relations.change_responsibility"
    template_name = "relations/responsible_form.html"
    form_class = ResponsibleForm
    success_message = gettext_lazy("Den ansvarlige konsulent er gemt.")

    def get_initial(self):
        return {"started_on": timezone.localdate(),
                "consultant": self.scoped_object.responsible_consultant_id}

    def perform(self, form):
        services.responsible_consultant_set(
            actor=self.request.user, company=self.scoped_object, **form.cleaned_data)
        return reverse("companies:company-detail", args=[self.scoped_object.pk])


class NextStepDoneView(ScopedObjectMixin, View):
    model = ContactLogEntry
    action = "change"

    def post(self, request, pk):
        entry = self.scoped_object
        form = NextStepDoneForm({"done_on": request.POST.get("done_on")
                                 or timezone.localdate().isoformat()})
        try:
            if not form.is_valid():
                raise ValidationError(list(form.errors.get("done_on", [])))
            services.next_step_done(actor=request.user, entry=entry,
                                    done_on=form.cleaned_data["done_on"])
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("Det næste skridt er markeret som udført."))
        return redirect(reverse("companies:company-detail", args=[entry.company_id])
                        + "#relations-contacts")

