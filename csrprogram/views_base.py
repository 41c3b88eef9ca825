"""Pieces every app's views share: service errors on forms, the filtered, paginated list, and
the answer to an import form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.generic import ListView

from csrprogram.importing import ImportResult
from csrprogram.permissions import RoleRequiredMixin


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on ``form``: per field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def querystring_without_page(request) -> str:
    """The current filters as a query string, for the pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class FilteredListView(RoleRequiredMixin, ListView):
    """A paginated list of a user-scoped queryset narrowed by a django-filter FilterSet.

    Subclasses set ``filterset_class`` and implement ``get_base_queryset()`` (always through a
    selector scoped to ``self.request.user``).
    """

    filterset_class: type
    paginate_by = 25

    def get_base_queryset(self) -> QuerySet:
        raise NotImplementedError

    def get_filterset_kwargs(self) -> dict:
        return {}

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=self.get_base_queryset(),
            **self.get_filterset_kwargs())
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["querystring_without_page"] = querystring_without_page(self.request)
        return context


def import_response(view, form, result: ImportResult, *, success_url: str,
                    success_message) -> HttpResponse:
    """The answer to an import form (a ``FormView``'s ``form_valid``).

    When the import saved nothing, the form page again with ``result`` in its context (the
    page includes ``includes/import_result.html``); otherwise ``success_message`` and a
    redirect to ``success_url``. ``success_message`` is an ``ngettext_lazy(singular, plural,
    "count")``: it gets the number of rows saved.
    """
    if not result.ok:
        return view.render_to_response(view.get_context_data(form=form, result=result))
    messages.success(view.request, success_message % {"count": len(result.saved)})
    return redirect(success_url)
