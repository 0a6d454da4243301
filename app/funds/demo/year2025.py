"""The 2025 round of UPH-medel: open, with an application in each of the workflow's twelve statuses, from several
principals, so that the demo shows the whole workflow (drafts, review, grants, payments, a repayment, report-back).

The demo keeps its open round open: its deadline is its natural one (2025-03-31) or, when the demo is loaded
later, the load day plus 30 days (`closes_on()`), so that a new user can still submit the draft."""

from datetime import date, timedelta

from app.core.time import today
from app.funds.applications.models import ApplicationStatus
from app.funds.demo.catalogue import DemoApplication, DemoRound, sek

S = ApplicationStatus
YEAR = 2025
NATURAL_CLOSE = date(2025, 3, 31)
OPEN_DAYS_AFTER_LOAD = 30


def closes_on() -> date:
    """The demo keeps its open round open: at least 30 days after the load day."""
    return max(NATURAL_CLOSE, today() + timedelta(days=OPEN_DAYS_AFTER_LOAD))


BARN = "Barn och ungas psykiska hälsa"
SUICID = "Suicidprevention"
NARA = "Nära vård och samsjuklighet"

APPLICATIONS = (
    DemoApplication(
        "Anhörigstöd vid psykisk ohälsa",
        "Umeå kommun",
        "Socialtjänsten, anhörigstöd",
        4,
        NARA,
        sek(250_000),
        "Anhöriga till personer med psykisk ohälsa",
        "Samtalsgrupper och en anhörigdag per termin, tillsammans med NSPH Västerbotten.",
        S.draft,
    ),
    DemoApplication(
        "Ungdomsmottagning på nätet",
        "Region Västerbotten",
        "Ungdomsmottagningarna",
        1,
        BARN,
        sek(900_000),
        "Unga 13–25 år i hela länet",
        "Chatt och videosamtal med ungdomsmottagningen för unga i kommuner utan egen mottagning.",
        S.submitted,
    ),
    DemoApplication(
        "Tidiga insatser i elevhälsan",
        "Skellefteå kommun",
        "Elevhälsan",
        2,
        BARN,
        sek(650_000),
        "Elever i årskurs 4–6 med tidiga tecken på psykisk ohälsa",
        "Elevhälsans team arbetar med strukturerade samtal och föräldrastöd innan problemen växer.",
        S.in_review,
    ),
    DemoApplication(
        "Peer support i öppenvården",
        "Umeå kommun",
        "Socialtjänsten, vuxenenheten",
        2,
        NARA,
        sek(480_000),
        "Vuxna i öppenvård med egen erfarenhet av psykisk ohälsa",
        "Anställda peer supporters i socialtjänstens öppenvård, utbildade tillsammans med regionen.",
        S.more_info_requested,
        note="Beskriv hur insatsen kan spridas till länets övriga kommuner och hur den följs upp.",
    ),
    DemoApplication(
        "Suicidpreventiv utbildning för blåljuspersonal",
        "Region Västerbotten",
        "Ambulanssjukvården",
        3,
        SUICID,
        sek(560_000),
        "Ambulans-, polis- och räddningspersonal",
        "Gemensam utbildning i att bemöta personer i suicidal kris, för länets blåljusorganisationer.",
        S.granted,
        granted=sek(560_000),
    ),
    DemoApplication(
        "Mötesplatser för äldre i Norsjö",
        "Norsjö kommun",
        "Vård och omsorg",
        3,
        NARA,
        sek(400_000),
        "Äldre som bor ensamma",
        "Öppna mötesplatser i tre byar, med träffar som leds av frivilliga och kommunens personal.",
        S.partially_granted,
        granted=sek(300_000),
    ),
    DemoApplication(
        "Ny webbplats för folkhälsa",
        "Vilhelmina kommun",
        "Kommunledningskontoret",
        4,
        BARN,
        sek(200_000),
        "Kommunens invånare",
        "En ny webbplats med information om folkhälsa och psykisk hälsa.",
        S.rejected,
        note="Insatsen ligger utanför årets prioriteringar och når inte länets övriga huvudmän.",
    ),
    DemoApplication(
        "Kartläggning av psykisk ohälsa bland lantbrukare",
        "Storumans kommun",
        "Folkhälsoenheten",
        4,
        SUICID,
        sek(150_000),
        "Lantbrukare och renskötare",
        "Enkät och intervjuer om psykisk ohälsa och behov av stöd bland länets lantbrukare.",
        S.withdrawn,
        note="Kartläggningen görs i stället av Lantbrukarnas riksförbund med egna medel.",
    ),
    DemoApplication(
        "Samsjuklighetsteam i Skellefteå",
        "Skellefteå kommun",
        "Socialtjänsten, beroendeenheten",
        1,
        NARA,
        sek(1_200_000),
        "Vuxna med samtidig psykisk sjukdom och beroende",
        "Ett team av socialtjänst och psykiatri med gemensam plan för varje person, som modell för länet.",
        S.in_progress,
        granted=sek(1_200_000),
        paid=sek(600_000),
    ),
    DemoApplication(
        "Hälsosamtal för unga i Lycksele",
        "Lycksele kommun",
        "Ungdomsmottagningen",
        2,
        BARN,
        sek(350_000),
        "Unga 16–20 år",
        "Hälsosamtal med alla elever i gymnasiets första år, med uppföljning för dem som behöver.",
        S.report_due,
        granted=sek(350_000),
        paid=sek(350_000),
    ),
    DemoApplication(
        "Suicide Zero-ambassadörer i gymnasiet",
        "Umeå kommun",
        "Gymnasieförvaltningen",
        3,
        SUICID,
        sek(420_000),
        "Gymnasieelever",
        "Elever utbildas till ambassadörer som sprider kunskap om psykisk hälsa bland kamraterna.",
        S.reported,
        granted=sek(400_000),
        paid=sek(400_000),
    ),
    DemoApplication(
        "Dans för hälsa – spridning till Vännäs",
        "Vännäs kommun",
        "Kultur och fritid",
        2,
        BARN,
        sek(300_000),
        "Flickor 13–18 år med psykisk ohälsa",
        "Lyckseles modell Dans för hälsa, prövad i Vännäs med samma uppföljning.",
        S.closed,
        granted=sek(300_000),
        paid=sek(300_000),
        repaid=sek(25_000),
    ),
)

ROUND = DemoRound(
    YEAR,
    date(2025, 2, 1),
    NATURAL_CLOSE,
    "Barn och ungas psykiska hälsa, suicidprevention, tidiga insatser i en nära vård och stöd till anhöriga.",
    {BARN: sek(4_000_000), SUICID: sek(3_000_000), NARA: sek(3_500_000)},
    APPLICATIONS,
    status="open",
    decided_on=date(2025, 5, 23),
)
