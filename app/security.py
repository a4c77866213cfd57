"""What every response carries for safety.

The policy allows only this site's own files: no inline script or style
anywhere, which is why the layout is ours and not the NHS template (see
templates/layout.html). Patient answers must not stay in a shared computer's
cache, so only static files may be cached.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
])
HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    # Same-site requests keep their Referer: Flask-WTF refuses an HTTPS POST without one.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def init_app(app: Flask) -> None:
    if app.config["PROXIES"]:
        # Behind TLS-terminating proxies: trust their X-Forwarded-* headers, so
        # rate limits see the patient's address and Flask knows it is HTTPS.
        count = app.config["PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    app.after_request(add_headers)


def content_security_policy() -> str:
    """The policy; with single sign-on, signing out may also send the form's browser on to the identity provider."""
    issuer = urlsplit(current_app.config["OIDC_ISSUER"])
    if not issuer.netloc:
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace("form-action 'self'", f"form-action 'self' {issuer.scheme}://{issuer.netloc}")


def add_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    return response
