"""What WeasyPrint's tagged PDF still needs for PDF/UA-1, put right after rendering.

WeasyPrint 70 tags the page's margin boxes (the running header and footer,
"Page x of y") as content that belongs to no part of the document: it gives
them structure elements but never links those to the tree (it says PDF 1.7
has no way to tag them as artifacts). A screen reader then meets text that is
nowhere in the reading order, and checkers count it as untagged content. Here
that marked content becomes what it is, a pagination artifact, and the
structure elements no one can reach are dropped.

Its link annotations also lack the Print flag, so they exist on screen and
not on paper, which PDF/UA-1 (7.18.1) does not allow: every annotation gets it.
"""

from __future__ import annotations

import io
import re

import pikepdf
from pikepdf import Array, Dictionary, Name

PRINT = 1 << 2  # annotation flag bit 3
# The start of marked content with an id, as in "/Span <</MCID 54>> BDC", and what an artifact's start is.
MARKED = re.compile(rb"/[A-Za-z]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
PAGINATION = b"/Artifact <</Type /Pagination>> BDC"


def finish(data: bytes) -> bytes:
    """The PDF with its margin boxes as pagination artifacts and every annotation printable."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = pdf.Root.StructTreeRoot
        reachable = _reachable(tree)
        nums = tree.ParentTree.Nums
        for index in range(0, len(nums), 2):
            marked = nums[index + 1]
            if not isinstance(marked, Array):
                continue  # an annotation's entry, not a page's
            orphans = {mcid for mcid, element in enumerate(marked) if element.objgen not in reachable}
            if orphans:
                _as_artifacts(pdf.pages[int(nums[index])], orphans)
                for mcid in orphans:
                    marked[mcid] = None  # an artifact has no structure element
                while len(marked) and marked[len(marked) - 1] is None:
                    del marked[len(marked) - 1]
        for page in pdf.pages:
            for annotation in page.get(Name.Annots, ()):
                annotation.F = int(annotation.get(Name.F, 0)) | PRINT
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()


def _reachable(tree: Dictionary) -> set[tuple[int, int]]:
    """Every structure element that can be reached from the root, by object number."""
    found: set[tuple[int, int]] = set()
    waiting = [tree]
    while waiting:
        element = waiting.pop()
        kids = element.get(Name.K)
        if kids is None:
            continue
        for kid in kids if isinstance(kids, Array) else (kids,):
            if isinstance(kid, Dictionary) and kid.get(Name.Type) not in (Name.OBJR, Name.MCR) \
                    and kid.objgen not in found:
                found.add(kid.objgen)
                waiting.append(kid)
    return found


def _as_artifacts(page: pikepdf.Page, mcids: set[int]) -> None:
    """Re-mark the page's marked content with these ids as pagination artifacts.

    A search in the page's instructions, not a parse of them: parsing a page
    into Python objects and back took 15 ms, the search a fraction of one.
    """
    def replaced(found: re.Match) -> bytes:
        return PAGINATION if int(found[1]) in mcids else found[0]

    contents = page.obj.Contents
    contents.write(MARKED.sub(replaced, contents.read_bytes()))
