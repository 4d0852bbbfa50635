"""The demo tracker: measures the seed stories are about, from the public record.

Only facts of the record are given (instrument numbers, dates, the minerals named); where a fact is
not certain (an exact day, an official address, the mineral list of a broad rule) the field is left
empty or the date kept at the precision known. Articles are the demo stories that report each one.
"""

from datetime import date

MEASURES = [
    {
        "slug": "china-gallium-germanium-export-licensing",
        "title": "China’s export licensing of gallium and germanium",
        "summary": "<p>Exports of gallium and germanium and several of their compounds need a licence "
        "from the Ministry of Commerce.</p>",
        "kind": "export_licensing",
        "direction": "restrictive",
        "implementing_country": "china",
        "minerals": ["gallium", "germanium"],
        "instrument": "MOFCOM/GAC Announcement No. 23 [2023]",
        "official_source": "mofcom",
        "events": [
            {
                "kind": "announced",
                "date": date(2023, 7, 3),
                "summary": "Announced with a start date of 1 August.",
            },
            {
                "kind": "in_force",
                "date": date(2023, 8, 1),
                "summary": "Licences required from today.",
                "articles": ["gallium-germanium-checks-state-media"],
            },
        ],
    },
    {
        "slug": "china-graphite-export-licensing",
        "title": "China’s export licensing of graphite",
        "summary": "<p>Exports of several natural and synthetic graphite products need a licence.</p>",
        "kind": "export_licensing",
        "direction": "restrictive",
        "implementing_country": "china",
        "minerals": ["graphite"],
        "instrument": "MOFCOM/GAC Announcement No. 39 [2023]",
        "official_source": "mofcom",
        "events": [
            {
                "kind": "announced",
                "date": date(2023, 10, 20),
                "summary": "Announced with a start date of 1 December.",
            },
            {
                "kind": "in_force",
                "date": date(2023, 12, 1),
                "summary": "Licences required from today.",
                "articles": ["anode-makers-test-synthetic-graphite-blends"],
            },
        ],
    },
    {
        "slug": "china-antimony-export-licensing",
        "title": "China’s export licensing of antimony",
        "summary": "<p>Exports of antimony ores, metal and oxides and related technology need a licence.</p>",
        "kind": "export_licensing",
        "direction": "restrictive",
        "implementing_country": "china",
        "minerals": ["antimony"],
        "instrument": "MOFCOM/GAC Announcement No. 33 [2024]",
        "official_source": "mofcom",
        "events": [
            {"kind": "announced", "date": date(2024, 8, 1), "date_precision": "month"},
            {"kind": "in_force", "date": date(2024, 9, 15), "summary": "Licences required from today."},
        ],
    },
    {
        "slug": "china-medium-heavy-rare-earths-export-licensing",
        "title": "China’s export licensing of seven medium and heavy rare earths",
        "summary": "<p>Samarium, gadolinium, terbium, dysprosium, lutetium, scandium and yttrium, and "
        "products containing them, need an export licence.</p>",
        "kind": "export_licensing",
        "direction": "restrictive",
        "implementing_country": "china",
        "minerals": ["dysprosium", "terbium"],
        "instrument": "MOFCOM/GAC Announcement No. 18 [2025]",
        "official_source": "mofcom",
        "events": [
            {
                "kind": "in_force",
                "date": date(2025, 4, 4),
                "summary": "Announced and in force the same day.",
                "articles": ["magnet-export-licences-slow-shipments"],
            },
        ],
    },
    {
        "slug": "china-october-2025-export-controls",
        "title": "China’s October 2025 controls on rare earths, their technology and battery materials",
        "summary": "<p>Six announcements of 9 October 2025 (Nos. 55 to 58, 61 and 62) widened controls to "
        "more rare earths, rare-earth technology and equipment, superhard materials, lithium batteries "
        "and graphite anode materials, and to some products made abroad. Announcement No. 70 suspended "
        "them until 10 November 2026.</p>",
        "kind": "export_licensing",
        "direction": "restrictive",
        "implementing_country": "china",
        "minerals": ["neodymium", "dysprosium", "terbium", "graphite", "lithium"],
        "instrument": "MOFCOM Announcements Nos. 55–58, 61 and 62 [2025]",
        "official_source": "mofcom",
        "events": [
            {"kind": "announced", "date": date(2025, 10, 9), "summary": "Six announcements published."},
            {
                "kind": "suspended",
                "date": date(2025, 11, 7),
                "until": date(2026, 11, 10),
                "summary": "Suspended by MOFCOM Announcement No. 70 [2025].",
                "articles": ["rare-earth-export-controls-suspension-nears-end"],
            },
        ],
    },
    {
        "slug": "us-mexico-critical-minerals-action-plan",
        "title": "US–Mexico Action Plan on Critical Minerals",
        "summary": "",
        "kind": "partnership",
        "direction": "cooperative",
        "implementing_country": "united-states",
        "affected_countries": ["mexico"],
        "minerals": [],
        "instrument": "",
        "official_source": "ustr",
        "events": [
            {
                "kind": "announced",
                "date": date(2026, 2, 4),
                "summary": "Announced by the US Trade Representative and Mexico’s economy secretary: 60 days "
                "to work out coordinated trade policies, price floors included.",
                "articles": ["us-mexico-critical-minerals-action-plan"],
            }
        ],
    },
]

# Countries the measures name, should the demo's articles not have made them.
COUNTRIES = [{"name": "Mexico", "slug": "mexico", "iso_code": "MX"}]
