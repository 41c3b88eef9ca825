"""Pieces every app's views share: the access checks (an ability, one scoped object), service
errors on forms, the filtered, paginated list, and the answer to an import form."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.db.models.expressions import BaseExpression, Col, OrderBy
from django.db.models.query import ModelIterable
from django.db.models.sql.query import Query
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import ListView

from csrprogram import policy
from csrprogram.importing import ImportResult


class AbilityRequiredMixin(AccessMixin):
    """A page for the holders of one ability of the access policy (``csrprogram.policy``).

    Anonymous visitors are sent to the login page; a logged-in user without ``ability`` gets
    403. Objects are then fetched through ``ScopedObjectMixin``, so a record outside the user's
    reach is a 404.
    """

    ability: str = ""

    def get_ability(self) -> str:
        return self.ability

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not policy.can(request.user, self.get_ability()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedObjectMixin(AbilityRequiredMixin):
    """The one way a view fetches the object of its URL.

    ``get_object_or_404(<model>.objects.restrict(user, action), <lookup_field>=<kwarg>)``:
    outside the user's reach it is a 404, never a 403 that would confirm the record exists.
    The object is fetched once per request (``scoped_object``), put in the context under
    ``scoped_context_name`` (default: the model's name) together with ``may``, a lazy
    mapping of what the user may do to it (``{% if may.change %}``).

    Set ``model`` and ``action`` (default ``"view"``); ``ability`` defaults to
    ``"<app>.<action>_<model>"`` and may name another ability checked against the same reach
    (the access log of a citizen: ``ability = "citizens.view_accesslog"``). Override
    ``get_scoped_queryset()`` to fetch through a selector with its joins (it must start from
    ``restrict``). ``lookup_field`` / ``lookup_url_kwarg`` choose the look-up (default pk /
    ``pk``). A child object of the scoped one (an enrolment of the citizen) is fetched with
    ``get_object_or_404(self.scoped_object.<children>, pk=...)``.
    """

    model: type[Model]
    action = "view"
    lookup_field = "pk"
    lookup_url_kwarg = "pk"
    scoped_context_name: str | None = None

    def get_ability(self) -> str:
        return self.ability or policy.ability_name(self.model, self.action)

    def get_scoped_queryset(self) -> QuerySet:
        return self.model.objects.restrict(self.request.user, self.action,
                                           ability=self.get_ability())

    @property
    def scoped_object(self):
        if not hasattr(self, "_scoped_object"):
            self._scoped_object = get_object_or_404(
                self.get_scoped_queryset(),
                **{self.lookup_field: self.kwargs[self.lookup_url_kwarg]})
        return self._scoped_object

    def get_object(self, queryset=None):
        """For Django's generic detail, update and delete views."""
        return self.scoped_object

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        name = self.scoped_context_name or self.model._meta.model_name
        context[name] = self.scoped_object
        context["may"] = policy.may_for(self.request.user, self.scoped_object, self.action)
        return context


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on ``form``: per field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ServiceFormMixin:
    """A form view whose valid form is handed to one service call.

    Subclasses implement ``perform(form)``: it calls the service with ``self.request.user`` as
    the actor and returns where to go next: a URL (``reverse(...)``), a model with
    ``get_absolute_url`` (anything ``django.shortcuts.redirect`` takes) or a response. A
    ``ValidationError`` raised by the service is shown on the form, per field where it names
    one, and the form is shown again; services are atomic, so nothing is half-saved.
    On success ``success_message`` (when set) is flashed; a view whose message depends on what
    the service made sets it in ``perform`` (``self.success_message = ...``).
    """

    success_message: str = ""

    def perform(self, form):
        raise NotImplementedError("A ServiceFormMixin view implements perform(form).")

    def form_valid(self, form):
        try:
            target = self.perform(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        if isinstance(target, HttpResponse):
            return target
        return redirect(target)


def querystring_without_page(request) -> str:
    """The current filters as a query string, for the pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _total_ordering(queryset: QuerySet) -> QuerySet:
    """``queryset`` with its ordering made total: the primary key last when it is not there.

    Pages cut from a total order never overlap or skip rows, and the order can be reversed
    (``ListPaginator``) and still give the same rows in the same places.
    """
    query = queryset.query
    ordering = list(query.order_by) if query.order_by else (
        list(queryset.model._meta.ordering) if query.default_ordering else [])
    pk_names = {"pk", "-pk", queryset.model._meta.pk.name, "-" + queryset.model._meta.pk.name}
    if any(isinstance(field, str) and field in pk_names for field in ordering):
        return queryset
    return queryset.order_by(*ordering, "pk")


def _joined_aliases(expression, found: set[str]) -> set[str]:
    """The table aliases the columns in ``expression`` name (subqueries: their outer ones)."""
    if isinstance(expression, Col):
        found.add(expression.alias)
    elif isinstance(expression, Query):
        inner: set[str] = set()
        for part in (expression.where, *expression.annotations.values()):
            _joined_aliases(part, inner)
        found.update(inner - set(expression.alias_map))
    elif hasattr(expression, "get_source_expressions"):
        for source in expression.get_source_expressions():
            if source is not None:
                _joined_aliases(source, found)
    return found


def _pageable(queryset) -> bool:
    """Whether ``ListPaginator`` can page ``queryset`` by its keys (see there): model rows,
    no DISTINCT, GROUP BY, UNION or slice, and annotations over the list's own table only
    (columns, or subqueries correlated with it), so they can be computed again for the rows."""
    if not isinstance(queryset, QuerySet) or queryset._iterable_class is not ModelIterable:
        return False
    query = queryset.query
    if (query.distinct or query.combinator or query.is_sliced or query.extra
            or query.group_by is not None or query.select_for_update):
        return False
    table = queryset.model._meta.db_table
    return not any(
        getattr(annotation, "contains_aggregate", False)
        or _joined_aliases(annotation, set()) - {table}
        for annotation in query.annotations.values())


def _rows_with_keys(queryset: QuerySet, keys: QuerySet) -> QuerySet:
    """The rows of ``queryset`` whose primary key is in ``keys``: its columns, joins
    (``select_related``), annotations, prefetches and order, but not its filters — ``keys`` has
    them, so the filters (the access scope among them) are applied once, in ``keys``."""
    query = queryset.query
    rows = queryset.model._default_manager.db_manager(queryset.db).filter(pk__in=keys)
    rows.query.select_related = copy.deepcopy(query.select_related)
    rows.query.max_depth = query.max_depth
    rows.query.annotations = dict(query.annotations)
    if query.annotation_select_mask is not None:
        rows.query.set_annotation_mask(query.annotation_select_mask)
    rows.query.deferred_loading = (frozenset(query.deferred_loading[0]),
                                   query.deferred_loading[1])
    rows.query.order_by = query.order_by
    rows.query.default_ordering = query.default_ordering
    rows.query.standard_ordering = query.standard_ordering
    rows._prefetch_related_lookups = queryset._prefetch_related_lookups
    return rows


class ListPaginator(Paginator):
    """Django's paginator with a page query that stays fast at any depth (issue 14).

    ``OFFSET n`` makes PostgreSQL build and throw away ``n`` whole rows, with every joined
    table of the list (``select_related``) in them; on the last page of a LARGE list that was
    a sort of 25,000 wide rows on disk. Here a page is one query of the form

        SELECT <the list's columns, joins and annotations> WHERE pk IN (
            SELECT pk FROM <the list's tables, filters and order> LIMIT 25 OFFSET n)
        ORDER BY <the list's order>

    (a *deferred join*: the inner query pages over the primary key only, so it needs only
    the joins its filters and order need, and an index of the order can answer it; the outer
    one fetches 25 rows by primary key, without the filters, ``_rows_with_keys``). A page past
    the middle is counted from the end, on the reversed order, so the last page costs what
    the first costs. The ordering is made total first (``_total_ordering``). The number of
    queries is Django's paginator's: the count, and one for the page. A queryset this cannot
    page (``DISTINCT``, ``GROUP BY`` or aggregate annotations, ``UNION``, ``values()``) is
    sliced as Django does.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._page_rows(bottom, top), number, self)

    def _page_rows(self, bottom: int, top: int):
        queryset = self.object_list
        if not _pageable(queryset):
            return queryset[bottom:top]
        queryset = _total_ordering(queryset)
        if bottom > self.count - top:
            # Past the middle: the same rows, counted from the other end.
            keys = queryset.reverse().values("pk")[self.count - top:self.count - bottom]
        else:
            keys = queryset.values("pk")[bottom:top]
        return _rows_with_keys(queryset, keys)


def _ordered(field: str | BaseExpression, *, descending: bool) -> str | OrderBy:
    """``field`` (a name or an expression) as an ``order_by()`` term in the direction asked."""
    if isinstance(field, str):
        return ("-" if descending else "") + field
    return field.desc() if descending else field.asc()


class FilteredListView(AbilityRequiredMixin, ListView):
    """A paginated list of a user-scoped queryset narrowed by a django-filter FilterSet.

    Subclasses set ``ability``, ``filterset_class`` and implement ``get_base_queryset()``
    (always through a selector that starts from ``restrict(self.request.user, ...)``).
    """

    filterset_class: type
    paginate_by = 25
    paginator_class = ListPaginator
    #: The columns the list can be sorted by, ``{"key": ("field", ...)}``: ``?sort=key`` sorts
    #: ascending, ``?sort=-key`` descending (the header links of ``includes/sort_th.html``).
    #: An unknown key is ignored; without one the selector's own ordering holds. A field is
    #: a name or an expression (``citizens.selectors.citizen_sort_name("citizen__")``).
    sort_fields: dict[str, tuple[str | BaseExpression, ...]] = {}

    def get_base_queryset(self) -> QuerySet:
        raise NotImplementedError

    def get_filterset_kwargs(self) -> dict:
        return {}

    def get_sort(self) -> str:
        """The requested sort key (``"name"`` or ``"-name"``) if this list knows it, else ``""``."""
        value = self.request.GET.get("sort", "")
        return value if value.lstrip("-") in self.sort_fields else ""

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=self.get_base_queryset(),
            **self.get_filterset_kwargs())
        queryset = self.filterset.qs
        sort = self.get_sort()
        if sort:
            direction = "-" if sort.startswith("-") else ""
            fields = self.sort_fields[sort.lstrip("-")]
            # The primary key last keeps pages stable when the sorted values tie.
            queryset = queryset.order_by(*(_ordered(field, descending=bool(direction))
                                           for field in fields), direction + "pk")
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["querystring_without_page"] = querystring_without_page(self.request)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("sort", None)
        context["sort"] = self.get_sort()
        context["querystring_without_sort"] = query.urlencode()
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
