"""NHS.UK frontend components for our templates, each distinct call rendered once.

nhsuk-frontend-jinja's macros are faithful ports of the Nunjucks templates,
and slow in Jinja: a date input took about 10 ms, and a form page spent 15 to
30 ms in them, nearly all of its time. A macro's output depends only on its
parameters, so each distinct call is rendered once per process and kept.

Text that a person typed (or anything else that differs from one patient to
the next: a resume code, a reference) never becomes part of what is kept. A
template passes it as `typed(value)`; the macro renders a placeholder in its
place, and every call fills the placeholder with the value, escaped as the
macro would have escaped it. So the cache holds only the service's own words.
tests/integration/test_components.py renders every call the pages make both
ways and compares them.

Templates call the components by their NHS names, as globals: `button({...})`,
`{% call warningCallout({...}) %}`.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask
from jinja2 import Environment
from markupsafe import Markup

from .i18n import Words

# Each component the service uses: its folder in nhsuk-frontend-jinja, and its macro's name.
MACROS = {
    "back-link": "backLink",
    "button": "button",
    "card": "card",
    "character-count": "characterCount",
    "checkboxes": "checkboxes",
    "date-input": "dateInput",
    "details": "details",
    "error-summary": "errorSummary",
    "footer": "footer",
    "header": "header",
    "inset-text": "insetText",
    "input": "input",
    "notification-banner": "notificationBanner",
    "pagination": "pagination",
    "panel": "panel",
    "radios": "radios",
    "select": "select",
    "skip-link": "skipLink",
    "summary-list": "summaryList",
    "tag": "tag",
    "task-list": "taskList",
    "warning-callout": "warningCallout",
}
# Enough for every page's components in every state; past it the oldest go.
KEPT = 2000
# Private-use characters: they pass through every macro and its escaping unchanged.
SLOT_START, SLOT_END = "\ue000", "\ue001"
CALLER = "\ue002caller"  # where a {% call %} block's body travels with the parameters


class Typed:
    """Text given to a component that is filled into its output, never part of the cache key."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


def typed(value) -> Typed:
    return Typed(value)


class Components:
    """The kept output of one Jinja environment's component calls."""

    def __init__(self, env: Environment):
        self.env = env
        self.rendered: dict[tuple, list[Markup]] = {}

    def macro(self, template: str):
        module = self.env.get_template(f"nhsuk/components/{template}/macro.jinja").module
        return getattr(module, MACROS[template])

    def render(self, template: str, params: Mapping, caller=None) -> Markup:
        """The macro's output for these parameters; `caller` is the body of a {% call %} block."""
        if caller is not None:
            # The body is filled in like typed text, so one entry serves every body.
            params = {**params, CALLER: Typed(caller())}
        values: list = []
        key = (template, _freeze(params, values))
        parts = self.rendered.get(key)
        if parts is None:
            html = self._call(template, _with_placeholders(params, iter(range(len(values)))))
            # `html` is the macro's autoescaped output (Markup) with every typed value replaced by a
            # placeholder, so it holds only the service's own words. Cut with Markup's own methods,
            # its pieces stay Markup: [markup, slot, markup, slot, ..., markup].
            parts = _cut_at_slots(html)
            if {int(slot) for slot in parts[1::2]} != set(range(len(values))):
                # A macro changed a value rather than only printing it: render this call as it is.
                return self._call(template, _with_values(params))
            if len(self.rendered) >= KEPT:
                del self.rendered[next(iter(self.rendered))]
            self.rendered[key] = parts
        # The even pieces are the kept output above (a {% call %} body is already Markup, from an
        # autoescaped template, and is left as it is).

        # Safe: join() escapes every typed value, as the macro would have; the kept pieces are Markup already.
        return Markup("").join(part if i % 2 == 0 else values[int(part)] for i, part in enumerate(parts))

    def _call(self, template: str, params: dict) -> Markup:
        body = params.pop(CALLER, None)
        macro = self.macro(template)
        return macro(params, caller=lambda: body) if body is not None else macro(params)


class Component:
    """What a template calls by the NHS name: `button({...})`, or `{% call warningCallout({...}) %}`."""

    def __init__(self, components: Components, template: str):
        self.components = components
        self.template = template

    def __call__(self, params: Mapping, caller=None) -> Markup:
        return self.components.render(self.template, params, caller)


def _freeze(value, values: list):
    """A hashable key for a macro's parameters; typed text becomes a slot, and its value goes into `values`.

    It runs for every component on every page, so it asks for exact types
    (templates build plain dicts and lists), which is quicker than isinstance.
    """
    kind = type(value)
    if kind is dict:
        return ("map", tuple((k, _freeze(v, values)) for k, v in value.items()))
    if kind is list or kind is tuple:
        return ("list", tuple(_freeze(v, values) for v in value))
    if kind is Typed:
        if not value.value:
            return ("empty", value.value)  # None and "" may render differently from text
        values.append(value.value)
        return ("typed",)
    if kind is Markup:
        return ("markup", str(value))
    if kind is Words:
        return ("words", str(value))  # in the language of this page: Welsh and English are kept apart
    if isinstance(value, (Mapping, list, tuple)):
        raise TypeError(f"give components plain dicts and lists, not {kind.__name__}")
    return value


def _cut_at_slots(html: Markup) -> list:
    """The macro's output cut at its placeholders: its own pieces (Markup) and, between them, each slot's number."""
    first, *rest = html.split(SLOT_START)
    parts = [first]
    for piece in rest:
        number, _, after = piece.partition(SLOT_END)
        parts += [str(number), after]
    return parts


def _with_placeholders(value, numbers):
    """The parameters with each typed value replaced by its numbered placeholder."""
    if isinstance(value, Typed):
        return value.value if not value.value else f"{SLOT_START}{next(numbers)}{SLOT_END}"
    if isinstance(value, Mapping):
        return {k: _with_placeholders(v, numbers) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_with_placeholders(v, numbers) for v in value]
    return value


def _with_values(value):
    """The parameters as the macro would have had them without the cache."""
    if isinstance(value, Typed):
        return value.value
    if isinstance(value, Mapping):
        return {k: _with_values(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_with_values(v) for v in value]
    return value


def init_app(app: Flask) -> None:
    components = Components(app.jinja_env)
    app.extensions["components"] = components
    app.add_template_global(typed)
    for template, name in MACROS.items():
        app.add_template_global(Component(components, template), name)
