"""Snippets other apps' pages can show without importing this app in their views:

- ``{% load placements_tags %}{% company_openings company %}`` on a staff page (e.g. the
  company page): the company's openings within the user's programmes.
- ``{% load placements_tags %}{% portal_openings %}`` on the company contact's portal page:
  their own company's openings and the candidates presented to them.
"""

from django import template

from placements import selectors

register = template.Library()
LIMIT = 20


@register.inclusion_tag("placements/includes/company_openings_staff.html", takes_context=True)
def company_openings(context, company):
    user = context["request"].user
    openings = list(selectors.opening_list(user).filter(company=company)[:LIMIT])
    return {"openings": openings, "company": company, "limit": LIMIT}


@register.inclusion_tag("placements/includes/company_openings.html", takes_context=True)
def portal_openings(context):
    user = context["request"].user
    return {"openings": list(selectors.portal_openings(user)[:LIMIT])}
