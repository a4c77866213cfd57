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
PDF_LIMIT = "30 per 10 minutes"  # summary downloads by one clinician or address
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
