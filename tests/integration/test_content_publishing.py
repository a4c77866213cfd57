"""Publishing a draft from the staff pages: only past the check, only by a service admin, audited; and review dates."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AnswerSet, AuditEvent, ContentVersion
from clinician_helpers import sign_in
from journey_helpers import live, start
from support import check_page, edit, text_of

pytestmark = [pytest.mark.both_databases, pytest.mark.fresh_app]  # storage; each test edits its own files

LIVER = "liver-laser-ablation"
FILE = f"{LIVER}.toml"
VERSIONS = f"/clinician/content/{LIVER}"


@pytest.fixture
def app(make_app, content_dir):
    return make_app(CONTENT_DIR=str(content_dir))


@pytest.fixture
def admin(app, make_clinician):
    client = app.test_client()
    assert sign_in(client, *make_clinician("lead@example.org", role="admin")).status_code == 302
    return client


def draft_a_new_version(content_dir) -> None:
    edit(content_dir, FILE, 'text = "Having fewer hospital appointments afterwards"',
         'text = "Not having many hospital appointments afterwards"')


def publish_form(client) -> dict:
    page = check_page(client.get(VERSIONS))
    form = page.select_one("form[action$='/publish']")
    return {i["name"]: i["value"] for i in form.select("input[type=hidden]")}


def test_an_admin_publishes_a_draft_that_passes_and_the_next_patient_starts_on_it(app, admin, content_dir):
    before = live(app, LIVER)
    draft_a_new_version(content_dir)
    posted = publish_form(admin)
    response = admin.post(f"{VERSIONS}/publish", data=posted)
    assert response.status_code == 302 and response.location == VERSIONS
    page = check_page(admin.get(VERSIONS))
    assert f"Version {posted['version']} is published. Patients who start now see it." in text_of(
        page.select_one(".nhsuk-notification-banner"))
    assert page.select_one("#draft") is None  # the file is what patients see now

    now = live(app, LIVER)
    assert now.version == posted["version"] != before.version
    patient = app.test_client()
    start(patient, LIVER)
    assert "Not having many hospital appointments afterwards" in text_of(check_page(patient.get("/what-matters")))
    with app.app_context():
        assert db.session.scalar(sa.select(AnswerSet.content_version_id)) == now.id
        event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "published")
                                   .order_by(AuditEvent.id.desc())).first()
        assert (event.actor, event.detail) == ("lead@example.org", f"{LIVER} version {now.version}")
        row = db.session.scalar(sa.select(ContentVersion).where(ContentVersion.version == now.version))
        assert row.published_by == "lead@example.org" and len(row.source_sha256) == 64
        assert row.source_document == "nice-liver-laser-ablation-information-for-the-public.txt"
    # The command finds nothing more to publish: the page and the command are one way of publishing.
    assert "already published" in app.test_cli_runner().invoke(args=["content", "publish"]).output


def test_a_draft_changed_since_it_was_looked_at_is_not_published_unseen(app, admin, content_dir):
    draft_a_new_version(content_dir)
    posted = publish_form(admin)
    edit(content_dir, FILE, "You can say no.", "You can say no at any time.")
    admin.post(f"{VERSIONS}/publish", data=posted)
    page = check_page(admin.get(VERSIONS))
    assert "The draft has changed since you looked at it, so we have not published it." in text_of(page)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ContentVersion)) == 2  # the shipped ones


def test_a_draft_that_fails_the_check_is_not_published_whatever_is_posted(app, admin, content_dir):
    draft_a_new_version(content_dir)
    posted = publish_form(admin)
    edit(content_dir, FILE, "review_by = 2027-12-01", "review_by = 2020-01-01")
    with app.app_context():
        from app.content.publishing import check_folder

        posted["version"] = check_folder().file(LIVER).version  # the very version it would be
    admin.post(f"{VERSIONS}/publish", data=posted)
    assert "cannot be published until the problems listed are fixed" in text_of(check_page(admin.get(VERSIONS)))
    assert live(app, LIVER).procedure.what_matters[2].text == "Having fewer hospital appointments afterwards"


def test_only_a_service_admin_can_publish(app, make_clinician, admin, content_dir):
    draft_a_new_version(content_dir)
    posted = publish_form(admin)
    nurse = app.test_client()
    assert sign_in(nurse, *make_clinician()).status_code == 302
    token = check_page(nurse.get("/clinician/")).select_one("#timeout")["data-csrf-token"]  # the nurse's own
    assert nurse.post(f"{VERSIONS}/publish", data={**posted, "csrf_token": token}).status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ContentVersion)) == 2


def test_a_version_past_its_review_date_is_flagged_to_staff_and_still_served(app, make_clinician, clock):
    clock.forward(days=400)  # past 1 December 2027
    visitor = app.test_client()
    assert LIVER in visitor.get("/").get_data(as_text=True)
    assert visitor.get(f"/procedures/{LIVER}").status_code == 200

    nurse = app.test_client()
    assert sign_in(nurse, *make_clinician()).status_code == 302
    flag = text_of(check_page(nurse.get("/clinician/")).select_one("#review-overdue"))
    assert "Laser ablation for liver tumours: due for review by 1 December 2027" in flag
    assert "Tell the person who looks after the service's content" in flag
    admin = app.test_client()
    assert sign_in(admin, *make_clinician("lead@example.org", role="admin")).status_code == 302
    assert "Review overdue" in text_of(check_page(admin.get(VERSIONS)).select_one("table.app-versions"))

    checked = app.test_cli_runner().invoke(args=["content", "check"])
    assert checked.exit_code == 0, checked.output  # the files are what patients see: flagged, not refused
    assert (f"Due for review: {FILE}: review_by: version {live(app, LIVER).version}, which patients see now, was due "
            "for review by 1 December 2027. Patients still see it.") in checked.stderr
