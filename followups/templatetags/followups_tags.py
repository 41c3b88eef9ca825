"""Snippets of follow-up visits for other apps' pages, without those apps importing followups.

In a template::

    {% load followups_tags %}
    {% citizen_visits citizen %}     {# on the citizen page #}
    {% company_visits company %}     {# on the company page #}
    {% my_visits %}                  {# on the consultant's home page #}
    {% placement_visits placement %} {# on the placement page #}

Each tag reads through a selector scoped to the logged-in user (``request.user``) with a fixed
number of queries, and renders nothing for a user who may not see visits.
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone

from csrprogram import policy
from followups import selectors

register = template.Library()


def _base(context) -> dict:
    user = context["request"].user
    today = timezone.localdate()
    return {
        "user": user,
        "today": today,
        "this_week_end": selectors.week_bounds(today)[1],
        "allowed": policy.can(user, "followups.view_visit"),
        "can_edit": policy.can(user, "followups.change_visit"),
    }


@register.inclusion_tag("followups/includes/citizen_visits.html", takes_context=True)
def citizen_visits(context, citizen):
    data = _base(context)
    if not data["allowed"]:
        return {**data, "visits": [], "aftercare_placements": []}
    return {**data, "visits": selectors.visits_for_citizen(data["user"], citizen),
            "aftercare_placements": selectors.aftercare_candidates(data["user"], citizen)}


@register.inclusion_tag("followups/includes/company_visits.html", takes_context=True)
def company_visits(context, company):
    """The company's latest visits; with more than the page shows, links to the company's
    open and done visits on the work list (cancelled ones are on each placement's page)."""
    data = _base(context)
    if not data["allowed"]:
        return {**data, "visits": [], "more": None}
    shown = selectors.COMPANY_VISITS_SHOWN
    visits = selectors.visits_for_company(data["user"], company, limit=shown + 1)
    more = None
    if len(visits) > shown:
        work_list = reverse("followups:visit-list")
        more = {"open": f"{work_list}?{urlencode({'company': company.pk})}",
                "done": f"{work_list}?{urlencode({'company': company.pk, 'period': 'done'})}"}
    return {**data, "visits": visits[:shown], "more": more}


@register.inclusion_tag("followups/includes/my_visits.html", takes_context=True)
def my_visits(context):
    data = _base(context)
    visits = (selectors.visits_of_consultant(data["user"], today=data["today"])
              if data["allowed"] else [])
    return {**data, "visits": visits}


@register.inclusion_tag("followups/includes/placement_visits.html", takes_context=True)
def placement_visits(context, placement):
    data = _base(context)
    visits = (selectors.visits_for_placement(data["user"], placement) if data["allowed"]
              else [])
    return {**data, "visits": visits, "placement": placement}
