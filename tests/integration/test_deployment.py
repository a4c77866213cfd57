"""Several app servers share nothing but the database and the rate-limit store.

Two real gunicorn processes on loopback, as a hospital would run them behind
a load balancer: a sign-in made on one is good on the other, and wrong
passwords are counted across both when the limits live in Redis.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup

from support import ROOT, SESSION_COOKIE, free_port

pytestmark = pytest.mark.both_databases  # storage: runs on SQLite and PostgreSQL

REDIS_SERVER = shutil.which("redis-server")
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _wait_for(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on port {port} exited: {log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listening on port {port} after 30 s")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A private Redis on a free loopback port, keeping nothing on disk."""
    if REDIS_SERVER is None:
        pytest.fail("redis-server is not installed, so the shared rate-limit test cannot run. "
                    "Install the Debian package redis-server (make test does this as root).", pytrace=False)
    folder = tmp_path_factory.mktemp("redis")
    for attempt in range(3):
        port = free_port()
        log = folder / f"log-{attempt}"
        with log.open("w") as output:
            server = subprocess.Popen([REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                       "--appendonly", "no"], stdout=output, stderr=subprocess.STDOUT)
        try:
            _wait_for(port, server, log)
            break
        except RuntimeError:
            # Another test process (pytest-xdist) may have taken the free port first.
            server.kill()
            server.wait(timeout=10)
            if attempt == 2:
                raise
    yield f"redis://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def app_servers(tmp_path, app):
    """Start two single-worker gunicorn servers on the test app's database and one rate-limit store."""
    started = []

    def start(storage_uri: str) -> list[Server]:
        env = {**os.environ, "FLASK_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
               "FLASK_SECRET_KEY": "shared-test-key",
               "FLASK_RATELIMIT_STORAGE_URI": storage_uri,
               "FLASK_RATELIMIT_KEY_PREFIX": tmp_path.name}  # one Redis serves every test: count apart
        booting = []
        for _ in range(2):  # both start at once: each takes a second or two to import the app
            port = free_port()
            log = tmp_path / f"server-{len(started)}.log"
            with log.open("w") as output:
                process = subprocess.Popen(
                    [str(GUNICORN), "--bind", f"127.0.0.1:{port}", "--workers", "1", "app:create_app()"],
                    cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
            started.append(process)
            booting.append((port, process, log))
        for port, process, log in booting:
            _wait_for(port, process, log)
        return [Server(port) for port, _, _ in booting]

    yield start
    for process in started:
        process.terminate()
    for process in started:
        try:
            process.wait(timeout=30)  # gunicorn lets a busy worker finish first
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Server:
    """One app server, spoken to over HTTP; the browser's cookie is passed in, as a load balancer would."""

    def __init__(self, port: int) -> None:
        self.port = port

    def request(self, method: str, path: str, cookie: str = "", form: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": cookie} if cookie else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.text = response.read().decode()
        connection.close()
        set_cookie = response.getheader("Set-Cookie") or ""
        response.cookie = set_cookie.split(";", 1)[0] if set_cookie.startswith(SESSION_COOKIE) else cookie
        return response

    def sign_in(self, email: str, password: str, cookie: str = ""):
        page = self.request("GET", "/clinician/sign-in", cookie)
        token = BeautifulSoup(page.text, "html.parser").select_one("input[name=csrf_token]")["value"]
        return self.request("POST", "/clinician/sign-in", page.cookie,
                            {"csrf_token": token, "email": email, "password": password})


def test_a_sign_in_on_one_server_holds_on_the_other_and_limits_are_shared(app, app_servers, redis_url,
                                                                          make_clinician):
    email, password = make_clinician()
    first, second = app_servers(redis_url)
    signed_in = first.sign_in(email, password)
    assert signed_in.status == 302
    assert second.request("GET", "/clinician/", signed_in.cookie).status == 200

    servers = [first, second]
    for attempt in range(5):  # SIGN_IN_LIMIT: 5 failures per account, wherever they land
        assert servers[attempt % 2].sign_in(email, "wrong password").status == 200
    for server in servers:
        refused = server.sign_in(email, password)
        assert refused.status == 429 and "Try again in 15 minutes" in refused.text


def test_memory_limits_are_counted_per_server(app, app_servers, make_clinician):
    """Why several servers need Redis: with the in-memory default each server counts alone."""
    email, password = make_clinician()
    first, second = app_servers("memory://")
    for attempt in range(6):
        first_or_second = [first, second][attempt % 2]
        assert first_or_second.sign_in(email, "wrong password").status == 200  # 6 tries, 3 on each
    assert second.sign_in(email, password).status == 302
