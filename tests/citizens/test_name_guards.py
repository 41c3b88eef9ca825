"""Guards of issue 16 over the source: where a citizen's name may be written at all.

- Pages and lists write ``citizen.display_name`` (restricted and erased citizens unnamed);
  ``citizen.name`` only in the citizen's own record pages and in the code that needs the real
  name (the export, the erasure's identifiers, the case story's identifying-text check).
- A flash message never names a citizen. Messages are kept between requests in the cookie or,
  when large, in the session table (``MESSAGE_STORAGE`` is Django's default
  ``FallbackStorage``), both signed and compressed, where the erasure's search of the
  database cannot see a name. So no call of ``messages.*()``, no ``success_message`` and no
  ``ValidationError`` (views flash their messages) is given anything about a citizen.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP_PARTS = {".venv", "tests", "migrations", "var", "node_modules", "bench", "static"}

# Files that may write a citizen's real name, and why.
NAME_ALLOWED = {
    # The citizen's own record and the pages acting on it (each read is logged).
    "citizens/templates/citizens/citizen_detail.html",
    "citizens/templates/citizens/citizen_form.html",
    "citizens/templates/citizens/citizen_rights.html",
    "citizens/templates/citizens/citizen_erase.html",
    "citizens/templates/citizens/access_log.html",
    "citizens/templates/citizens/consent_form.html",
    "citizens/templates/citizens/enrolment_form.html",
    "citizens/templates/citizens/enrolment_close.html",
    # The citizen list, whose selector leaves restricted and erased citizens out.
    "citizens/templates/citizens/citizen_list.html",
    # The team leader's retention report: who is about to be anonymised, to approve it.
    "citizens/templates/citizens/retention_review_detail.html",
    # The export of the citizen's own data, and the erasure's identifiers.
    "citizens/personal_data.py",
    "citizens/rights.py",
    # The case story's check for text that identifies the citizen.
    "cases/identifying.py",
    # The display rule itself.
    "citizens/models.py",
}
CITIZEN_NAME = re.compile(r"citizen\.name\b")
# What a flash message or a service error must not be given.
CITIZEN_WORDS = re.compile(r"citizen|candida|portal_name|display_name", re.IGNORECASE)
MESSAGE_LEVELS = {"debug", "info", "success", "warning", "error", "add_message"}


def _source_files(*suffixes: str) -> list[Path]:
    return sorted(path for path in ROOT.rglob("*")
                  if path.suffix in suffixes and path.is_file()
                  and not SKIP_PARTS & set(path.relative_to(ROOT).parts[:-1]))


def test_the_files_are_found():
    relative = {path.relative_to(ROOT).as_posix() for path in _source_files(".py", ".html")}
    assert "placements/templates/placements/placement_list.html" in relative
    assert "placements/views.py" in relative
    assert not any(name.startswith("tests/") for name in relative)


def test_pages_and_lists_name_a_citizen_only_through_display_name():
    offenders = []
    for path in _source_files(".py", ".html", ".txt"):
        relative = path.relative_to(ROOT).as_posix()
        if relative in NAME_ALLOWED:
            continue
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if CITIZEN_NAME.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == [], "write citizen.display_name:\n" + "\n".join(offenders)


# What may be read of a citizen for a message: nothing that tells who they are.
SAFE_ATTRIBUTES = {"pk", "id", "citizen_id", "weekly_hours", "restricted_at", "erased_at",
                   "is_restricted", "is_erased"}


def _citizen_reads(node: ast.AST) -> list[str]:
    """The reads of an expression that touch a citizen (``citizen``, ``candidacy.citizen``,
    ``candidacy.portal_name``, ``str(citizen)``), except the safe attributes above."""
    reads = []

    def visit(child: ast.AST) -> None:
        if isinstance(child, ast.Attribute | ast.Name):
            text = ast.unparse(child)
            last = child.attr if isinstance(child, ast.Attribute) else child.id
            if CITIZEN_WORDS.search(text) and last not in SAFE_ATTRIBUTES:
                reads.append(text)
            return
        for grandchild in ast.iter_child_nodes(child):
            visit(grandchild)

    visit(node)
    return reads


def _is_messages_call(node: ast.Call) -> bool:
    func = node.func
    return (isinstance(func, ast.Attribute) and func.attr in MESSAGE_LEVELS
            and isinstance(func.value, ast.Name) and func.value.id == "messages")


def _is_validation_error(node: ast.Call) -> bool:
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    return name == "ValidationError"


def _message_sites(tree: ast.AST):
    """(line, what, expression) of every flash message and every message-carrying value."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (_is_messages_call(node)
                                           or _is_validation_error(node)):
            args = node.args[1:] if _is_messages_call(node) else node.args
            for arg in [*args, *(keyword.value for keyword in node.keywords)]:
                yield node.lineno, ast.unparse(node.func), arg
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any((isinstance(t, ast.Name) and t.id == "success_message")
                   or (isinstance(t, ast.Attribute) and t.attr == "success_message")
                   for t in targets) and node.value is not None:
                yield node.lineno, "success_message", node.value
        elif (isinstance(node, ast.FunctionDef) and node.name == "success_message"):
            for child in ast.walk(node):
                if isinstance(child, ast.Return) and child.value is not None:
                    yield child.lineno, "success_message", child.value


def test_no_flash_message_or_service_error_is_given_a_citizen():
    offenders = []
    sites = 0
    for path in _source_files(".py"):
        tree = ast.parse(path.read_text("utf-8"))
        for line, what, expression in _message_sites(tree):
            sites += 1
            names = set(_citizen_reads(expression))
            if names:
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {what} "
                                 f"given {', '.join(sorted(names))}")
    assert sites > 100  # the scan sees the project's messages
    assert offenders == [], "\n".join(offenders)


@pytest.mark.parametrize(("source", "caught"), [
    ('messages.success(request, _("%(name)s er foreslået.") % {"name": citizen.name})', True),
    ('messages.success(request, _("Du har valgt %(n)s.") % {"n": candidacy.portal_name})',
     True),
    ('self.success_message = _("%(n)s") % {"n": placement.citizen}', True),
    ('raise ValidationError(_("%(n)s findes") % {"n": str(citizen)})', True),
    ('messages.success(request, _("Kandidaten er foreslået."))', False),
    ('messages.success(request, _("%(n)s") % {"n": company.name})', False),
    ('messages.success(request, _("A") if citizen.restricted_at else _("B"))', False),
])
def test_the_message_guard_catches_a_citizen(source, caught):
    tree = ast.parse(source)
    found = any(_citizen_reads(expression) for _line, _what, expression in _message_sites(tree))
    assert found is caught
