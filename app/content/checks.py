"""What a procedure file must pass beyond the shape of its fields, before it can be published.

Every figure must trace to the sentence of the source document it cites. The
documents are kept with the content, in content/sources/, under the names
the files give them.
"""

from __future__ import annotations

from pathlib import Path

from .figures import trace
from .files import PACKAGE_DIR, ContentFile
from .guidance import GuidanceError, read_guidance

SOURCES_DIR = PACKAGE_DIR / "sources"


def source_problems(content: ContentFile, sources: Path = SOURCES_DIR) -> list[str]:
    """Each figure the cited section of the source does not state, as 'file: field: problem'."""
    procedure = content.procedure
    if not procedure.outcomes:
        return []
    name, document = procedure.file_name, procedure.source.document
    path = Path(sources) / document
    if not path.is_file():
        return [f"{name}: source.document: '{document}' is not in {sources}, so its figures cannot be traced. "
                "Put the source text there"]
    try:
        guidance = read_guidance(path.read_text(encoding="utf-8"))
    except GuidanceError as problem:
        return [f"{name}: source.document: {problem}"]
    return [f"{name}: outcomes[{i}]: {problem}. Copy the figure exactly from the section it cites"
            for i, outcome in enumerate(procedure.outcomes) if (problem := trace(outcome, guidance))]
