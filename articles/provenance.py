"""How a story is sourced: the rules editors are warned about before publishing, and the badges
readers see. A warning never blocks a save; it names its rule and the sources it is about.

The rules read anything with `pk`, `name`, `is_state_media` and `is_primary`: a Source, or a
source as a revision recorded it (articles.revisions.snapshots.CitedSource).
"""

from dataclasses import dataclass

STATE_MEDIA_ONLY = "state-media"
SINGLE_SOURCE = "single-source"
NO_PRIMARY_SOURCE = "no-primary-source"


@dataclass(frozen=True)
class ProvenanceWarning:
    code: str
    rule: str  # the rule, as editors read it
    sources: tuple  # names of the sources it is about
    reader_label: str = ""  # the badge readers see, when the rule has one

    def __str__(self):
        return f"{self.rule}: {', '.join(self.sources) or 'no sources cited'}."


def provenance_warnings(sources):
    """The rules the cited `sources` break, in the order editors read them."""
    distinct = list({source.pk: source for source in sources}.values())
    names = tuple(source.name for source in distinct)
    warnings = []
    if len(distinct) == 1:
        warnings.append(ProvenanceWarning(SINGLE_SOURCE, "Only one source is cited", names, "Single source"))
    if distinct and all(source.is_state_media for source in distinct):
        warnings.append(
            ProvenanceWarning(
                STATE_MEDIA_ONLY, "Every cited source is state media", names, "State media only"
            )
        )
    if not any(source.is_primary for source in distinct):
        warnings.append(
            ProvenanceWarning(
                NO_PRIMARY_SOURCE, "No primary source (government, company or research) is cited", names
            )
        )
    return warnings
