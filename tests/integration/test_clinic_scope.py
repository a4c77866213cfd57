"""With two clinics, a clinician of one reaches nothing of the other: by no URL, form field or filter."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa

from app.content.versions import versions
from app.extensions import db
from app.invitations import invite, uk_today
from app.models import AnswerSet, Clinic, Membership
from clinician_helpers import sent_answer_sets, sign_in
from publishing import CLINIC_A, CLINIC_B
from support import check_page, text_of

LIVER = "liver-laser-ablation"


@pytest.fixture
def two_clinics(app, make_clinician):
    """A clinic admin of clinic A signed in; a sent set and an invitation in each clinic, appointments tomorrow."""
    tomorrow = uk_today() + timedelta(days=1)
    refs = {}
    for clinic_id in (CLINIC_A, CLINIC_B):
        [sent] = sent_answer_sets(app, 1, datetime(2026, 6, 1, 9), [LIVER], clinic_id=clinic_id)
        with app.app_context():
            db.session.execute(sa.update(AnswerSet).where(AnswerSet.reference == sent)
                               .values(appointment_on=tomorrow, appointment_time=time(9)))
            invitation, _ = invite(db.session.get(Clinic, clinic_id), versions().live_for(LIVER), day=tomorrow,
                                   at=time(11), email="patient@example.net")
            refs[clinic_id] = (sent, invitation.answer_set.reference)
            db.session.commit()
    client = app.test_client()
    assert sign_in(client, *make_clinician(clinic_role="clinic-admin")).status_code == 302
    return client, refs, tomorrow


def test_a_clinician_of_one_clinic_cannot_reach_the_other_by_any_url(app, two_clinics):
    client, refs, tomorrow = two_clinics
    (mine, my_invitation), (theirs, their_invitation) = refs[CLINIC_A], refs[CLINIC_B]
    token = check_page(client.get(f"/clinician/submissions/{mine}")).select_one("input[name=csrf_token]")["value"]
    urls = ("/clinician/submissions/{sent}", "/clinician/submissions/{sent}/summary.pdf",
            "/clinician/submissions/{sent}/fhir", "/clinician/invitations/{invited}",
            "/clinician/invitations/{invited}/letter.pdf", "/clinician/invitations/{invited}/qr.png",
            "/clinician/clinics/{clinic}")
    for url in urls:  # each answers for the clinician's own clinic, so a 404 below is the scope at work
        own = url.format(sent=mine, invited=my_invitation, clinic="breast-royal")
        assert client.get(own).status_code == 200, own
    for url in urls:
        other = url.format(sent=theirs, invited=their_invitation, clinic="liver-general")
        assert client.get(other).status_code == 404, other
    for url in (f"/clinician/submissions/{theirs}/review", f"/clinician/submissions/{theirs}/notes",
                f"/clinician/invitations/{their_invitation}/cancel", f"/clinician/invitations/{their_invitation}/email",
                "/clinician/clinics/liver-general/members"):
        assert client.post(url, data={"csrf_token": token, "text": "x", "email": "a@b.c"}).status_code == 404, url
    with app.app_context():
        theirs_now = db.session.scalar(sa.select(AnswerSet).where(AnswerSet.reference == theirs))
        assert theirs_now.reviewed_at is None and not theirs_now.notes
        assert db.session.scalar(sa.select(sa.func.count(Membership.id)).where(Membership.clinic_id == CLINIC_B)) == 0


def test_filters_and_lists_show_only_the_clinicians_own_clinic(app, two_clinics):
    client, refs, tomorrow = two_clinics
    mine, (theirs, their_invitation) = refs[CLINIC_A][0], refs[CLINIC_B]
    day = tomorrow.isoformat()
    pages = {
        "list": "/clinician/", "list filtered to their clinic": f"/clinician/?clinic={CLINIC_B}",
        "unassigned filter": "/clinician/?clinic=unassigned",
        "search for their reference": f"/clinician/?reference={theirs.removeprefix('PFP-')}",
        "appointments for their clinic": f"/clinician/appointments?clinic={CLINIC_B}&day={day}",
        "invitations for their clinic": f"/clinician/invitations?clinic={CLINIC_B}",
        "metrics for their clinic": f"/clinician/metrics?clinic={CLINIC_B}", "audit": "/clinician/audit",
        "clinics": "/clinician/clinics",
    }
    for name, url in pages.items():
        text = text_of(check_page(client.get(url)))
        assert theirs not in text and their_invitation not in text and "Liver unit" not in text, name
    assert mine in text_of(check_page(client.get("/clinician/")))
    for url in (f"/clinician/export.csv?clinic={CLINIC_B}", "/clinician/export.csv",
                f"/clinician/appointments/print?clinic={CLINIC_B}&day={day}"):
        body = client.get(url).get_data()
        assert theirs.encode() not in body, url
    audit = text_of(check_page(client.get("/clinician/audit")))
    assert mine in audit and theirs not in audit  # the day's print is audited in clinic A alone


def test_a_clinician_in_no_clinic_sees_nothing_and_a_service_admin_sees_both(app, two_clinics, make_clinician):
    (mine, _), (theirs, _) = two_clinics[1][CLINIC_A], two_clinics[1][CLINIC_B]
    nobody = app.test_client()
    assert sign_in(nobody, *make_clinician("new.starter@example.org", clinic_id=None)).status_code == 302
    text = text_of(check_page(nobody.get("/clinician/")))
    assert mine not in text and theirs not in text
    assert nobody.get("/clinician/audit").status_code == 403
    assert nobody.get("/clinician/invitations/new").status_code == 403
    admin = app.test_client()
    assert sign_in(admin, *make_clinician("lead@example.org", role="admin", clinic_id=None)).status_code == 302
    text = text_of(check_page(admin.get("/clinician/")))
    assert mine in text and theirs in text


def test_a_service_admin_moves_an_unassigned_submission_to_a_clinic(app, make_clinician):
    [waiting] = sent_answer_sets(app, 1, datetime(2026, 6, 1, 9), [LIVER], clinic_id=None)
    nurse = app.test_client()
    assert sign_in(nurse, *make_clinician(clinic_id=CLINIC_B)).status_code == 302
    assert nurse.get(f"/clinician/submissions/{waiting}").status_code == 404
    admin = app.test_client()
    assert sign_in(admin, *make_clinician("lead@example.org", role="admin", clinic_id=None)).status_code == 302
    assert waiting in text_of(check_page(admin.get("/clinician/?clinic=unassigned")))
    page = check_page(admin.get(f"/clinician/submissions/{waiting}"))
    token = page.select_one(f"form[action$='{waiting}/clinic'] input[name=csrf_token]")["value"]
    moved = admin.post(f"/clinician/submissions/{waiting}/clinic", data={"csrf_token": token, "clinic": str(CLINIC_B)},
                       follow_redirects=True)
    assert f"{waiting} is now with Liver unit, Example General" in text_of(check_page(moved))
    assert waiting not in text_of(check_page(admin.get("/clinician/?clinic=unassigned")))
    page = check_page(nurse.get(f"/clinician/submissions/{waiting}"))
    assert not page.select(f"form[action$='{waiting}/clinic']")
    token = page.select_one("input[name=csrf_token]")["value"]
    assert nurse.post(f"/clinician/submissions/{waiting}/clinic",
                      data={"csrf_token": token, "clinic": str(CLINIC_A)}).status_code == 403
