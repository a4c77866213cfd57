"""A small, honest check of the HTML every page sends: the rules the pages once broke, and parse errors.

Not a full validator (the Nu Html Checker needs a Java server per test run,
and took 0.1 to 0.6 s a page here, on pages the tests fetch thousands of
times). It checks exactly:

- parse errors, as the HTML standard's parser reports them (tinyhtml5, the
  html5lib parser WeasyPrint already uses): unclosed or stray tags,
  misnested elements, duplicate attributes, a missing doctype;
- every `role` is a WAI-ARIA 1.2 role (NHS.UK frontend's role="text" is not);
- headings never skip a level going down (h1 then h3); the page starts as if
  at h1, as the error summary and notification banner (h2) come before it;
- all content is inside a landmark (header, nav, main, footer, a named
  section or region), as screen reader users move between them; the skip
  link and dialogs are the exceptions, as in axe-core's "region" rule.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, NavigableString, Tag
from tinyhtml5.parser import HTMLParser

# WAI-ARIA 1.2, section 5.4: the roles an author may use (abstract roles left out).
_ROLES = """
alert alertdialog application article banner blockquote button caption cell checkbox code columnheader combobox
complementary contentinfo definition deletion dialog directory document emphasis feed figure form generic grid
gridcell group heading img insertion link list listbox listitem log main marquee math menu menubar menuitem
menuitemcheckbox menuitemradio meter navigation none note option paragraph presentation progressbar radio
radiogroup region row rowgroup rowheader scrollbar search searchbox separator slider spinbutton status strong
subscript superscript switch tab table tablist tabpanel term textbox time timer toolbar tooltip tree treegrid
treeitem
"""
ARIA_ROLES = frozenset(_ROLES.split())
LANDMARK_TAGS = {"header", "nav", "main", "footer", "aside"}
LANDMARK_ROLES = {"banner", "navigation", "main", "contentinfo", "complementary", "region", "search", "form"}
NOT_CONTENT = {"script", "template", "noscript", "style", "head", "title"}


def problems(html: str, page: BeautifulSoup | None = None) -> list[str]:
    """What is wrong with a page, one line each; nothing when it passes. `page`: the same HTML, parsed already."""
    parser = HTMLParser()
    parser.parse(html)
    found = [f"parse error at line {line}, column {column}: {code} {details or ''}".rstrip()
             for (line, column), code, details in parser.errors]
    page = page or BeautifulSoup(html, "html.parser")
    found += _roles(page) + _headings(page) + _outside_landmarks(page)
    return found


_passed: set[int] = set()


def shape(page: BeautifulSoup) -> int:
    """The page's elements, their roles and classes, and where text sits, but not the text itself.

    Pages of the same shape pass or fail together (patient text is escaped, so
    it cannot change the markup), so each shape is checked once per process:
    the suite fetches the same pages thousands of times with different words.
    """
    return hash(tuple((t.name, t.get("role"), tuple(t.get("class") or ()), tuple(sorted(t.attrs)),
                       any(isinstance(c, NavigableString) and c.strip() for c in t.children))
                      for t in page.find_all(True)))


def assert_valid(html: str, page: BeautifulSoup) -> None:
    key = shape(page)
    if key in _passed:
        return
    found = problems(html, page)
    assert not found, "the page's HTML is not valid:\n" + "\n".join(found)
    _passed.add(key)


def _roles(page: BeautifulSoup) -> list[str]:
    return [f"role={role!r} on <{tag.name}> is not a WAI-ARIA role" for tag in page.find_all(attrs={"role": True})
            for role in tag["role"].split() if role not in ARIA_ROLES]


def _headings(page: BeautifulSoup) -> list[str]:
    found, level = [], 1
    for heading in page.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]):
        this = int(heading.name[1])
        if this > level + 1:
            words = " ".join(heading.get_text().split())[:60]
            found.append(f"<{heading.name}> “{words}” skips a level after h{level}")
        level = this
    return found


def _is_landmark(tag: Tag) -> bool:
    role = tag.get("role")
    if role in LANDMARK_ROLES and (role not in ("region", "form") or tag.get("aria-label") or
                                   tag.get("aria-labelledby")):
        return True
    if tag.name in LANDMARK_TAGS:
        return True
    return tag.name in ("section", "form") and bool(tag.get("aria-label") or tag.get("aria-labelledby"))


def _outside_landmarks(page: BeautifulSoup) -> list[str]:
    found = []
    body = page.body
    if body is None:
        return ["no <body>"]
    for node in body.descendants:
        if not isinstance(node, NavigableString) or not node.strip() or type(node) is not NavigableString:
            continue
        ancestors = list(node.parents)
        if any(a.name in NOT_CONTENT or a.name == "dialog" or "nhsuk-skip-link" in (a.get("class") or [])
               or _is_landmark(a) for a in ancestors if isinstance(a, Tag)):
            continue
        found.append(f"“{' '.join(node.split())[:60]}” is outside every landmark (in <{node.parent.name}>)")
    return found
