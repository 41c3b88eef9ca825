"""A tally of the hostile-input tests: what they drove, how many examples, how many 5xx.

The property-based tests record every request here; ``tests/csrprogram/conftest.py`` prints
the tally at the end of the run ("hostile imports: 2 driven, 80 examples, 0 server errors").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st


@dataclass
class Tally:
    targets: set[str] = field(default_factory=set)
    examples: int = 0
    server_errors: int = 0
    accepted: int = 0

    def record(self, target: str, status_code: int, *, accepted: bool) -> None:
        self.targets.add(target)
        self.examples += 1
        self.server_errors += status_code >= 500
        self.accepted += accepted


TALLIES: dict[str, Tally] = defaultdict(Tally)


def summary_lines() -> list[str]:
    return [f"hostile {kind}: {len(tally.targets)} {kind} driven, {tally.examples} examples "
            f"({tally.accepted} accepted), {tally.server_errors} server errors"
            for kind, tally in sorted(TALLIES.items())]


def hostile_settings(max_examples: int) -> settings:
    """Derandomised and bounded: CI sees the same run every time, inside its time."""
    return settings(
        max_examples=max_examples, deadline=None, derandomize=True, database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                               HealthCheck.data_too_large])


# What people (and attackers) type or paste: markup, SQL, formulas, RTL and invisible
# characters, control characters, numbers and dates that are not.
FRAGMENTS = [
    "<script>alert(1)</script>", "'; DROP TABLE companies_company; --", "\" OR 1=1 --",
    "=cmd|' /C calc'!A0", "+SUM(A1)", "@A1", "مرحبا بالعالم", "שלום \u202eevil", "\u200f\u200e",
    "0", "-1", "1e309", "NaN", "inf", "99999999999999999999", "31-02-2026", "00-00-0000",
    "01-01-0001", "31-12-9999", "46022", "2026-13-45", "ja", "nej", "", " ", "\x00", "\x1b[31m",
    "\ufeff", "DK 30 00 00 13", "%s%s%n", "{{ 7*7 }}", "${jndi:ldap://x}", "\r\n", "\"",
    "\x07bip", "A\x7fB", "0001-01-01", "9999-12-31", "3.5",
]
HOSTILE_TEXT = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=5000),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
