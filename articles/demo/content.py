"""
Demo content for `manage.py seed_demo`: a small, invented newsroom’s worth of sections,
tags, people, sources and articles.

Every outlet, company, person and figure here is invented for the demo; countries and
minerals are real. Articles refer to each other’s parts by slug, and `hours_ago` is
counted back from the moment the command runs (negative means scheduled ahead). The stories
on real events, with the real government bodies they cite, are in events.py and join the
lists below.
"""

from articles.demo import events

SECTIONS = [
    {
        "name": "Supply",
        "slug": "supply",
        "position": 1,
        "description": "Who mines, refines and ships critical minerals, and where the chokepoints are.",
    },
    {
        "name": "Policy",
        "slug": "policy",
        "position": 2,
        "description": "Export controls, licences, stockpiles and industrial policy, read closely.",
        "aliases": "export controls, export restrictions, export licences, export bans, trade policy",
    },
    {
        "name": "Markets",
        "slug": "markets",
        "position": 3,
        "description": "Prices, payables and trade flows, with the source behind every figure.",
    },
    {
        "name": "Mining",
        "slug": "mining",
        "position": 4,
        "description": "Projects, permits and production at the mine and the plant.",
    },
    {
        "name": "Technology",
        "slug": "technology",
        "position": 5,
        "description": "Research and engineering that change how much of each mineral industry needs.",
    },
]

MINERALS = [
    {
        "name": "Neodymium",
        "slug": "neodymium",
        "symbol": "Nd",
        "aliases": "neo, NdPr, neodymium-praseodymium, NdFeB",
        "description": "The light rare earth at the heart of permanent magnets for motors and turbines.",
    },
    {
        "name": "Dysprosium",
        "slug": "dysprosium",
        "symbol": "Dy",
        "aliases": "dy, heavy rare earths, HREE",
        "description": "A heavy rare earth added to magnets so they keep their strength when hot.",
    },
    {
        "name": "Terbium",
        "slug": "terbium",
        "symbol": "Tb",
        "aliases": "terbium oxide, Tb4O7",
        "description": "The scarcest of the magnet rare earths, used alongside or instead of dysprosium.",
    },
    {
        "name": "Lithium",
        "slug": "lithium",
        "symbol": "Li",
        "aliases": "lithium carbonate, lithium hydroxide, spodumene",
        "description": "The light metal in every lithium-ion battery, from brine or hard rock.",
    },
    {
        "name": "Cobalt",
        "slug": "cobalt",
        "symbol": "Co",
        "aliases": "cobalt hydroxide, cobalt sulphate",
        "description": "A battery cathode metal mined mostly as a by-product of copper and nickel.",
    },
    {
        "name": "Nickel",
        "slug": "nickel",
        "symbol": "Ni",
        "aliases": "nickel pig iron, NPI, MHP, class 1 nickel",
        "description": "Stainless steel’s main alloying metal and a growing share of battery cathodes.",
    },
    {
        "name": "Gallium",
        "slug": "gallium",
        "symbol": "Ga",
        "aliases": "gallium metal, GaN, gallium nitride",
        "description": "A by-product of alumina refining used in power chips, LEDs and radar.",
    },
    {
        "name": "Germanium",
        "slug": "germanium",
        "symbol": "Ge",
        "aliases": "germanium dioxide, GeO2",
        "description": "Recovered from zinc and coal ash; used in fibre optics, infrared optics and "
        "solar cells.",
    },
    {
        "name": "Graphite",
        "slug": "graphite",
        "symbol": "C",
        "aliases": "natural graphite, synthetic graphite, spherical graphite, anode material",
        "description": "The carbon in almost every battery anode, mined or made from petroleum coke.",
    },
    {
        "name": "Antimony",
        "slug": "antimony",
        "symbol": "Sb",
        "aliases": "antimony trioxide, stibnite",
        "description": "A flame retardant and alloying metal with uses in ammunition and solar glass.",
    },
]

# Hero graphics' colours for each mineral: (dark, light, accent).
HERO_PALETTES = {
    "neodymium": ("#2b1a4a", "#8e6bbf", "#e8c07d"),
    "dysprosium": ("#0f3b3a", "#4fa39a", "#f1d08a"),
    "terbium": ("#16361c", "#7fbf5a", "#e9f0a6"),
    "lithium": ("#3a0f1e", "#d0607a", "#f4e1e6"),
    "cobalt": ("#0b1f4d", "#3f6fd1", "#c9d8ff"),
    "nickel": ("#22302b", "#8fa89a", "#e6efe9"),
    "gallium": ("#1f2933", "#9fb3c8", "#f0f4f8"),
    "germanium": ("#2d2a26", "#a39e93", "#f2b84b"),
    "graphite": ("#111214", "#4a4f57", "#b8c0cc"),
    "antimony": ("#1d2230", "#6d7a96", "#d98e5f"),
}

HERO_SIZE = (1600, 900)
HERO_CREDIT = "Graphic: Newsroom graphics desk"

COUNTRIES = [
    {"name": "China", "slug": "china", "iso_code": "CN"},
    {"name": "Australia", "slug": "australia", "iso_code": "AU"},
    {"name": "Democratic Republic of the Congo", "slug": "dr-congo", "iso_code": "CD"},
    {"name": "Indonesia", "slug": "indonesia", "iso_code": "ID"},
    {"name": "Chile", "slug": "chile", "iso_code": "CL"},
    {"name": "United States", "slug": "united-states", "iso_code": "US"},
    {"name": "Myanmar", "slug": "myanmar", "iso_code": "MM"},
    {"name": "Japan", "slug": "japan", "iso_code": "JP"},
    {"name": "Malaysia", "slug": "malaysia", "iso_code": "MY"},
    {"name": "United Kingdom", "slug": "united-kingdom", "iso_code": "GB"},
    {"name": "Thailand", "slug": "thailand", "iso_code": "TH"},
    *events.COUNTRIES,
]

AUTHORS = [
    {
        "name": "Clara Venn",
        "slug": "clara-venn",
        "role": "Editor, London",
        "bio": "Clara Venn edits the critical minerals desk. She spent a decade reporting on metals "
        "markets before turning to the supply chains behind batteries and magnets.",
    },
    {
        "name": "Lin Qiao",
        "slug": "lin-qiao",
        "role": "China correspondent, Hong Kong",
        "bio": "Lin Qiao reports on China’s rare-earth industry and trade policy, and reads the state "
        "press closely so readers know what it says and what it leaves out.",
    },
    {
        "name": "Ayesha Rahman",
        "slug": "ayesha-rahman",
        "role": "Markets reporter, Singapore",
        "bio": "Ayesha Rahman covers prices and trade in battery metals, from nickel in Sulawesi to "
        "lithium in the Atacama.",
    },
    {
        "name": "Daniel Mbuyi",
        "slug": "daniel-mbuyi",
        "role": "Central Africa correspondent, Lubumbashi",
        "bio": "Daniel Mbuyi reports on copper and cobalt mining in the Democratic Republic of the Congo "
        "and Zambia, including the towns that grow up around the mines.",
    },
    {
        "name": "Hannah Kirby",
        "slug": "hannah-kirby",
        "role": "Asia-Pacific correspondent, Perth",
        "bio": "Hannah Kirby covers mining and processing projects in Australia and the research that "
        "could change how much of each rare earth industry needs.",
    },
]

DISCLAIMERS = [
    {
        "title": "State media",
        "text": (
            "{source} is a state-run outlet in {country}, owned by {owner} and controlled by {controller}. "
            "Its reports reflect official positions and are not independent journalism; we report what "
            "it says, not that it is true."
        ),
    },
    {
        "title": "Government statement",
        "text": "{source} is a government body in {country}. Its statements and figures are reported as "
        "published and have not been independently checked.",
    },
    {
        "title": "Company statement",
        "text": "{source} is a company with a commercial interest in what is reported here. It is owned by "
        "{owner}. Its figures come from its own disclosures and have not been independently audited.",
    },
    {
        "title": "Research estimate",
        "text": "{source} is a {kind} organisation based in {country}, funded by {owner}. Its figures are "
        "estimates made with its own methods; the desk could not check them on the ground.",
    },
    {
        "title": "Unverified figures",
        "text": "Figures in this article come from {source} and could not be independently verified "
        "by the desk.",
    },
]

USERS = [
    {
        "username": "editor",
        "first_name": "Demo",
        "last_name": "Editor",
        "email": "editor@localhost",
        "group": "Editors",
    },
    {
        "username": "writer",
        "first_name": "Demo",
        "last_name": "Writer",
        "email": "writer@localhost",
        "group": "Writers",
    },
]

SOURCES = [
    {
        "name": "Northern Star News Agency",
        "slug": "northern-star-news-agency",
        "kind": "state_media",
        "url": "https://www.northernstar-news.example/",
        "country": "china",
        "owner": "the central government",
        "controlled_by": "the ruling party’s central propaganda department",
        "notes": "The country’s main state news agency. Publishes in eight languages and supplies copy free "
        "to many foreign outlets. Its economic commentaries are often the first public sign of a "
        "policy change.",
        "default_disclaimer": "State media",
    },
    {
        "name": "Eastern Industry Daily",
        "slug": "eastern-industry-daily",
        "kind": "state_media",
        "url": "https://www.eastern-industry-daily.example/",
        "country": "china",
        "owner": "a publishing group under the industry ministry",
        "controlled_by": "the ruling party’s central propaganda department",
        "notes": "A trade newspaper for heavy industry. Carries official guidance for manufacturers and "
        "interviews with officials, usually unnamed.",
        "default_disclaimer": "State media",
    },
    {
        "name": "Meridian Wire",
        "slug": "meridian-wire",
        "kind": "wire",
        "url": "https://www.meridianwire.example/",
        "country": "united-kingdom",
        "owner": "Meridian Wire Holdings, held by an employee trust",
        "controlled_by": "",
        "notes": "An independent wire service with commodity reporters in London, Shanghai, Tokyo and "
        "Johannesburg. Its price surveys poll traders by telephone each week.",
        "default_disclaimer": "",
    },
    {
        "name": "Southern Cross Newswire",
        "slug": "southern-cross-newswire",
        "kind": "wire",
        "url": "https://www.southerncross-newswire.example/",
        "country": "australia",
        "owner": "a cooperative of regional newspapers",
        "controlled_by": "",
        "notes": "A regional wire service strong on mining in Western Australia and Queensland.",
        "default_disclaimer": "",
    },
    {
        "name": "Federal Minerals Coordination Office",
        "slug": "federal-minerals-coordination-office",
        "kind": "government",
        "url": "https://www.fmco.example/",
        "country": "united-states",
        "owner": "the federal government",
        "controlled_by": "the executive branch",
        "notes": "A federal office that coordinates stockpiling and financing for critical minerals. "
        "Publishes priority lists and funding notices; does not answer questions on the record.",
        "default_disclaimer": "Government statement",
    },
    {
        "name": "Directorate of Mineral Downstreaming",
        "slug": "directorate-of-mineral-downstreaming",
        "kind": "government",
        "url": "https://www.mineral-downstreaming.example/",
        "country": "indonesia",
        "owner": "the government of Indonesia",
        "controlled_by": "the energy and mineral resources ministry",
        "notes": "Sets rules for domestic processing of nickel, bauxite and other ores, including "
        "smelter permits.",
        "default_disclaimer": "Government statement",
    },
    {
        "name": "Tallowwood Rare Earths",
        "slug": "tallowwood-rare-earths",
        "kind": "company",
        "url": "https://www.tallowwood-re.example/",
        "country": "australia",
        "owner": "public shareholders; the founding family holds about 14%",
        "controlled_by": "",
        "notes": "A listed rare-earth miner with one operating mine and a concentrator in Western Australia.",
        "default_disclaimer": "Company statement",
    },
    {
        "name": "Upper Lufira Cobalt",
        "slug": "upper-lufira-cobalt",
        "kind": "company",
        "url": "https://www.upperlufira.example/",
        "country": "dr-congo",
        "owner": "Upper Lufira Holdings (80%, registered in Mauritius) and the Congolese state (20%)",
        "controlled_by": "Upper Lufira Holdings",
        "notes": (
            "Operates a copper-cobalt mine and two hydroxide processing lines near Likasi, Haut-Katanga."
        ),
        "default_disclaimer": "Company statement",
    },
    {
        "name": "El Diario del Salar",
        "slug": "el-diario-del-salar",
        "kind": "newspaper",
        "url": "https://www.diariodelsalar.example/",
        "country": "chile",
        "owner": "Grupo Aranda Medios, a family-owned regional publisher",
        "controlled_by": "",
        "notes": "A regional daily in Antofagasta that covers the lithium and copper industries closely.",
        "default_disclaimer": "",
    },
    {
        "name": "Archipelago Business Review",
        "slug": "archipelago-business-review",
        "kind": "newspaper",
        "url": "https://www.archipelago-review.example/",
        "country": "indonesia",
        "owner": "PT Lintas Media Nusantara",
        "controlled_by": "the Sasmita family",
        "notes": "A Jakarta business daily. Its owners also hold stakes in two nickel smelter projects, "
        "which it discloses in its coverage.",
        "default_disclaimer": "",
    },
    {
        "name": "Institute for Strategic Materials Studies",
        "slug": "institute-for-strategic-materials-studies",
        "kind": "research",
        "url": "https://www.ismstudies.example/",
        "country": "japan",
        "owner": "member companies and a government research grant",
        "controlled_by": "",
        "notes": "A research foundation in Tokyo. Its members include magnet and motor makers; it publishes "
        "summaries before peer review.",
        "default_disclaimer": "Research estimate",
    },
    {
        "name": "Salween Border Monitor",
        "slug": "salween-border-monitor",
        "kind": "research",
        "url": "https://www.salweenmonitor.example/",
        "country": "thailand",
        "owner": "private donors and two foundations",
        "controlled_by": "",
        "notes": (
            "A research group in Chiang Mai that tracks mining in Myanmar’s border states from satellite "
            "images and informants. It campaigns against unregulated mining."
        ),
        "default_disclaimer": "Research estimate",
    },
    *events.SOURCES,
]

ARTICLES = [
    {
        "slug": "magnet-export-licences-slow-shipments",
        "title": "Export licences slow rare-earth magnet shipments as backlog builds",
        "dek": "Magnet exporters wait weeks for approvals, a state agency says, while buyers in Japan and "
        "the United States report thinner deliveries.",
        "highlights": [
            "Licences take 30 to 45 working days, Northern Star News Agency says, citing exporters",
            "Magnet shipments fell 18% from the month before in the agency’s figures",
            "Buyers in Japan are drawing down stock built up last year",
            "Grades rich in dysprosium and terbium are the hardest to replace",
        ],
        "body": """
<p>Exporters of rare-earth permanent magnets are waiting between 30 and 45 working days for licences,
according to Northern Star News Agency, the state-run outlet, which cited three producers in the eastern
coastal provinces. The agency called the process “orderly and rules-based” and said most applications
were eventually approved.</p>
<p>Its own figures point to a slower trade. Magnet shipments fell 18% from the month before, the agency
said, though it gave no breakdown by destination or grade. Meridian Wire, reporting from Tokyo, quoted two
purchasing managers at motor makers who said deliveries had become “lumpy” and that they were drawing on
stock built up last year.</p>
<table>
<caption>Magnet exports as reported by Northern Star News Agency, in tonnes</caption>
<thead><tr><th scope="col">Period</th><th scope="col">Tonnes</th><th scope="col">Change</th></tr></thead>
<tbody>
<tr><td>Monthly average, previous quarter</td><td>5,190</td><td>–</td></tr>
<tr><td>Last month</td><td>5,340</td><td>+3%</td></tr>
<tr><td>This month</td><td>4,380</td><td>−18%</td></tr>
</tbody>
</table>
<h2>Where the backlog bites</h2>
<p>The licences cover sintered neodymium-iron-boron magnets and the alloys used to make them. Grades that
carry dysprosium or terbium, which keep magnets working at the temperatures inside traction motors, are
the hardest to source elsewhere, according to the Institute for Strategic Materials Studies in Tokyo.</p>
<p>The institute said plants in Japan could cover only a small share of demand outside China, and that
new capacity in Australia and the United States would take years to qualify with car makers.</p>
<p>The desk could not independently verify the agency’s shipment figures. Official customs data for the
month has not yet been published.</p>
""",
        "section": "supply",
        "authors": ["lin-qiao", "clara-venn"],
        "minerals": ["neodymium", "dysprosium", "terbium"],
        "countries": ["china", "japan", "united-states"],
        "citations": [
            {
                "source": "northern-star-news-agency",
                "url": "https://www.northernstar-news.example/economy/magnet-licences-orderly",
                "title": "Magnet exporters adapt to licence system as trade stays orderly",
                "note": "Licence waiting times and monthly shipment figures.",
            },
            {
                "source": "meridian-wire",
                "url": "https://www.meridianwire.example/metals/japan-motor-makers-magnet-stocks",
                "title": "Japanese motor makers draw on magnet stocks as deliveries slow",
                "note": "Buyers’ comments from Tokyo.",
            },
            {
                "source": "institute-for-strategic-materials-studies",
                "url": "https://www.ismstudies.example/briefs/heavy-rare-earth-substitution",
                "title": "Heavy rare earths in traction motors: the limits of substitution",
                "note": "Why dysprosium and terbium grades are hardest to replace.",
            },
        ],
        "hours_ago": 3,
        "status": "published",
        "is_featured": True,
        "hero": {
            "mineral": "neodymium",
            "graphic": {
                "kind": "map",
                "title": "Where the delayed magnets go",
                "points": [
                    ("Eastern China", 31.2, 121.5),
                    ("Japan", 35.7, 139.7),
                    ("United States", 37.0, -100.0),
                ],
                "routes": [(0, 1), (0, 2)],
            },
            "caption": "Sintered magnets need neodymium for strength and dysprosium or terbium "
            "to survive heat.",
        },
    },
    {
        "slug": "gallium-germanium-checks-state-media",
        "title": "State media say tighter gallium and germanium checks will ‘protect national security’",
        "dek": "Two state-run outlets describe new end-user checks on gallium and germanium exports as "
        "routine. Neither gave a start date or named the products covered.",
        "highlights": [
            "Northern Star News Agency and Eastern Industry Daily both call the checks routine",
            "Exporters must name end users and promise no re-export, the reports say",
            "Neither outlet gave a start date or a product list",
        ],
        "body": """
<p>New end-user checks on exports of gallium and germanium will “protect national security and
interests” and are “in line with international practice”, Northern Star News Agency said in a
commentary.</p>
<p>Eastern Industry Daily, a newspaper published by a group under the industry ministry, said exporters
would have to name the final user of each shipment and undertake that the metals would not be passed on
to third countries. It quoted an unnamed official as saying that “normal trade will not be affected”.</p>
<blockquote><p>“Compliant exporters have nothing to fear. The measures concern only a very small number of
end uses that threaten the country’s security.”</p>
<cite>Northern Star News Agency, commentary</cite></blockquote>
<p>Neither report gave a date for the checks to take effect, a list of the products covered or the number
of licences already issued. Several paragraphs in the two reports were worded almost identically, a
pattern common when state outlets publish guidance from the same official briefing.</p>
<h2>Why it matters</h2>
<p>China refines most of the world’s gallium, a by-product of alumina production used in power chips and
radar, and much of its germanium, which goes into fibre optics and infrared lenses. Buyers elsewhere have
little spare capacity to turn to at short notice.</p>
<p>This report relies only on state media. The desk has asked the commerce ministry for the text of the
rules and will update this article if it is published.</p>
""",
        "section": "policy",
        "authors": ["lin-qiao"],
        "minerals": ["gallium", "germanium"],
        "countries": ["china"],
        "citations": [
            {
                "source": "northern-star-news-agency",
                "url": "https://www.northernstar-news.example/commentary/gallium-germanium-security",
                "title": "Commentary: export checks on key metals protect national security",
                "note": "The official justification and the quoted commentary.",
            },
            {
                "source": "eastern-industry-daily",
                "url": "https://www.eastern-industry-daily.example/trade/end-user-checks-explained",
                "title": "End-user checks explained for metal exporters",
                "note": "What exporters must declare.",
            },
        ],
        "hours_ago": 10,
        "status": "published",
        "corrections": [
            {
                "kind": "clarification",
                "text": (
                    "An earlier version of this article did not say that Eastern Industry Daily is published "
                    "by a group under the industry ministry. It is."
                ),
            },
        ],
        "hero": {
            "mineral": "gallium",
            "graphic": {
                "kind": "timeline",
                "title": "What the state press has said about the checks",
                "events": [
                    ("Commentary", "Checks “protect national security”, state agency says"),
                    ("Trade paper", "Exporters to name each end user"),
                    ("Start date", "Not given"),
                    ("Product list", "Not given"),
                ],
            },
            "caption": "Gallium and germanium are by-products of aluminium and zinc refining.",
        },
    },
    {
        "slug": "cobalt-hydroxide-payables-rise",
        "title": "Cobalt hydroxide payables rise as Congo quota talks drag on",
        "dek": "Buyers are paying a larger share of the metal price for intermediate cobalt as they worry "
        "about supply from the Democratic Republic of the Congo, a wire service reports.",
        "highlights": [
            "Payables rose to about 78% of the metal price from 71% a month ago, Meridian Wire says",
            "Traders cite uncertainty over export quotas in the DRC",
            "Refiners in China are running down stocks of intermediate material",
        ],
        "body": """
<p>Buyers of cobalt hydroxide, the intermediate product most Congolese mines ship to refiners, are paying
a larger share of the metal price as talks on export quotas drag on, Meridian Wire reported, citing five
traders in Shanghai, Lubumbashi and London.</p>
<p>Payables, the percentage of the benchmark metal price that buyers pay for the cobalt contained in
hydroxide, rose to about 78% this week from 71% a month ago, the wire said.</p>
<table>
<caption>Cobalt hydroxide payables in Meridian Wire’s trader survey</caption>
<thead><tr><th scope="col">Survey</th><th scope="col">Payable, % of metal price</th></tr></thead>
<tbody>
<tr><td>Three months ago</td><td>64%</td></tr>
<tr><td>One month ago</td><td>71%</td></tr>
<tr><td>This week</td><td>78%</td></tr>
</tbody>
</table>
<p>Traders told the wire that refiners in China were running down stocks of intermediate material and
bidding for spot cargoes rather than waiting for term contracts to be renewed.</p>
<p>“Nobody wants to be the refiner that runs out,” one trader was quoted as saying. The price of refined
metal moved less, the wire said, because warehouse stocks of cobalt metal remain high.</p>
<p>This article relies on a single wire report. The desk has not seen the survey data behind the figures.</p>
""",
        "section": "markets",
        "authors": ["ayesha-rahman"],
        "minerals": ["cobalt"],
        "countries": ["dr-congo", "china"],
        "citations": [
            {
                "source": "meridian-wire",
                "url": "https://www.meridianwire.example/metals/cobalt-hydroxide-payables-survey",
                "title": "Cobalt hydroxide payables climb as quota uncertainty lingers",
                "note": "Weekly trader survey of payables.",
            },
        ],
        "disclaimer": "Unverified figures",
        "hours_ago": 20,
        "status": "published",
        "hero": {
            "mineral": "cobalt",
            "graphic": {
                "kind": "chart",
                "title": "Cobalt hydroxide payables climb",
                "unit": "Payable, % of the metal price",
                "suffix": "%",
                "bars": [("Three months ago", 64), ("One month ago", 71), ("This week", 78)],
                "source": "Meridian Wire trader survey",
            },
            "caption": "Most Congolese cobalt leaves the country as hydroxide, an intermediate product.",
        },
    },
    {
        "slug": "upper-lufira-restarts-second-line",
        "title": "Upper Lufira restarts second cobalt line after weeks of power cuts",
        "dek": "The miner says its second processing line in Haut-Katanga is back at full rate after grid "
        "repairs. The figures come from the company alone.",
        "highlights": [
            "Second line back at full rate after grid repairs, the company says",
            "Guidance unchanged at 11,000 to 12,500 tonnes of contained cobalt for the year",
            "The company has installed 40 MW of diesel backup",
        ],
        "body": """
<p>Upper Lufira Cobalt said its second processing line near Likasi had returned to full rate after
repairs to the regional grid ended weeks of rolling power cuts. The company made the announcement in a
statement to investors.</p>
<p>The miner kept its output guidance at between 11,000 and 12,500 tonnes of contained cobalt for the
year, saying lost production would be made up in the final quarter. It did not say how many tonnes were
lost during the outages.</p>
<h2>Backup power</h2>
<p>Upper Lufira said it had installed 40 megawatts of diesel generation and was negotiating a solar plant
with battery storage. Mines across the copper-cobalt belt have long contended with a grid that struggles
to keep up with new processing plants.</p>
<ul>
<li>Line two: back at nameplate capacity, the company says</li>
<li>Line one: ran throughout the outages</li>
<li>Backup: 40 MW of diesel installed; solar with storage under negotiation</li>
</ul>
<p>Upper Lufira is 80% owned by Upper Lufira Holdings, registered in Mauritius, and 20% by the Congolese
state. The figures in this article come from the company and have not been independently checked.</p>
""",
        "section": "mining",
        "authors": ["daniel-mbuyi"],
        "minerals": ["cobalt"],
        "countries": ["dr-congo"],
        "citations": [
            {
                "source": "upper-lufira-cobalt",
                "url": "https://www.upperlufira.example/investors/line-two-restart",
                "title": "Operational update: line two restarted at full rate",
                "note": "Restart, guidance and backup power.",
            },
        ],
        "hours_ago": 50,
        "status": "published",
        "hero": {
            "mineral": "cobalt",
            "graphic": {
                "kind": "map",
                "title": "The copper-cobalt belt of Haut-Katanga",
                "points": [("Kolwezi", -10.7, 25.5, "left"), ("Likasi", -11.0, 26.7)],
            },
            "caption": "Processing lines in the copper-cobalt belt depend on an overstretched grid.",
        },
    },
    {
        "slug": "indonesia-weighs-nickel-smelter-permit-cap",
        "title": "Indonesia weighs a cap on new nickel smelter permits",
        "dek": "A government directorate is consulting on limits to new smelters that make nickel pig iron, "
        "citing pressure on ore reserves. A Jakarta business daily reports industry pushback.",
        "highlights": [
            "Options include a permit moratorium and a minimum ore-reserve test",
            "Acid leach plants making battery nickel would be exempt under one option",
            "Smelter owners warn of stranded investment, a business daily reports",
        ],
        "body": """
<p>Indonesia’s Directorate of Mineral Downstreaming has opened a consultation on limiting permits for new
nickel smelters, saying the country’s reserves of high-grade saprolite ore must be “managed for the long
term”.</p>
<p>The consultation paper sets out three options:</p>
<ol>
<li>a moratorium on new permits for rotary kiln-electric furnace smelters, which make nickel pig iron for
stainless steel;</li>
<li>a test requiring each new smelter to show ore reserves for at least 15 years of operation;</li>
<li>no new limits, with stricter environmental review instead.</li>
</ol>
<p>Under the first option, high-pressure acid leach plants, which turn lower-grade limonite ore into
intermediates for battery makers, would be exempt. The directorate said it would decide after the
consultation closes in six weeks.</p>
<h2>Industry response</h2>
<p>Archipelago Business Review reported that smelter owners in Central and South-East Sulawesi had lobbied
against a moratorium, arguing that projects already financed could be stranded. The newspaper quoted an
industry association official as saying that “the rules should not change in the middle of the game”.
Its owners hold stakes in two smelter projects, which the newspaper disclosed.</p>
<p>Indonesia has become the world’s largest nickel producer since it banned exports of unprocessed ore.
The directorate did not say how a cap would affect cobalt, which acid leach plants recover as a
by-product.</p>
""",
        "section": "policy",
        "authors": ["ayesha-rahman"],
        "minerals": ["nickel", "cobalt"],
        "countries": ["indonesia"],
        "citations": [
            {
                "source": "directorate-of-mineral-downstreaming",
                "url": "https://www.mineral-downstreaming.example/consultations/smelter-permits",
                "title": "Consultation paper: sustainable management of nickel ore reserves",
                "note": "The three options and the timetable.",
            },
            {
                "source": "archipelago-business-review",
                "url": "https://www.archipelago-review.example/mining/smelter-owners-push-back",
                "title": "Smelter owners push back against permit freeze",
                "note": "Industry reaction.",
            },
        ],
        "hours_ago": 74,
        "status": "published",
        "hero": {
            "mineral": "nickel",
            "graphic": {
                "kind": "timeline",
                "title": "Indonesia’s smelter permit consultation",
                "events": [
                    ("Opened", "Three options, from a moratorium to no new limits"),
                    ("Six weeks on", "Consultation closes"),
                    ("Then", "The directorate decides"),
                ],
            },
            "caption": "Nickel pig iron smelters process high-grade saprolite ore from Sulawesi.",
        },
    },
    {
        "slug": "magnet-recipe-halves-dysprosium",
        "title": "Researchers describe a magnet recipe that halves dysprosium use",
        "dek": "A Tokyo institute reports laboratory magnets that keep their strength at motor temperatures "
        "with half the usual dysprosium. Scaling it up is another matter.",
        "highlights": [
            "Grain-boundary diffusion cut dysprosium content by about half in laboratory samples",
            "Samples kept their resistance to demagnetisation at 180°C, the institute says",
            "The work has not been peer reviewed or tested over a motor’s lifetime",
        ],
        "body": """
<p>The Institute for Strategic Materials Studies said it had made sintered neodymium magnets that hold
their strength at 180°C while containing roughly half the dysprosium used in comparable commercial
grades.</p>
<p>The technique builds on grain-boundary diffusion, in which a heavy rare earth is applied to the surface
of a finished magnet and heated so that it travels along the boundaries between grains rather than
through them. The institute said a new coating and a two-step heat treatment concentrated dysprosium and
terbium where they matter most.</p>
<h2>What the results show</h2>
<p>The institute published results for 40 samples. Coercivity, a magnet’s resistance to demagnetisation,
was within 4% of a reference grade at 180°C, it said, while remanence, a measure of the magnet’s
strength, was unchanged.</p>
<blockquote><p>“The heavy rare earth does its work at the grain boundaries. Most of what sits inside the
grains is wasted.”</p><cite>Institute for Strategic Materials Studies, research summary</cite></blockquote>
<h2>What they do not show</h2>
<p>The samples were small, and the institute said it had not yet tested them over the thousands of hours
of temperature cycling that car makers require. Diffusion works best on thin magnets, which limits the
shapes that can be made.</p>
<p>The work has not been peer reviewed. The institute is funded by member companies, some of which make
magnets, and by a government grant.</p>
""",
        "section": "technology",
        "authors": ["hannah-kirby"],
        "minerals": ["dysprosium", "terbium", "neodymium"],
        "countries": ["japan"],
        "citations": [
            {
                "source": "institute-for-strategic-materials-studies",
                "url": "https://www.ismstudies.example/research/two-step-diffusion-magnets",
                "title": "Two-step grain-boundary diffusion for low-dysprosium sintered magnets",
                "note": "Method and test results.",
            },
        ],
        "hours_ago": 98,
        "status": "published",
        "hero": {
            "mineral": "dysprosium",
            "graphic": {
                "kind": "chart",
                "title": "Roughly half the dysprosium, the institute says",
                "unit": "Dysprosium content, comparable commercial grade = 100",
                "bars": [("Commercial grade", 100), ("Laboratory samples", 50)],
                "source": "Institute for Strategic Materials Studies",
            },
            "caption": "Dysprosium keeps magnets working at the heat of a traction motor.",
        },
    },
    {
        "slug": "kachin-rare-earth-leaching-sites",
        "title": "Monitors report new rare-earth leaching sites in Myanmar’s Kachin hills",
        "dek": "Satellite images show dozens of new leaching sites near the Chinese border, a research group "
        "says. Refiners across the border depend heavily on the ore.",
        "highlights": [
            "Salween Border Monitor counts 74 new leaching sites since the start of the year",
            "Most lie within 20 km of the border with China, the group says",
            "A Chinese state outlet calls concentrate imports “stable and orderly”",
        ],
        "body": """
<p>Salween Border Monitor, a research group in Thailand that tracks mining in Myanmar, said it had found
74 new in-situ leaching sites in Kachin State since the start of the year, most of them within 20
kilometres of the border with China.</p>
<p>The group counted the sites from satellite images, looking for the lined ponds where chemicals pumped
into hillsides dissolve rare earths from ion-adsorption clays. It has not visited the sites, which lie in
areas held by armed groups.</p>
<p>Ion-adsorption clays are the world’s main source of the heavy rare earths dysprosium and terbium, and
Myanmar has become a leading supplier of the concentrate to refiners across the border.</p>
<h2>What state media say</h2>
<p>Northern Star News Agency reported that imports of rare-earth concentrate through border crossings in
Yunnan province had been “stable and orderly” this year, without giving figures. It did not mention the
landslides and polluted streams that the monitor says follow the leaching.</p>
<p>The monitor called on magnet makers to trace where their heavy rare earths come from. “Every refiner on
the other side of the border knows where this ore is dug,” it said in its report.</p>
<p>The desk could not independently verify the monitor’s count. Access to the area is restricted.</p>
""",
        "section": "supply",
        "authors": ["lin-qiao", "clara-venn"],
        "minerals": ["dysprosium", "terbium"],
        "countries": ["myanmar", "china"],
        "citations": [
            {
                "source": "salween-border-monitor",
                "url": "https://www.salweenmonitor.example/reports/kachin-leaching-sites",
                "title": "Kachin leaching sites: a satellite count",
                "note": "The count of new sites and their locations.",
            },
            {
                "source": "northern-star-news-agency",
                "url": "https://www.northernstar-news.example/economy/border-trade-concentrate",
                "title": "Border trade in mineral concentrate stable and orderly",
                "note": "The official account of imports.",
            },
        ],
        "hours_ago": 122,
        "status": "published",
        "hero": {
            "mineral": "terbium",
            "graphic": {
                "kind": "map",
                "title": "From Kachin’s hills to Yunnan’s refiners",
                "points": [
                    ("Kachin State", 25.6, 97.4, "left"),
                    ("Yunnan border crossings", 24.8, 98.9),
                    ("Chiang Mai", 18.8, 99.0),
                ],
                "routes": [(0, 1)],
            },
            "caption": "Ion-adsorption clays yield most of the world’s dysprosium and terbium.",
        },
    },
    {
        "slug": "lithium-carbonate-holds-floor-chile",
        "title": "Lithium carbonate holds its floor as Chilean brine output climbs",
        "dek": "Producers in the Atacama are pumping more brine even at low prices, a regional newspaper "
        "reports, while Australian miners trim spodumene output.",
        "highlights": [
            "Chilean lithium carbonate exports rose 12% from a year earlier, El Diario del Salar reports",
            "Two Australian spodumene concentrators have been idled, a regional wire says",
            "Prices have moved in a narrow band for three months",
        ],
        "body": """
<p>Lithium producers in Chile’s Salar de Atacama exported 12% more lithium carbonate last month than a year
earlier, El Diario del Salar reported, citing port records in Antofagasta and Mejillones.</p>
<p>Brine producers have some of the lowest costs in the industry: the lithium is concentrated in
evaporation ponds by the desert sun before it is processed. That lets them keep pumping at prices that
force miners of hard rock elsewhere to cut back.</p>
<p>In Western Australia, two spodumene concentrators have been put on care and maintenance since the start
of the quarter, Southern Cross Newswire reported, and a third has cut shifts.</p>
<h2>A narrow band</h2>
<p>The two trends have roughly offset each other. Battery-grade carbonate prices have moved within a narrow
band for three months, traders told the newswire, with buyers in China restocking whenever prices touch
the bottom of the range.</p>
<p>The newspaper said water use in the salar remained the main question for regulators, and that two
producers had applied to extend their extraction quotas.</p>
""",
        "section": "markets",
        "authors": ["ayesha-rahman"],
        "minerals": ["lithium"],
        "countries": ["chile", "australia", "china"],
        "citations": [
            {
                "source": "el-diario-del-salar",
                "url": "https://www.diariodelsalar.example/economia/exportaciones-litio-suben",
                "title": "Exportaciones de carbonato de litio suben un 12%",
                "note": "Export figures from port records.",
            },
            {
                "source": "southern-cross-newswire",
                "url": "https://www.southerncross-newswire.example/mining/spodumene-concentrators-idled",
                "title": "Second spodumene concentrator goes on care and maintenance",
                "note": "Australian curtailments and price band.",
            },
        ],
        "hours_ago": 146,
        "status": "published",
        "hero": {
            "mineral": "lithium",
            "graphic": {
                "kind": "chart",
                "title": "Chile’s lithium carbonate exports up 12%",
                "unit": "Exports last month, same month a year earlier = 100",
                "bars": [("A year earlier", 100), ("Last month", 112)],
                "source": "El Diario del Salar, from port records",
            },
            "caption": "Brine evaporation ponds give Chile’s producers a cost advantage.",
        },
    },
    {
        "slug": "tallowwood-separation-plant-plan",
        "title": "Tallowwood files plans for a heavy rare-earth separation plant in Western Australia",
        "dek": "The company wants to separate dysprosium and terbium at home rather than ship mixed "
        "carbonate abroad. Environmental approval could take a year.",
        "highlights": [
            "The plant would process up to 1,500 tonnes a year of mixed rare-earth carbonate",
            "The company puts the cost at A$480 million and is seeking government loans",
            "Environmental approval is expected to take about twelve months",
        ],
        "body": """
<p>Tallowwood Rare Earths has filed plans with the Western Australian environmental regulator for a plant
to separate heavy rare earths, the company said in a statement.</p>
<p>The plant would take up to 1,500 tonnes a year of mixed rare-earth carbonate from the company’s
concentrator and produce separated dysprosium and terbium oxides, as well as a neodymium-praseodymium
oxide for magnet makers.</p>
<p>Tallowwood currently ships its mixed carbonate to toll processors in Malaysia and China. Separating it at
home would give buyers in Japan, Europe and the United States a supply chain that does not pass through
China, the company said.</p>
<h2>Money and time</h2>
<p>The company put the cost at A$480 million and said it was in talks with government lenders about debt
to cover more than half of it. Southern Cross Newswire reported that the environmental assessment was
expected to take about twelve months, and that the plan had drawn questions from local residents about
the storage of slightly radioactive residues.</p>
<p>Tallowwood said residues would be stored on site in lined facilities. The figures in this article come
from the company.</p>
""",
        "section": "mining",
        "authors": ["hannah-kirby"],
        "minerals": ["dysprosium", "terbium", "neodymium"],
        "countries": ["australia", "malaysia", "china"],
        "citations": [
            {
                "source": "tallowwood-rare-earths",
                "url": "https://www.tallowwood-re.example/news/separation-plant-filing",
                "title": "Tallowwood lodges environmental referral for heavy rare-earth separation plant",
                "note": "Capacity, cost and financing.",
            },
            {
                "source": "southern-cross-newswire",
                "url": "https://www.southerncross-newswire.example/mining/tallowwood-plant-residents",
                "title": "Residents question rare-earth plant residue plans",
                "note": "Approval timetable and local concerns.",
            },
        ],
        "hours_ago": 170,
        "status": "published",
        "hero": {
            "mineral": "dysprosium",
            "graphic": {
                "kind": "map",
                "title": "Where Tallowwood’s carbonate goes today",
                "points": [
                    ("Western Australia", -27.5, 121.0),
                    ("Malaysia", 3.8, 103.3),
                    ("China", 31.0, 118.0),
                ],
                "routes": [(0, 1), (0, 2)],
            },
            "caption": "Separation turns mixed rare-earth carbonate into individual oxides.",
        },
    },
    {
        "slug": "anode-makers-test-synthetic-graphite-blends",
        "title": "Anode makers test synthetic graphite blends as export checks bite",
        "dek": "Battery anode producers in Japan and the United States are mixing more synthetic graphite "
        "into their products, a wire service reports. A Chinese state newspaper says trade is normal.",
        "highlights": [
            "Anode makers are qualifying blends with up to 70% synthetic graphite, Meridian Wire says",
            "Eastern Industry Daily says graphite exports are “proceeding normally”",
            "Synthetic graphite costs more and uses more energy to make",
        ],
        "body": """
<p>Makers of battery anodes in Japan and the United States are testing blends that contain up to 70%
synthetic graphite, Meridian Wire reported, as licensing rules slow shipments of natural flake graphite
from China.</p>
<p>Synthetic graphite, made by heating petroleum needle coke to very high temperatures, performs well in
fast-charging cells but costs more and uses far more energy to produce than the spherical graphite made
from mined flake.</p>
<p>Eastern Industry Daily, a state-owned trade newspaper, said graphite exports were “proceeding normally”
and that licences were being granted to “compliant enterprises”. It gave no figures.</p>
<h2>What buyers are doing</h2>
<ul>
<li>Qualifying synthetic-heavy blends with cell makers, which takes six to twelve months</li>
<li>Signing offtake deals with flake projects in Africa and Australia</li>
<li>Holding more stock: two buyers told the wire they now keep three months of material</li>
</ul>
<p>China makes the great majority of the world’s anode material, natural and synthetic, so a shift in
the blend changes the product more than the supplier.</p>
""",
        "section": "technology",
        "authors": ["hannah-kirby", "ayesha-rahman"],
        "minerals": ["graphite"],
        "countries": ["china", "japan", "united-states"],
        "citations": [
            {
                "source": "meridian-wire",
                "url": "https://www.meridianwire.example/batteries/anode-makers-synthetic-blends",
                "title": "Anode makers turn to synthetic graphite blends",
                "note": "Buyers’ plans and blend ratios.",
            },
            {
                "source": "eastern-industry-daily",
                "url": "https://www.eastern-industry-daily.example/trade/graphite-exports-normal",
                "title": "Graphite exports proceeding normally, say officials",
                "note": "The official account of exports.",
            },
        ],
        "hours_ago": 194,
        "status": "published",
        "hero": {
            "mineral": "graphite",
            "graphic": {
                "kind": "chart",
                "title": "Anode blends being tested",
                "unit": "Share of the blend, at most synthetic",
                "suffix": "%",
                "bars": [("Natural flake graphite", 30), ("Synthetic graphite", 70)],
                "source": "Meridian Wire",
            },
            "caption": "Almost every lithium-ion battery anode is made of graphite.",
        },
    },
    {
        "slug": "stockpile-priorities-antimony-germanium",
        "title": "US minerals office names antimony and germanium among stockpile priorities",
        "dek": "A federal coordination office has published a list of ten materials it wants to buy for the "
        "national stockpile, led by antimony, germanium and gallium.",
        "highlights": [
            "Antimony, germanium and gallium head the office’s list of ten materials",
            "Purchases depend on funding that has not been approved, the office says",
            "The list is open for public comment for 30 days",
        ],
        "body": """
<p>The Federal Minerals Coordination Office has published a list of ten materials it wants to add to the
national stockpile, with antimony, germanium and gallium at the top.</p>
<p>The office said the list reflected “supply concentration, import dependence and defence demand”. It
gave the main reasons for its first three choices:</p>
<table>
<caption>Top three stockpile priorities, as published by the office</caption>
<thead>
<tr><th scope="col">Material</th><th scope="col">Main uses</th><th scope="col">Reason given</th></tr>
</thead>
<tbody>
<tr><td>Antimony</td><td>Ammunition, flame retardants, solar glass</td><td>No domestic mine output</td></tr>
<tr><td>Germanium</td><td>Infrared optics, fibre optics</td>
<td>Export licensing by the main supplier</td></tr>
<tr><td>Gallium</td><td>Radar, power electronics</td><td>No domestic primary production</td></tr>
</tbody>
</table>
<p>Purchases would depend on funding that has not yet been approved, the office said. It did not say how
much material it wanted to buy or at what price.</p>
<p>The list is open for public comment for 30 days. The office does not answer questions on the record,
and a spokesperson referred the desk to the published notice.</p>
""",
        "section": "policy",
        "authors": ["clara-venn"],
        "minerals": ["antimony", "germanium", "gallium"],
        "countries": ["united-states", "china"],
        "citations": [
            {
                "source": "federal-minerals-coordination-office",
                "url": "https://www.fmco.example/notices/stockpile-priority-list",
                "title": "Notice: proposed stockpile priority materials",
                "note": "The list and the reasons given.",
            },
        ],
        "hours_ago": 218,
        "status": "published",
    },
    {
        "slug": "week-ahead-licences-quotas-magnet-plant",
        "title": "The week ahead: licences, quotas and a magnet plant decision",
        "dek": "What the desk is watching over the next seven days: magnet licence data, Congo’s quota talks "
        "and a planning decision in Western Australia.",
        "highlights": [
            "Monthly customs data will show whether magnet exports recovered",
            "Cobalt traders await an update on export quotas",
            "A planning board meets on a rare-earth processing site",
        ],
        "body": """
<p>Customs data due this week will show whether rare-earth magnet exports recovered after a month in which
state media reported an 18% fall. Buyers in Japan will be watching shipments of dysprosium-rich grades.</p>
<p>In the Democratic Republic of the Congo, traders expect an update on cobalt export quotas. Meridian
Wire’s weekly survey of hydroxide payables will show how nervous buyers remain.</p>
<h2>Also on the desk’s list</h2>
<ul>
<li>A planning board in Western Australia meets to consider a rare-earth processing site</li>
<li>The consultation on Indonesia’s smelter permits reaches its midpoint</li>
</ul>
<p>The desk will report each of these as the news comes in.</p>
""",
        "section": "supply",
        "authors": ["clara-venn"],
        "minerals": ["neodymium", "dysprosium", "cobalt"],
        "countries": ["china", "dr-congo", "australia"],
        "citations": [
            {
                "source": "meridian-wire",
                "url": "https://www.meridianwire.example/diary/metals-week-ahead",
                "title": "Metals diary: the week ahead",
                "note": "Dates of data releases.",
            },
        ],
        "hours_ago": -48,
        "status": "published",
        "hero": {
            "mineral": "neodymium",
            "graphic": {
                "kind": "map",
                "title": "On the desk’s list this week",
                "points": [
                    ("China", 34.0, 112.0),
                    ("DR Congo", -6.0, 23.5),
                    ("Western Australia", -27.5, 121.0),
                ],
            },
            "caption": "The week’s events across rare earths and battery metals.",
        },
    },
    {
        "slug": "explainer-who-owns-rare-earth-news",
        "title": "Explainer: who owns the outlets that report on rare earths",
        "dek": "State agencies, wire services, company statements: a guide to the sources behind the "
        "headlines, and why the desk labels each one.",
        "highlights": [
            "Much first news on export rules comes from state media",
            "Wire services poll traders; companies report their own figures",
            "Every source the desk cites is listed with its owner",
        ],
        "body": """
<p>Much of the first news about rare-earth export rules comes from state media, and much of the price
news from wire services that poll traders. Company figures come from the companies. Each kind of source
is useful; none is neutral.</p>
<h2>How the desk labels sources</h2>
<ul>
<li><strong>State media</strong>: outlets owned and controlled by a state. We say so every time.</li>
<li><strong>Wire services</strong>: agencies that sell news to other outlets.</li>
<li><strong>Companies and governments</strong>: statements by interested parties, reported as such.</li>
</ul>
<p>Where a story rests on one source, or only on state media, the article says so in a label above its
list of sources.</p>
<p>The source register lists every outlet we cite, who owns it and who controls it.</p>
""",
        "section": "policy",
        "authors": ["clara-venn"],
        "minerals": ["neodymium"],
        "countries": ["china"],
        "citations": [
            {
                "source": "northern-star-news-agency",
                "url": "",
                "title": "",
                "note": "An example of state media.",
            },
            {"source": "meridian-wire", "url": "", "title": "", "note": "An example of a wire service."},
        ],
        "hours_ago": 1,
        "status": "draft",
    },
    {
        "slug": "nickel-pig-iron-premiums-sulawesi",
        "title": "Nickel pig iron premiums widen in Sulawesi as ore grades fall",
        "dek": "Smelters are paying more for high-grade ore as mine grades decline, a Jakarta business "
        "daily reports.",
        "highlights": [
            "Premiums for 1.8% nickel ore have widened, Archipelago Business Review says",
            "Some smelters are blending in lower-grade ore",
            "The newspaper’s owners hold stakes in two smelter projects",
        ],
        "body": """
<p>Nickel pig iron smelters in Sulawesi are paying wider premiums for high-grade saprolite ore as the
grade of ore from local mines declines, Archipelago Business Review reported.</p>
<p>The newspaper said premiums for ore grading 1.8% nickel had widened over the past quarter, and that some
smelters had begun blending in lower-grade ore to keep furnaces running.</p>
<p>Lower grades mean more ore, more power and more slag for each tonne of nickel produced.</p>
<p>The newspaper’s owners hold stakes in two smelter projects, which it disclosed in the report.</p>
""",
        "section": "markets",
        "authors": ["ayesha-rahman"],
        "minerals": ["nickel"],
        "countries": ["indonesia"],
        "citations": [
            {
                "source": "archipelago-business-review",
                "url": "https://www.archipelago-review.example/mining/ore-premiums-widen",
                "title": "High-grade ore premiums widen as grades fall",
                "note": "Premiums and blending.",
            },
        ],
        "hours_ago": 2,
        "status": "in_review",
    },
    *events.ARTICLES,
]
