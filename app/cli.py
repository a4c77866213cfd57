"""Command-line tasks for content editors and administrators."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.orm import selectinload

from . import accounts, audit, clinics
from .content import checks, files, publishing, versions
from .content.drafting import draft, todos
from .content.guidance import GuidanceError, is_public_information
from .extensions import db
from .models import (
    CLINIC_ROLES,
    CLINICIAN,
    ENGLISH_LETTERS,
    LETTER_LANGUAGES,
    LETTER_WORDS,
    ROLES,
    AnswerSet,
    Clinic,
    Clinician,
    Membership,
    utcnow,
)

content_cli = AppGroup("content", help="Check and publish the procedure content files.")
users_cli = AppGroup("users", help="Make, list, enable and disable staff accounts; roles, reset links, second factors.")
answers_cli = AppGroup("answers", help="Look after stored answer sets.")
clinics_cli = AppGroup("clinics", help="Make clinics and say who belongs to them.")
reminders_cli = AppGroup("reminders", help="Email reminders before appointments, and retry clinic alerts.")


def _checked(paths: tuple[str, ...]) -> checks.Report:
    """The content check on these files (all if none are named), each problem printed as file: field: what to do."""
    report = publishing.check_folder(only=[Path(p) for p in paths] if paths else None)
    for problem in report.problems:
        click.echo(problem, err=True)
    return report


def _translation_problems(report: checks.Report) -> list[str]:
    """Every stale, missing or wrong field of the translations beside the files (content/translations.py), once."""
    standard = Path(current_app.config["STANDARD_QUESTIONS"] or files.STANDARD_QUESTIONS_FILE)
    found = [p for f in report.files if f.content for p in files.translation_problems(f.content, standard)]
    for problem in dict.fromkeys(found):
        click.echo(f"Translation: {problem}", err=True)
    return list(dict.fromkeys(found))


def _flag_overdue() -> None:
    """Print each version patients see now that is due for review: flagged, and still served."""
    for row in versions.overdue(publishing.today()):
        click.echo(f"Due for review: {publishing.overdue_message(row)}", err=True)


def _exit_if_problems(report: checks.Report, what: str) -> None:
    count = len(report.problems)
    if count:
        click.echo(f"{count} {'problem' if count == 1 else 'problems'}: {what}.", err=True)
        raise SystemExit(1)


@content_cli.command("check")
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False))
def check_content(paths: tuple[str, ...]) -> None:
    """Check procedure files (all of them if none are named); exit 1 listing each problem as file: field: problem."""
    report = _checked(paths)
    for checked in report.files:
        if checked.passed:
            click.echo(f"ok  {checked.name}  {checked.content.procedure.title}")
    _flag_overdue()
    stale = _translation_problems(report)
    _exit_if_problems(report, "fix them before publishing")
    if stale:
        # The English can still be published; the Welsh pages show these fields in English until translated.
        click.echo(f"{len(stale)} translated {'field is' if len(stale) == 1 else 'fields are'} stale or missing: "
                   "translate them again", err=True)
        raise SystemExit(1)
    click.echo(f"{len(report.files)} procedure files: all valid")


@content_cli.command("publish")
def publish_content() -> None:
    """Check every procedure file and publish each new version that passes; patients see only what is published.

    A file that fails is not published, and its procedure stays on the version
    patients see now; the command then exits 1. A procedure whose file is gone
    is withdrawn: it can no longer be started, and everything stored for it
    keeps working. Safe to run again: unchanged files publish nothing.
    """
    report = _checked(())
    done = []
    # Nothing at all if the standard questions or the folder itself fail: an empty or missing
    # folder must not read as every procedure's file removed.
    if not report.shared:
        done = versions.publish(report.passed, current_app.config["QUESTIONNAIRE"], actor=audit.SYSTEM,
                                keep=[f.slug for f in report.files])
        db.session.commit()
    for published in done:
        words = {"new": "published version", "unchanged": "already published:", "withdrawn": "withdrawn"}
        click.echo(f"{published.slug}  {words[published.what]} {published.version}".rstrip())
    _flag_overdue()
    _translation_problems(report)  # published all the same: an English correction must reach patients now
    failed = ", ".join(f.name for f in report.files if not f.passed)
    _exit_if_problems(report, ("nothing was published" if report.shared else f"not published: {failed}")
                      + ". Fix them and publish again")


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise click.ClickException(f"Cannot read {path}: it is not UTF-8 text") from None
    except OSError as exc:
        raise click.ClickException(f"Cannot read {path}: {exc.strerror or exc}") from None


# A draft reads NICE text and writes TOML: it needs no app context, database or request.
@content_cli.command("draft", with_appcontext=False)
@click.argument("guidance_file", metavar="GUIDANCE.txt", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--public", "public_file", metavar="PUBLIC.txt", type=click.Path(dir_okay=False, path_type=Path),
              help="NICE's information for the public: its questions and support contacts are copied.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of printing.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def draft_content(guidance_file: Path, public_file: Path | None, output: Path | None, force: bool) -> None:
    """Draft a procedure file from NICE text: facts copied, every plain-English field a TODO."""
    first = _read_text(guidance_file)
    if is_public_information(first):
        # The liver file was drafted so: information for the public alone, given as the only file.
        if public_file:
            raise click.ClickException(f"{guidance_file} is information for the public; give the guidance first")
        guidance_text, guidance_name, public_text, public_name = None, "", first, guidance_file.name
    else:
        guidance_text, guidance_name = first, guidance_file.name
        public_text = _read_text(public_file) if public_file else None
        public_name = public_file.name if public_file else ""
    if output and output.exists() and not force:
        raise click.ClickException(f"{output} already exists. Add --force to replace it.")
    try:
        text = draft(guidance_text, public_text, document=guidance_name, public_document=public_name)
    except GuidanceError as exc:
        raise click.ClickException(f"Cannot draft from {exc}") from None
    if not output:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"Cannot write {output}: {exc.strerror or exc}") from None
    click.echo(f"Wrote {output}: {len(todos(text))} fields marked TODO for an editor to write.", err=True)


def _password_or_none(value: str, email: str) -> str:
    problem = accounts.password_problem(value, email)
    if problem:
        raise click.BadParameter(problem.removeprefix("Password ").replace("your email address", "the email address"))
    return value


@users_cli.command("create")
@click.option("--email", required=True, help="The clinician's work email address; they sign in with it.")
@click.option("--role", type=click.Choice(ROLES), default="clinician", show_default=True,
              help="admin: a service admin, who sees every clinic (and needs a second factor).")
@click.option("--clinic", "clinic_slugs", multiple=True, metavar="SLUG", help="A clinic they belong to (repeatable).")
@click.option("--clinic-role", type=click.Choice(CLINIC_ROLES), default=CLINICIAN, show_default=True,
              help="Their role in those clinics.")
@click.option("--sso-subject", help="Their subject at the identity provider, when accounts are matched by it.")
@click.option("--no-password", is_flag=True, help="No password: they sign in with single sign-on, or set one "
              "through a link from flask users reset-link.")
@click.option("--password", help=f"At least {accounts.PASSWORD_MIN} characters; asked for (not shown) if not given.")
def create_user(email: str, role: str, clinic_slugs: tuple[str, ...], clinic_role: str, sso_subject: str | None,
                no_password: bool, password: str | None) -> None:
    """Make a clinician account. There is no sign-up page: accounts are made here or on the Accounts page."""
    if password is not None:
        _password_or_none(password, email)
    elif not no_password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True,
                                value_proc=lambda value: _password_or_none(value, email))

    def create():
        clinician = accounts.create(email, role, None if no_password else password)
        clinician.sso_subject = sso_subject or None
        for slug in clinic_slugs:
            clinics.add_member(clinics.by_slug(slug), clinician.email, clinic_role)

    _changing(create)
    joined = f", {clinic_role} in {', '.join(clinic_slugs)}" if clinic_slugs else ""
    click.echo(f"Created {role} account for {email.strip().lower()}{joined}")


@users_cli.command("disable")
@click.option("--email", required=True)
def disable_user(email: str) -> None:
    """Stop an account signing in, and end its sessions now."""
    _changing(lambda: accounts.disable(accounts.by_email(email)))
    click.echo(f"Disabled {email.strip().lower()}; their sessions have ended")


@users_cli.command("enable")
@click.option("--email", required=True)
def enable_user(email: str) -> None:
    """Let a disabled account sign in again, with its password, second factor and clinics as they were."""
    _changing(lambda: accounts.enable(accounts.by_email(email)))
    click.echo(f"Enabled {email.strip().lower()}")


@users_cli.command("set-role")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(ROLES), required=True, help="admin: a service admin.")
def set_role(email: str, role: str) -> None:
    """Make an account a service admin, or a clinician again (its clinics stay as they are)."""
    _changing(lambda: accounts.set_role(accounts.by_email(email), role))
    click.echo(f"{email.strip().lower()} is now {role}")


@users_cli.command("reset-link")
@click.option("--email", required=True)
def reset_link(email: str) -> None:
    """Print a single-use link that lets the account's owner set a new password, for a short time."""
    from .invitations import service_url

    if not current_app.config["SERVICE_URL"]:
        raise click.ClickException("Set SERVICE_URL to the service's public address: the link is made on it")
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    token = _changing(lambda: accounts.issue_reset(accounts.by_email(email), audit.SYSTEM, minutes))
    url = service_url("clinician.reset_password", token=token)
    click.echo(f"Give this link to {email.strip().lower()}. It works once, for {minutes} minutes:\n{url}")


@users_cli.command("remove-second-factor")
@click.option("--email", required=True)
def remove_second_factor(email: str) -> None:
    """For a lost phone with no recovery codes left: the next sign-in sets up a new authenticator (if required)."""
    _changing(lambda: accounts.remove_second_factor(accounts.by_email(email)))
    click.echo(f"Removed the second factor of {email.strip().lower()}; their sessions have ended")


@users_cli.command("list")
def list_users() -> None:
    """Every account: its role, whether it is active, its second factor, and its clinics."""
    query = sa.select(Clinician).order_by(Clinician.email).options(
        selectinload(Clinician.memberships).joinedload(Membership.clinic))
    for clinician in db.session.scalars(query):
        memberships = ", ".join(f"{m.clinic.slug} ({m.role})" for m in clinician.memberships) or "no clinics"
        click.echo(f"{clinician.email}  {clinician.role}  {'active' if clinician.active else 'disabled'}  "
                   f"{'authenticator' if clinician.has_second_factor else 'no second factor'}  {memberships}")


def _age(ctx, param, value: str) -> timedelta:
    match = re.fullmatch(r"(\d+)d", value.strip())
    if not match or int(match[1]) < 1:
        raise click.BadParameter("give a number of days, like 90d")
    return timedelta(days=int(match[1]))


@answers_cli.command("purge")
@click.option("--older-than", "age", required=True, callback=_age,
              help="Like 90d: days since sent, or since the last save if never sent.")
@click.option("--yes", is_flag=True, help="Delete. Without it, only show what would be deleted.")
def purge(age: timedelta, yes: bool) -> None:
    """Delete answer sets (with their PDFs and notes) past the retention period."""
    last_activity = sa.func.coalesce(AnswerSet.submitted_at, AnswerSet.updated_at)
    old = sa.select(AnswerSet.id, AnswerSet.reference).where(last_activity < utcnow() - age)
    found = db.session.execute(old).all()
    days = age.days
    if not yes:
        click.echo(f"Dry run: {len(found)} answer sets are older than {days} days. Add --yes to delete them.")
        return
    for start in range(0, len(found), 500):
        batch = [row.id for row in found[start:start + 500]]
        db.session.execute(sa.delete(AnswerSet).where(AnswerSet.id.in_(batch)))  # PDFs and notes cascade
    audit.record("purged", detail=f"{len(found)} answer sets older than {days} days", actor=audit.SYSTEM)
    db.session.commit()
    click.echo(f"Deleted {len(found)} answer sets older than {days} days.")


def _changing(change):
    """Make a change to accounts or clinics and save it; a change that cannot be made exits saying why."""
    try:
        done = change()
    except (accounts.AccountError, clinics.ClinicError) as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    return done


@clinics_cli.command("create")
@click.option("--slug", required=True, help="A short name for links and commands, like breast-royal.")
@click.option("--name", required=True, help='The team and hospital, like "Breast surgery, Royal Example".')
@click.option("--inbox", default="", help="The team's shared mailbox, told when answers arrive that need action.")
@click.option("--letters", type=click.Choice(tuple(LETTER_LANGUAGES)), default=ENGLISH_LETTERS, show_default=True,
              help="Letters and emails to patients in English (en) or in Welsh and English (cy+en).")
def create_clinic(slug: str, name: str, inbox: str, letters: str) -> None:
    """Make a clinic."""
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) or len(slug) > 60:
        raise click.BadParameter("lower-case letters, numbers and hyphens, like breast-royal", param_hint="--slug")
    _changing(lambda: clinics.create(slug, name.strip(), inbox.strip(), letters))
    click.echo(f"Created clinic {slug}: {name.strip()}")


@clinics_cli.command("set-letters")
@click.option("--clinic", "slug", required=True, help="The clinic's short name.")
@click.option("--letters", type=click.Choice(tuple(LETTER_LANGUAGES)), required=True,
              help="Letters and emails to patients in English (en) or in Welsh and English (cy+en).")
def set_letters(slug: str, letters: str) -> None:
    """Say which languages a clinic's letters and emails to patients are in."""
    _changing(lambda: clinics.set_letters(clinics.by_slug(slug), letters))
    click.echo(f"{slug} writes to patients in {LETTER_WORDS[letters]}")


@clinics_cli.command("list")
def list_clinics() -> None:
    """Every clinic with its members."""
    for clinic in db.session.scalars(sa.select(Clinic).order_by(Clinic.slug)):
        members = ", ".join(f"{m.clinician.email} ({m.role})" for m in clinics.members(clinic)) or "no members"
        click.echo(f"{clinic.slug}  {clinic.name}  inbox: {clinic.inbox or 'none'}  "
                   f"letters: {LETTER_WORDS[clinic.letters]}  {members}")


@clinics_cli.command("add-member")
@click.option("--clinic", "slug", required=True)
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(CLINIC_ROLES), default=CLINICIAN, show_default=True)
def add_member(slug: str, email: str, role: str) -> None:
    """Give an account a role in a clinic (or change the role it has)."""
    _changing(lambda: clinics.add_member(clinics.by_slug(slug), email, role))
    click.echo(f"{email.strip().lower()} is {role} in {slug}")


@clinics_cli.command("remove-member")
@click.option("--clinic", "slug", required=True)
@click.option("--email", required=True)
def remove_member(slug: str, email: str) -> None:
    """Take an account out of a clinic."""
    _changing(lambda: clinics.remove_member(clinics.by_slug(slug), email))
    click.echo(f"{email.strip().lower()} is no longer in {slug}")


@reminders_cli.command("send")
def send_reminders() -> None:
    """Email each reminder that is due, and each clinic alert that failed for now; safe to run every hour on
    every server (each goes once)."""
    from .clinic_alerts import retry_due
    from .reminders import send_due

    sent, failed = send_due()
    failures = f"; {failed} failed (see the delivery log)" if failed else ""
    click.echo(f"Sent {sent} {'reminder' if sent == 1 else 'reminders'}{failures}.")
    alerts_sent, alerts_failed = retry_due()
    if alerts_sent or alerts_failed:  # only when a clinic's alert had failed before: rare, and worth saying
        failures = f"; {alerts_failed} not sent (see the log)" if alerts_failed else ""
        click.echo(f"Sent {alerts_sent} clinic {'alert' if alerts_sent == 1 else 'alerts'} that had failed"
                   f"{failures}.")
    if failed or alerts_failed:
        raise SystemExit(1)


@click.command("demo")
@click.option("--force", is_flag=True, help="Add demo data even though the database holds real submissions.")
@with_appcontext
def demo(force: bool) -> None:
    """Make a demo clinician and a few sent answer sets, and print how to sign in."""
    from .demo import make_demo, real_submissions

    real = real_submissions()
    if real and not force:
        raise click.ClickException(
            f"This database holds {real} real {'submission' if real == 1 else 'submissions'}. Demo data would "
            "sit among them in the staff list and exports. Use an empty database, or add --force.")
    email, password, references = make_demo()
    click.echo(f"Demo submissions: {', '.join(references)}")
    click.echo(f"Sign in at /clinician/sign-in as {email} with password {password}")
    click.echo("It is a service admin's account: at its first sign-in it sets up an authenticator app.")


def init_app(app: Flask) -> None:
    for command in (content_cli, users_cli, answers_cli, clinics_cli, reminders_cli, demo):
        app.cli.add_command(command)
