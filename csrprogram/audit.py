"""The change history (django-auditlog): what is tracked, and what never enters it.

Every model of our apps is registered through ``AUDITLOG_INCLUDE_ALL_MODELS`` (settings), so a
model added later is tracked without anyone remembering to register it. The settings leave out
framework tables and purely technical rows, never store the CPR (encrypted value, blind index or
masked form), passwords or secret tokens, and record *that* a free-text note changed but never
its contents (DESIGN.md §6). The actor is set by ``auditlog.middleware.AuditlogMiddleware``.

Reads of a citizen record are not in this history; they go to ``citizens.models.AccessLog``.
"""

# Never stored in a change entry, on any model.
EXCLUDED_FIELDS = (
    "cpr_encrypted",
    "cpr_index",
    "cpr_masked",
    "password",
    "last_login",  # changes at every login: noise, and the login itself is not a data change
    "token",  # the calendar feed's only credential
    "token_hash",  # a contact invitation's link, hashed: still nobody's business
)

# Free text about citizens (health-related needs, case notes, reasons): a change is recorded,
# its contents replaced by ``note_mask``.
MASKED_FIELDS = (
    "notes",
    "note",
    "accommodation_needs",
    "agreed_actions",
    "end_note",
    "motivation",
    "decline_reason",
)

# Framework tables, the logs themselves and rows that only record machinery at work.
EXCLUDED_MODELS = (
    "admin",
    "auth",
    "auth.group_permissions",  # auto-created through table, not covered by the app label
    "contenttypes",
    "sessions",
    "axes",
    "auditlog",
    # Two-factor devices hold the TOTP secret and recovery codes; enrolment is in the
    # security log (csrprogram/twofactor.py) instead.
    "otp_totp",
    "otp_static",
    "citizens.accesslog",  # append-only itself; a history of inserts would double every read
    "csrprogram.workerheartbeat",
    "certificates.certificatecounter",
    "certificates.renderbatch",
    "certificates.renderbatch_certificates",
    "csrprogram.reportjob",  # a rendering job: its progress would fill the history
)

NOTE_MASK = "***"


def note_mask(value: str) -> str:
    """Replace a masked field's value in a change entry: ``"***"`` for text, ``""`` for none.

    Called by django-auditlog (``AUDITLOG_MASK_CALLABLE``) with the field's value as a string.
    """
    return NOTE_MASK if value and value != "None" else ""
