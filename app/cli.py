"""Command-line tasks for content editors and administrators."""

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .content import PROCEDURES_DIR, ContentError, load_catalogue

content_cli = AppGroup("content", help="Check the procedure content files.")


@content_cli.command("check")
def check_content() -> None:
    """Validate every procedure file; exit 1 and list the problems if any."""
    folder = current_app.config["CONTENT_DIR"] or PROCEDURES_DIR
    try:
        catalogue = load_catalogue(folder)
    except ContentError as exc:
        raise click.ClickException(str(exc)) from None
    for procedure in catalogue:
        click.echo(f"ok  {procedure.file_name}  version {procedure.version}  {procedure.title}")
    click.echo(f"{len(catalogue.procedures)} procedures, {len(catalogue.standard_questions)} standard questions: all valid")


def init_app(app: Flask) -> None:
    app.cli.add_command(content_cli)
