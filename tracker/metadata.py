"""What a measure's page tells machines: schema.org Legislation in JSON-LD."""

from core.site import absolute_url
from tracker.status import State

# schema.org's LegalForceStatus: a suspended measure is law still on the books but not applied.
_LEGAL_FORCE = {
    State.IN_FORCE: "https://schema.org/InForce",
    State.SUSPENDED: "https://schema.org/NotInForce",
    State.LIFTED: "https://schema.org/NotInForce",
    State.EXPIRED: "https://schema.org/NotInForce",
    State.ANNOUNCED: "https://schema.org/NotInForce",
}


def legislation(measure, status, events):
    """The Legislation object for `measure`, its `status` today and its published `events`."""
    data = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "name": measure.title,
        "url": absolute_url(measure.get_absolute_url()),
        "legislationType": measure.get_kind_display(),
        "about": [mineral.name for mineral in measure.minerals.all()],
    }
    if measure.instrument:
        data["legislationIdentifier"] = measure.instrument
    if measure.implementing_country:
        data["legislationJurisdiction"] = measure.implementing_country.name
    if measure.official_url:
        data["sameAs"] = measure.official_url
    if measure.official_source:
        data["legislationPassedBy"] = {"@type": "Organization", "name": measure.official_source.name}
    first = next((event for event in events if event.kind in ("announced", "in_force")), None)
    if first is not None:
        data["legislationDate"] = first.date_iso
    if status is not None:
        data["legislationLegalForce"] = _LEGAL_FORCE[status.state]
    return data
