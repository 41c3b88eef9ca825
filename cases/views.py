"""Pages of the casebank: thin views over ``cases.services`` and ``cases.selectors``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from cases import forms, selectors, services
from cases.choices import CollectionStatus, PdfStatus, StoryStatus
from cases.documents import collection_filename, collection_sections
from cases.filters import CollectionFilter, StoryFilter
from cases.models import CaseCollection, CaseStory, ProgrammeDescription, StoryFinding
from citizens.choices import AccessAction
from citizens.services import access_log_record
from companies.models import Company
from csrprogram import policy
from csrprogram.models import Programme
from csrprogram.views_base import (
    AbilityRequiredMixin,
    FilteredListView,
    ScopedObjectMixin,
    add_service_errors,
)
from placements.models import Placement


def _refusal(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- Stories -----------------------------------------------------------------------------------


class StoryListView(FilteredListView):
    ability = "cases.view_casestory"
    template_name = "cases/story_list.html"
    context_object_name = "stories"
    filterset_class = StoryFilter

    def get_base_queryset(self):
        return selectors.story_list(self.request.user)


class StoryMixin(ScopedObjectMixin):
    model = CaseStory
    scoped_context_name = "story"

    def get_scoped_queryset(self):
        return selectors.story_detail(self.request.user, self.action,
                                      ability=self.get_ability())

    @property
    def story(self) -> CaseStory:
        return self.scoped_object

    def log_citizen_view(self, purpose: str) -> None:
        # The page shows the citizen's name next to the draft: a read of the citizen record.
        access_log_record(citizen=self.story.citizen, actor=self.request.user,
                          action=AccessAction.VIEW, purpose=purpose)


class StoryDetailView(StoryMixin, TemplateView):
    """The story with its findings (exactly where), workflow actions and history."""

    template_name = "cases/story_detail.html"

    def get(self, request, *args, **kwargs):
        self.log_citizen_view(_("Visning af casebeskrivelse"))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        story = self.story
        user = self.request.user
        findings = list(story.findings.select_related("decided_by").order_by("field", "start"))
        context.update({
            "findings": findings,
            "open_findings": [f for f in findings if f.status == "open"],
            "marked_texts": marked_texts(story, findings),
            "events": list(story.events.select_related("actor")),
            "may_review": policy.can(user, "cases.review_casestory", story),
            "may_publish": policy.can(user, "cases.publish_casestory", story),
            "may_edit": story.is_editable and policy.can(user, "cases.change_casestory", story),
            "has_consent": services.citizen_has_publication_consent(story.citizen),
            "company_consent": services.company_has_consent(story.placement.company),
            "return_form": forms.ReturnForm(),
            "withdraw_form": forms.WithdrawForm(),
            "dismiss_form": forms.DismissForm(),
            "statuses": StoryStatus,
        })
        return context


def marked_texts(story: CaseStory, findings: list[StoryFinding]) -> list[dict]:
    """Each text field split into plain and marked pieces, for showing findings in place."""
    result = []
    labels = {name: CaseStory._meta.get_field(name).verbose_name for name in story.TEXT_FIELDS}
    for name, text in story.texts().items():
        if not text:
            continue
        pieces, cursor = [], 0
        for finding in findings:
            if finding.field != name or finding.start < cursor:
                continue
            end = finding.start + len(finding.text)
            if text[finding.start:end] != finding.text:
                continue
            pieces.append({"text": text[cursor:finding.start]})
            pieces.append({"text": finding.text, "finding": finding})
            cursor = end
        pieces.append({"text": text[cursor:]})
        result.append({"name": name, "label": labels[name], "pieces": pieces})
    return result


class StoryCreateView(AbilityRequiredMixin, FormView):
    """A consultant writes a story from a placement in their programmes."""

    ability = "cases.add_casestory"
    template_name = "cases/story_form.html"
    form_class = forms.StoryForm

    @cached_property
    def placement(self) -> Placement:
        # Another programme's placement is a 404, as if it did not exist.
        queryset = Placement.objects.restrict(self.request.user, ability=self.ability)
        return get_object_or_404(queryset.select_related("company", "citizen"),
                                 pk=self.kwargs["placement_pk"])

    def get(self, request, *args, **kwargs):
        access_log_record(citizen=self.placement.citizen, actor=request.user,
                          action=AccessAction.VIEW, purpose=_("Ny casebeskrivelse af forløb"))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["placement"] = self.placement
        context["company_consent"] = services.company_has_consent(self.placement.company)
        return context

    def form_valid(self, form):
        try:
            story = services.story_create(placement=self.placement, actor=self.request.user,
                                          **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        _saved_message(self.request, story)
        return redirect("cases:story-detail", story.pk)


def _saved_message(request, story: CaseStory) -> None:
    count = story.findings.filter(status="open").count()
    if count:
        messages.warning(request, _("Casebeskrivelsen er gemt. Kontrollen fandt %(count)s "
                                    "sted(er), der kan identificere borgeren; se nedenfor.")
                         % {"count": count})
    else:
        messages.success(request, _("Casebeskrivelsen er gemt. Kontrollen fandt intet, der "
                                    "kan identificere borgeren."))


class StoryUpdateView(StoryMixin, FormView):
    action = "change"
    template_name = "cases/story_form.html"
    form_class = forms.StoryForm

    def get(self, request, *args, **kwargs):
        self.log_citizen_view(_("Redigering af casebeskrivelse"))
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.story}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["placement"] = self.story.placement
        context["company_consent"] = services.company_has_consent(self.story.placement.company)
        context["findings"] = list(self.story.findings.filter(status="open"))
        return context

    def form_valid(self, form):
        self.story.refresh_from_db()  # the form wrote its values onto the instance
        try:
            story = services.story_update(story=self.story, actor=self.request.user,
                                          **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        _saved_message(self.request, story)
        return redirect("cases:story-detail", story.pk)


class StoryActionView(StoryMixin, View):
    """A POST that moves the story through its workflow, then back to the story's page."""

    form_class = None
    success_message = ""

    def act(self, form):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST) if self.form_class else None
        if form is not None and not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
            return redirect("cases:story-detail", self.story.pk)
        try:
            self.act(form)
        except ValidationError as error:
            _refusal(request, error)
        else:
            messages.success(request, self.success_message)
        return redirect("cases:story-detail", self.story.pk)


class StorySubmitView(StoryActionView):
    action = "change"

    @property
    def success_message(self):
        return _("Casebeskrivelsen er sendt til godkendelse hos en teamleder.")

    def act(self, form):
        services.story_submit(story=self.story, actor=self.request.user)


class StoryReturnView(StoryActionView):
    ability = "cases.review_casestory"
    form_class = forms.ReturnForm

    @property
    def success_message(self):
        return _("Casebeskrivelsen er sendt tilbage til konsulenten med din kommentar.")

    def act(self, form):
        services.story_return(story=self.story, actor=self.request.user,
                              comment=form.cleaned_data["comment"])


class StoryPublishView(StoryActionView):
    ability = "cases.publish_casestory"

    @property
    def success_message(self):
        return _("Casebeskrivelsen er offentliggjort.")

    def act(self, form):
        services.story_publish(story=self.story, actor=self.request.user)


class StoryWithdrawView(StoryActionView):
    ability = "cases.publish_casestory"
    form_class = forms.WithdrawForm

    @property
    def success_message(self):
        return _("Casebeskrivelsen er trukket tilbage.")

    def act(self, form):
        services.story_withdraw(story=self.story, actor=self.request.user,
                                comment=form.cleaned_data["comment"])


class FindingDismissView(AbilityRequiredMixin, View):
    """A team leader marks a finding as a false positive, with a reason."""

    ability = "cases.review_casestory"

    def post(self, request, pk):
        stories = selectors.stories_visible_to(request.user, ability=self.ability)
        finding = get_object_or_404(StoryFinding.objects.filter(story__in=stories)
                                    .select_related("story"), pk=pk)
        form = forms.DismissForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Angiv en begrundelse for, at fundet er falsk alarm."))
        else:
            try:
                services.finding_dismiss(finding=finding, actor=request.user,
                                         reason=form.cleaned_data["reason"])
            except ValidationError as error:
                _refusal(request, error)
            else:
                messages.success(request, _("Fundet er markeret som falsk alarm."))
        return redirect("cases:story-detail", finding.story_id)


class CompanyConsentView(ScopedObjectMixin, FormView):
    """Record (or withdraw) a company's consent to be named in published stories."""

    model = Company
    ability = "cases.add_companyconsent"
    scoped_context_name = "company"
    template_name = "cases/company_consent.html"
    form_class = forms.CompanyConsentForm

    def get_initial(self):
        return {"next": _safe_next(self.request)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["consents"] = list(self.scoped_object.case_consents.all())
        return context

    def post(self, request, *args, **kwargs):
        if "withdraw" in request.POST:
            services.company_consent_withdraw(company=self.scoped_object,
                                              withdrawn_on=timezone.localdate(),
                                              actor=request.user)
            messages.success(request, _("Virksomhedens samtykke er trukket tilbage."))
            return redirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.company_consent_record(
                company=self.scoped_object, actor=self.request.user,
                given_on=form.cleaned_data["given_on"], given_by=form.cleaned_data["given_by"])
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Virksomhedens samtykke er registreret."))
        return redirect(_safe_next(self.request) or self.request.path)


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") else ""


# --- Programme descriptions ---------------------------------------------------------------------


class DescriptionMixin(ScopedObjectMixin):
    model = Programme
    scoped_context_name = "programme"

    @property
    def programme(self) -> Programme:
        return self.scoped_object

    @cached_property
    def description(self) -> ProgrammeDescription | None:
        return ProgrammeDescription.objects.filter(programme=self.programme).first()


class DescriptionDetailView(DescriptionMixin, TemplateView):
    ability = "cases.view_programmedescription"
    template_name = "cases/description_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        description = self.description or ProgrammeDescription(programme=self.programme)
        context["description"] = description
        context["facts"] = selectors.description_facts(description, as_of=timezone.localdate())
        context["may_change"] = policy.can(self.request.user,
                                           "cases.change_programmedescription", self.programme)
        return context


class DescriptionUpdateView(DescriptionMixin, FormView):
    ability = "cases.change_programmedescription"
    template_name = "cases/description_form.html"
    form_class = forms.DescriptionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.description}

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.description_save(programme=self.programme, actor=self.request.user,
                                      **fields)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Projektbeskrivelsen er gemt."))
        return redirect("cases:description-detail", self.programme.pk)


# --- Collections ------------------------------------------------------------------------------


class CollectionListView(FilteredListView):
    ability = "cases.view_casecollection"
    template_name = "cases/collection_list.html"
    context_object_name = "collections"
    filterset_class = CollectionFilter

    def get_base_queryset(self):
        return selectors.collection_list(self.request.user)


class CollectionFormMixin:
    template_name = "cases/collection_form.html"
    form_class = forms.CollectionForm

    def chosen_programme(self) -> Programme | None:
        raise NotImplementedError

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        programme = self.chosen_programme()
        if programme is not None:
            stories, descriptions = selectors.collection_candidates(programme)
            kwargs.update(stories=stories, descriptions=descriptions)
        return kwargs


class CollectionCreateView(CollectionFormMixin, AbilityRequiredMixin, FormView):
    """Step 1 chooses the programme (``?programme=``), step 2 the cases and their order."""

    ability = "cases.add_casecollection"

    def programmes(self):
        return selectors.programmes_for_collections(self.request.user)

    @cached_property
    def programme(self) -> Programme | None:
        value = self.request.GET.get("programme") or self.request.POST.get("programme")
        if not value or not str(value).isdigit():
            return None
        return self.programmes().filter(pk=value).first()

    def chosen_programme(self):
        return self.programme

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["programmes"] = self.programmes()
        if self.programme is not None:
            kwargs.setdefault("initial", {})["programme"] = self.programme.pk
        kwargs.setdefault("initial", {}).setdefault(
            "title", _("Casesamling %(programme)s") % {"programme": self.programme.name}
            if self.programme else "")
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["programme"] = self.programme
        context["programmes"] = self.programmes()
        return context

    def form_valid(self, form):
        data = {name: form.cleaned_data[name]
                for name in ("title", "foreword", "language", "public_page")}
        try:
            collection = services.collection_create(
                programme=form.cleaned_data["programme"], actor=self.request.user,
                entries=form.entries(), **data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Casesamlingen er oprettet. PDF'en dannes nu."))
        return redirect("cases:collection-detail", collection.pk)


class CollectionMixin(ScopedObjectMixin):
    model = CaseCollection
    scoped_context_name = "collection"

    def get_scoped_queryset(self):
        return selectors.collection_detail(self.request.user, self.action,
                                           ability=self.get_ability())

    @property
    def collection(self) -> CaseCollection:
        return self.scoped_object


class CollectionDetailView(CollectionMixin, TemplateView):
    """The cases in order, the PDF's progress (the page refreshes itself) and the actions."""

    template_name = "cases/collection_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        collection = self.collection
        context["items"] = selectors.items_of(collection)
        context["may_publish"] = policy.can(self.request.user, "cases.publish_casecollection",
                                            collection)
        context["public_url"] = (self.request.build_absolute_uri(
            reverse("cases:public", args=[collection.public_token]))
            if collection.public_page and collection.status == CollectionStatus.PUBLISHED
            else "")
        context["pdf_statuses"] = PdfStatus
        return context


class CollectionUpdateView(CollectionFormMixin, CollectionMixin, FormView):
    action = "change"

    def chosen_programme(self):
        return self.collection.programme

    def get_initial(self):
        collection = self.collection
        initial = {"title": collection.title, "foreword": collection.foreword,
                   "language": collection.language, "public_page": collection.public_page}
        for item in collection.items.all():
            if item.story_id:
                initial[f"story_{item.story_id}"] = item.position
            else:
                initial[f"description_{item.description_id}"] = item.position
        return initial

    def form_valid(self, form):
        data = {name: form.cleaned_data[name]
                for name in ("title", "foreword", "language", "public_page")}
        try:
            services.collection_update(collection=self.collection, actor=self.request.user,
                                       entries=form.entries(), **data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Casesamlingen er gemt. PDF'en dannes igen."))
        return redirect("cases:collection-detail", self.collection.pk)


class CollectionPublishView(CollectionMixin, View):
    ability = "cases.publish_casecollection"

    def post(self, request, *args, **kwargs):
        try:
            services.collection_publish(collection=self.collection, actor=request.user)
        except ValidationError as error:
            _refusal(request, error)
        else:
            messages.success(request, _("Casesamlingen er offentliggjort."))
        return redirect("cases:collection-detail", self.collection.pk)


def _pdf_response(collection: CaseCollection):
    if collection.pdf_status != PdfStatus.DONE or not collection.pdf_file:
        raise Http404
    return FileResponse(collection.pdf_file.open("rb"), as_attachment=True,
                        filename=collection_filename(collection),
                        content_type="application/pdf")


class CollectionPdfView(CollectionMixin, View):
    def get(self, request, *args, **kwargs):
        return _pdf_response(self.collection)


def public_collection(request, token):
    """A published collection's public page (no login; the token is the only key)."""
    collection = get_object_or_404(selectors.published_collection(token)
                                   .select_related("programme"))
    return render(request, "cases/public_collection.html", {
        "collection": collection,
        "sections": collection_sections(collection),
    })


def public_collection_pdf(request, token):
    collection = get_object_or_404(selectors.published_collection(token)
                                   .select_related("programme"))
    return _pdf_response(collection)
