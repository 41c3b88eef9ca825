"""A tally of the hostile-input tests: what they drove, how many examples, how many 5xx.

The property-based tests record every request here; ``tests/csrprogram/conftest.py`` prints
the tally at the end of the run ("hostile imports: 2 driven, 80 examples, 0 server errors").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field


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
