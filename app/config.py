"""Defaults only. Secrets and deployment settings come from instance/config.py
or FLASK_-prefixed environment variables (see README, "Configuration")."""

SERVICE_NAME = "Prepare for your procedure"
# Shown in the phase banner; a trust deploying the service can change it.
PHASE = "Beta"
FEEDBACK_EMAIL = ""

# None means "SQLite file in the instance folder", filled in by the factory.
SQLALCHEMY_DATABASE_URI = None
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

# None means the procedures that ship with the app (app/content/procedures).
CONTENT_DIR = None

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

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
