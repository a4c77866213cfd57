"""A summary is rendered once, stored and served as stored: later content edits never change it,
and a failed render saves nothing."""

from __future__ import annotations

import hashlib

import pytest

from app import pdf
from app.models import IN_PROGRESS
from journey_helpers import complete_all_sections, live, only_answer_set, send_and_download, start, submit
from support import SESSION_COOKIE, check_page, edit

pytestmark = pytest.mark.both_databases  # storage: runs on SQLite and PostgreSQL

BREAST = "breast-interstitial-laser-therapy"
LIVER = "liver-laser-ablation"


def test_stored_bytes_are_served_on_every_download(app, client):
    start(client, LIVER)
    complete_all_sections(client, LIVER, app)
    first = send_and_download(client)
    second = client.get("/summary.pdf")
    assert second.data == first
    answer_set = only_answer_set(app)
    assert hashlib.sha256(first).hexdigest() == answer_set.summary_pdf.sha256
    assert answer_set.summary_pdf.content_version == live(app, LIVER).version
    assert second.headers["Content-Type"] == "application/pdf"
    disposition = f'attachment; filename="procedure-summary-{answer_set.reference}.pdf"'
    assert second.headers["Content-Disposition"] == disposition
    assert second.headers["Cache-Control"] == "no-store"


def test_publishing_a_new_version_later_never_changes_a_summary_already_sent(content_dir, make_app):
    app = make_app(CONTENT_DIR=str(content_dir))
    client = app.test_client()
    start(client, LIVER)
    complete_all_sections(client, LIVER, app)
    original = send_and_download(client)
    old_title = live(app, LIVER).procedure.title

    edit(content_dir, f"{LIVER}.toml", f'title = "{old_title}"', 'title = "A renamed procedure"')
    assert app.test_cli_runner().invoke(args=["content", "publish"]).exit_code == 0
    restarted = make_app(CONTENT_DIR=str(content_dir))  # another server, or the same one restarted
    assert live(restarted, LIVER).procedure.title == "A renamed procedure"
    reader = restarted.test_client()
    reader.set_cookie(SESSION_COOKIE, client.get_cookie(SESSION_COOKIE).value)
    assert reader.get("/summary.pdf").data == original
    page = reader.get("/summary").get_data(as_text=True)
    assert old_title in page and "A renamed procedure" not in page  # the words the patient saw


def test_resume_link_opens_the_summary_on_another_device(app, client):
    start(client, BREAST)
    link = check_page(client.get("/your-code")).select_one(".app-resume-link").get_text(strip=True)
    complete_all_sections(client, BREAST, app)
    original = send_and_download(client)

    phone = app.test_client()
    assert phone.get(link).status_code == 302
    assert phone.get("/summary.pdf").data == original


def test_a_render_that_fetches_outside_static_stops_and_keeps_the_answers(app, client, monkeypatch):
    start(client, LIVER)
    complete_all_sections(client, LIVER, app)
    real = pdf.render_summary_html
    monkeypatch.setattr(pdf, "render_summary_html",
                        lambda *args: real(*args).replace("</body>", '<img src="file:///etc/passwd" alt=""></body>'))
    page = check_page(submit(client, "/check-answers", status=200))
    assert "we could not make your summary" in page.select_one(".nhsuk-notification-banner").get_text()
    answer_set = only_answer_set(app)
    assert answer_set.status == IN_PROGRESS and answer_set.summary_pdf is None
    assert answer_set.answers["name"] == "Ann Example"
