"""The municipal-scale benchmark: build a dataset, measure every main page and the background work.

Run it with ``bin/bench`` (which provides PostgreSQL, Redis and production settings); see
docs/performance.md for what it measures and the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csrprogram.settings")

from bench.database import bench_database, record_dataset  # noqa: E402

BACKGROUND = ("follow-up sweep", "PDFs through a worker", "throughput", "dashboards kept")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bin/bench", description="Municipal-scale benchmark (docs/performance.md).")
    parser.add_argument("--size", choices=("small", "large"), default="small",
                        help="dataset size (default small)")
    parser.add_argument("--repeat", type=int, default=None,
                        help="interleaved repetitions per page (default 10 small, 7 large)")
    parser.add_argument("--page-budget", type=float, default=45.0,
                        help="seconds one page may take before it stops repeating (after 3)")
    parser.add_argument("--only", metavar="PATTERN",
                        help="measure only pages (and background parts: 'sweep', 'PDFs', 'kept', "
                             "'throughput') whose name or role matches this regex")
    parser.add_argument("--json", metavar="FILE",
                        help="where to write the results (default var/bench/<timestamp>.json)")
    parser.add_argument("--reuse", metavar="NAME",
                        help="keep the dataset in database csr_bench_NAME and reuse it next time "
                             "(rebuilt when its size differs)")
    parser.add_argument("--rebuild", action="store_true", help="with --reuse: build anew")
    parser.add_argument("--seed", type=int, default=14, help="random seed of the dataset")
    parser.add_argument("--throughput-seconds", type=int, default=20,
                        help="duration of each load run under gunicorn")
    parser.add_argument("--build-only", action="store_true",
                        help="build (or check) the dataset and stop")
    return parser.parse_args(argv)


def machine() -> dict:
    from django import get_version
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read_text()).group(1))
        memory = f"{kib / 2**20:.1f} GiB"
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,  # noqa: S607
                                capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = ""
    return {"nproc": os.cpu_count(), "memory": memory, "postgresql": postgres,
            "python": platform.python_version(), "django": get_version(),
            "platform": platform.platform(), "commit": commit,
            "load_average": os.getloadavg()}


def prepare_dataset(args, db, size) -> dict:
    """Build the dataset, or reuse the recorded one; returns what was done."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench.dataset import build

    recorded = db.recorded_dataset() if db.keep and not args.rebuild else None
    if recorded and recorded["size"] == size.name and recorded["seed"] == args.seed:
        print(f"Reusing the {size.name} dataset in {db.name} (built {recorded['built_on']} "
              f"in {recorded['build_seconds']:.0f} s)")
        # The code may have gained migrations (indexes, columns) since the build.
        call_command("migrate", verbosity=0)
        return {"reused": True, **recorded}
    if db.exists():
        db.drop()
    db.create()
    started = time.perf_counter()
    print(f"Building the {size.name} dataset in {db.name}")
    call_command("migrate", verbosity=0)
    migrate_seconds = time.perf_counter() - started
    print(f"  {'migrate':<26} {'':>9}      {migrate_seconds:>7.1f} s")
    with connection.cursor() as cursor:
        record_dataset(cursor, size=size.name, seed=args.seed, built_on=timezone.localdate(),
                       build_seconds=None, complete=False)
    built = build(size, seed=args.seed)
    with connection.cursor() as cursor:
        record_dataset(cursor, size=size.name, seed=args.seed, built_on=timezone.localdate(),
                       build_seconds=built["seconds"], complete=True)
    print(f"  built in {built['seconds']:.0f} s (plus {migrate_seconds:.0f} s of migrations)")
    return {"reused": False, "migrate_seconds": round(migrate_seconds, 1), **built}


def counts() -> dict[str, int]:
    from django.apps import apps

    labels = ["companies.Company", "companies.ContactPerson", "companies.CsrAssessment",
              "certificates.Certificate", "citizens.Citizen", "citizens.Enrolment",
              "placements.JobOpening", "placements.Candidacy", "placements.Placement",
              "followups.Visit", "citizens.AccessLog", "csrprogram.User",
              "csrprogram.Programme"]
    return {label: apps.get_model(label).objects.count() for label in labels}


def wanted(pattern: re.Pattern | None, *names: str) -> bool:
    return pattern is None or any(pattern.search(name) for name in names)


def run_pages(args, pattern) -> list:
    from bench.dataset import ADMIN_EMAIL, CONSULTANT_EMAIL, CONTACT_EMAIL, TEAM_LEADER_EMAIL
    from bench.measure import clients, measure_page
    from bench.pages import ADMINISTRATOR, CONSULTANT, CONTACT, PAGES, REFS, TEAM_LEADER
    from csrprogram.models import User

    users = {role: User.objects.get(email=email) for role, email in (
        (CONSULTANT, CONSULTANT_EMAIL), (TEAM_LEADER, TEAM_LEADER_EMAIL),
        (CONTACT, CONTACT_EMAIL), (ADMINISTRATOR, ADMIN_EMAIL))}
    by_role = clients(users)
    results = []
    pages = [page for page in PAGES if wanted(pattern, page.name, page.role)]
    print(f"\nMeasuring {len(pages)} pages, {args.repeat} interleaved repetitions each")
    for page in pages:
        result = measure_page(page, clients_by_role=by_role, refs=REFS, repeat=args.repeat,
                              budget_seconds=args.page_budget)
        results.append(result)
        if result.status == "ok":
            print(f"  {page.name:<38} {page.role:<16} {result.median_ms:>9.1f} ms "
                  f"{result.ratio:>7.1f}x {result.queries:>5} q {result.bytes / 1024:>8.1f} KB")
        else:
            print(f"  {page.name:<38} {page.role:<16} {result.status}: {result.note}")
    return results


def run_background(args, pattern) -> dict:
    from bench import background
    from bench.dataset import CONSULTANT_EMAIL
    from csrprogram.models import User

    results = {}
    if wanted(pattern, BACKGROUND[0]):
        print("\nFollow-up sweep")
        results["sweep_nothing_due"] = background.sweep_nothing_due()
        print(f"  nothing due: {results['sweep_nothing_due']}")
        results["sweep_5000_due"] = background.sweep_with_due(5_000)
        print(f"  5,000 due:   {results['sweep_5000_due']}")
    if wanted(pattern, BACKGROUND[3]):
        print("\nDashboards kept by the beat (every running programme, every language)")
        results["dashboards_kept"] = background.dashboards_kept()
        print(f"  {results['dashboards_kept']}")
    if wanted(pattern, BACKGROUND[1]):
        print("\nCertificate PDFs through a real Celery worker")
        results["pdfs"] = background.pdfs_through_worker(100)
        print(f"  {results['pdfs']}")
    if wanted(pattern, BACKGROUND[2]):
        print("\nThroughput under gunicorn")
        consultant = User.objects.get(email=CONSULTANT_EMAIL)
        from django.urls import reverse

        results["throughput"] = background.throughput(
            [("healthz", reverse("health"), None),
             ("company list", reverse("companies:company-list"), consultant),
             ("opening list", reverse("placements:opening-list"), consultant)],
            seconds=args.throughput_seconds)
        print(f"  {results['throughput']}")
    return results


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    pattern = re.compile(args.only, re.IGNORECASE) if args.only else None
    started_at = dt.datetime.now(dt.UTC)
    db = bench_database(args.reuse)
    os.environ["DATABASE_URL"] = db.url  # the settings, gunicorn and the worker all use it

    import django

    django.setup()
    from bench.dataset import SIZES
    from bench.report import print_report, write_json

    size = SIZES[args.size]
    args.repeat = args.repeat or (10 if size.name == "small" else 7)
    try:
        dataset = prepare_dataset(args, db, size)
        dataset["rows"] = counts()
        if args.build_only:
            return 0
        from django.utils import timezone

        if dataset["reused"] and dataset["built_on"] != timezone.localdate().isoformat():
            from bench.background import settle

            print("The dataset was built on another day: a sweep settles what became due")
            settle()
        info = machine()
        pages = run_pages(args, pattern)
        background = run_background(args, pattern)
        info["load_average_end"] = os.getloadavg()
        results = {
            "started_at": started_at.isoformat(timespec="seconds"),
            "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "size": size.name, "seed": args.seed, "repeat": args.repeat,
            "only": args.only, "machine": info, "dataset": dataset,
            "pages": [p.as_json() for p in pages], **background,
        }
        print_report(results)
        path = write_json(results, args.json, ROOT)
        print(f"\nResults written to {path}")
    finally:
        from django.db import connections

        connections.close_all()
        if not db.keep:
            db.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
