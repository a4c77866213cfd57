"""Clinics and their members, from the command line and the clinic page; where self-starters go; the metrics."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa

from app.content.versions import versions
from app.extensions import db
from app.invitations import invite, link, uk_today
from app.models import AnswerSet, Clinic
from clinician_helpers import actions, sent_answer_sets, sign_in
from journey_helpers import start
from publishing import CLINIC_A, CLINIC_B
from support import check_page, text_of

BREAST, LIVER = "breast-interstitial-laser-therapy", "liver-laser-ablation"


def test_clinics_and_members_are_managed_from_the_command_line(app, runner, make_clinician):
    email, password = make_clinician("eye.nurse@example.org", clinic_id=None)
    made = runner.invoke(args=["clinics", "create", "--slug", "eye-north", "--name", "Eye clinic, North Example",
                               "--inbox", "eyes@example.org"])
    assert made.exit_code == 0 and "Created clinic eye-north" in made.output
    bad = runner.invoke(args=["clinics", "create", "--slug", "Eye North", "--name", "Eyes"])
    assert bad.exit_code != 0 and "lower-case letters, numbers and hyphens" in bad.output
    again = runner.invoke(args=["clinics", "create", "--slug", "eye-north", "--name", "Eyes"])
    assert again.exit_code != 0 and "There is already a clinic called eye-north" in again.output
    nobody = runner.invoke(args=["clinics", "add-member", "--clinic", "eye-north", "--email", "who@example.org"])
    assert nobody.exit_code != 0 and "There is no account for who@example.org" in nobody.output

    added = runner.invoke(args=["clinics", "add-member", "--clinic", "eye-north", "--email", "Eye.Nurse@Example.org",
                                "--role", "clinic-admin"])
    assert added.exit_code == 0 and "eye.nurse@example.org is clinic-admin in eye-north" in added.output
    assert "eye.nurse@example.org (clinic-admin)" in runner.invoke(args=["clinics", "list"]).output
    assert "letters: English" in runner.invoke(args=["clinics", "list"]).output
    bilingual = runner.invoke(args=["clinics", "set-letters", "--clinic", "eye-north", "--letters", "cy+en"])
    assert bilingual.exit_code == 0 and "eye-north writes to patients in Welsh and English" in bilingual.output
    assert "letters: Welsh and English" in runner.invoke(args=["clinics", "list"]).output
    nurse = app.test_client()
    assert sign_in(nurse, email, password).status_code == 302
    assert "Eye clinic, North Example" in text_of(check_page(nurse.get("/clinician/clinics/eye-north")))

    removed = runner.invoke(args=["clinics", "remove-member", "--clinic", "eye-north", "--email", email])
    assert removed.exit_code == 0 and "no longer in eye-north" in removed.output
    assert ("eye-north  Eye clinic, North Example  inbox: eyes@example.org  letters: Welsh and English  no members"
            in runner.invoke(args=["clinics", "list"]).output)
    assert nurse.get("/clinician/clinics/eye-north").status_code == 403  # no clinic to manage now
    assert [a for _, a, _ in actions(app) if a.startswith(("clinic", "member"))] == [
        "clinic-created", "member-added", "clinic-changed", "member-removed"]


def test_a_clinic_admin_adds_and_removes_members_on_the_clinic_page(app, make_clinician):
    admin = app.test_client()
    assert sign_in(admin, *make_clinician("lead.nurse@example.org", clinic_role="clinic-admin")).status_code == 302
    colleague, password = make_clinician("new.nurse@example.org", clinic_id=None)
    page = check_page(admin.get("/clinician/clinics/breast-royal"))
    token = page.select_one("form[action$='/members'] input[name=csrf_token]")["value"]
    nobody = {"csrf_token": token, "email": "nobody@example.org", "role": "clinician"}
    refused = check_page(admin.post("/clinician/clinics/breast-royal/members", data=nobody), 400)
    assert "There is no account for nobody@example.org" in text_of(refused.select_one(".nhsuk-error-summary"))
    assert refused.select_one("input[name=email]")["value"] == "nobody@example.org"
    added = admin.post("/clinician/clinics/breast-royal/members",
                       data={"csrf_token": token, "email": colleague, "role": "clinician"}, follow_redirects=True)
    assert "new.nurse@example.org is now a member of Breast surgery, Royal Example" in text_of(check_page(added))

    nurse = app.test_client()
    assert sign_in(nurse, colleague, password).status_code == 302
    assert "Breast surgery, Royal Example" in text_of(check_page(nurse.get("/clinician/appointments")))
    assert nurse.get("/clinician/clinics/breast-royal").status_code == 403  # a clinician, not a clinic admin

    page = check_page(admin.get("/clinician/clinics/breast-royal"))
    [remove] = [f for f in page.select("form[action$='/remove']") if colleague in text_of(f)]
    removed = admin.post(remove["action"], data={"csrf_token": remove.select_one("input[name=csrf_token]")["value"]},
                         follow_redirects=True)
    assert colleague not in text_of(check_page(removed).select_one("main table"))
    assert [(who, action) for who, action, _ in actions(app) if action.startswith("member")] == [
        ("lead.nurse@example.org", "member-added"), ("lead.nurse@example.org", "member-removed")]


@pytest.mark.fresh_app
def test_a_patient_who_starts_alone_goes_to_the_configured_clinic_or_waits_unassigned(app_with):
    app = app_with(SELF_START_CLINICS={LIVER: "liver-general"})
    for slug in (LIVER, BREAST):
        start(app.test_client(), slug)
    with app.app_context():
        placed = dict(db.session.execute(sa.select(AnswerSet.procedure_slug, AnswerSet.clinic_id)).all())
    assert placed == {LIVER: CLINIC_B, BREAST: None}


def test_the_metrics_count_how_far_the_clinics_patients_got(app, client, make_clinician):
    with app.test_request_context():
        clinic, version = db.session.get(Clinic, CLINIC_A), versions().live_for(BREAST)
        links = [link(invite(clinic, version, day=uk_today() + timedelta(days=5), at=time(9))[0]) for _ in range(3)]
    client.get(links[0].removeprefix("http://localhost"))  # one of three opened their link
    sent_answer_sets(app, 2, datetime.now() - timedelta(hours=3), [BREAST])
    [old] = sent_answer_sets(app, 1, datetime.now() - timedelta(days=40), [BREAST])
    sent_answer_sets(app, 1, datetime.now(), [BREAST], clinic_id=CLINIC_B)  # another clinic's
    with app.app_context():
        db.session.execute(sa.update(AnswerSet).where(AnswerSet.reference == old)
                           .values(created_at=datetime.now() - timedelta(days=40)))
        db.session.commit()

    staff = app.test_client()
    assert sign_in(staff, *make_clinician()).status_code == 302
    page = check_page(staff.get("/clinician/metrics"))
    rows = {text_of(r.th): text_of(r.td) for r in page.select("main tbody tr")}
    assert rows == {"Invited": "3", "Opened the link": "1", "Started": "0", "Sent": "2",
                    "Sent before the appointment": "0", "Reviewed before the appointment": "0",
                    "Sent with a SURE score of 3 or less": "0 of 2 (0%)"}
    chart = page.select_one("main svg[role=img]")
    assert text_of(chart.desc).startswith("Invited: 3. Opened the link: 1. Started: 0. Sent: 2.")
