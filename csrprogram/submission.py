"""One mechanism against double submits: a one-time submission token.

Every create form carries a hidden ``_submission`` field with a fresh random token (rendered by
``{% submission_token %}``; crispy forms get it from ``templates/bootstrap5/whole_uni_form.html``).
``OneTimeSubmissionMiddleware`` claims the token atomically in the cache (``cache.add``; Redis
in production) before the view runs:

- the first request with the token runs the view; when it answers with a redirect (the form
  was saved), the redirect's target is stored under the token; any other answer (the form is
  shown again with errors, a server error) releases the token, so the corrected form can be
  sent;
- a second request with the same token (a double click, a reload of the POST, the back button)
  does not run the view: it is redirected to where the first one went, with a message; while
  the first is still being saved it waits for it (up to ``WAIT_SECONDS``), and then answers
  409 with a message instead of saving twice.

A POST without the token (an older page, a test posting raw data) is not guarded.
"""

from __future__ import annotations

import re
import secrets
import time

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

FIELD = "_submission"
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
PENDING = "pending"
# How long a used token is remembered: long enough for the back button and a resubmit.
TIMEOUT_SECONDS = 6 * 60 * 60
WAIT_SECONDS = 5.0
POLL_SECONDS = 0.1


def new_token() -> str:
    """A fresh, unguessable submission token (43 URL-safe characters)."""
    return secrets.token_urlsafe(32)


def _key(token: str) -> str:
    return f"submission:{token}"


class OneTimeSubmissionMiddleware:
    """Lets each submission token through once (see the module docstring). Placed after the
    session, authentication and message middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not TOKEN.fullmatch(token):
            return self.get_response(request)
        key = _key(token)
        if not cache.add(key, PENDING, timeout=TIMEOUT_SECONDS):
            return self.repeated(request, key)
        response = self.get_response(request)
        if response.status_code in (301, 302, 303) and response.has_header("Location"):
            cache.set(key, response["Location"], timeout=TIMEOUT_SECONDS)
        else:
            cache.delete(key)
        return response

    def repeated(self, request, key: str):
        deadline = time.monotonic() + WAIT_SECONDS
        result = cache.get(key)
        while result == PENDING and time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            result = cache.get(key)
        if result is None:
            # The first request ended without saving and released the token: claim it anew.
            return self(request)
        if result == PENDING:
            body = render_to_string("submission_pending.html", request=request)
            return HttpResponse(body, status=409)
        messages.info(request, _("Formularen var allerede sendt og er gemt én gang. Her er "
                                 "resultatet."))
        return HttpResponseRedirect(result)
