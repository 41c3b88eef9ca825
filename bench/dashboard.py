#!/usr/bin/env python
"""Benchmark the programme dashboard on a large synthetic dataset, in a throwaway database.

    .venv/bin/python bench/dashboard.py [--companies 50000] [--users 20000] [--repeat 5]

Creates a test database (SQLite in memory by default; with DATABASE_URL set, a throwaway
``test_<name>`` database on that server, dropped afterwards), fills it with synthetic rows for
two benchmark metrics, and reports the dashboard page's render time, query count and peak
Python memory, first with a handful of rows and then with the full dataset. The query count
must be the same for both: the dashboard's queries do not grow with the data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csrprogram.settings")
# Debug settings: no collected static files needed, and a data dir that is thrown away.
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("CSR_DATA_DIR", tempfile.mkdtemp(prefix="csr-bench-"))
os.environ.setdefault("CSR_AXES_ENABLED", "false")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.db.models.functions import TruncDate  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from companies.models import Company  # noqa: E402
from csrprogram.choices import Role, TargetKind  # noqa: E402
from csrprogram.metrics import BreakdownRow, Dimension, Metric, registry  # noqa: E402
from csrprogram.models import Programme, Target, User  # noqa: E402

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
START, END = dt.date(2017, 6, 19), dt.date(2018, 12, 31)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=COPENHAGEN)


class BenchCompanies(Metric):
    """Companies by registration day; breaks down by company and (industry as) target group."""

    key = "bench_companies"
    label = "Registrerede virksomheder (benchmark)"
    breakdowns = (Dimension.COMPANY, Dimension.TARGET_GROUP)

    def _rows(self, start, end):
        return Company.objects.filter(created_at__gte=_midnight(start),
                                      created_at__lt=_midnight(end + dt.timedelta(days=1)))

    def daily(self, programme, *, start, end):
        rows = (self._rows(start, end).annotate(day=TruncDate("created_at", tzinfo=COPENHAGEN))
                .values("day").annotate(n=Count("id")).order_by("day"))
        return {row["day"]: row["n"] for row in rows}

    def breakdown(self, programme, *, start, end, by):
        field = "name" if by == Dimension.COMPANY else "industry"
        # A company breakdown of tens of thousands of rows is shown as its top 50.
        rows = (self._rows(start, end).values(field).annotate(n=Count("id"))
                .order_by("-n", field)[:50])
        return [BreakdownRow(key=row[field], label=row[field], count=row["n"]) for row in rows]


class BenchUsers(Metric):
    key = "bench_users"
    label = "Nye brugere (benchmark)"
    breakdowns = (Dimension.CONSULTANT,)

    def _rows(self, start, end):
        return User.objects.filter(date_joined__gte=_midnight(start),
                                   date_joined__lt=_midnight(end + dt.timedelta(days=1)))

    def daily(self, programme, *, start, end):
        rows = (self._rows(start, end).annotate(day=TruncDate("date_joined", tzinfo=COPENHAGEN))
                .values("day").annotate(n=Count("id")).order_by("day"))
        return {row["day"]: row["n"] for row in rows}

    def breakdown(self, programme, *, start, end, by):
        rows = (self._rows(start, end).values("last_name").annotate(n=Count("id"))
                .order_by("-n", "last_name")[:50])
        return [BreakdownRow(key=r["last_name"], label=r["last_name"], count=r["n"])
                for r in rows]


def _moment(index: int) -> dt.datetime:
    days = (END - START).days + 1
    day = START + dt.timedelta(days=index % days)
    return dt.datetime.combine(day, dt.time(8 + index % 12, index % 60), tzinfo=COPENHAGEN)


def add_companies(first: int, count: int) -> None:
    field = Company._meta.get_field("created_at")
    # The benchmark sets historical registration times; auto_now_add would overwrite them.
    field.auto_now_add = False
    try:
        Company.objects.bulk_create(
            [Company(cvr=f"{first + i:08d}", name=f"Virksomhed {first + i}",
                     industry=f"Branche {(first + i) % 12}", created_at=_moment(first + i))
             for i in range(count)],
            batch_size=2000,
        )
    finally:
        field.auto_now_add = True


def add_users(first: int, count: int) -> None:
    User.objects.bulk_create(
        [User(email=f"bench{first + i}@jobcenter.example", password="!",  # noqa: S106 (an unusable password)
              last_name=f"Konsulent {(first + i) % 40}", date_joined=_moment(first + i))
         for i in range(count)],
        batch_size=2000,
    )


def measure(client: Client, url: str, repeat: int) -> dict:
    client.get(url)  # warm up templates and caches
    timings, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        queries = len(captured.captured_queries)
    tracemalloc.start()
    client.get(url)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"median_ms": statistics.median(timings) * 1000, "max_ms": max(timings) * 1000,
            "queries": queries, "peak_mib": peak / 2**20}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=50_000)
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        for metric_class in (BenchCompanies, BenchUsers):
            registry.register(metric_class())
        leader = User.objects.create_user(email="bench-leader@jobcenter.example")
        from django.contrib.auth.models import Group

        leader.groups.add(Group.objects.get(name=Role.TEAM_LEADER.value))
        programme = Programme.objects.create(name="Benchmark", municipality="Randers Kommune",
                                             starts_on=START, ends_on=END)
        first = Target.objects.create(programme=programme, metric_key="bench_companies",
                                      value=100, deadline=dt.date(2017, 12, 31))
        Target.objects.create(programme=programme, metric_key="bench_companies", value=150,
                              deadline=END)
        users = Target.objects.create(programme=programme, metric_key="bench_users", value=50,
                                      deadline=END)
        Target.objects.create(programme=programme, metric_key="bench_users", value=25,
                              kind=TargetKind.PERCENTAGE, reference=users,
                              deadline=dt.date(2018, 6, 30))
        Target.objects.create(programme=programme, metric_key="bench_companies", value=10,
                              kind=TargetKind.PERCENTAGE, reference=first,
                              deadline=dt.date(2018, 3, 31))

        client = Client()
        client.force_login(leader)
        url = reverse("programme-dashboard", args=[programme.pk])
        add_companies(0, 10)
        add_users(0, 10)
        few = measure(client, url, args.repeat)
        started = time.perf_counter()
        add_companies(10, args.companies - 10)
        add_users(10, args.users - 10)
        fill_seconds = time.perf_counter() - started
        many = measure(client, url, args.repeat)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    vendor = connection.vendor
    print(f"Dashboard benchmark ({vendor}, {args.repeat} requests each, "
          f"data generated in {fill_seconds:.1f} s)")
    print(f"{'rows':>24} {'median ms':>10} {'max ms':>8} {'queries':>8} {'peak MiB':>9}")
    for label, result in ((f"{20} (few)", few),
                          (f"{args.companies + args.users} (many)", many)):
        print(f"{label:>24} {result['median_ms']:>10.1f} {result['max_ms']:>8.1f} "
              f"{result['queries']:>8} {result['peak_mib']:>9.1f}")
    if few["queries"] != many["queries"]:
        print("FAIL: the number of queries grows with the data", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
