"""Short protocols in the style of the collaboration's real ones, each in another layout of the same family.

Written for the parser tests (names and matters invented); the real protocol is
../shared/samples/seeds/protokoll-2024-05-03.txt.
"""

# 2021, the council's former name: header lines in another order, "Diarienummer:", date and time on their own
# lines, attendance at the top, lettered items, attachments, a recommendation, an assignment and a referral.
COUNCIL_2021 = """\
Regional samverkan
Ett samarbete mellan kommunerna i Västerbotten och Region Västerbotten

Diarienummer: HSN 418-2-2021
Plats: Lycksele, Hotell Lappland
Protokoll från Samråd vård och omsorg
Ärenden: 1–9
Datum: 2021-03-19
Tid: 13.00–16.00

Närvarande
- Peter Olofsson (s) Region Västerbotten, ordförande
- Anna Svensson (m) Lycksele kommun, ersätter Anna Andersson (m)
- Lars Berg (c) Umeå kommun
- Karin Ek (s) Skellefteå kommun, anslöt från punkt 5
- Nils Holm (v) Vännäs kommun, frånvarande på punkt 7a
Frånvarande
- Anna Andersson (m) Lycksele kommun
- Eva Lund (s) Dorotea kommun
Övriga tjänstepersoner
- Katarina Lindahl, regional samverkanskoordinator
Adjungerade
- Per Nilsson, SKR
- se bifogad lista

1. Mötets öppnande
Ordföranden hälsade välkommen.

2. Godkännande av dagordning
Dagordningen godkändes.

3. Val av justerare
Lars Berg valdes att justera protokollet.

4. Föregående protokoll
Protokollet lades till handlingarna.

5. Information om Nära vård
Muntligt informationsärende
Föredragande: Maria Lind, Region Västerbotten
Maria Lind informerade om omställningen till Nära vård i länets tre närsjukvårdsområden.
Samrådet godkände informationen.

6. Systemledning och framtidsbild för Nära vård 2030
Beslutsärende
Föredragande: Katarina Lindahl
Bilaga 3
Bilaga 4.1–4.3
Ett förslag till gemensam framtidsbild har tagits fram i samverkan, se bilaga 3.
Samråd vård och omsorg beslutade
att fastställa Framtidsbild Nära vård 2030, samt
att rekommendera respektive huvudman att anta förslaget.

7a. Länsgemensamma medel 2021
Skriftligt informationsärende
Föredragande: Monica Wahlström, FoU Socialtjänst
Bilaga 5
Fördelningen av medel redovisades.
Samråd vård och omsorg beslutade att godkänna fördelningen och att uppdra Länssamverkansgruppen att följa upp
insatserna.

7b. Hjälpmedelsstrategin
Informationsärende
Föredragande: Carolina Forsell och Anna Berg, Hjälpmedelsrådet
Strategin presenterades.
Samrådet önskar att frågan bereds vidare i Länssamverkansgruppen innan beslut fattas.

8. Övriga frågor
Inga övriga frågor.

9. Nästa möte
Samråd vård och omsorg fredag 11 juni kl. 9.00–12.00 på Teams
Samråd vård och omsorg 24 september i Umeå

Justerare: Lars Berg
"""

# 2023: the council with a joint part, over three pages with a running header and footer, and words broken at
# line ends ("sjuk-\nvården" is one word; "hälso-\noch sjukvård" keeps its hyphen).
JOINT_2023_PAGES = [
    """\
Protokoll Samråd hälsa, vård och omsorg
HSN: 12:1-2023
Datum och tid: 2023-02-10 kl. 9.00-12.00
Plats: Teams
Ärenden: 1-6

1. Godkännande av föredragningslista
Upprop

2. Aktuellt i samverkan
Nulägesrapport gavs från beredningarna.
""",
    """\
3. Uppföljning av Hälsa, Lärande, Trygghet
Informationsärende
Föredragande: Sofia Ögren, Region Västerbotten
Uppföljningen visar att fler barn får en samordnad plan inom sjuk-
vården och att arbetet inom kommunal hälso-
och sjukvård har utvecklats. Resultaten skiljer sig mellan länsdelarna och samverkan kring pri-""",
    """\
märvården behöver stärkas.
Samråd hälsa, vård och omsorg godkände informationen.

4. Nästa möte
Samråd hälsa, vård och omsorg fredag 14 april

Systemledning tillsammans med Länssamverkansgruppen

5. Färdplan Nära vård
Föredragande: Dag Norén, Governo
Arbetet med färdplanen redovisades.
Systemledningen beslutade att ge Länssamverkansgruppen i uppdrag att ta fram en handlingsplan.

6. Mötet för systemledningen avslutas

Närvarande
Samråd hälsa, vård och omsorg
- Carin Nilsson (s) Umeå kommun, ordförande
- Roger Ek (c) Vindelns kommun, ersättare
Frånvarande
- Ulf Berg (s) Vindelns kommun
Länssamverkansgruppen
John Olsson, Malå kommun, lämnade efter punkt 5
""",
]
RUNNING_HEADER = "Regional samverkan – Västerbotten"


def paged(pages: list[str], separator: str = "\n") -> str:
    """The pages with the running header on top and "Sida N av M" at the foot of each."""
    total = len(pages)
    return separator.join(
        f"{RUNNING_HEADER}\n{page.rstrip(chr(10))}\nSida {n} av {total}" for n, page in enumerate(pages, 1)
    )


# The officials' group, November: dates in words, a bare hour range, a numbered list inside an item, a bulleted
# decision with an assignment to the working committee, a title broken over two lines, an item with no title,
# an ambiguous substitute and a next meeting in the next year.
LSG_2022 = """\
PROTOKOLL
Länssamverkansgruppen
Datum: fredag 18 november 2022
Tid: kl 13-15
Plats: Umeå, Regionens hus

1. Godkännande av dagordning

2. Prioriteringar för länsgemensamma medel,
2023 års fördelning
Beslutsärende
Föredragande: Ida Lestander, Region Västerbotten och projektledare Eva Strand
Tre områden föreslås:
1. Personer med samsjuklighet.
2. Suicidprevention.
3. Barn och unga med psykisk ohälsa, där samverkan behöver stärkas.
Länssamverkansgruppen beslutade att:
- godkänna prioriteringarna
- uppdra AU att ta fram en tidplan

3.
Föredragande: Jim Lindberg

4. Övriga frågor
Inga övriga frågor.

5. Nästa möte
Länssamverkansgruppen 20 januari kl 13-15

Närvarande
Ida Lestander, Region Västerbotten, ordförande
Camilla Andersson, Region Västerbotten, ersättare
Jim Lindberg, Vindelns kommun
Frånvarande
Christer Wilhelmsson, Region Västerbotten
Anna-Maria Stenlund, Region Västerbotten
"""

# Paragraph numbers, and a decision item that refers its matter on.
PARAGRAPHS = """\
Protokoll Beredning barn och unga
Datum och tid: 2022-09-02, 10.00 – 12.00
Plats: Skellefteå

§ 12 Godkännande av dagordning

§ 13 Samordnad individuell plan
Informationsärende (skriftligt)
Bilagor 2, 3 och 5
SIP-arbetet i länsdelarna redovisades.
Beredningen överlämnar frågan till Länssamverkansgruppen.

§ 14 Ärenden till Länssamverkansgruppen
- Samordnad individuell plan för barn och unga
- Gemensam rutin för
  utskrivning från slutenvård
"""

# 2020: item numbers without a full stop, the body in a longer header line, kind and presenter on one line,
# presenters on the line after the label, a decision without att-clauses, next meetings with the date first.
BARE_NUMBERS_2020 = """\
Protokoll fört vid sammanträde med Samråd vård och omsorg
Datum och tid: 19 mars 2020 kl. 09.30 - 12.00
Plats: Teams
Paragrafer: §§ 1-6

1 Godkännande av dagordning

2 Information om covid-19
Informationsärende, Föredragande: Anna Berg
Lägesbild gavs. 2 kommuner rapporterade brist på skyddsutrustning.
Samrådet tackade för informationen.

3 Gemensam vårdplanering
Föredragande:
Per Ek, Umeå kommun
Förslaget presenterades.
Beslut
Samrådet ställde sig bakom förslaget.

4 Övriga frågor
Inga.

5 Nästa möte
2020-04-24 kl 9-12, Samråd vård och omsorg
Nästa möte hålls den 12 juni i Umeå.

6 Mötet avslutas

Närvarande från Samråd vård och omsorg
Anna Lund (s), Umeå kommun, ordförande
Frånvarande från Länssamverkansgruppen
Eva Ek, Malå kommun
Vid protokollet
Katarina Lindahl
"""

NOT_A_PROTOCOL = """\
Hej!

Här kommer underlaget inför mötet. Hör av er om ni har frågor.

Vänliga hälsningar
Katarina
"""
