"""Fixtures for the outside systems the app talks to, each a real server on a free loopback port.

Load them from a conftest with `pytest_plugins = ["servers.fixtures"]`. Every
server is this test's own (its own port and temporary folder), so tests run
in parallel under pytest-xdist; a missing tool fails the test, never skips it.
"""

from __future__ import annotations

import pytest

from servers.oidc import DEFAULT_USERS, OidcProvider, User
from servers.smtp import SmtpServer


@pytest.fixture
def smtp_server(request):
    """An SMTP server that keeps what it is sent; stopped after the test.

    Plain by default. For STARTTLS or AUTH, parametrise it indirectly:
    `@pytest.mark.parametrize("smtp_server", [{"starttls": True, "auth": True}], indirect=True)`.
    """
    with SmtpServer(**getattr(request, "param", {})) as server:
        yield server


@pytest.fixture
def oidc_provider():
    """Start OpenID providers: call with the app's redirect and post-logout URIs (and users); all stopped afterwards."""
    started = []

    def start(redirect_uri: str, post_logout_redirect_uri: str,
              users: tuple[User, ...] = DEFAULT_USERS) -> OidcProvider:
        try:
            started.append(OidcProvider(redirect_uri, post_logout_redirect_uri, users))
        except RuntimeError as failure:  # node or oidc-provider missing, or it would not start: say which
            pytest.fail(str(failure), pytrace=False)
        return started[-1]

    yield start
    for provider in started:
        provider.stop()
