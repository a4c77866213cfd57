"""What changed between two versions of a procedure's questionnaire, and moving a patient's answers on to the newer one.

Versions are compared by the snapshot each stores when it is published
(every item's id and the words a patient reads), so any two versions can be
compared for as long as they are kept, whatever the code says today.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .structure import Questionnaire

ADDED = "added"
REMOVED = "removed"
REWORDED = "reworded"


@dataclass(frozen=True)
class Change:
    kind: str
    id: str
    section: str
    section_title: str
    heading: str
    before: str = ""  # the earlier words of a reworded item

    def as_dict(self) -> dict:
        return asdict(self)


def changes(old: list[dict] | None, new: list[dict]) -> list[Change]:
    """Items added, removed and reworded, in the newer version's order (removed ones last)."""
    if old is None:
        return []
    before = {item["id"]: item for item in old}
    after = {item["id"]: item for item in new}
    found = []
    for item in new:
        earlier = before.get(item["id"])
        if earlier is None:
            found.append(_change(ADDED, item))
        elif earlier["wording"] != item["wording"]:
            found.append(_change(REWORDED, item, before=earlier["heading"]))
    found += [_change(REMOVED, item) for item in old if item["id"] not in after]
    return found


def _change(kind: str, item: dict, before: str = "") -> Change:
    return Change(kind, item["id"], item["section"], item["section_title"], item["heading"], before)


@dataclass(frozen=True)
class Moved:
    """An answer set's state after moving on to a newer version."""

    answers: dict
    pages_saved: dict
    earlier: list[dict]
    changes: list[Change]


def move_on(answers: dict, pages_saved: dict, old: Questionnaire | None, old_snapshot: list[dict] | None,
            new: Questionnaire, new_snapshot: list[dict], new_version: str, old_version: str) -> Moved:
    """Carry answers over to `new`: unchanged pages stay done, changed ones must be checked again.

    Nothing is dropped. An answer to an item the new version no longer has is
    kept aside, with the words it was given to, as given on the earlier version.
    When the earlier version is unknown, every saved page is to be checked again.
    """
    found = changes(old_snapshot, new_snapshot)
    touched = {new.page_of(c.id).key for c in found if c.kind in (ADDED, REWORDED)}
    pages = {p.key for p in new.pages}
    moved_pages = {
        key: (new_version if old_snapshot is not None and key not in touched else saved_on)
        for key, saved_on in pages_saved.items() if key in pages
    }
    kept, earlier = dict(answers), []
    for change in found:
        if change.kind == REMOVED and change.id in kept:
            value = kept.pop(change.id)
            item = old.item(change.id) if old else None
            lines = item.lines(value, answers) if item else [str(value)]
            if lines:
                earlier.append({"id": change.id, "heading": change.heading, "section": change.section_title,
                                "lines": lines, "version": old_version})
    return Moved(new.reconcile(kept), moved_pages, earlier, found)
