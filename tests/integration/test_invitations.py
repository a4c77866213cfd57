"""Staff invite a patient; the email, the letter and the QR code carry the link; the patient opens it and sends."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from app.extensions import db
from app.invitations import uk_today
from app.models import AnswerSet, AuditEvent, EmailDelivery, Invitation
from app.templating import UK
from clinician_helpers import actions, assert_no_clinical_details, invite, mail_settings, reminders_sent, sign_in
from journey_helpers import live, section_answers, start, submit
from support import ROOT, check_page, text_of

BREAST = "breast-interstitial-laser-therapy"
ARTIFACTS = ROOT / "test-artifacts" / "pdf"


def link_in(body: str) -> str:
    return re.search(r"https://prepare\.example/\S+", body)[0]


@pytest.fixture
def mailing_app(app_with, smtp_server):
    return app_with(**mail_settings(smtp_server))


def staff(app, make_clinician, email="nurse@example.org", **kwargs):
    client = app.test_client()
    assert sign_in(client, *make_clinician(email, **kwargs)).status_code == 302
    return client


def appointment(days: int = 3, at: time = time(10, 30)) -> datetime:
    return datetime.combine(uk_today() + timedelta(days=days), at)


@pytest.mark.fresh_app
def test_an_invited_patient_opens_the_email_link_finishes_and_shows_in_their_clinic_only(
        mailing_app, smtp_server, make_clinician):
    app = mailing_app
    nurse = staff(app, make_clinician)
    other_clinic = staff(app, make_clinician, "liver.nurse@example.org", clinic_id=2)
    response = invite(nurse, appointment(days=2), name="Ann Example", nhs_number="943 476 5919",
                      email="ann@example.net")
    [email] = smtp_server.wait_for(1)
    assert email.recipients == ["ann@example.net"]
    assert_no_clinical_details(email.message)
    with app.app_context():
        reference = db.session.scalar(sa.select(AnswerSet.reference))
    assert response.location.endswith(f"/clinician/invitations/{reference}")
    assert reference in email.message.get_content()

    patient = app.test_client()  # a fresh browser, on the patient's phone
    opened = patient.get(link_in(email.message.get_content()).removeprefix("https://prepare.example"))
    assert opened.location.endswith("/your-code")
    about = check_page(patient.get("/about-you"))
    assert about.select_one("input[name=name]")["value"] == "Ann Example"  # filled in, theirs to correct
    assert about.select_one("input[name=nhs_number]")["value"] == "943 476 5919"
    for url, data in section_answers(live(app, BREAST)):
        submit(patient, url, data, status=302)

    with app.app_context():  # the invitation was made yesterday; the appointment is the day after tomorrow
        invitation = db.session.scalar(sa.select(Invitation))
        invitation.created_at -= timedelta(hours=21)
        db.session.commit()
    assert reminders_sent(app) == "Sent 1 reminder."  # not sent yet: reminded once
    [_, reminder] = smtp_server.wait_for(2)
    assert reminder.recipients == ["ann@example.net"] and reference in reminder.message.get_content()
    assert_no_clinical_details(reminder.message)
    assert reminders_sent(app) == "Sent 0 reminders."

    submit(patient, "/check-answers", status=302)
    [_, _, alert] = smtp_server.wait_for(3)  # they need an interpreter: the clinic's inbox is told
    assert alert.recipients == ["breast-royal@example.org"] and reference in alert.message["Subject"]
    assert_no_clinical_details(alert.message)

    appointments = check_page(nurse.get("/clinician/appointments"))
    [row] = appointments.select("main tbody tr")
    assert [text_of(cell.find("span", recursive=False, class_=False)) for cell in row.select("td")] == [
        "10:30am", f"{reference}Ann Example Laser therapy for breast cancer", "Sent",
        "SURE 3 of 4: may want more supportInterpreter: Spoken language: WelshFormat: Large print"
        "Other support: A hearing loop, please"]
    day = nurse.get(appointments.select_one("main a[href*='/appointments/print']")["href"])
    assert day.content_type == "application/pdf" and reference in pdf_text(day.data)
    assert [(action, ref) for _, action, ref in actions(app) if action.startswith("printed")] == [
        ("printed", reference), ("printed-day", None)]

    fhir = nurse.get(f"/clinician/submissions/{reference}/fhir").get_json()
    QuestionnaireResponse.model_validate(fhir)
    assert fhir["subject"]["identifier"]["value"] == "9434765919"
    extensions = {e["url"].rsplit("/", 1)[1]: e for e in fhir["extension"]}
    assert extensions["source-clinic"]["valueReference"]["identifier"]["value"] == "breast-royal"
    assert extensions["source-clinic"]["valueReference"]["display"] == "Breast surgery, Royal Example"
    assert extensions["appointment"]["valueDateTime"] == appointment(days=2).replace(tzinfo=UK).isoformat()
    assert reference in text_of(check_page(nurse.get("/clinician/")))
    assert "Sent" in text_of(check_page(nurse.get("/clinician/invitations")))
    for page in ("/clinician/", "/clinician/appointments", "/clinician/invitations"):
        assert reference not in other_clinic.get(page).get_data(as_text=True)
    assert other_clinic.get(f"/clinician/submissions/{reference}").status_code == 404
    assert reminders_sent(app) == "Sent 0 reminders."  # sent: no reminder
    assert len(smtp_server.messages) == 3


def test_the_letter_and_qr_codes_carry_the_link(app, make_clinician, tmp_path):
    nurse = staff(app, make_clinician)
    invite(nurse, appointment(at=time(14, 30)), name="Ann Example")
    with app.app_context():
        reference = db.session.scalar(sa.select(AnswerSet.reference))
    page = check_page(nurse.get(f"/clinician/invitations/{reference}"))
    link = page.select_one(".app-resume-link a")["href"]
    assert "/invitation/" in link and page.select_one(".app-qr svg")

    letter = nurse.get(f"/clinician/invitations/{reference}/letter.pdf")
    assert letter.content_type == "application/pdf"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf_path = ARTIFACTS / "invitation-letter.pdf"
    pdf_path.write_bytes(letter.data)
    text = " ".join(subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Dear Ann Example" in text and "2:30pm" in text and reference in text and "not a consent form" in text
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf_path),
                    str(ARTIFACTS / "invitation-letter")], check=True)
    assert subprocess.run(["pdfinfo", str(pdf_path)], capture_output=True, text=True).stdout.count("Pages:") == 1
    assert decoded(ARTIFACTS / "invitation-letter.png") == link

    png = tmp_path / "qr.png"
    png.write_bytes(nurse.get(f"/clinician/invitations/{reference}/qr.png").data)
    assert decoded(png) == link
    svg = nurse.get(f"/clinician/invitations/{reference}/qr.svg")
    assert svg.content_type == "image/svg+xml" and svg.data.startswith(b"<svg")


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def decoded(image: Path) -> str:
    """What a phone's camera reads from the QR code in the picture (zbarimg, from Debian's zbar-tools)."""
    return subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_bad_invitation_input_is_explained_and_kept(app, make_clinician):
    nurse = staff(app, make_clinician)
    past = datetime.combine(uk_today() - timedelta(days=1), time(9))
    response = invite(nurse, past, status=400, appointment_time="25:00", nhs_number="123", email="ann at home",
                      name="Ann Example", procedure="")
    page = check_page(response, 400)
    errors = [a.get_text(strip=True) for a in page.select(".nhsuk-error-summary a")]
    assert errors == ["Select the procedure", "The appointment date must be today or in the future",
                      "Enter a real time, like 14:30 or 2:30pm",
                      "NHS number must be 10 digits",
                      "Enter an email address like name@example.com"]
    assert page.select_one("input[name=name]")["value"] == "Ann Example"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0


def test_a_cancelled_invitation_link_stops_working(app, make_clinician):
    nurse = staff(app, make_clinician)
    invite(nurse, appointment())
    with app.app_context():
        reference = db.session.scalar(sa.select(AnswerSet.reference))
    page = check_page(nurse.get(f"/clinician/invitations/{reference}"))
    link = page.select_one(".app-resume-link a")["href"]
    token = page.select_one(f"form[action$='{reference}/cancel'] input[name=csrf_token]")["value"]
    assert nurse.post(f"/clinician/invitations/{reference}/cancel", data={"csrf_token": token}).status_code == 302
    closed = check_page(app.test_client().get(link.removeprefix("http://localhost")), 410)
    assert "cancelled this invitation" in text_of(closed)
    assert "Cancelled" in text_of(check_page(nurse.get("/clinician/invitations")))


def test_a_second_open_resumes_where_the_patient_left_off(app, make_clinician):
    nurse = staff(app, make_clinician)
    invite(nurse, appointment())
    with app.app_context():
        reference = db.session.scalar(sa.select(AnswerSet.reference))
    link = check_page(nurse.get(f"/clinician/invitations/{reference}")).select_one(".app-resume-link a")["href"]
    path = link.removeprefix("http://localhost")
    phone = app.test_client()
    assert phone.get(path).location.endswith("/your-code")
    code = check_page(phone.get("/your-code")).select_one(".app-resume-code").get_text(strip=True)
    submit(phone, "/about-you", {"name": "Ann Example", "companion": "no", "interpreter": "no"}, status=302)
    laptop = app.test_client()
    assert laptop.get(path).location.endswith("/tasks")  # no new code the second time: the first still works
    assert "In progress" in text_of(check_page(nurse.get("/clinician/invitations")))
    assert code in text_of(check_page(phone.get("/tasks")))


@pytest.mark.fresh_app
@pytest.mark.parametrize("smtp_server", [{"starttls": True, "auth": True}], indirect=True)
def test_a_refused_email_shows_in_the_delivery_log_with_the_servers_reason(app_with, smtp_server, make_clinician):
    app = app_with(**mail_settings(smtp_server, MAIL_STARTTLS=True, MAIL_CA_FILE=str(smtp_server.certificate),
                                   MAIL_USERNAME=smtp_server.username, MAIL_PASSWORD=smtp_server.password))
    nurse = staff(app, make_clinician)
    smtp_server.refuse_next(550, "Mailbox unavailable")
    invite(nurse, appointment(), email="ann@example.net")
    with app.app_context():
        reference = db.session.scalar(sa.select(AnswerSet.reference))
    page = check_page(nurse.get(f"/clinician/invitations/{reference}"))
    assert "Failed 550 Mailbox unavailable" in text_of(page.select_one("#deliveries").find_next("table"))
    token = page.select_one(f"form[action$='{reference}/email'] input[name=csrf_token]")["value"]
    nurse.post(f"/clinician/invitations/{reference}/email", data={"csrf_token": token})
    [email] = smtp_server.wait_for(1)  # through STARTTLS and AUTH this time
    assert email.recipients == ["ann@example.net"]
    with app.app_context():
        assert [d.status for d in db.session.scalars(sa.select(EmailDelivery).order_by(EmailDelivery.id))] == [
            "failed", "sent"]


@pytest.mark.fresh_app
def test_email_me_my_link_sends_the_link_and_nothing_else(app_with, smtp_server):
    app = app_with(**mail_settings(smtp_server))
    patient = app.test_client()
    start(patient, BREAST)
    page = check_page(patient.get("/your-code"))
    link = page.select_one(".app-resume-link a")["href"]
    token = page.select_one("form[action='/your-code/email'] input[name=csrf_token]")["value"]
    refused = check_page(patient.post("/your-code/email", data={"csrf_token": token, "email": "not an address"}), 400)
    assert refused.select_one(".nhsuk-error-summary a").get_text(strip=True) == (
        "Enter an email address like name@example.com")
    assert refused.select_one("input[name=email]")["value"] == "not an address"
    response = patient.post("/your-code/email", data={"csrf_token": token, "email": "ann@example.net"},
                            follow_redirects=True)
    assert "We have sent your link to ann@example.net" in text_of(check_page(response))
    [email] = smtp_server.wait_for(1)
    assert link in email.message.get_content()
    assert_no_clinical_details(email.message)


def write_in_welsh_and_english(app, make_clinician):
    """A clinic admin sets the clinic's letters to Welsh and English on its page; returns them signed in."""
    admin = staff(app, make_clinician, "sister@example.org", clinic_role="clinic-admin")
    page = check_page(admin.get("/clinician/clinics/breast-royal"))
    assert "Letters and emails to patients in English." in text_of(page.main)
    form = page.select_one("form[action$='/letters']")
    assert [text_of(label) for label in form.select("label")] == ["English", "Welsh and English (Welsh first)"]
    saved = admin.post(form["action"], data={"csrf_token": form.select_one("[name=csrf_token]")["value"],
                                             "letters": "cy+en"}, follow_redirects=True)
    page = check_page(saved)
    assert "Letters and emails to patients in Welsh and English." in text_of(page.main)
    assert page.select_one("input[name=letters][value='cy+en']").has_attr("checked")
    assert ("clinic-changed", "Welsh and English") in [(action, detail.split(", now ")[1].split(" (")[0])
                                                       for action, detail in audit_details(app)]
    return admin


def audit_details(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(e.action, e.detail) for e in db.session.scalars(sa.select(AuditEvent)) if ", now " in e.detail]


@pytest.mark.both_databases
@pytest.mark.fresh_app
def test_a_clinic_that_writes_in_welsh_and_english_sends_a_bilingual_invitation_welsh_first(
        mailing_app, smtp_server, make_clinician):
    admin = write_in_welsh_and_english(mailing_app, make_clinician)
    invite(admin, appointment(days=5), name="Ann Example", email="ann@example.net")
    [email] = smtp_server.wait_for(1)
    message = email.message
    assert_no_clinical_details(message)
    assert message["Subject"] == "Paratowch ar gyfer eich apwyntiad ysbyty / Get ready for your hospital appointment"
    assert message["Content-Language"] == "cy, en"
    text = message.get_body(("plain",)).get_content()
    welsh, english = text.index("Mae eich tîm gofal wedi gofyn"), text.index("Your care team has asked you")
    assert welsh < english  # Welsh first
    with mailing_app.app_context():
        reference = db.session.scalar(sa.select(AnswerSet.reference))
    assert text.count(reference) == 2 and len(set(re.findall(r"https://prepare\.example/\S+", text))) == 1
    html = BeautifulSoup(message.get_body(("html",)).get_content(), "html.parser")
    assert html.html["lang"] == "cy"
    halves = html.select("body > div[lang]")
    assert [half["lang"] for half in halves] == ["cy", "en"]
    assert "Mae eich tîm gofal wedi gofyn" in text_of(halves[0]) and "Your care team has asked" in text_of(halves[1])
    assert all(reference in text_of(half) for half in halves)


@pytest.mark.both_databases
def test_a_bilingual_clinics_letter_has_a_welsh_page_then_an_english_one(app, make_clinician):
    admin = write_in_welsh_and_english(app, make_clinician)
    invite(admin, appointment(at=time(14, 30)), name="Ann Example")
    with app.app_context():
        reference = db.session.scalar(sa.select(AnswerSet.reference))
    link = check_page(admin.get(f"/clinician/invitations/{reference}")).select_one(".app-resume-link a")["href"]
    letter = admin.get(f"/clinician/invitations/{reference}/letter.pdf")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf_path = ARTIFACTS / "invitation-letter-bilingual.pdf"
    pdf_path.write_bytes(letter.data)
    pages = [" ".join(subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf_path), "-"],
                                     capture_output=True, text=True, check=True).stdout.split()) for n in (1, 2)]
    info = subprocess.run(["pdfinfo", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+2\b", info)
    welsh, english = pages
    assert "Paratoi ar gyfer eich apwyntiad" in welsh and "Annwyl Ann Example" in welsh
    assert "Therapi laser interstitaidd ar gyfer canser y fron" in welsh and "2:30yh" in welsh
    assert "Nid ffurflen ganiatâd yw hon" in welsh and "Tudalen 1 o 2" in welsh and "Get ready" not in welsh
    assert "Get ready for your appointment" in english and "Dear Ann Example" in english and "2:30pm" in english
    assert "Paratoi" not in english and "Page 2 of 2" in english and "Tudalen" not in english
    assert reference in welsh and reference in english
    for n in (1, 2):  # each page's QR code carries the link
        subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", str(n), "-l", str(n), "-singlefile", str(pdf_path),
                        str(ARTIFACTS / f"invitation-letter-bilingual-{n}")], check=True)
        assert decoded(ARTIFACTS / f"invitation-letter-bilingual-{n}.png") == link
