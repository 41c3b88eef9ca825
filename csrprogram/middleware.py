"""Middleware that keeps personal data out of URLs and caches (DESIGN.md §6, issue 16 part 4)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

# A whole query value that looks like a CPR number: ten digits, optionally DDMMYY-XXXX or with
# a space. Eight-digit CVR numbers and ISO dates do not match.
CPR_SHAPED = re.compile(r"^\s*\d{6}[- ]?\d{4}\s*$")


def has_cpr_shaped_value(query) -> bool:
    """Whether any value of a ``QueryDict`` (all values of every key) is CPR-shaped."""
    return any(CPR_SHAPED.match(value) for key in query for value in query.getlist(key))


class CprQueryGuardMiddleware:
    """Refuses a GET whose query string holds a CPR-shaped value.

    A CPR number typed into a list's search box would otherwise travel in the URL: into the
    browser history, the proxy's and web server's access logs, and the Referer of the next
    request. The static script ``js/cpr-search.js`` turns such a search into a POST to the
    CPR look-up before it leaves the browser; this is the server-side net for a browser without
    it (or a hand-typed URL). The answer is a redirect to the look-up page that never echoes the
    number. The request line has already reached the web server's log, which is why the
    gunicorn configuration (``csrprogram/gunicorn_conf.py``) redacts query strings too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and has_cpr_shaped_value(request.GET):
            if hasattr(request, "_messages"):
                messages.warning(request, _(
                    "Et CPR-nummer må ikke stå i en adresse. Søg efter CPR-nummeret her; "
                    "opslaget sendes sikkert og logges."))
            response = HttpResponseRedirect(reverse("citizens:citizen-lookup"))
            add_never_cache_headers(response)
            return response
        return self.get_response(request)


class NoStoreForAuthenticatedMiddleware:
    """``Cache-Control: no-store`` (and private, no-cache) on every page a signed-in user gets.

    Pages behind the login show personal data (citizens, candidates, visits); no browser or
    shared cache may keep a copy. Public pages (the certificate check, static files) keep
    their own caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class HealthCheckMiddleware:
    """Answers ``GET /healthz`` before the host check and the HTTPS redirect.

    The compose health check asks ``http://127.0.0.1:8000/healthz`` from inside the container:
    plain HTTP, with a Host that is not the public name. Under the production settings that
    was a 400 (``DisallowedHost``) or a redirect to HTTPS. This middleware stands first and
    answers the health check itself (the database answers, or a 503), never reading the Host.
    """

    path = "/healthz"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != self.path or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        from django.db import DatabaseError, connection
        from django.http import HttpResponse

        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            return HttpResponse("database unavailable", status=503, content_type="text/plain")
        return HttpResponse("ok", content_type="text/plain")
