"""A real SMTP server for the tests: aiosmtpd on a free loopback port, in a thread.

The app's email goes through a real SMTP conversation in the tests, so what a
relay would refuse (no STARTTLS, wrong password, a full mailbox) fails as it
would in a hospital. Every accepted message is kept, parsed, with its
envelope; nothing is relayed anywhere.

    server = SmtpServer(starttls=True, auth=True)
    ...  # the code under test sends to 127.0.0.1:server.port
    [received] = server.wait_for(1)
    received.message["Subject"], received.recipients
    server.stop()
"""

from __future__ import annotations

import datetime
import email
import email.policy
import errno
import ipaddress
import secrets
import shutil
import ssl
import tempfile
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from support import free_port

HOST = "127.0.0.1"


@dataclass(frozen=True)
class ReceivedMessage:
    """One message the server accepted: the envelope as sent (MAIL FROM, RCPT TO) and the message parsed."""

    sender: str
    recipients: list[str]
    message: EmailMessage


class SmtpServer:
    """An SMTP server on 127.0.0.1:port that keeps what it is sent.

    starttls: offer STARTTLS with a throwaway self-signed certificate (its PEM at
    `certificate`, for the client to trust) and refuse mail sent without it.
    auth: offer AUTH LOGIN and PLAIN and refuse mail until `username` and
    `password` are given.
    """

    def __init__(self, starttls: bool = False, auth: bool = False) -> None:
        self.host = HOST
        self.username, self.password = ("mailer", secrets.token_urlsafe(16)) if auth else (None, None)
        self._folder = Path(tempfile.mkdtemp(prefix="smtp-test-"))
        self.certificate = _self_signed_certificate(self._folder) if starttls else None
        self._received: list[ReceivedMessage] = []
        self._arrived = threading.Condition()
        self._refusal: str | None = None
        # AUTH is required at MAIL (handle_MAIL), not with aiosmtpd's auth_required, which
        # warns unless TLS is required too, and warnings are errors in this suite.
        options = {"authenticator": self._authenticate if auth else None, "auth_require_tls": not auth}
        if starttls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(self.certificate, self._folder / "key.pem")
            options.update(tls_context=context, require_starttls=True)
        try:
            for attempt in range(3):  # another test process (pytest-xdist) may take the free port first
                if self._listen(options, last_try=attempt == 2):
                    break
        except BaseException:
            shutil.rmtree(self._folder, ignore_errors=True)
            raise

    def _listen(self, options: dict, last_try: bool) -> bool:
        """Start listening on a free port; False if another process took it first and another may be tried."""
        self.port = free_port()
        # server_hostname: the greeting's name, so aiosmtpd does not look this machine up.
        self._controller = Controller(self, hostname=HOST, port=self.port, server_hostname="localhost", **options)
        try:
            self._controller.start()
        except OSError as error:
            self._controller.loop.close()
            if error.errno != errno.EADDRINUSE or last_try:
                raise
            return False
        return True

    @property
    def messages(self) -> list[ReceivedMessage]:
        """What has arrived so far, oldest first."""
        with self._arrived:
            return list(self._received)

    def wait_for(self, count: int, timeout: float = 5) -> list[ReceivedMessage]:
        """Wait until `count` messages have arrived and return them; fail saying how many did."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self._received) >= count, timeout):
                raise AssertionError(f"expected {count} messages within {timeout} s, "
                                     f"{len(self._received)} arrived")
            return list(self._received)

    def clear(self) -> None:
        """Forget the messages received so far."""
        with self._arrived:
            self._received.clear()

    def refuse_next(self, code: int, reason: str) -> None:
        """Answer the next message's DATA with this code and reason (550, "Mailbox full"), then accept again."""
        self._refusal = f"{code} {reason}"

    def stop(self) -> None:
        """Stop listening, and remove the folder with the certificate."""
        self._controller.stop()
        shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> SmtpServer:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # aiosmtpd's hooks, called in the server's thread.

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.username and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        refusal, self._refusal = self._refusal, None
        if refusal:
            return refusal
        # Lines end in CRLF on the wire; parsed with LF, as a mail program would store them.
        message = email.message_from_bytes(envelope.content.replace(b"\r\n", b"\n"), policy=email.policy.default)
        with self._arrived:
            self._received.append(ReceivedMessage(envelope.mail_from, list(envelope.rcpt_tos), message))
            self._arrived.notify_all()
        return "250 OK"

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        given = (auth_data.login, auth_data.password) if isinstance(auth_data, LoginPassword) else None
        # handled=False: aiosmtpd then answers a failure itself (535); True would leave the client waiting.
        return AuthResult(success=given == (self.username.encode(), self.password.encode()), handled=False)


def _self_signed_certificate(folder: Path) -> Path:
    """Write a key and a one-day certificate for localhost and 127.0.0.1 into folder; return the certificate's path."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                    x509.IPAddress(ipaddress.ip_address(HOST))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                       serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    path = folder / "certificate.pem"
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return path
