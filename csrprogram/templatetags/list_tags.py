"""The list pattern's filter form (templates/includes/list_filters.html) split for a phone:
the free-text search stays in view, the other filters fold behind a "Filtre" button."""

from dataclasses import dataclass, field

from django import forms, template

register = template.Library()

#: The name every list's FilterSet gives its free-text search.
SEARCH_FIELD = "q"


@dataclass
class FilterFold:
    """``search``: the search field (or None); ``others``: the filters that fold away on a
    phone, in the form's order; ``active``: how many of them are in use (a submitted value,
    or an error); ``open``: whether the fold starts open (one of them has an error)."""

    search: forms.BoundField | None
    others: list[forms.BoundField] = field(default_factory=list)
    active: int = 0
    open: bool = False


def _in_use(bound: forms.BoundField) -> bool:
    """Whether a filter narrows the list: the value its widget reads from the query string is
    not empty (a select's empty choice and "unknown" of a yes/no select read as empty)."""
    if not bound.form.is_bound:
        return False
    value = bound.data
    return value not in (None, "", [], ())


@register.simple_tag
def filter_fold(form: forms.Form) -> FilterFold:
    """The filter form ``form`` split into its search field and the rest (see FilterFold)."""
    fold = FilterFold(search=None)
    for bound in form:
        if bound.name == SEARCH_FIELD:
            fold.search = bound
            continue
        fold.others.append(bound)
        if bound.errors:
            fold.open = True
        if bound.errors or _in_use(bound):
            fold.active += 1
    return fold
