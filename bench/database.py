"""The benchmark's own database on the PostgreSQL server of DATABASE_URL.

The database named in DATABASE_URL is only used to connect; the benchmark creates its own
(``csr_bench_tmp_<pid>``, dropped at the end, or ``csr_bench_<name>`` with ``--reuse name``,
kept). A small table ``bench_dataset`` in it records which dataset it holds, so a reused
database is rebuilt when its size differs or its build did not finish.

This module runs before Django is set up (the settings read DATABASE_URL once).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql


@dataclass
class BenchDatabase:
    server_url: str  # the URL we were given
    name: str
    keep: bool

    @property
    def url(self) -> str:
        parts = urlsplit(self.server_url)
        return urlunsplit(parts._replace(path="/" + self.name))

    def _admin(self):
        connection = psycopg2.connect(self.server_url)
        connection.autocommit = True
        return connection

    def exists(self) -> bool:
        with self._admin() as connection, connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
            return cursor.fetchone() is not None

    def _on_server(self, statement: str) -> None:
        """Run ``statement`` (with ``{}`` for the database's name) outside a transaction."""
        connection = self._admin()
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql.SQL(statement).format(sql.Identifier(self.name)))
        finally:
            connection.close()

    def create(self) -> None:
        self._on_server("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0")

    def drop(self) -> None:
        self._on_server("DROP DATABASE IF EXISTS {} WITH (FORCE)")

    def recorded_dataset(self) -> dict | None:
        """What ``bench_dataset`` says the database holds, or None (no record, unfinished)."""
        if not self.exists():
            return None
        connection = psycopg2.connect(self.url)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT to_regclass('bench_dataset')")
                if cursor.fetchone()[0] is None:
                    return None
                cursor.execute("SELECT size, seed, built_on, build_seconds, complete "
                               "FROM bench_dataset")
                row = cursor.fetchone()
        finally:
            connection.close()
        if row is None or not row[4]:
            return None
        return {"size": row[0], "seed": row[1], "built_on": row[2].isoformat(),
                "build_seconds": row[3]}


def record_dataset(cursor, *, size: str, seed: int, built_on, build_seconds: float | None,
                   complete: bool) -> None:
    """Write the one row of ``bench_dataset`` (through Django's connection)."""
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_dataset (size text, seed integer, "
                   "built_on date, build_seconds double precision, complete boolean)")
    cursor.execute("DELETE FROM bench_dataset")
    cursor.execute("INSERT INTO bench_dataset VALUES (%s, %s, %s, %s, %s)",
                   [size, seed, built_on, build_seconds, complete])


def bench_database(reuse: str | None) -> BenchDatabase:
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The benchmark needs PostgreSQL: run it with bin/bench, or set "
                         "DATABASE_URL=postgres://… (it creates its own database there).")
    if reuse is not None:
        if not re.fullmatch(r"[a-z0-9_]{1,40}", reuse):
            raise SystemExit("--reuse takes a name of lower-case letters, digits and _.")
        return BenchDatabase(server_url, f"csr_bench_{reuse}", keep=True)
    return BenchDatabase(server_url, f"csr_bench_tmp_{os.getpid()}", keep=False)
