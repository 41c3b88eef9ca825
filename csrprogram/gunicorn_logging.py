"""The production web server's access log without personal data (issue 16, part 4).

gunicorn writes each request line before Django sees the request, so a citizen's name typed
into a search box, a CPR number in a hand-typed URL or the calendar feed's secret token would
otherwise be logged as they are. This logger passes the request line, path, query string and
Referer through ``csrprogram.logging.redact_url``. Enabled by ``csrprogram/gunicorn_conf.py``.
"""

from gunicorn.glogging import Logger

from csrprogram.logging import REDACTED, redact_cpr, redact_url


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        target = redact_url(environ.get("RAW_URI") or "")
        path, _question, query = target.partition("?")
        atoms["r"] = f"{environ['REQUEST_METHOD']} {target} {environ['SERVER_PROTOCOL']}"
        atoms["U"] = path
        atoms["q"] = query if environ.get("QUERY_STRING") else ""
        atoms["f"] = redact_url(atoms.get("f", "-"))
        # gunicorn also offers every request header ({name}i) and environ entry ({name}e).
        for key, value in atoms.items():
            if not isinstance(value, str) or not key.startswith("{"):
                continue
            if key in ("{referer}i", "{http_referer}e", "{raw_uri}e"):
                atoms[key] = redact_url(value)
            elif key == "{query_string}e":
                atoms[key] = query if value else ""
            elif key in ("{cookie}i", "{http_cookie}e", "{authorization}i",
                         "{http_authorization}e"):
                atoms[key] = REDACTED
            else:
                atoms[key] = redact_cpr(value)
        return atoms
