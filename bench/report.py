"""The benchmark's table on the terminal and its JSON file."""

from __future__ import annotations

import json
from pathlib import Path

from django.utils import timezone


def _ms(value) -> str:
    return "—" if value is None else f"{value:,.1f}"


def print_report(results: dict) -> None:
    info, dataset = results["machine"], results["dataset"]
    print(f"\n=== {results['size'].upper()} dataset, {results['started_at']}, "
          f"{info['nproc']} CPUs, {info['memory']}, PostgreSQL {info['postgresql']}, "
          f"Python {info['python']}, commit {info['commit']}")
    if not dataset.get("reused"):
        print(f"Dataset built in {dataset['seconds']:.0f} s "
              f"(migrations {dataset['migrate_seconds']:.0f} s)")
    print("Rows: " + ", ".join(f"{label.split('.')[1]} {n:,}"
                               for label, n in dataset["rows"].items()))
    header = (f"\n{'page':<38} {'role':<16} {'median ms':>10} {'p95 ms':>10} {'ratio':>8} "
              f"{'queries':>7} {'KB':>9} {'n':>3}")
    print(header)
    print("-" * (len(header) - 1))
    for page in results["pages"]:
        if page["status"] != "ok":
            print(f"{page['name']:<38} {page['role']:<16} {page['status']}: {page['note']}")
            continue
        print(f"{page['name']:<38} {page['role']:<16} {_ms(page['median_ms']):>10} "
              f"{_ms(page['p95_ms']):>10} {page['ratio']:>7.1f}x {page['queries']:>7} "
              f"{page['bytes'] / 1024:>9.1f} {page['repetitions']:>3}")
    if "sweep_nothing_due" in results:
        idle, due = results["sweep_nothing_due"], results["sweep_5000_due"]
        print(f"\nFollow-up sweep, nothing due: {idle['median_seconds']:.2f} s "
              f"(median of {idle['runs']}), {idle['queries']:,} queries")
        split = ", ".join(f"{n:,} {what}" for what, n in due["due"].items())
        print(f"Follow-up sweep, 5,000 due ({split}): {due['seconds']:.2f} s, "
              f"{due['queries']:,} queries, {due['emails']} emails, largest "
              f"{due['largest_email_bytes'] / 1024:.1f} KB")
    if "dashboards_kept" in results:
        kept = results["dashboards_kept"]
        print(f"Dashboards kept by the beat: {kept['copies']} copies in "
              f"{kept['median_seconds']:.2f} s (median of {kept['runs']}), "
              f"{kept['queries']:,} queries")
    if "pdfs" in results:
        pdfs = results["pdfs"]
        if pdfs["status"] == "ok":
            print(f"100 certificate PDFs through a worker ({pdfs['worker']}): "
                  f"{pdfs['seconds']:.1f} s ({pdfs['per_pdf_ms']:.0f} ms each)")
        else:
            print(f"PDFs through a worker: {pdfs['status']}: {pdfs.get('note', '')}")
    if "throughput" in results:
        load = results["throughput"]
        if "error" in load:
            print(f"Throughput: {load['error']}")
        else:
            print(f"Throughput ({load['server']}, {load['generator']}, "
                  f"{load['connections']} connections):")
            for name, figures in load.items():
                if isinstance(figures, dict):
                    print(f"  {name:<14} {figures['requests_per_second']:>8.1f} req/s "
                          f"({figures['requests']} requests, {figures['non_2xx']} not 2xx)")


def write_json(results: dict, path: str | None, root: Path) -> Path:
    if path:
        target = Path(path)
    else:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")  # Copenhagen, like the app
        target = root / "var" / "bench" / f"{stamp}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str))
    return target


def markdown(results: dict) -> str:
    """The pages as a Markdown table for docs/performance.md (with an empty "after" column)."""
    lines = ["| page | role | median ms | p95 ms | ratio | queries | KB | after |",
             "|---|---|--:|--:|--:|--:|--:|---|"]
    for page in results["pages"]:
        if page["status"] != "ok":
            lines.append(f"| {page['name']} | {page['role']} | {page['status']}: "
                         f"{page['note']} | | | | | |")
            continue
        lines.append(f"| {page['name']} | {page['role']} | {page['median_ms']:,.0f} | "
                     f"{page['p95_ms']:,.0f} | {page['ratio']:,.1f}x | {page['queries']} | "
                     f"{page['bytes'] / 1024:,.0f} | |")
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    # python -m bench.report var/bench/<file>.json  → the Markdown table of its pages
    print(markdown(json.loads(Path(sys.argv[1]).read_text())))
