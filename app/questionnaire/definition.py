"""The questionnaire, defined once for every procedure.

Sections in journey order, their pages, and on each page its items and the
things to read. Forms, the router, statuses, check answers, the summary, the
CSV and FHIR are all built from this. To add a question, add an item here.
"""

from __future__ import annotations

from ..i18n import lazy_gettext as _l
from .choices import COMPANION, DECISION_ROLE, FORMATS, IMPORTANCE, INTERPRETER, LEANING, UNDERSTANDING, YES_NO
from .items import Ask, Computed, Date, LongText, Multiple, NhsNumber, OwnQuestions, PickTop, Read, Single, Text
from .structure import Block, Definition, Each, Glance, Heading, Page, Section

# The SURE test (Légaré F et al. 2010, Can Fam Physician 56:e308-14), in its published wording.
SURE_ITEMS = (
    ("sure_sure", _l("Do you feel SURE about the best choice for you?")),
    ("sure_understand", _l("Do you know the benefits and risks of each option?")),
    ("sure_risk_benefit", _l("Are you clear about which benefits and risks matter most to you?")),
    ("sure_encouragement", _l("Do you have enough support and advice to make a choice?")),
)
SURE_NEEDS_SUPPORT_AT_OR_BELOW = 3
# Credited wherever the SURE test is shown to the patient.
SURE_CREDIT = _l("The SURE test is from Légaré F and others, “Are you SURE?”, Canadian Family Physician, 2010, "
                  "volume 56, pages e308 to e314.")


def sure_score(answers: dict) -> int | None:
    """0 to 4, one point for each "yes"; None until all four are answered."""
    values = [answers.get(key) for key, _ in SURE_ITEMS]
    if any(value not in ("yes", "no") for value in values):
        return None
    return values.count("yes")


def needs_more_support(score: int | None) -> bool:
    return score is not None and score <= SURE_NEEDS_SUPPORT_AT_OR_BELOW


def _ask(question) -> Ask:
    return Ask(f"ask_{question.id}", question.text)


def _rating(statement) -> Single:
    return Single(f"rate_{statement.id}", statement.text, choices=IMPORTANCE,
                  required=_l("Select how important '%(statement)s' is to you", statement=statement.text))


def _understanding(point) -> Single:
    return Single(f"point_{point.id}", point.text, choices=UNDERSTANDING,
                  required=_l("Select whether you understand '%(point)s'", point=point.text))


def _sure(item_id: str, text) -> Single:
    return Single(item_id, text, choices=YES_NO, inline=True,
                  required=_l("Select yes or no for '%(question)s'", question=text))


ABOUT_YOU = Section("about_you", _l("About you"), optional=True, pages=(Page(
    "about_you", "/about-you", _l("About you"),
    intro=(_l("All of these questions are optional. "
              "Your answers help your care team get ready for your appointment."),),
    parts=(
        Text("name", _l("Your name (optional)"), _l("Name"), thing=_l("Name"), limit=100, width=0,
             autocomplete="name", spellcheck=False,
             hint=_l("We will print it on your summary, so your care team knows it is yours.")),
        NhsNumber("nhs_number", _l("Your NHS number (optional)"), _l("NHS number"),
                  hint=_l("This is a 10 digit number, like 943 476 5919. You can find it on letters from the NHS "
                          "or in the NHS App.")),
        Date("appointment_date", _l("When is your appointment? (optional)"), _l("Appointment date"),
             hint=_l("For example, 15 3 2027"), thing=_l("appointment date"), future=True),
        Single("companion", _l("Will someone come with you to the appointment? (optional)"),
               _l("Someone coming with you"), choices=COMPANION),
        # Support a clinic books before the day, as the NHS Accessible Information Standard asks.
        Single("interpreter", _l("Do you need an interpreter? (optional)"), _l("Interpreter"),
               choices=INTERPRETER),
        Text("language", _l("If you need a spoken language interpreter, which language?"), _l("Language"),
             thing=_l("Language"), limit=60, shown_when=("interpreter", "spoken"),
             required=_l("Enter the language you need an interpreter for")),
        Multiple("formats", _l("Do you need information in another format? (optional)"),
                 _l("Information in another format"), choices=FORMATS, hint=_l("Choose all that you need.")),
        LongText("support_needs", _l("Do you need any other support? (optional)"), _l("Other support"),
                 thing=_l("Support needs"),
                 hint=_l("For example, a hearing loop, wheelchair access or help to fill in forms. "
                         "You can write up to 1,000 characters.")),
    ),
),))

ABOUT_PROCEDURE = Section("about_procedure", _l("About the procedure"), pages=(Page(
    "about_procedure", "/about-the-procedure", _l("About the procedure"), button=_l("I have read this – continue"),
    parts=(Block("procedure_overview"), Block("not_consent"),
           Read("read_procedure", _l("I have read about the procedure"))),
),))

BENEFITS_RISKS = Section("benefits_risks", _l("Benefits and risks"), pages=(Page(
    "benefits_risks", "/benefits-and-risks", _l("Benefits, risks and what is not known"),
    button=_l("I have read this – continue"),
    parts=(Block("benefits"), Read("read_benefits_risks", _l("I have read about the benefits and risks"))),
),))

QUESTIONS = Section("questions", _l("Your questions"), pages=(
    Page("questions", "/questions", _l("Your questions"), then="top_questions",
         intro=(_l("Tick the questions you want to ask at your appointment. You can add a note to each one, "
                   "up to 1,000 characters. If you write a note, we add the question to your list."),),
         parts=(
             Each("all_questions", _ask, _l("Questions you want to ask"), one_row=True),
             OwnQuestions("own", _l("Your own questions"), limit=10,
                          hint=_l("You can add up to 10 questions of your own, up to 500 characters each.")),
         )),
    Page("top_questions", "/questions/most-important", _l("Which questions matter most to you?"),
         question_is_heading=True, parts=(
        PickTop("top", _l("Which questions matter most to you?"), _l("The questions that matter most"), limit=3,
                own="own", hint=_l("Choose up to 3. We will put them first on your summary, so they get asked.")),
    )),
))

# Ottawa's Personal Decision Guide for Two: the person coming with the patient has their own
# say, on their own page, kept apart from the patient's answers and marked as theirs.
COMPANION_PAGE = Section(
    "person_with_you", _l("For the person coming with you"), optional=True,
    answered_by=_l("The person coming to the appointment with the patient"),
    pages=(Page(
        "person_with_you", "/the-person-coming-with-you", _l("For the person coming with you"),
        shown_when=("companion", "yes"),
        intro=(_l("This page is for the person who is coming to the appointment with you. They can add questions "
                  "of their own and say what worries them."),
               _l("We keep their answers apart from yours. Your care team will see that they are theirs.")),
        parts=(
            OwnQuestions("companion_questions", _l("Their questions"),
                         _l("Questions from the person coming with you"), limit=10, entry_label=_l("Their question"),
                         hint=_l("They can add up to 10 questions, up to 500 characters each.")),
            LongText("companion_worries", _l("What worries them? (optional)"),
                     _l("What worries the person coming with you"), thing=_l("What worries them"),
                     hint=_l("Anything they want your care team to know. They can write up to 1,000 characters.")),
        ),
    ),),
)

WHAT_MATTERS = Section("what_matters", _l("What matters to you"), pages=(Page(
    "what_matters", "/what-matters", _l("What matters to you"),
    intro=(_l("There are no right or wrong answers. Say how important each thing is to you."),),
    parts=(
        Each("what_matters", _rating, _l("What matters")),
        LongText("views", _l("Your views and concerns (optional)"), _l("Your views and concerns"),
                 thing=_l("Your views and concerns"),
                 hint=_l("Anything you want your care team to know. You can write up to 1,000 characters.")),
    ),
),))

CONSENT = Section("consent", _l("Consent information"), pages=(Page(
    "consent", "/consent", _l("Consent information"),
    intro=(_l("Before you decide, your care team should make sure you understand these things. "
              "Tell us which ones you would like explained at your appointment."),),
    parts=(Each("all_consent_points", _understanding, _l("Consent points")), Block("you_can_say_no"),
           Block("not_consent")),
),))

WHERE_YOU_ARE = Section("where_you_are", _l("Where you are now"), pages=(Page(
    "where_you_are", "/where-you-are", _l("Where you are now"),
    intro=(_l("It is fine not to have decided yet. Your answers help your care team know how to support you."),),
    parts=(
        Single("leaning", _l("Which way are you leaning at the moment?"), _l("Which way you are leaning"),
               choices=LEANING, size="m", required=_l("Select which way you are leaning, or I'm not sure yet")),
        Single("role", _l("How would you like the decision to be made?"), _l("How you want to decide"),
               choices=DECISION_ROLE, size="m", required=_l("Select how you would like the decision to be made")),
        Heading(_l("How sure do you feel?"), _l("These 4 questions are called the SURE test. "
                                                "They help people see if they need more support to decide."),
                source=SURE_CREDIT),
        *(_sure(item_id, text) for item_id, text in SURE_ITEMS),
        Computed("sure_score", _l("SURE score (one point for each yes, 0 to 4)"), _l("SURE score"),
                 compute=sure_score, words=_l("{} out of 4")),
    ),
),))

QUESTIONNAIRE = Definition(
    sections=(ABOUT_YOU, ABOUT_PROCEDURE, BENEFITS_RISKS, QUESTIONS, COMPANION_PAGE, WHAT_MATTERS, CONSENT,
              WHERE_YOU_ARE),
    glance=Glance(
        name="name", nhs_number="nhs_number", appointment="appointment_date", interpreter="interpreter",
        language="language", formats="formats", companion="companion", other_support="support_needs",
        concerns="views", leaning="leaning", role="role", top_questions="top",
        sure=tuple(key for key, _ in SURE_ITEMS), sure_score="sure_score", to_explain=_l("Consent points"),
        explain_value="explain", own_questions="own", companion_questions="companion_questions",
        companion_worries="companion_worries", large_print=("formats", "large-print"),
    ),
)
