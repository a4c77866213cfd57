"""Whole patient journeys over HTTP, as a browser makes them: start, every page, send.

A small client rather than wrk, because each step reads the form the page
gave (its CSRF token and version) before posting it. It reads them with one
regular expression and sends nothing else, so it takes little of the CPU it
shares with the server.
"""

from __future__ import annotations

import http.client
import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from app.content.versions import Version
from journey_helpers import section_answers  # tests/ (see bench/__init__.py)

HIDDEN = re.compile(r'<input id="(csrf_token|version)" name="\1" type="hidden" value="([^"]*)"')
COOKIE = re.compile(r"^([^=]+=[^;]*)")


class UnexpectedReply(Exception):
    pass


@dataclass
class Timings:
    """How long each step took, in ms, by step name; and how many journeys finished."""

    steps: dict[str, list[float]] = field(default_factory=dict)
    journeys: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, step: str, ms: float) -> None:
        with self.lock:
            self.steps.setdefault(step, []).append(ms)

    def all(self) -> list[float]:
        return [ms for times in self.steps.values() for ms in times]


class Browser:
    """One patient's browser: keeps the session cookie and reads each page's hidden form fields."""

    def __init__(self, base_url: str, timings: Timings):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.timings = timings
        self.cookie = ""
        self.hidden: dict[str, str] = {}

    def get(self, path: str, step: str | None = None) -> str:
        return self._send("GET", path, step or f"GET {path}", expect=200)

    def post(self, path: str, form: dict, step: str | None = None) -> str:
        body = urlencode({**self.hidden, **form}, doseq=True)
        return self._send("POST", path, step or f"POST {path}", expect=302, body=body)

    def _send(self, method: str, path: str, step: str, expect: int, body: str | None = None) -> str:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        reply = connection.getresponse()
        text = reply.read().decode()
        self.timings.add(step, (time.perf_counter() - started) * 1000)
        connection.close()
        if reply.status != expect:
            raise UnexpectedReply(f"{method} {path}: {reply.status}, expected {expect}")
        if cookie := reply.getheader("Set-Cookie"):
            self.cookie = COOKIE.match(cookie).group(1)
        if method == "GET":
            self.hidden = dict(HIDDEN.findall(text))
        return text


def one_journey(browser: Browser, version: Version, send: bool = True) -> None:
    """Start, answer every page, check the answers and (with `send`) send them."""
    browser.get(f"/procedures/{version.slug}", step="GET /procedures/<slug>")
    browser.post(f"/procedures/{version.slug}/start", {}, step="POST /procedures/<slug>/start")
    browser.get("/your-code")
    browser.get("/tasks")
    for path, form in section_answers(version):
        browser.get(path)
        browser.post(path, form)
    browser.get("/check-answers")
    if send:
        browser.post("/check-answers", {})
        browser.get("/confirmation")


def run_journeys(base_url: str, procedures: list[Version], patients: int, seconds: float,
                 send: bool = True) -> tuple[Timings, float]:
    """`patients` browsers making journeys one after another (procedures in turn) until `seconds` have passed."""
    timings = Timings()
    deadline = time.monotonic() + seconds
    failures: list[Exception] = []

    def patient(number: int) -> None:
        made = number
        while time.monotonic() < deadline and not failures:
            try:
                one_journey(Browser(base_url, timings), procedures[made % len(procedures)], send)
            except Exception as error:  # reported once all have stopped
                failures.append(error)
                return
            with timings.lock:
                timings.journeys += 1
            made += 1

    started = time.monotonic()
    threads = [threading.Thread(target=patient, args=(n,)) for n in range(patients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return timings, time.monotonic() - started
