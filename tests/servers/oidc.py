"""A real OpenID Connect provider for the tests: oidc-provider (Node.js) on a free loopback port.

Clinicians will sign in through OpenID Connect. The app's sign-in is tested
against a certified provider rather than a mock: discovery, JWKS, PKCE, both
ways a client authenticates, RP-initiated logout, and ID tokens that are
wrong in one way at a time (`set_mode`), so the app's own checks are proven
against tokens a real provider signed. The provider is
tests/servers/oidc/provider.mjs (its top says how it behaves); this module
configures, starts and stops it, and signs a test user in through it.

    provider = OidcProvider("http://127.0.0.1:5001/callback", "http://127.0.0.1:5001/signed-out")
    client = provider.clients["private_key_jwt"]   # client_id, private_jwk
    callback = provider.sign_in(authorization_url, "clinician")
    provider.stop()
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import requests
from bs4 import BeautifulSoup
from joserfc.jwk import RSAKey

from support import ROOT, free_port

SCRIPT = Path(__file__).with_name("oidc") / "provider.mjs"
PACKAGE = ROOT / "node_modules" / "oidc-provider" / "package.json"
MODES = ("bad-signature", "wrong-audience", "expired", "wrong-nonce")
AUTH_METHODS = ("client_secret_basic", "private_key_jwt")


@dataclass(frozen=True)
class User:
    """Someone who can sign in at the provider; `sub` is also the account id the sign-in form takes."""

    sub: str
    email: str
    name: str
    groups: tuple[str, ...] = ()


CLINICIAN = User("clinician", "nurse@example.org", "Alex Nurse", ("clinic:breast-royal-example:clinician",))
ADMIN = User("admin", "lead@example.org", "Sam Lead", ("clinic:breast-royal-example:admin",))
DEFAULT_USERS = (CLINICIAN, ADMIN)


@dataclass(frozen=True)
class Client:
    """The app as the provider knows it: a client_secret for client_secret_basic, a private JWK for private_key_jwt."""

    client_id: str
    token_endpoint_auth_method: str
    client_secret: str | None = None
    private_jwk: dict | None = field(default=None, repr=False)


class OidcProvider:
    """An OpenID provider at `issuer` (http://127.0.0.1:port), with two clients and the given users.

    Both clients (`clients`, keyed by token_endpoint_auth_method) may only
    redirect to redirect_uri and post_logout_redirect_uri, and must use PKCE
    (S256). The private_key_jwt client's key pair is made here for each
    provider; only its public half is given to the provider.
    """

    def __init__(self, redirect_uri: str, post_logout_redirect_uri: str,
                 users: tuple[User, ...] = DEFAULT_USERS) -> None:
        node = _node()
        clients = self._register(redirect_uri, post_logout_redirect_uri)
        self.folder = Path(tempfile.mkdtemp(prefix="oidc-test-"))
        self.log = self.folder / "node.log"
        try:
            for attempt in range(3):  # another test process (pytest-xdist) may take the free port first
                self.port = free_port()
                self.issuer = f"http://127.0.0.1:{self.port}"
                self._start(node, {"port": self.port, "clients": clients, "users": [asdict(u) for u in users]})
                self.metadata = self._discovery(last_try=attempt == 2)
                if self.metadata:
                    break
        except BaseException:
            self.stop()
            raise

    def _register(self, redirect_uri: str, post_logout_redirect_uri: str) -> list[dict]:
        """Make the two clients (`clients`) and return their metadata as the provider registers them."""
        key = RSAKey.generate_key(2048, parameters={"kid": "app-signing-key", "alg": "RS256", "use": "sig"})
        secret = Client("app-secret-basic", "client_secret_basic", client_secret=secrets.token_urlsafe(32))
        signed = Client("app-private-key-jwt", "private_key_jwt", private_jwk=key.as_dict(private=True))
        self.clients = {client.token_endpoint_auth_method: client for client in (secret, signed)}
        allowed = {"redirect_uris": [redirect_uri], "post_logout_redirect_uris": [post_logout_redirect_uri],
                   "grant_types": ["authorization_code"], "response_types": ["code"]}
        return [
            {**allowed, "client_id": secret.client_id, "token_endpoint_auth_method": "client_secret_basic",
             "client_secret": secret.client_secret},
            {**allowed, "client_id": signed.client_id, "token_endpoint_auth_method": "private_key_jwt",
             "jwks": {"keys": [key.as_dict(private=False)]}},
        ]

    def set_mode(self, mode: str) -> None:
        """Make the next token response's ID token misbehave in one way (one of MODES); the one after is good again."""
        answer = requests.post(f"{self.issuer}/__test__/mode", json={"mode": mode}, timeout=10)
        if answer.status_code != 204:
            raise ValueError(answer.json()["error"])

    def sign_in(self, authorization_url: str, account: str, browser: requests.Session | None = None) -> str:
        """Sign in as `account` (a user's sub) as a browser would; return the URL the provider sends it back to.

        Pass the same `browser` again to keep the provider's session cookie:
        a second sign-in then goes straight back, and sign_out needs it.
        """
        browser = browser or requests.Session()
        page = self._follow(browser, browser.get(authorization_url, allow_redirects=False))
        if page.is_redirect:  # sent straight back: signed in already, or the request refused (?error=...)
            return page.headers["location"]
        return self._leave(self._submit(browser, page, account=account))

    def sign_out(self, end_session_url: str, browser: requests.Session) -> str:
        """Confirm an RP-initiated logout as the signed-in browser would; return where the provider sends it."""
        page = self._follow(browser, browser.get(end_session_url, allow_redirects=False))
        return self._leave(self._submit(browser, page, logout="yes"))

    def stop(self) -> None:
        """Stop node (its whole process group) and remove the folder with its config and log."""
        if self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGTERM)
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> OidcProvider:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _start(self, node: str, config: dict) -> None:
        """Write the config and start node on it, its output going to the log."""
        path = self.folder / "config.json"
        path.write_text(json.dumps(config))
        with self.log.open("w") as output:
            # Its own process group, so stop() ends node and anything it started.
            self._process = subprocess.Popen([node, str(SCRIPT), str(path)], cwd=ROOT, stdin=subprocess.DEVNULL,
                                             stdout=output, stderr=subprocess.STDOUT, start_new_session=True)

    def _discovery(self, last_try: bool) -> dict | None:
        """Wait for the discovery document and return it; None if the port was taken and another may be tried.

        Fails with node's output if node stops for another reason or never answers.
        """
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                if "EADDRINUSE" in self.log.read_text() and not last_try:
                    return None
                raise RuntimeError(f"the test OpenID provider exited ({self._process.returncode}):\n"
                                   f"{self.log.read_text()}")
            try:
                return requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=1).json()
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or not node listening
                time.sleep(0.05)
        raise RuntimeError(f"the test OpenID provider did not answer at {self.issuer} within 30 s:\n"
                           f"{self.log.read_text()}")

    def _follow(self, browser: requests.Session, response: requests.Response) -> requests.Response:
        """Follow redirects within the provider; stop at a page, or at a redirect that leaves it."""
        while response.is_redirect:
            target = urljoin(response.url, response.headers["location"])
            if not target.startswith(f"{self.issuer}/"):
                break
            response = browser.get(target, allow_redirects=False)
        return response

    def _submit(self, browser: requests.Session, page: requests.Response, **fields: str) -> requests.Response:
        """Submit the page's form with its hidden fields and these; follow where it leads within the provider."""
        form = BeautifulSoup(page.text, "html.parser").find("form")
        assert form is not None, f"no form on the provider's page: {_words(page)}"
        hidden = {tag["name"]: tag.get("value", "") for tag in form.find_all("input", type="hidden")}
        answer = browser.post(urljoin(page.url, form["action"]), data={**hidden, **fields}, allow_redirects=False)
        return self._follow(browser, answer)

    def _leave(self, response: requests.Response) -> str:
        """Where the provider sends the browser back to; fail with its page's words if it does not."""
        assert response.is_redirect, f"the provider did not send the browser back: {_words(response)}"
        return response.headers["location"]


def _node() -> str:
    """The node program, once oidc-provider is installed for it; fail saying what to install otherwise."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("Node.js is not installed, so the test OpenID provider cannot run. "
                           "Install Node.js 20 or later with npm (Debian: nodejs, npm), then run make setup.")
    if not PACKAGE.exists():
        raise RuntimeError(f"npm package oidc-provider is not installed ({PACKAGE} not found), so the test "
                           "OpenID provider cannot run. Run make setup (npm ci installs it from package-lock.json).")
    return node


def _words(response: requests.Response) -> str:
    """A provider's answer as a person reads it: its status and the words on its page."""
    return f"{response.status_code} {BeautifulSoup(response.text, 'html.parser').get_text(' ', strip=True)}"
