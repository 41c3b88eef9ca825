"""Template helpers of the casebank: lines of a list-like text, and the stories of a
placement for the placement's page (a section the placements app includes when this library
is installed, so placements never imports cases)."""

from django import template

from cases import selectors
from cases.documents import lines

register = template.Library()


@register.filter
def text_lines(text: str) -> list[str]:
    """A text written one item per line, as a list of its non-empty lines."""
    return lines(text)


@register.simple_tag(takes_context=True)
def placement_stories(context, placement):
    """The stories written from ``placement`` that the user may see (one query)."""
    return list(selectors.stories_for_placement(placement, context["request"].user))
