"""Defaults only. Secrets and deployment settings come from instance/config.py
or FLASK_-prefixed environment variables (see README, "Configuration")."""

SERVICE_NAME = "Prepare for your procedure"
# Shown in the phase banner; a trust deploying the service can change it.
PHASE = "Beta"
# Where the footer's "Contact us" and the service pages send people; none by default.
FEEDBACK_EMAIL = ""
# Who runs the service, named in the privacy notice as responsible for the answers.
ORGANISATION = "Your hospital"
# The privacy notice, accessibility statement and cookies page, as Markdown files the
# trust writes (privacy.md, accessibility.md, cookies.md); None means the shipped ones.
SERVICE_PAGES_DIR = None

# None means "SQLite file in the instance folder", filled in by the factory.
SQLALCHEMY_DATABASE_URI = None
# pool_pre_ping: a connection cut by a database restart is replaced before use.
# hide_parameters: a database error's log line never carries a patient's answers.
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}

# Where `flask content publish` reads procedure files; None means the ones
# that ship with the app (app/content/procedures). Patients see only what is published.
CONTENT_DIR = None
# The questions every procedure shares; None means app/content/standard-questions.toml.
STANDARD_QUESTIONS = None
# The NICE texts procedure files cite, by file name; None means app/content/sources.
SOURCES_DIR = None
# The questionnaire's definition; None means app/questionnaire/definition.py.
QUESTIONNAIRE = None

# Production cookies: HTTPS only, out of reach of scripts, not sent on other
# sites' POSTs; the __Host- prefix also pins the cookie to this exact host.
# `make run` relaxes the first two for http://127.0.0.1 only.
SESSION_COOKIE_NAME = "__Host-session"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Requests larger than this are refused (413); the longest real form is a few KB.
MAX_CONTENT_LENGTH = 64 * 1024
# How many reverse proxies (TLS terminators, load balancers) sit in front of
# the app; their X-Forwarded-* headers are trusted only when this is set.
PROXIES = 0

# Rate limits (Flask-Limiter). Memory suits one process; with several app
# servers, point them all at one Redis: "redis://host:6379".
RATELIMIT_STORAGE_URI = "memory://"
RATELIMIT_STRATEGY = "moving-window"
SIGN_IN_LIMIT = "5 per 15 minutes"  # failed sign-ins for one email address
SIGN_IN_ADDRESS_LIMIT = "30 per 15 minutes"  # failed sign-ins from one network address
RESUME_LIMIT = "10 per 15 minutes"  # wrong resume codes or links from one address
# Summary downloads by one clinician or address: enough for a clinic going
# through a full day's list one by one, not enough to scrape thousands.
PDF_LIMIT = "100 per 10 minutes"
# "Print all for this day" (one PDF of a day's summaries) by one clinician.
DAY_PRINT_LIMIT = "10 per 10 minutes"
# "Email me my link" for one patient's answers, and from one address.
EMAIL_LINK_LIMIT = "3 per hour"
START_LIMIT = "10 per 15 minutes"  # new answer sets started from one address
SEND_LIMIT = "5 per 15 minutes"  # answers sent from one address (each send makes a summary PDF)

# How long an unsubmitted answer set can be resumed after its last save.
RESUME_DAYS = 30
PERMANENT_SESSION_LIFETIME = 60 * 60 * 2  # seconds; refreshed on every request
# Pages warn this long before a patient's or clinician's session runs out,
# with a button to renew it (at most half the session, for short test limits).
SESSION_WARNING_SECONDS = 5 * 60

# Clinician sign-in: ended after this long without a request, and after this
# long in all, whatever the browser does.
CLINICIAN_IDLE_MINUTES = 30
CLINICIAN_ABSOLUTE_HOURS = 10
# Where FHIR resources say they come from (their canonical URLs); set it to
# the service's public address.
FHIR_BASE_URL = "https://prepare-for-your-procedure.example"

# The service's public address, for links in emails, letters and QR codes
# (the reminder command has no request to take it from). Empty: the address
# of the request, so set it in production.
SERVICE_URL = ""

# Email goes through the hospital's mail relay over SMTP. With no MAIL_HOST
# nothing is sent, and each email is logged as failed, saying so.
MAIL_HOST = ""
MAIL_PORT = 25
MAIL_STARTTLS = True  # upgrade the connection with STARTTLS before anything is sent
MAIL_CA_FILE = ""  # a certificate authority to trust for it (an internal relay's); empty: the system's
MAIL_USERNAME = ""  # AUTH, if the relay asks for it
MAIL_PASSWORD = ""
MAIL_SENDER = "Prepare for your procedure <noreply@example.org>"
MAIL_TIMEOUT = 10  # seconds to wait for the relay at each step

# A patient who starts without an invitation lands in the clinic named here
# for their procedure, by slugs: {"liver-laser-ablation": "liver-royal"}.
# Anything else waits in the unassigned queue for a service admin to sort.
SELF_START_CLINICS: dict[str, str] = {}
# One reminder this many days before the appointment, to invited patients
# with an email address who have not sent their answers.
REMINDER_DAYS = 2
