import datetime as dt

import pytest

from csrprogram.workdays import (
    add_working_days,
    is_working_day,
    next_working_day,
    working_days_between,
)


@pytest.mark.parametrize(("day", "expected"), [
    (dt.date(2026, 11, 25), True),   # a Wednesday
    (dt.date(2026, 11, 28), False),  # Saturday
    (dt.date(2026, 12, 25), False),  # Christmas Day
    (dt.date(2026, 12, 26), False),  # Second Day of Christmas
    (dt.date(2025, 4, 21), False),   # Easter Monday
    (dt.date(2023, 5, 5), False),    # Store Bededag, still a holiday in 2023
    (dt.date(2024, 4, 26), True),    # Store Bededag abolished from 2024
])
def test_is_working_day(day, expected):
    assert is_working_day(day) is expected


def test_next_working_day_skips_easter():
    # Maundy Thursday 2025-04-17 → Good Friday → weekend → Easter Monday → Tuesday.
    assert next_working_day(dt.date(2025, 4, 17)) == dt.date(2025, 4, 22)
    assert next_working_day(dt.date(2025, 4, 16)) == dt.date(2025, 4, 16)


def test_add_and_count_working_days():
    friday = dt.date(2026, 11, 27)
    assert add_working_days(friday, 1) == dt.date(2026, 11, 30)
    assert working_days_between(friday, dt.date(2026, 11, 30)) == 1
    assert working_days_between(friday, friday) == 0
    with pytest.raises(ValueError, match="negative"):
        add_working_days(friday, -1)
