from django import template
from django.utils.html import format_html

from csrprogram.submission import FIELD, new_token

register = template.Library()


@register.simple_tag
def submission_token() -> str:
    """The hidden one-time submission token of a create form (``csrprogram.submission``)."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
