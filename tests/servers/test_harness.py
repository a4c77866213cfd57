"""The test servers behave as the real systems do: proven with the clients the app will use.

OpenID Connect through Authlib's OAuth2Session (no Flask app), its ID token
checked as Authlib's parse_id_token checks it, plus the audience: by default
parse_id_token checks only iss (and azp against the client), so a token for
another audience that names this client in azp gets through. The app must
pass claims_options with aud too, as RelyingParty.verify does. Email through
smtplib.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import BadSignatureError, ExpiredTokenError, InvalidClaimError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from servers.oidc import AUTH_METHODS, MODES, OidcProvider
from support import free_port

APP = f"http://127.0.0.1:{free_port()}"  # nothing listens there: the browser stops at the redirect
REDIRECT_URI, SIGNED_OUT_URI = f"{APP}/callback", f"{APP}/signed-out"


@pytest.fixture
def provider(oidc_provider) -> OidcProvider:
    return oidc_provider(REDIRECT_URI, SIGNED_OUT_URI)


class RelyingParty:
    """The app's side of one sign-in: Authlib's session for one client, with its state, nonce and PKCE verifier."""

    def __init__(self, provider: OidcProvider, method: str = "client_secret_basic") -> None:
        self.provider = provider
        self.client = provider.clients[method]
        token_endpoint = provider.metadata["token_endpoint"]
        self.session = OAuth2Session(self.client.client_id, self.client.client_secret or self.client.private_jwk,
                                     token_endpoint_auth_method=method, scope="openid email profile groups",
                                     redirect_uri=REDIRECT_URI, code_challenge_method="S256")
        if method == "private_key_jwt":
            self.session.register_client_auth_method(PrivateKeyJWT(token_endpoint))
        self.nonce, self.verifier = generate_token(20), generate_token(48)
        self.url, self.state = self.session.create_authorization_url(
            provider.metadata["authorization_endpoint"], nonce=self.nonce, code_verifier=self.verifier)

    def fetch_token(self, callback: str, verifier: str | None = None) -> dict:
        return self.session.fetch_token(self.provider.metadata["token_endpoint"], authorization_response=callback,
                                        state=self.state, code_verifier=verifier or self.verifier)

    def verify(self, token: dict) -> CodeIDToken:
        """Check the ID token as Authlib's parse_id_token does, the audience too; return its claims."""
        metadata = self.provider.metadata
        keys = KeySet.import_key_set(requests.get(metadata["jwks_uri"], timeout=10).json())
        decoded = jwt.decode(token["id_token"], keys, registry=JWSRegistry(
            algorithms=metadata["id_token_signing_alg_values_supported"], strict_check_header=False))
        claims = CodeIDToken(decoded.claims, decoded.header,
                             {"iss": {"essential": True, "value": metadata["issuer"]},
                              "aud": {"essential": True, "value": self.client.client_id}},
                             {"nonce": self.nonce, "client_id": self.client.client_id,
                              "access_token": token["access_token"]})
        claims.validate(leeway=120)  # parse_id_token's leeway
        return claims

    def sign_in(self, account: str = "clinician", browser: requests.Session | None = None) -> dict:
        """The whole code flow: sign in at the provider, exchange the code, return the token."""
        return self.fetch_token(self.provider.sign_in(self.url, account, browser))


def test_discovery_describes_the_provider_at_its_issuer(provider):
    metadata = provider.metadata
    assert metadata["issuer"] == provider.issuer
    for endpoint in ("authorization_endpoint", "token_endpoint", "jwks_uri", "end_session_endpoint"):
        assert metadata[endpoint].startswith(f"{provider.issuer}/")
    assert metadata["response_types_supported"] == ["code"]
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert set(AUTH_METHODS) <= set(metadata["token_endpoint_auth_methods_supported"])
    [key] = requests.get(metadata["jwks_uri"], timeout=10).json()["keys"]
    assert (key["kty"], key["alg"], "d" in key) == ("RSA", "RS256", False)


@pytest.mark.parametrize("method", AUTH_METHODS)
def test_code_flow_with_pkce_signs_a_user_in(provider, method):
    relying_party = RelyingParty(provider, method)
    assert {"state", "nonce", "code_challenge"} <= parse_qs(urlsplit(relying_party.url).query).keys()
    claims = relying_party.verify(relying_party.sign_in("clinician"))
    assert (claims["sub"], claims["email"], claims["name"]) == ("clinician", "nurse@example.org", "Alex Nurse")
    assert claims["groups"] == ["clinic:breast-royal-example:clinician"]


def test_a_request_without_pkce_is_sent_back_refused(provider):
    relying_party = RelyingParty(provider)
    without_pkce = relying_party.session.create_authorization_url(
        provider.metadata["authorization_endpoint"], nonce=relying_party.nonce)[0]
    callback = provider.sign_in(without_pkce, "clinician")
    answer = parse_qs(urlsplit(callback).query)
    assert callback.startswith(REDIRECT_URI) and answer["error"] == ["invalid_request"]
    assert "requires PKCE" in answer["error_description"][0]


def test_a_wrong_code_verifier_gets_no_token(provider):
    relying_party = RelyingParty(provider)
    callback = provider.sign_in(relying_party.url, "clinician")
    with pytest.raises(OAuthError) as refused:
        relying_party.fetch_token(callback, verifier=generate_token(48))
    assert refused.value.error == "invalid_grant"


def test_an_unknown_account_is_not_signed_in(provider):
    with pytest.raises(AssertionError, match='No test user has the account id "nobody"'):
        provider.sign_in(RelyingParty(provider).url, "nobody")


# What Authlib's checks say of each misbehaviour: the error, and the claim it names.
REFUSALS = {
    "bad-signature": (BadSignatureError, None),
    "wrong-audience": (InvalidClaimError, "aud"),
    "expired": (ExpiredTokenError, "exp"),
    "wrong-nonce": (InvalidClaimError, "nonce"),
}


@pytest.mark.parametrize("mode", MODES)
def test_each_misbehaviour_is_refused_once_then_tokens_are_good(provider, mode):
    error, claim = REFUSALS[mode]
    browser = requests.Session()
    provider.set_mode(mode)
    bad = RelyingParty(provider)
    with pytest.raises(error) as refused:
        bad.verify(bad.sign_in("clinician", browser))
    assert getattr(refused.value, "claim", None) == claim
    good = RelyingParty(provider)
    assert good.verify(good.sign_in("clinician", browser))["sub"] == "clinician"


def test_an_unknown_mode_is_refused(provider):
    with pytest.raises(ValueError, match="unknown mode"):
        provider.set_mode("slow")


def test_rp_initiated_logout_ends_the_session_and_returns_with_state(provider):
    browser = requests.Session()
    token = RelyingParty(provider).sign_in("clinician", browser)
    logout = provider.metadata["end_session_endpoint"] + "?" + urlencode(
        {"id_token_hint": token["id_token"], "post_logout_redirect_uri": SIGNED_OUT_URI, "state": "after-logout"})
    returned = urlsplit(provider.sign_out(logout, browser))
    assert f"{returned.scheme}://{returned.netloc}{returned.path}" == SIGNED_OUT_URI
    assert parse_qs(returned.query)["state"] == ["after-logout"]
    next_user = RelyingParty(provider)  # signed out: the provider asks who it is again
    assert next_user.verify(next_user.sign_in("admin", browser))["sub"] == "admin"


def _message(subject: str = "Your clinic has sent you a link") -> EmailMessage:
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = subject, "clinic@example.org", "patient@example.org"
    message.set_content("Follow the link to prepare for your appointment.")
    return message


def test_a_message_arrives_with_its_envelope_and_body(smtp_server):
    with smtplib.SMTP(smtp_server.host, smtp_server.port) as client:
        client.send_message(_message(), from_addr="bounces@example.org", to_addrs=["patient@example.org",
                                                                                    "copy@example.org"])
    [received] = smtp_server.wait_for(1)
    assert (received.sender, received.recipients) == ("bounces@example.org", ["patient@example.org",
                                                                             "copy@example.org"])
    assert received.message["Subject"] == "Your clinic has sent you a link"
    assert received.message.get_content() == "Follow the link to prepare for your appointment.\n"


def test_waiting_for_more_than_arrived_says_how_many_and_clear_forgets(smtp_server):
    with smtplib.SMTP(smtp_server.host, smtp_server.port) as client:
        client.send_message(_message())
    with pytest.raises(AssertionError, match="expected 2 messages within 0.2 s, 1 arrived"):
        smtp_server.wait_for(2, timeout=0.2)
    smtp_server.clear()
    assert smtp_server.messages == []


@pytest.mark.parametrize("smtp_server", [{"starttls": True}], indirect=True)
def test_starttls_is_required_and_its_certificate_verifies(smtp_server):
    with smtplib.SMTP(smtp_server.host, smtp_server.port) as client:
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:
            client.send_message(_message())
        assert refused.value.smtp_code == 530
    with smtplib.SMTP(smtp_server.host, smtp_server.port) as client:
        client.starttls(context=ssl.create_default_context(cafile=smtp_server.certificate))
        client.send_message(_message())
    assert len(smtp_server.wait_for(1)) == 1


@pytest.mark.parametrize("smtp_server", [{"auth": True}, {"auth": True, "starttls": True}], indirect=True)
@pytest.mark.parametrize("mechanism", ["LOGIN", "PLAIN"])
def test_auth_is_required_and_checks_the_password(smtp_server, mechanism):
    with smtplib.SMTP(smtp_server.host, smtp_server.port) as client:
        if smtp_server.certificate:
            client.starttls(context=ssl.create_default_context(cafile=smtp_server.certificate))
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:
            client.send_message(_message())
        assert refused.value.smtp_code == 530
        client.user, client.password = smtp_server.username, "wrong password"
        with pytest.raises(smtplib.SMTPAuthenticationError):
            client.auth(mechanism, getattr(client, f"auth_{mechanism.lower()}"))
        client.password = smtp_server.password
        client.auth(mechanism, getattr(client, f"auth_{mechanism.lower()}"))
        client.send_message(_message())
    assert len(smtp_server.wait_for(1)) == 1


def test_a_refused_message_gives_the_code_and_reason_then_mail_is_accepted(smtp_server):
    smtp_server.refuse_next(550, "5.2.2 Mailbox full")
    with smtplib.SMTP(smtp_server.host, smtp_server.port) as client:
        with pytest.raises(smtplib.SMTPDataError) as refused:
            client.send_message(_message("first"))
        assert (refused.value.smtp_code, refused.value.smtp_error) == (550, b"5.2.2 Mailbox full")
        client.send_message(_message("second"))
    assert [received.message["Subject"] for received in smtp_server.wait_for(1)] == ["second"]
