"""A private PostgreSQL server for the tests: Debian's binaries, a temporary cluster, a unix socket.

initdb refuses to run as root, so when the tests run as root (CI) the cluster
belongs to the ``postgres`` system user and its commands run through
``runuser``; as a normal user they run directly. The server listens on a unix
socket only (no TCP port is opened), in a temporary folder that both users can
reach, and is stopped when the test session ends. Each test gets a database of
its own, so no test sees another's events.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

SUPERUSER = "postgres"


def pg_bindir() -> Path:
    """The newest installed Debian PostgreSQL's bin folder (scripts/test installs it)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise RuntimeError("PostgreSQL is not installed — run ./scripts/test, which installs Debian's postgresql")
    return Path(found[-1]).parent


def _free_port() -> int:
    # Only names the socket file (.s.PGSQL.<port>); a free TCP number avoids clashing with a system server.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self) -> None:
        self.bindir = pg_bindir()
        self.as_root = os.geteuid() == 0
        self.root = Path(tempfile.mkdtemp(prefix="near-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._names = itertools.count(1)
        if self.as_root:
            entry = pwd.getpwnam("postgres")
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        os.chmod(self.root, 0o700)

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd="/")

    # One role that must give a password (every other connects on trust): for the refusal tests.
    PASSWORD_ROLE = "near_password"
    PASSWORD = "right-password"

    def start(self) -> PgServer:
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        hba = self.data / "pg_hba.conf"
        # Rewritten in place, so the file keeps its owner (postgres when the tests run as root).
        hba.write_text(f"local all {self.PASSWORD_ROLE} scram-sha-256\n" + hba.read_text())
        options = (f"-c listen_addresses='' -c unix_socket_directories={self.root} -p {self.port} "
                   "-c fsync=off -c max_connections=200 -c shared_buffers=32MB")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start")
        import psycopg

        with psycopg.connect(host=str(self.root), port=self.port, user=SUPERUSER, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f"CREATE ROLE {self.PASSWORD_ROLE} LOGIN CREATEDB PASSWORD '{self.PASSWORD}'")
            conn.execute(f"CREATE DATABASE {self.PASSWORD_ROLE} OWNER {self.PASSWORD_ROLE}")
        return self

    def password_url(self, password: str) -> str:
        """The URL of the password role's own database, with ``password``."""
        return (f"postgresql+psycopg://{self.PASSWORD_ROLE}:{password}@/{self.PASSWORD_ROLE}"
                f"?host={self.root}&port={self.port}")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def processes(self) -> list[int]:
        """The server's processes: the postmaster (first line of postmaster.pid) and its children."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # a process that ended meanwhile
            if int(fields[1]) == postmaster:
                children.append(int(stat.parent.name))
        return [postmaster, *children]

    @contextlib.contextmanager
    def stopped(self) -> Iterator[None]:
        """Every process of the server stopped (SIGSTOP) for the block, then let go on (SIGCONT).

        The kernel still accepts and acknowledges on its socket: to a client the server is there
        and never answers, which no keepalive or server-side timeout can see."""
        stopped = []
        try:
            for pid in self.processes():  # the postmaster first: it then starts no new backend
                os.kill(pid, signal.SIGSTOP)
                stopped.append(pid)
            yield
        finally:
            for pid in reversed(stopped):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@/{dbname}?host={self.root}&port={self.port}"

    def new_database(self) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        import psycopg

        name = f"near_test_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(host=str(self.root), port=self.port, user=SUPERUSER, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)
