"""
The demo’s stories on the events the desk was modelled on: China’s answer to the EU–US critical
minerals talks, the 2026 Critical Minerals Ministerial, the US–Mexico action plan, the planned plans
with the EU and Japan, and the end of China’s one-year suspension of its October 2025 export controls.

Unlike the rest of the demo these report real events, so they stay with the public record: the
government bodies cited are real and registered as sources of kind government; what the record does
not settle is attributed or left out. The desk’s own staff and the wire and state outlets they quote
are the demo’s invented ones. Slugs are stable: the tracker’s demo measures link to them.
Dates are fixed (`published_at`), since the events are.
"""

COUNTRIES = [
    {"name": "Mexico", "slug": "mexico", "iso_code": "MX"},
    # ISO 3166-1 reserves "EU" for the European Union, so the tag can carry it like a country's code.
    {"name": "European Union", "slug": "european-union", "iso_code": "EU"},
]

SOURCES = [
    {
        "name": "Ministry of Commerce of the People’s Republic of China",
        "slug": "mofcom",
        "kind": "government",
        "url": "https://english.mofcom.gov.cn/",
        "country": "china",
        "owner": "the government of the People’s Republic of China",
        "controlled_by": "the State Council",
        "notes": "Issues China’s export-control announcements, some jointly with the General "
        "Administration of Customs, and explains them at its regular press conferences. Announcements are "
        "numbered by year; the Chinese text is the authoritative one.",
        "default_disclaimer": "Government statement",
    },
    {
        "name": "Ministry of Foreign Affairs of the People’s Republic of China",
        "slug": "china-foreign-ministry",
        "kind": "government",
        "url": "https://www.fmprc.gov.cn/eng/",
        "country": "china",
        "owner": "the government of the People’s Republic of China",
        "controlled_by": "the State Council",
        "notes": "Its spokespeople answer reporters’ questions at a regular press conference on working "
        "days; transcripts are published in Chinese and English.",
        "default_disclaimer": "Government statement",
    },
    {
        "name": "Office of the United States Trade Representative",
        "slug": "ustr",
        "kind": "government",
        "url": "https://ustr.gov/",
        "country": "united-states",
        "owner": "the federal government",
        "controlled_by": "the Executive Office of the President",
        "notes": "Develops and negotiates US trade policy; the Trade Representative is a member of the "
        "cabinet. Publishes agreements and action plans with its press releases.",
        "default_disclaimer": "Government statement",
    },
    {
        "name": "US Department of State",
        "slug": "us-department-of-state",
        "kind": "government",
        "url": "https://www.state.gov/",
        "country": "united-states",
        "owner": "the federal government",
        "controlled_by": "the executive branch",
        "notes": "The US foreign ministry. Its Office of the Spokesperson publishes fact sheets and "
        "transcripts of remarks, including those of the 2026 Critical Minerals Ministerial it hosted.",
        "default_disclaimer": "Government statement",
    },
]

ARTICLES = [
    {
        "slug": "china-answers-eu-us-critical-minerals-talks",
        "title": "China says all sides must play a “constructive role” as Washington gathers minerals "
        "partners",
        "dek": "Beijing’s foreign ministry answered questions on EU–US talks and a US-hosted ministerial "
        "with a call for stable supply chains and a warning against “small-circle” rules.",
        "highlights": [
            "China’s position on stable critical-minerals supply chains is “unchanged”, a spokesperson said",
            "All countries should respect market principles and trade rules, he said of EU–US talks",
            "A day later the ministry said it opposed rules made by a “small circle” of countries",
            "Beijing announced no new measure in response",
        ],
        "body": """
<p>China’s foreign ministry said on 4 February that its position on keeping global supply chains for
critical minerals stable and secure was unchanged, and that every party had a responsibility to play a
“constructive role”, as ministers from more than 50 countries gathered in Washington to discuss
reducing their dependence on Chinese supply.</p>
<p>Asked about talks between the European Union and the United States on a critical-minerals
partnership, the spokesperson, Lin Jian, said at the ministry’s regular press conference that all
countries should abide by market principles and international trade rules, strengthen communication
and dialogue, and keep international supply chains stable and running smoothly.</p>
<p>The next day, asked about a new US-led minerals forum, Mr Lin said an open and inclusive trading
environment served every country’s interests, and that China opposed any country using rules made by a
“small circle” to undermine the international economic and trade order, according to the ministry’s
account and Northern Star News Agency’s report of the briefing.</p>
<blockquote><p>“China’s position on maintaining the stability and security of global supply chains for
critical minerals remains unchanged. All parties have the responsibility to play a constructive role in
this regard.”</p><cite>Lin Jian, foreign ministry spokesperson, 4 February 2026, as reported by Northern
Star News Agency</cite></blockquote>
<h2>What was not said</h2>
<p>The spokesperson did not name any measure China might take, and neither did the commerce ministry,
which in November suspended for a year the broad export controls on rare earths and battery materials
it had announced in October. Northern Star News Agency, the state-run outlet, ran the remarks without
comment.</p>
<p>This report rests on the ministry’s own account of its briefings and on state media. Remarks at the
briefing are given in Chinese, and translations of them differ in wording.</p>
""",
        "section": "policy",
        "authors": ["lin-qiao"],
        "minerals": ["neodymium", "gallium", "graphite"],
        "countries": ["china", "united-states", "european-union"],
        "citations": [
            {
                "source": "china-foreign-ministry",
                "url": "https://www.fmprc.gov.cn/eng/",
                "title": "Foreign Ministry Spokesperson Lin Jian’s Regular Press Conferences, "
                "February 4 and 5, 2026",
                "note": "The answers on EU–US talks, the ministerial and the new minerals forum.",
            },
            {
                "source": "northern-star-news-agency",
                "url": "https://www.northernstar-news.example/world/spokesperson-critical-minerals",
                "title": "Spokesperson: all parties should play a constructive role on critical minerals",
                "note": "The state agency’s report of the briefing.",
            },
        ],
        "published_at": "2026-02-05T11:20:00+00:00",
        "status": "published",
        "hero": {
            "mineral": "neodymium",
            "caption": "From October’s controls to February’s answers: how Beijing has spoken on minerals.",
            "graphic": {
                "kind": "timeline",
                "title": "Beijing and the minerals partners",
                "events": [
                    ("9 Oct 2025", "Commerce ministry announces new export controls"),
                    ("7 Nov 2025", "Controls suspended for a year"),
                    ("4 Feb 2026", "Spokesperson on EU–US talks: position “unchanged”"),
                    ("5 Feb 2026", "Opposes “small-circle” rules"),
                ],
            },
        },
    },
    {
        "slug": "critical-minerals-ministerial-2026",
        "title": "Washington gathers 54 countries at the first Critical Minerals Ministerial",
        "dek": "The State Department hosted ministers and the European Commission, signed eleven bilateral "
        "frameworks and launched a forum to succeed the Minerals Security Partnership.",
        "highlights": [
            "Delegations from 54 countries and the European Commission attended, the State Department says",
            "Eleven new bilateral frameworks or memorandums on critical minerals were signed",
            "A new forum, FORGE, replaces the Minerals Security Partnership, chaired first by South Korea",
            "China was not among the delegations the State Department listed",
        ],
        "body": """
<p>The United States hosted representatives of 54 countries and the European Commission, including 43
foreign and other ministers, at the first Critical Minerals Ministerial in Washington on 4 February,
according to a fact sheet published by the State Department.</p>
<p>The meeting was led by the secretary of state, Marco Rubio, with the vice-president, JD Vance, and
the trade representative, Jamieson Greer, among the officials taking part. The department said the
market for critical minerals and rare earths was “highly concentrated” and had become a tool of
political coercion.</p>
<table>
<caption>What the State Department says the ministerial produced</caption>
<thead><tr><th scope="col">Outcome</th><th scope="col">Detail</th></tr></thead>
<tbody>
<tr><td>Bilateral frameworks and memorandums</td><td>11 signed at the meeting, with countries including
Argentina, Morocco, Peru, the Philippines and Uzbekistan</td></tr>
<tr><td>A new forum</td><td>FORGE, the Forum on Resource Geostrategic Engagement, to succeed
the Minerals Security Partnership; South Korea chairs it until June</td></tr>
<tr><td>Trade</td><td>An action plan agreed with Mexico; action plans with the European Union
and Japan to follow</td></tr>
</tbody>
</table>
<h2>A club with a price</h2>
<p>Mr Vance set out the idea of a preferential trading area for critical minerals among partner
countries, Meridian Wire reported, with minimum prices to protect new mines and refineries from sudden
falls in price.</p>
<p>Delegations came from every continent, including mining countries such as the Democratic Republic
of the Congo, Zambia, Kazakhstan, Argentina and Peru, as well as buyers such as
Japan, South Korea and Germany.</p>
<p>The figures on attendance and agreements are the State Department’s. The desk has not seen the texts
of the bilateral frameworks, most of which have not been published.</p>
""",
        "section": "supply",
        "authors": ["clara-venn"],
        "minerals": ["neodymium", "lithium", "cobalt", "nickel"],
        "countries": ["united-states", "european-union", "japan", "mexico", "dr-congo"],
        "citations": [
            {
                "source": "us-department-of-state",
                "url": "https://www.state.gov/",
                "title": "2026 Critical Minerals Ministerial",
                "note": "Attendance, agreements signed and the new forum.",
            },
            {
                "source": "meridian-wire",
                "url": "https://www.meridianwire.example/metals/washington-minerals-ministerial",
                "title": "Washington pitches a minerals trading club with price floors",
                "note": "The vice-president’s proposal and delegates’ reactions.",
            },
        ],
        "published_at": "2026-02-04T22:40:00+00:00",
        "status": "published",
        "hero": {
            "mineral": "lithium",
            "caption": "Some of the delegations the State Department listed at the ministerial.",
            "graphic": {
                "kind": "map",
                "title": "Who came to Washington",
                "points": [
                    ("Washington", 38.9, -77.0),
                    ("Mexico City", 19.4, -99.1),
                    ("Brussels", 50.8, 4.4),
                    ("Tokyo", 35.7, 139.7),
                    ("Seoul", 37.6, 127.0, "left"),
                    ("Kinshasa", -4.3, 15.3),
                    ("Buenos Aires", -34.6, -58.4),
                    ("Canberra", -35.3, 149.1),
                ],
                "routes": [(0, 1), (0, 2), (0, 3), (0, 4), (0, 5), (0, 6), (0, 7)],
            },
        },
    },
    {
        "slug": "us-mexico-critical-minerals-action-plan",
        "title": "US and Mexico agree a 60-day action plan on critical minerals, with price floors on the "
        "table",
        "dek": "The two governments will look at border-adjusted minimum prices for mineral imports and at "
        "how they could be written into a binding agreement with other partners.",
        "highlights": [
            "The plan gives both governments 60 days to work out coordinated trade policies",
            "Border-adjusted price floors for critical-mineral imports will be explored",
            "The minerals to be covered have not been named",
            "The plan comes ahead of the joint review of the USMCA trade agreement",
        ],
        "body": """
<p>The United States and Mexico have agreed an action plan on critical minerals under which they will
spend 60 days working out coordinated trade policies, including minimum prices at the border for
imports of selected minerals, the Office of the United States Trade Representative said on 4 February.</p>
<p>The trade representative, Jamieson Greer, announced the plan with Mexico’s economy secretary,
Marcelo Ebrard, in Washington, on the day of the State Department’s Critical Minerals Ministerial.</p>
<blockquote><p>“Today’s announcement demonstrates the United States and Mexico’s shared commitment to
address global market distortions that have left North American critical minerals supply chains
vulnerable to disruptions.”</p><cite>Jamieson Greer, US Trade Representative</cite></blockquote>
<h2>What the plan covers</h2>
<ul>
<li>identifying the critical minerals of interest to both countries, starting with a small number;</li>
<li>exploring border-adjusted price floors for imports of those minerals;</li>
<li>consulting on how price floors could be written into a binding plurilateral agreement on trade in
critical minerals;</li>
<li>cooperation on standards, investment screening, geological mapping, stockpiles and responses to
supply disruptions;</li>
<li>identifying mining, processing and manufacturing projects of mutual interest.</li>
</ul>
<p>The plan does not name China, and USTR’s announcement did not mention Canada, the third member of the
USMCA, whose joint review is due this year.</p>
<p>Mexico declared lithium a national resource in 2022 and gave its extraction to a state company. The
plan does not say whether lithium will be among the minerals covered. The desk has asked Mexico’s
economy ministry which minerals it expects the plan to name first.</p>
""",
        "section": "policy",
        "authors": ["clara-venn", "ayesha-rahman"],
        "minerals": ["lithium"],
        "countries": ["united-states", "mexico"],
        "citations": [
            {
                "source": "ustr",
                "url": "https://ustr.gov/",
                "title": "U.S.-Mexico Action Plan on Critical Minerals",
                "note": "The plan, its 60-day process and the trade representative’s statement.",
            },
            {
                "source": "meridian-wire",
                "url": "https://www.meridianwire.example/trade/us-mexico-minerals-price-floors",
                "title": "US, Mexico to study price floors for critical-mineral imports",
                "note": "Context on the USMCA review.",
            },
        ],
        "disclaimer": "Government statement",
        "published_at": "2026-02-05T07:15:00+00:00",
        "status": "published",
        "hero": {
            "mineral": "nickel",
            "caption": "The plan’s first 60 days run into the run-up to the USMCA joint review.",
            "graphic": {
                "kind": "timeline",
                "title": "The US–Mexico action plan",
                "events": [
                    ("4 Feb 2026", "Plan announced in Washington"),
                    ("Feb–Apr 2026", "60 days to work out coordinated policies"),
                    ("By 1 Jul 2026", "USMCA joint review"),
                ],
            },
        },
    },
    {
        "slug": "us-eu-japan-action-plans-planned",
        "title": "US plans critical-minerals action plans with the EU and Japan",
        "dek": "Washington says it will work with the European Commission and Japan on coordinated trade "
        "policies, such as price floors, as groundwork for a binding agreement among partners.",
        "highlights": [
            "The plans would cover coordinated trade policies and mechanisms such as border-adjusted price "
            "floors",
            "USTR calls them groundwork for a binding plurilateral agreement on trade in critical minerals",
            "No text of either plan has been published",
        ],
        "body": """
<p>The United States plans to develop action plans on critical minerals with the European Union and
with Japan, the Office of the United States Trade Representative said on 4 February, alongside the
action plan it agreed with Mexico.</p>
<p>Under the plans, the United States, the European Commission and Japan would develop coordinated
trade policies and mechanisms, such as border-adjusted price floors, to reduce the vulnerability of
their supply chains, USTR said.</p>
<blockquote><p>“Today’s announcement is an important signal that the world’s largest market-oriented
economies are committed to developing a new paradigm for preferential trade in critical
minerals.”</p><cite>Jamieson Greer, US Trade Representative</cite></blockquote>
<h2>Why price floors</h2>
<p>A price floor guarantees a producer a minimum price, so that a sudden fall in the market does not
sink a new mine or refinery before it has paid for itself. The US Defense Department agreed one in July
2025 for neodymium-praseodymium oxide from a domestic producer. Applied at the border, a floor would
work like a variable tariff on cheaper imports.</p>
<p>Analysts at the Institute for Strategic Materials Studies in Tokyo said in a note that Japanese magnet
makers, which buy much of their rare-earth oxide from China, would want to know who pays the difference
when market prices fall below a floor. The institute is funded in part by those companies.</p>
<h2>What is not yet known</h2>
<p>Neither plan has been published, and USTR did not say when they would be concluded or which minerals
they would cover. The desk has asked the European Commission and Japan’s trade ministry for their
accounts of the talks.</p>
""",
        "section": "policy",
        "authors": ["clara-venn", "hannah-kirby"],
        "minerals": ["neodymium", "dysprosium"],
        "countries": ["united-states", "european-union", "japan"],
        "citations": [
            {
                "source": "ustr",
                "url": "https://ustr.gov/",
                "title": "Action plans for critical minerals supply chain resilience with the European Union "
                "and Japan",
                "note": "The announcement and the trade representative’s statement.",
            },
            {
                "source": "institute-for-strategic-materials-studies",
                "url": "https://www.ismstudies.example/briefs/price-floors-and-magnet-makers",
                "title": "Price floors and Japan’s magnet makers: who pays the difference?",
                "note": "A Japanese buyers’ view of price floors.",
            },
        ],
        "published_at": "2026-02-06T09:00:00+00:00",
        "status": "published",
        "hero": {
            "mineral": "dysprosium",
            "caption": "Three planned action plans: Mexico agreed, the EU and Japan to follow.",
            "graphic": {
                "kind": "map",
                "title": "Washington’s planned minerals pacts",
                "points": [
                    ("Washington", 38.9, -77.0),
                    ("Mexico City", 19.4, -99.1),
                    ("Brussels", 50.8, 4.4),
                    ("Tokyo", 35.7, 139.7),
                ],
                "routes": [(0, 1), (0, 2), (0, 3)],
            },
        },
    },
    {
        "slug": "rare-earth-export-controls-suspension-nears-end",
        "title": "China’s one-year pause on its October rare-earth controls nears its end",
        "dek": "A suspension of six export-control announcements expires on 10 November unless the commerce "
        "ministry extends it. Buyers have had a year to find other supply.",
        "highlights": [
            "Announcement No. 70 of 2025 suspended six October 2025 announcements until 10 November 2026",
            "They include a rule reaching foreign-made goods with 0.1% Chinese rare-earth content by value",
            "Licensing of seven rare earths introduced in April 2025 was not suspended",
            "A separate pause on a US export ban for gallium, germanium and antimony runs to 27 November",
        ],
        "body": """
<p>China’s suspension of the sweeping export controls it announced in October 2025 on rare earths,
battery materials and superhard materials is due to end on 10 November, a year after it began, unless
the commerce ministry says otherwise.</p>
<p>The ministry and the General Administration of Customs suspended the six announcements in
Announcement No. 70 of 2025, published on 7 November 2025, eight days after the Chinese and US
presidents met in South Korea. The announcement sets 10 November 2026 as the end of the
suspension and says nothing of what follows.</p>
<table>
<caption>The announcements of 9 October 2025 suspended by Announcement No. 70</caption>
<thead><tr><th scope="col">Announcement</th><th scope="col">What it controls</th></tr></thead>
<tbody>
<tr><td>No. 55</td><td>Superhard materials, such as synthetic diamond powders</td></tr>
<tr><td>No. 56</td><td>Rare-earth production equipment and raw and auxiliary materials</td></tr>
<tr><td>No. 57</td><td>Further medium and heavy rare-earth items</td></tr>
<tr><td>No. 58</td><td>Lithium batteries and artificial graphite anode materials</td></tr>
<tr><td>No. 61</td><td>Foreign-made items with 0.1% or more Chinese rare-earth content by value</td></tr>
<tr><td>No. 62</td><td>Rare-earth technologies</td></tr>
</tbody>
</table>
<h2>What stays in place</h2>
<p>The suspension does not cover the licensing of seven medium and heavy rare earths, including
dysprosium and terbium, that China introduced in April 2025. Exporters of those still need licences,
and buyers in Japan and Europe have told Meridian Wire that waiting times vary from
one application to the next.</p>
<p>A second pause, in Announcement No. 72 of 2025, suspended until 27 November 2026 the clause of a
December 2024 announcement that in principle banned exports of gallium, germanium and antimony to the
United States.</p>
<h2>Quiet from Beijing</h2>
<p>Eastern Industry Daily, a newspaper published by a group under the industry ministry, said this week
that the controls were “a normal practice of international export control” and that compliant trade
would be facilitated. It did not say whether the suspension would be extended. The desk has asked the
commerce ministry.</p>
""",
        "section": "policy",
        "authors": ["lin-qiao", "clara-venn"],
        "minerals": [
            "neodymium",
            "dysprosium",
            "terbium",
            "graphite",
            "lithium",
            "gallium",
            "germanium",
            "antimony",
        ],
        "countries": ["china", "united-states", "japan", "european-union"],
        "citations": [
            {
                "source": "mofcom",
                "url": "https://english.mofcom.gov.cn/",
                "title": "Announcements No. 70 and No. 72 of 2025",
                "note": "The six suspended announcements and the end date; the separate pause on the ban on "
                "exports to the United States.",
            },
            {
                "source": "eastern-industry-daily",
                "url": "https://www.eastern-industry-daily.example/trade/export-control-normal-practice",
                "title": "Export control is normal international practice, say officials",
                "note": "The official line as the suspension nears its end.",
            },
            {
                "source": "meridian-wire",
                "url": "https://www.meridianwire.example/metals/rare-earth-licences-buyers-year-on",
                "title": "A year on, buyers still wait on rare-earth licences",
                "note": "Buyers’ accounts of licence waiting times.",
            },
        ],
        "published_at": "2026-11-05T08:30:00+00:00",
        "status": "published",
        "hero": {
            "mineral": "terbium",
            "caption": "A year of suspension: the dates set by China’s commerce ministry.",
            "graphic": {
                "kind": "timeline",
                "title": "China’s suspended export controls",
                "events": [
                    ("4 Apr 2025", "Licences for seven rare earths (still in force)"),
                    ("9 Oct 2025", "Six new control announcements"),
                    ("7 Nov 2025", "Announcement No. 70 suspends them"),
                    ("10 Nov 2026", "Suspension ends"),
                    ("27 Nov 2026", "Pause on US ban ends"),
                ],
            },
        },
    },
]
