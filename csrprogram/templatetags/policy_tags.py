"""The access policy in templates: ``{% load policy_tags %}``
``{% if user|can:"citizens.change_citizen" %}`` (the ability names of ``csrprogram.policy``)."""

from django import template

from csrprogram import policy

register = template.Library()


@register.filter
def can(user, ability: str) -> bool:
    """Whether ``user`` holds ``ability`` (no object: the page's object is in ``may``)."""
    return policy.can(user, ability)
