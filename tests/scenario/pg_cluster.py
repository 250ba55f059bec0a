"""A throwaway PostgreSQL cluster of its own (initdb + pg_ctl as the postgres user), to stop and start in a test."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

BIN = Path("/usr/lib/postgresql/15/bin")


class Cluster:
    """A cluster in a fresh directory the postgres user can reach (not pytest's root-only tmp_path), on
    127.0.0.1:`port`, trust auth, fsync off; `remove` deletes it."""

    def __init__(self, port: int) -> None:
        self.directory, self.port = Path(tempfile.mkdtemp(prefix="cloudtuner-pg-")) / "data", port
        self.url = f"postgres://postgres@127.0.0.1:{port}/postgres"

    def _as_postgres(self, *args: str) -> None:
        done = subprocess.run(["runuser", "-u", "postgres", "--", *args], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr

    def create(self) -> "Cluster":
        self.directory.mkdir()
        for path in (self.directory.parent, self.directory):
            shutil.chown(path, "postgres", "postgres")
        self._as_postgres(str(BIN / "initdb"), "-D", str(self.directory), "-A", "trust", "-U", "postgres", "--no-sync")
        return self

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(str(BIN / "pg_ctl"), "-D", str(self.directory), "-o", options,
                          "-l", str(self.directory.parent / "server.log"), "-w", "start")

    def stop(self) -> None:
        self._as_postgres(str(BIN / "pg_ctl"), "-D", str(self.directory), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        if (self.directory / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.directory.parent)
