"""A throwaway PostgreSQL 15 cluster for a test process: started once, databases made from a template.

The cluster lives in a temporary folder (socket included), listens on a free
loopback port, trusts local connections and skips fsync: it holds nothing
worth keeping, and stops with the test run.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg
from psycopg import sql

from support import free_port

PGBIN = Path(os.environ.get("TEST_POSTGRESQL_BIN", "/usr/lib/postgresql/15/bin"))
MISSING = (
    f"PostgreSQL 15 is not installed ({PGBIN}/initdb not found), so the PostgreSQL half of the "
    "suite cannot run. Install the Debian package postgresql-15 (make test does this as root), "
    "or set TEST_POSTGRESQL_BIN to the folder holding initdb and pg_ctl."
)


class Cluster:
    def __init__(self) -> None:
        if not (PGBIN / "initdb").exists():
            raise RuntimeError(MISSING)
        self.data = Path(tempfile.mkdtemp(prefix="pg-test-"))
        self.port = free_port()
        self._names = itertools.count()
        # initdb refuses to run as root: run the server as the postgres user then.
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self._as:
            shutil.chown(self.data, "postgres")
        self._run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "--no-sync",
                  "-E", "UTF8", "--locale=C.UTF-8")
        for attempt in range(3):
            try:
                self._run("pg_ctl", "-D", self.data, "-l", self.data / "log", "-w", "-o",
                          f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.data} -c fsync=off "
                          "-c full_page_writes=off -c synchronous_commit=off -c max_connections=200",
                          "start")
                break
            except subprocess.CalledProcessError:
                # Another test process (pytest-xdist) may have taken the free port first.
                if attempt == 2:
                    raise
                self.port = free_port()
        self.template = "app_template"
        self.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.template)))

    def url(self, name: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def fresh(self, empty: bool = False) -> str:
        """A new database: a copy of the template with the app's tables, or empty for migrations."""
        name = f"test_{next(self._names)}"
        template = sql.SQL(" TEMPLATE template0") if empty else sql.SQL(" TEMPLATE {}").format(
            sql.Identifier(self.template))
        self.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)) + template)
        return self.url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def execute(self, statement, dbname: str = "postgres") -> None:
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=dbname,
                             autocommit=True) as connection:
            connection.execute(statement)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.data, ignore_errors=True)

    def _run(self, program: str, *args) -> None:
        subprocess.run([*self._as, str(PGBIN / program), *map(str, args)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
