"""One form per journey page. Each knows how to fill itself from saved answers
(load) and what it stores (answers), so the views stay thin."""

from __future__ import annotations

from datetime import date
from functools import cache

from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import Length, ValidationError

from ..content import Procedure, Question
from ..journey import SURE_ITEMS
from .fields import NOTE_LIMIT, DateInputField, ServiceForm, choice, limited_text, nhs_number

YES_NO = [("yes", "Yes"), ("no", "No")]
OWN_QUESTION_LIMIT = 10
TOP_QUESTION_LIMIT = 3


class SectionForm(ServiceForm):
    """Every journey page carries the answer set's version, to catch saves from a stale tab."""

    version = HiddenField()

    def load(self, saved: dict) -> None:
        for name, value in saved.items():
            if name in self._fields:
                self._fields[name].data = value

    def answers(self) -> dict:
        return {name: field.data for name, field in self._fields.items() if self._stored(name)}

    def _stored(self, name: str) -> bool:
        return name not in ("version", "csrf_token") and not isinstance(self._fields[name], SubmitField)


class ReadForm(SectionForm):
    """The information pages: Continue records that the patient has read them."""

    def answers(self) -> dict:
        return {"read": True}


class ResumeForm(ServiceForm):
    code = StringField(
        "Your resume code",
        description="It is 8 letters and numbers, like KX7P-93QD. You were given it when you started.",
        validators=[Length(max=40, message="Resume code must be 8 letters and numbers")],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
    )

    def validate_code(self, field):
        if not (field.data or "").strip():
            raise ValidationError("Enter your resume code")


class AboutYouForm(SectionForm):
    name = StringField(
        "Your name (optional)",
        description="We will print it on your summary, so your care team knows it is yours.",
        validators=[Length(max=100, message="Name must be 100 characters or fewer")],
        render_kw={"autocomplete": "name", "spellcheck": "false"},
    )
    nhs_number = StringField(
        "Your NHS number (optional)",
        description="This is a 10 digit number, like 943 476 5919. "
        "You can find it on letters from the NHS or in the NHS App.",
        validators=[nhs_number],
        render_kw={"inputmode": "numeric", "spellcheck": "false"},
    )
    appointment_date = DateInputField(
        "When is your appointment? (optional)",
        description="For example, 15 3 2027",
        thing="appointment date",
    )
    companion = choice(
        "Will someone come with you to the appointment? (optional)",
        [("yes", "Yes"), ("no", "No"), ("not-sure", "I'm not sure yet")],
    )
    interpreter = choice("Do you need an interpreter? (optional)", YES_NO)
    language = StringField(
        "Which language?",
        validators=[Length(max=60, message="Language must be 60 characters or fewer")],
    )
    support_needs = limited_text(
        "Do you need any other support? (optional)",
        "Support needs",
        description="For example, large print, easy read, a hearing loop or wheelchair access. "
        f"You can write up to {NOTE_LIMIT:,} characters.",
    )

    def validate_appointment_date(self, field):
        if field.data and field.data < date.today():
            field.parts_in_error = ("day", "month", "year")
            raise ValidationError("Appointment date must be today or in the future")

    def validate_language(self, field):
        if self.interpreter.data == "yes" and not (field.data or "").strip():
            raise ValidationError("Enter the language you need an interpreter for")

    def load(self, saved: dict) -> None:
        super().load({**saved, "appointment_date": None})
        if saved.get("appointment_date"):
            self.appointment_date.process(None, date.fromisoformat(saved["appointment_date"]))

    def answers(self) -> dict:
        values = super().answers()
        values["appointment_date"] = values["appointment_date"].isoformat() if values["appointment_date"] else None
        if values["interpreter"] != "yes":
            values["language"] = ""
        return values


class OwnQuestionForm(Form):
    text = limited_text("Your question", "Your question", limit=500)


# The per-procedure form classes are made once each (cache): WTForms sorts out
# a new class's fields on its first use, which was a tenth of a page's time.
@cache
def questions_form(questions: tuple[Question, ...]):
    """The Your questions page for one procedure: a tick and a note per suggested question."""

    class QuestionsForm(SectionForm):
        own = FieldList(FormField(OwnQuestionForm), min_entries=1, max_entries=OWN_QUESTION_LIMIT)
        add_another = SubmitField("Add another question")

        def suggested(self):
            return [(q, self[f"ask_{q.id}"], self[f"note_{q.id}"]) for q in questions]

        def load(self, saved: dict) -> None:
            for q in questions:
                if q.id in saved.get("chosen", {}):
                    self[f"ask_{q.id}"].data = True
                    self[f"note_{q.id}"].data = saved["chosen"][q.id]
            own = saved.get("own", [])
            while len(self.own) < len(own):
                self.own.append_entry()
            for entry, text in zip(self.own, own):
                entry.form.text.data = text

        def answers(self) -> dict:
            chosen = {q.id: (self[f"note_{q.id}"].data or "").strip() for q in questions if self[f"ask_{q.id}"].data}
            own = [text for entry in self.own if (text := (entry.form.text.data or "").strip())]
            return {"chosen": chosen, "own": own}

        def validate_own(self, field):
            # FieldList reads no more than max_entries, so an altered page
            # cannot send an 11th. The page hides Add another at the limit; if
            # an old or altered page still sends it, save and continue rather
            # than add an 11th box.
            if len(field.entries) >= OWN_QUESTION_LIMIT:
                self.add_another.data = False

    for q in questions:
        setattr(QuestionsForm, f"ask_{q.id}", BooleanField("I want to ask this"))
        setattr(QuestionsForm, f"note_{q.id}", limited_text("Your note (optional)", "Your note"))
    return QuestionsForm


class TopQuestionsForm(SectionForm):
    """Choices are the questions the patient chose; the view sets them."""

    top = SelectMultipleField("Which questions matter most to you?", validate_choice=False)

    def validate_top(self, field):
        offered = {c.value for c in field.choices}
        field.data = [key for key in field.data or [] if key in offered]
        if len(field.data) > TOP_QUESTION_LIMIT:
            raise ValidationError(f"Choose up to {TOP_QUESTION_LIMIT} questions")


@cache
def what_matters_form(procedure: Procedure):
    class WhatMattersForm(SectionForm):
        views = limited_text(
            "Your views and concerns (optional)",
            "Your views and concerns",
            description=f"Anything you want your care team to know. You can write up to {NOTE_LIMIT:,} characters.",
        )

        def statements(self):
            return [(s, self[f"rate_{s.id}"]) for s in procedure.what_matters]

        def load(self, saved: dict) -> None:
            for statement_id, rating in saved.get("ratings", {}).items():
                if f"rate_{statement_id}" in self._fields:
                    self[f"rate_{statement_id}"].data = rating
            self.views.data = saved.get("views", "")

        def answers(self) -> dict:
            return {
                "ratings": {s.id: self[f"rate_{s.id}"].data for s in procedure.what_matters},
                "views": (self.views.data or "").strip(),
            }

    ratings = [("not", "Not important"), ("quite", "Quite important"), ("very", "Very important")]
    for statement in procedure.what_matters:
        rating = choice(statement.text, ratings, "how important this is to you")
        setattr(WhatMattersForm, f"rate_{statement.id}", rating)
    return WhatMattersForm


@cache
def consent_form(procedure: Procedure):
    class ConsentForm(SectionForm):
        def points(self):
            return [(p, self[f"point_{p.id}"]) for p in procedure.consent_points]

        def load(self, saved: dict) -> None:
            for point_id, value in saved.get("points", {}).items():
                if f"point_{point_id}" in self._fields:
                    self[f"point_{point_id}"].data = value

        def answers(self) -> dict:
            return {"points": {p.id: self[f"point_{p.id}"].data for p in procedure.consent_points}}

    understanding = [("understand", "I understand"), ("explain", "I'd like this explained")]
    for point in procedure.consent_points:
        setattr(ConsentForm, f"point_{point.id}", choice(point.text, understanding, "whether you understand this"))
    return ConsentForm


class WhereYouAreForm(SectionForm):
    leaning = choice(
        "Which way are you leaning at the moment?",
        [("have", "I'm leaning towards having it"), ("not-have", "I'm leaning towards not having it"),
         ("not-sure", "I'm not sure yet")],
        "which way you are leaning, or I'm not sure yet",
    )
    role = choice(
        "How would you like the decision to be made?",
        [("myself", "I want to decide myself"), ("together", "I want to decide together with my clinician"),
         ("clinician", "I want my clinician to decide")],
        "how you would like the decision to be made",
    )
    sure_sure = choice(SURE_ITEMS[0][1], YES_NO, "yes or no")
    sure_understand = choice(SURE_ITEMS[1][1], YES_NO, "yes or no")
    sure_risk_benefit = choice(SURE_ITEMS[2][1], YES_NO, "yes or no")
    sure_encouragement = choice(SURE_ITEMS[3][1], YES_NO, "yes or no")

    def sure_fields(self):
        return [self[f"sure_{key}"] for key, _ in SURE_ITEMS]

    def load(self, saved: dict) -> None:
        self.leaning.data = saved.get("leaning")
        self.role.data = saved.get("role")
        for key, _ in SURE_ITEMS:
            self[f"sure_{key}"].data = saved.get("sure", {}).get(key)

    def answers(self) -> dict:
        return {
            "leaning": self.leaning.data,
            "role": self.role.data,
            "sure": {key: self[f"sure_{key}"].data for key, _ in SURE_ITEMS},
        }


class SubmitForm(SectionForm):
    pass
