"""Sent answers in the shapes other systems read: CSV for a spreadsheet, FHIR R4 for a patient record.

Both come from the questionnaire of the version each answer set follows.
The views load, authorise and audit; nothing here touches the request or
the database.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from ..content.versions import Version
from ..i18n import in_language
from ..invitations import appointment_at
from ..models import AnswerSet, Clinic
from ..questionnaire import fhir
from ..questionnaire.items import Item
from ..questionnaire.structure import Group, Questionnaire
from ..summary import summarise

# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = " | "
FIRST_COLUMNS = ("Reference", "Procedure", "Status", "Sent", "Reviewed", "Information version",
                 "Information updated since sent", "Answered in")
NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
LAST_COLUMNS = ("Consent points to explain", "Answers to an earlier version")


def submissions_csv(rows: Iterable[tuple[AnswerSet, Version, Version | None]], live: Iterable[Version] = ()) -> str:
    """One row per answer set (with its version and the one patients start on now), safe to open in a spreadsheet.

    The columns are every item of the live versions' questionnaires and of the
    versions the rows follow, so an export with no rows still names them all.
    """
    records = [_record(answer_set, version, now) for answer_set, version, now in rows]
    named = [*(answer_cells(v.questionnaire, {}) for v in live), *records]
    answer_columns = list(dict.fromkeys(name for cells in named for name in cells
                                        if name not in FIRST_COLUMNS and name not in LAST_COLUMNS))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*FIRST_COLUMNS, *answer_columns, *LAST_COLUMNS], restval="")
    writer.writeheader()
    for record in records:
        writer.writerow({name: _spreadsheet_safe(value) for name, value in record.items()})
    return out.getvalue()


def _spreadsheet_safe(value: str) -> str:
    """The cell as text: a leading apostrophe stops patient text running as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _record(answer_set: AnswerSet, version: Version, live: Version | None) -> dict[str, str]:
    summary = summarise(answer_set, version)
    return {
        "Reference": answer_set.reference,
        "Procedure": version.procedure.title,
        "Status": "Reviewed" if answer_set.reviewed else "Not reviewed",
        "Sent": fhir.utc_timestamp(answer_set.submitted_at),
        "Reviewed": fhir.utc_timestamp(answer_set.reviewed_at),
        "Information version": version.version,
        "Information updated since sent": "Yes" if live and live.id != version.id else "No",
        # The language the patient used, "en" or "cy" ("Language" is the interpreter's).
        "Answered in": answer_set.language or "en",
        **answer_cells(version.questionnaire, answer_set.answers),
        "Consent points to explain": LIST_SEPARATOR.join(summary.to_explain),
        "Answers to an earlier version": LIST_SEPARATOR.join(
            f"{e['heading']}: {', '.join(e['lines'])}" for e in summary.earlier),
    }


def answer_cells(questionnaire: Questionnaire, answers: dict) -> dict[str, str]:
    """A cell per item, and one per group (a procedure's own statements share a column, whatever they say)."""
    cells = {}
    for page in questionnaire.pages:
        for part in page.parts:
            if isinstance(part, Group):
                if part.one_row:
                    lines = [line for i in part.items for line in i.lines(answers.get(i.id), answers)]
                else:
                    lines = [f"{i.label}: {' '.join(words)}" for i in part.items
                             if (words := i.lines(answers.get(i.id), answers))]
                cells[part.heading] = LIST_SEPARATOR.join(lines)
            elif isinstance(part, Item):
                cells[part.heading] = part.cell(answers.get(part.id), answers) if part.applies(answers) else ""
    return cells


def questionnaire(version: Version, base_url: str, live: bool, language: str = "en") -> dict:
    """One version's FHIR Questionnaire in one language (its texts read in it); an older one is 'retired'."""
    shown = version.in_language(language)
    with in_language(shown.language):
        return fhir.questionnaire_resource(shown.questionnaire, version.slug, str(shown.procedure.title),
                                           version.version, base_url, status="active" if live else "retired",
                                           language=shown.language)


def questionnaire_response(answer_set: AnswerSet, version: Version, base_url: str,
                           clinic: Clinic | None = None) -> dict:
    """A sent answer set as a FHIR R4 QuestionnaireResponse to the version the patient answered."""
    if not answer_set.submitted:
        raise ValueError(f"Answer set {answer_set.reference} has not been sent, so its answers are not final")
    resource = fhir.response_resource(version.questionnaire, answer_set.answers, reference=answer_set.reference,
                                      slug=version.slug, version=version.version,
                                      authored=answer_set.submitted_at, base_url=base_url,
                                      language=answer_set.language or "en")
    base = base_url.rstrip("/")
    nhs_number = summarise(answer_set, version).nhs_number.replace(" ", "")
    if nhs_number:
        resource["subject"] = {"identifier": {"system": NHS_NUMBER_SYSTEM, "value": nhs_number}}
    # R4's QuestionnaireResponse has no element for the clinic it went to or the
    # appointment it prepares for, so each is an extension under our own base URL.
    extensions = []
    if clinic is not None:
        extensions.append({"url": f"{base}/fhir/StructureDefinition/source-clinic", "valueReference": {
            "identifier": {"system": f"{base}/fhir/clinic", "value": clinic.slug}, "display": clinic.name}})
    starts = appointment_at(answer_set)
    if starts is not None:
        appointment = ({"valueDateTime": starts.isoformat(timespec="seconds")} if answer_set.appointment_time
                       else {"valueDate": answer_set.appointment_on.isoformat()})
        extensions.append({"url": f"{base}/fhir/StructureDefinition/appointment", **appointment})
    if extensions:
        resource["extension"] = extensions
    return resource
