"""Single sign-on with the trust's identity provider: OpenID Connect, authorization code flow with PKCE.

Authlib makes the authorization request and exchanges the code, with
client_secret_basic or private_key_jwt (what NHS CIS2 and Microsoft Entra ID
can require); joserfc (Authlib's own JOSE library) checks the ID token's
signature against the provider's published keys, and Authlib's CodeIDToken
its issuer, audience, expiry, nonce and access token hash. State, nonce and
the PKCE verifier live in the signed session for one sign-in and are taken
out when the provider sends the browser back, so a callback cannot be
replayed. The identity then names an existing account (OIDC_ACCOUNT_CLAIM);
its clinics and role follow the groups claim when one is configured.
"""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta
from urllib.parse import urlencode

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from authlib.oidc.core import CodeIDToken
from flask import abort, current_app, flash, redirect, request, session, url_for
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from .. import accounts, clinics
from ..extensions import db
from ..invitations import service_url
from ..models import ADMIN, CLINIC_ADMIN, CLINIC_ROLES, CLINICIAN, Clinic, Clinician, utcnow
from . import bp
from .auth import SSO, _next_page, finish_sign_in, record_failure

PENDING_SSO = "sso"  # the session key of one sign-in under way: state, nonce, PKCE verifier, where to go next
ID_TOKEN = "sso_id_token"  # kept for the provider's sign-out (id_token_hint)
SERVICE_ADMIN = "service-admin"
FROM_SSO = "sso"  # a membership's source when the groups claim made it
SIGN_IN_MINUTES = 10


class SignInRefused(Exception):
    """Single sign-on did not sign this person in: `why` for the audit, `message` for them."""

    def __init__(self, why: str, message: str | None = None, clinician: Clinician | None = None):
        super().__init__(why)
        self.why, self.message, self.clinician = why, message, clinician


def enabled() -> bool:
    return bool(current_app.config["OIDC_ISSUER"])


def _http_get(url: str) -> dict:
    seconds = float(current_app.config["OIDC_TIMEOUT"])
    answer = requests.get(url, timeout=seconds)
    answer.raise_for_status()
    return answer.json()


def _provider() -> dict:
    """What this process knows of the provider: its discovery document, and its keys once fetched."""
    cache = current_app.extensions.setdefault("oidc", {})
    issuer = current_app.config["OIDC_ISSUER"].rstrip("/")
    if cache.get("issuer") != issuer:
        metadata = _http_get(f"{issuer}/.well-known/openid-configuration")
        if metadata.get("issuer", "").rstrip("/") != issuer:
            raise SignInRefused(f"the discovery document names issuer {metadata.get('issuer')!r}, not {issuer!r}")
        cache.clear()
        cache.update(issuer=issuer, metadata=metadata)
    return cache


def _keys(refresh: bool = False) -> KeySet:
    cache = _provider()
    if refresh or "keys" not in cache:
        cache["keys"] = KeySet.import_key_set(_http_get(cache["metadata"]["jwks_uri"]))
    return cache["keys"]


def _client(metadata: dict) -> OAuth2Session:
    config = current_app.config
    method = config["OIDC_CLIENT_AUTH"]
    secret = config["OIDC_PRIVATE_KEY"] if method == "private_key_jwt" else config["OIDC_CLIENT_SECRET"]
    client = OAuth2Session(config["OIDC_CLIENT_ID"], secret, token_endpoint_auth_method=method,
                           scope=config["OIDC_SCOPES"], redirect_uri=service_url("clinician.sso_callback"),
                           code_challenge_method="S256", timeout=config["OIDC_TIMEOUT"])
    if method == "private_key_jwt":
        client.register_client_auth_method(PrivateKeyJWT(metadata["token_endpoint"]))
    return client


@bp.get("/sign-in/sso")
def sso_start():
    if not enabled():
        abort(404)
    try:
        metadata = _provider()["metadata"]
    except (requests.RequestException, ValueError, SignInRefused) as error:
        return _refused(SignInRefused(f"discovery failed: {error}"[:300]))
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    session[PENDING_SSO] = {"state": state, "nonce": nonce, "verifier": verifier, "next": _next_page(),
                            "at": utcnow().isoformat()}
    url, _ = _client(metadata).create_authorization_url(metadata["authorization_endpoint"], state=state,
                                                         nonce=nonce, code_verifier=verifier)
    return redirect(url)


@bp.get("/sign-in/sso/callback")
def sso_callback():
    if not enabled():
        abort(404)
    pending = session.pop(PENDING_SSO, None)  # once: a replayed callback finds nothing here
    try:
        claims, id_token = _identity(pending)
        clinician = _account_for(claims)
        _follow_groups(clinician, claims)
    except SignInRefused as refused:
        return _refused(refused)
    except requests.RequestException as error:  # its keys or discovery document out of reach
        return _refused(SignInRefused(f"the provider did not answer: {error}"[:300]))
    response = finish_sign_in(clinician, SSO, "single sign-on", pending.get("next"))
    session[ID_TOKEN] = id_token
    return response


def _identity(pending: dict | None) -> tuple[CodeIDToken, str]:
    """The ID token's checked claims, and the token itself, from the provider's answer to this sign-in."""
    returned = request.args.get("state", "").encode()  # as bytes: compare_digest refuses non-ASCII text
    if not isinstance(pending, dict) or not hmac.compare_digest(returned, pending.get("state", "").encode()):
        raise SignInRefused("the state did not match a sign-in started here (replayed, or from elsewhere)")
    if utcnow() - datetime.fromisoformat(pending["at"]) > timedelta(minutes=SIGN_IN_MINUTES):
        raise SignInRefused("the sign-in took too long", "Your sign-in timed out. Try again.")
    if "error" in request.args:
        raise SignInRefused(f"the provider said {request.args['error']}: "
                            f"{request.args.get('error_description', '')}"[:300])
    metadata = _provider()["metadata"]
    try:
        token = _client(metadata).fetch_token(metadata["token_endpoint"], code=request.args.get("code", ""),
                                              code_verifier=pending["verifier"])
    except (OAuthError, requests.RequestException, ValueError) as error:
        raise SignInRefused(f"the code exchange failed: {error}"[:300]) from None
    if "id_token" not in token:
        raise SignInRefused("the provider sent no ID token")
    return _checked(token, pending["nonce"], metadata), token["id_token"]


def _checked(token: dict, nonce: str, metadata: dict) -> CodeIDToken:
    """The ID token's claims, once its signature, issuer, audience, times and nonce are right."""
    config = current_app.config
    registry = JWSRegistry(algorithms=metadata.get("id_token_signing_alg_values_supported", ["RS256"]))
    try:
        try:
            decoded = jwt.decode(token["id_token"], _keys(), registry=registry)
        except InvalidKeyIdError:  # a key id we do not have: the provider may have rotated its keys
            decoded = jwt.decode(token["id_token"], _keys(refresh=True), registry=registry)
        claims = CodeIDToken(decoded.claims, decoded.header,
                             {"iss": {"essential": True, "value": metadata["issuer"]},
                              "aud": {"essential": True, "value": config["OIDC_CLIENT_ID"]}},
                             {"nonce": nonce, "client_id": config["OIDC_CLIENT_ID"],
                              "access_token": token.get("access_token")})
        claims.validate(leeway=config["OIDC_LEEWAY"])
    except (JoseError, ValueError) as error:
        raise SignInRefused(f"the ID token was refused: {type(error).__name__} {error}"[:300]) from None
    return claims


def _account_for(claims: CodeIDToken) -> Clinician:
    """The staff account this identity names; made now only if configuration allows it."""
    config = current_app.config
    by_subject = config["OIDC_ACCOUNT_CLAIM"] == "sub"
    email = str(claims.get("email") or "").strip().lower()
    if by_subject:
        clinician = db.session.scalar(db.select(Clinician).where(Clinician.sso_subject == claims["sub"]))
    else:
        if not email or claims.get("email_verified") is False:
            raise SignInRefused("the identity has no verified email address",
                                "Your organisation's account has no verified email address, so we cannot "
                                "find your staff account. Ask your IT service desk.")
        clinician = accounts.find(email)
    if clinician is None:
        if not (config["OIDC_CREATE_ACCOUNTS"] and email):
            raise SignInRefused(f"no staff account for {email or claims['sub']}",
                                f"There is no staff account for {email or 'you'} yet. Ask a service admin "
                                "to make one.")
        try:
            clinician = accounts.create(email, CLINICIAN, None, how=", at a first single sign-on")
        except accounts.AccountError as error:
            raise SignInRefused(str(error), str(error)) from None
        db.session.flush()
    if not clinician.active:
        raise SignInRefused("a disabled account", "Your staff account is disabled. Ask a service admin.",
                            clinician)
    # The first sign-in binds the account to the provider's subject, which is never given to anyone else;
    # an email address can be: a later identity with the same email and another subject is someone else.
    if clinician.sso_subject is None:
        clinician.sso_subject = claims["sub"]
    elif clinician.sso_subject != claims["sub"]:
        raise SignInRefused(f"the account is bound to another subject at the provider than {claims['sub']!r}",
                            clinician=clinician)
    return clinician


def _follow_groups(clinician: Clinician, claims: CodeIDToken) -> None:
    """With a groups claim configured, the role and the clinics it maps follow it; others stay as set here."""
    name = current_app.config["OIDC_GROUPS_CLAIM"]
    if not name:
        return
    groups = claims.get(name) or []
    mapped = [current_app.config["OIDC_GROUPS"].get(g) for g in ([groups] if isinstance(groups, str) else groups)]
    wanted: dict[str, str] = {}
    for target in filter(None, mapped):
        slug, _, role = target.partition(":")
        if target != SERVICE_ADMIN and role in CLINIC_ROLES and wanted.get(slug) != CLINIC_ADMIN:
            wanted[slug] = role
    accounts.set_role(clinician, ADMIN if SERVICE_ADMIN in mapped else CLINICIAN, how=", from single sign-on")
    for membership in list(clinician.memberships):
        slug = membership.clinic.slug
        if slug in wanted and (membership.role, membership.source) != (wanted[slug], FROM_SSO):
            clinics.add_member(membership.clinic, clinician.email, wanted[slug], source=FROM_SSO)
        elif slug not in wanted and membership.source == FROM_SSO:
            clinics.remove_member(membership.clinic, clinician.email)
        wanted.pop(slug, None)
    for slug, role in wanted.items():
        clinic = db.session.scalar(db.select(Clinic).where(Clinic.slug == slug))
        if clinic is not None:
            clinics.add_member(clinic, clinician.email, role, source=FROM_SSO)
    db.session.flush()
    db.session.expire(clinician, ["memberships"])


def _refused(refused: SignInRefused):
    db.session.rollback()  # nothing of a refused sign-in is kept but its audit
    record_failure(refused.clinician, refused.why, method="single sign-on")
    db.session.commit()
    name = current_app.config["OIDC_PROVIDER_NAME"]
    flash(refused.message or f"We could not sign you in with {name}. Try again. If it happens again, "
                             "tell your IT service desk.")
    return redirect(url_for("clinician.login"))


def provider_logout_url(id_token: str | None) -> str | None:
    """Where to send the browser to end its session at the provider too, if it supports that."""
    try:
        metadata = _provider()["metadata"]
    except (requests.RequestException, ValueError, SignInRefused):
        return None
    endpoint = metadata.get("end_session_endpoint")
    if not endpoint:
        return None
    query = {"post_logout_redirect_uri": service_url("clinician.signed_out"),
             "client_id": current_app.config["OIDC_CLIENT_ID"]}
    if id_token:
        query["id_token_hint"] = id_token
    return f"{endpoint}?{urlencode(query)}"


@bp.get("/signed-out")
def signed_out():
    """Where the provider sends the browser after its own sign-out."""
    flash("You have signed out.")
    return redirect(url_for("clinician.login"))

