"""A gunicorn server on loopback for one benchmark, started and stopped around it.

Every server in a run has the same settings: 2 sync workers (the machine's
2 cores), bound to 127.0.0.1 on a free port, no access log.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
WORKERS = 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`with Server("app:create_app()", env) as server:` serves on server.url until the block ends."""

    def __init__(self, app: str, env: dict[str, str], log: Path):
        self.app = app
        self.env = env
        self.log = log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        with self.log.open("w") as output:
            self.process = subprocess.Popen(
                [str(GUNICORN), "--bind", f"127.0.0.1:{self.port}", "--workers", str(WORKERS), self.app],
                cwd=ROOT, env={**os.environ, **self.env}, stdout=output, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        self._wait_until_serving()
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)

    def workers(self) -> list[int]:
        """The worker processes' ids (gunicorn's children)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def worker_memory_mb(self) -> list[float]:
        """Each worker's resident memory, in MB."""
        sizes = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            sizes.append(kb / 1024)
        return sizes

    def _wait_until_serving(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.app} exited while starting:\n{self.log.read_text()[-3000:]}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
            except OSError:
                time.sleep(0.1)
                continue
            if len(self.workers()) == WORKERS:
                return
            time.sleep(0.1)
        raise RuntimeError(f"{self.app} was not serving on port {self.port} after 60 s")
