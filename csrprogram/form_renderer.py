"""The form renderer (``FORM_RENDERER``): Django's, with a few widget templates of our own
in ``csrprogram/form_templates`` looked up first.

Only ``django/forms/widgets/select.html`` is overridden: Django's includes one template per
option and another for its attributes, which made the list filters' selects (a hundred
consultants, the cities and industries) the largest part of rendering a list page (issue
14). Ours writes the same markup inline.
"""

from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property


class FormRenderer(DjangoTemplates):
    """Django's ``DjangoTemplates`` form renderer with ``csrprogram/form_templates`` first."""

    @cached_property
    def engine(self):
        return self.backend({
            "APP_DIRS": True,
            "DIRS": [Path(__file__).parent / "form_templates",
                     Path(django.forms.__file__).parent / self.backend.app_dirname],
            "NAME": "djangoforms",
            "OPTIONS": {},
        })
