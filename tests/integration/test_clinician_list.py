"""The submissions list: its filters, search, counts and pages, the CSV of what it shows,
and addresses that name nothing."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent
from clinician_helpers import actions, sent_answer_sets
from support import check_page, text_of

pytestmark = pytest.mark.both_databases  # storage: runs on SQLite and PostgreSQL

BREAST = "breast-interstitial-laser-therapy"
LIVER = "liver-laser-ablation"


def test_list_filters_and_pages_through_500_submissions(app, client, signed_in):
    first = datetime(2026, 6, 1, 9, 0)
    references = sent_answer_sets(app, 500, first, [BREAST, LIVER], reviewed_every=5)
    newest_first = references[::-1]

    seen, url = [], "/clinician/"
    while url:
        page = check_page(client.get(url))
        seen += [a.get_text() for a in page.select("table.app-submissions tbody a")]
        older = page.select_one("nav.nhsuk-pagination a[rel=next]")
        url = older["href"] if older else None
    assert seen == newest_first
    assert "500 submissions, 400 not reviewed" in text_of(page)

    # Back again from the last page with "Newer".
    newer = page.select_one("nav.nhsuk-pagination a[rel=prev]")
    back = check_page(client.get(newer["href"]))
    assert [a.get_text() for a in back.select("table.app-submissions tbody a")] == newest_first[450:475]

    page = check_page(client.get(f"/clinician/?procedure={LIVER}&status=reviewed"))
    assert "50 submissions, 0 not reviewed" in text_of(page)
    page = check_page(client.get("/clinician/?status=not-reviewed"))
    assert "400 submissions, 400 not reviewed" in text_of(page)

    # 1 June from 9am UK time (8am UTC): the first 15 hours of UK 1 June hold sets 0 to 14.
    page = check_page(client.get("/clinician/?sent_from[day]=1&sent_from[month]=6&sent_from[year]=2026"
                                 "&sent_to[day]=1&sent_to[month]=6&sent_to[year]=2026"))
    assert [a.get_text() for a in page.select("table.app-submissions tbody a")] == references[:14][::-1]

    typed = references[123].removeprefix("PFP-").lower()
    page = check_page(client.get(f"/clinician/?reference={typed}"))
    assert [a.get_text() for a in page.select("table.app-submissions tbody a")] == [references[123]]


def test_list_counts_up_to_a_thousand_then_says_more_than(app, client, signed_in):
    def counts(url: str) -> str:
        return text_of(check_page(client.get(url)).h1.find_next("p"))

    # The first one reviewed.
    sent_answer_sets(app, 1001, datetime(2026, 6, 1, 9, 0), [BREAST, LIVER], reviewed_every=1001)
    assert counts("/clinician/") == "More than 1,000 submissions, 1,000 not reviewed."
    assert counts("/clinician/?status=not-reviewed") == "1,000 submissions, 1,000 not reviewed."
    assert counts("/clinician/?status=reviewed") == "1 submission, 0 not reviewed."

    sent_answer_sets(app, 1, datetime(2026, 8, 1, 9, 0), [LIVER])
    assert counts("/clinician/") == "More than 1,000 submissions, more than 1,000 not reviewed."


def test_a_backwards_date_range_is_explained(client, signed_in):
    page = check_page(client.get("/clinician/?sent_from[day]=2&sent_from[month]=6&sent_from[year]=2026"
                                 "&sent_to[day]=1&sent_to[month]=6&sent_to[year]=2026"))
    errors = text_of(page.select_one(".nhsuk-error-summary"))
    assert "The last date must be the same as or after the first date" in errors
    assert page.select_one("input[name='sent_to[day]']")["value"] == "1"


@pytest.mark.parametrize("reference", ["PFP-%00AAAA", "PFP-AAAAAA%00", "%00", "PFP-AAAAAAA", "pfp-" + "A" * 300])
def test_an_address_with_no_reference_in_it_finds_nothing(app, client, signed_in, sent, reference):
    """Only a reference's shape reaches the database: PostgreSQL refuses text with a NUL in it."""
    token = check_page(client.get(f"/clinician/submissions/{sent}")).select_one("input[name=csrf_token]")["value"]
    before = actions(app)
    for suffix in ["", "/summary.pdf", "/fhir"]:
        assert client.get(f"/clinician/submissions/{reference}{suffix}").status_code == 404, suffix
    for suffix, form in [("/review", {}), ("/notes", {"text": "Call first"})]:
        response = client.post(f"/clinician/submissions/{reference}{suffix}", data={"csrf_token": token, **form})
        assert response.status_code == 404
    assert actions(app) == before


def test_csv_export_follows_the_filters_and_is_audited(app, client, signed_in):
    references = sent_answer_sets(app, 6, datetime(2026, 6, 1, 9), [BREAST, LIVER])
    response = client.get(f"/clinician/export.csv?procedure={LIVER}")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="submissions-')
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert response.data.startswith("\ufeff".encode())  # so Excel reads it as UTF-8
    assert rows[0][0] == "Reference"
    assert [row[0] for row in rows[1:]] == references[1::2][::-1]
    assert any(action == "exported" and "CSV of 3 submissions" in detail
               for action, detail in _details(app))


def _details(app):
    with app.app_context():
        return [(e.action, e.detail) for e in db.session.scalars(sa.select(AuditEvent))]


def test_list_filters_by_an_interpreter_or_another_format_and_says_what_to_book(app, client, signed_in):
    from app.content.versions import versions
    from app.models import AnswerSet
    from app.summary import support_needs

    references = sent_answer_sets(app, 4, datetime(2026, 6, 1, 9, 0), [LIVER])
    given = {references[0]: {"interpreter": "spoken", "language": "Polish"},
             references[1]: {"interpreter": "bsl", "formats": ["large-print"]},
             references[2]: {"interpreter": "no", "formats": ["braille", "audio"]}}
    with app.app_context():
        for answer_set in db.session.scalars(sa.select(AnswerSet).where(AnswerSet.reference.in_(given))):
            answers = given[answer_set.reference]
            answer_set.save_page("about_you", answers, "v", support_needs(versions().of(answer_set).questionnaire,
                                                                          answers))
        db.session.commit()

    def listed(query: str) -> list[str]:
        return [a.get_text() for a in check_page(client.get(f"/clinician/?{query}")).select(
            "table.app-submissions tbody a")]

    assert listed("needs=interpreter") == [references[1], references[0]]
    assert listed("needs=format") == [references[2], references[1]]
    assert listed("needs=interpreter&needs=format") == [references[1]]
    assert listed("needs=interpreter&status=reviewed") == []
    page = text_of(check_page(client.get("/clinician/")))
    assert "Interpreter: Spoken language: Polish" in page and "Interpreter: British Sign Language (BSL)" in page
    assert "Format: Braille, Audio" in page
