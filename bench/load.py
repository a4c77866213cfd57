"""Load from wrk on loopback: requests listed in a file, sent for a fixed time.

wrk is the load generator because it is C: on a 2-core machine a Python
client would take much of the CPU it is measuring. The same settings serve the
floor and the app, so their ratio is fair.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

SCRIPT = Path(__file__).with_name("wrk") / "rotate.lua"
CONNECTIONS = 4  # two per worker: one is served while the other's next request waits
WARM_UP_SECONDS = 2
SECONDS = 6


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    cookie: str = ""
    form: dict | None = None

    def line(self) -> str:
        body = urlencode(self.form or {}, doseq=True)
        return "\t".join([self.method, self.path, self.cookie, body])


@dataclass(frozen=True)
class Load:
    """What one wrk run measured."""

    requests: int
    seconds: float
    socket_errors: int
    unexpected_status: int
    p50_ms: float
    p95_ms: float
    p99_ms: float


def wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise RuntimeError("wrk is not installed: make bench installs the Debian package wrk")
    return path


def measure(url: str, requests: list[Request], expected_status: int, work: Path, seconds: int = SECONDS,
            warm_up: list[Request] | None = None, warm_up_seconds: int = WARM_UP_SECONDS) -> Load:
    """Send `requests` round and round for `seconds`, after a warm-up; every reply must have `expected_status`.

    Requests that change something (a save) can be made once only: give the
    warm-up its own, or it would use up the measured ones.
    """
    _run(url, _listing(work / "warm-up.tsv", warm_up or requests), expected_status, warm_up_seconds)
    load = _run(url, _listing(work / "requests.tsv", requests), expected_status, seconds)
    if load.socket_errors or load.unexpected_status:
        raise RuntimeError(f"{requests[0].method} {requests[0].path}: {load}")
    return load


def _listing(path: Path, requests: list[Request]) -> Path:
    path.write_text("".join(request.line() + "\n" for request in requests))
    return path


def _run(url: str, listing: Path, expected_status: int, seconds: int) -> Load:
    result = subprocess.run(
        [wrk(), "--threads", "1", "--connections", str(CONNECTIONS), "--duration", f"{seconds}s",
         "--timeout", "30s", "--script", str(SCRIPT), url, "--", str(listing), str(expected_status)],
        capture_output=True, text=True, check=True, stdin=subprocess.DEVNULL,
    )
    return Load(**json.loads(result.stdout.strip().splitlines()[-1]))
