"""What the demo's fund holds: UPH-medel, its four focus areas, the rounds 2021–2025 with their priorities, review
criteria and pots, and the applications of each round with the status the demo brings them to. Data only: the
loader (app.funds.demo.loader) enters it through the services."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.funds.applications.models import ApplicationStatus
from app.funds.demo import year2021

S = ApplicationStatus
FUND_CODE = year2021.FUND_CODE
FUND_NAME = "UPH-medel"
COUNCIL = "Samråd hälsa, vård och omsorg"
FUND_DESCRIPTION = (
    "Länsgemensamma medel för psykisk hälsa och suicidprevention (UPH-medel), som samrådet fördelar år för år "
    "mellan regionen och länets kommuner."
)
FOCUS_AREAS = {
    1: "Långsiktiga länsgemensamma insatser som når alla huvudmän.",
    2: "Lokala eller delregionala insatser som kan spridas, även piloter.",
    3: "Suicidprevention, hälsofrämjande och förebyggande arbete.",
    4: "Enstaka insatser som fyller ett konkret behov, och kompetenshöjning.",
}
REVIEW_CRITERIA = ["Länsgemensam nytta", "Spridningsbarhet", "Uppföljningsbarhet"]


@dataclass(frozen=True)
class DemoApplication:
    """An application and how far the demo takes it: `end` is the status it is left in. `granted` is set for
    those granted (less than `requested` makes it partially granted); `paid` is paid out in two instalments
    and `repaid` paid back after the final report."""

    title: str
    applicant: str  # a principal's name, e.g. "Umeå kommun"
    unit: str
    focus_area: int
    pot: str
    requested: Decimal
    target_group: str
    summary: str
    end: ApplicationStatus
    granted: Decimal | None = None
    paid: Decimal = Decimal(0)
    repaid: Decimal = Decimal(0)
    note: str | None = None  # the comment of the move that leaves it in `end` (more info, rejection, withdrawal)


@dataclass(frozen=True)
class DemoRound:
    year: int
    opens_on: date
    closes_on: date  # its natural deadline
    priorities: str
    pots: dict[str, Decimal]
    applications: tuple[DemoApplication, ...]
    # Where the round is left: archived, decided or open.
    status: str = "archived"
    decided_on: date = field(default_factory=lambda: date(2000, 1, 1))


def sek(amount: int) -> Decimal:
    return Decimal(amount).quantize(Decimal("0.01"))


# The 2021 protocol's projects (year2021), with what the demo adds: target groups, summaries, how far they got.
_2021_DETAILS = {
    "Processtöd för HLT (Hälsa, Lärande, Trygghet)": (
        "Barn och unga i länets skolor och deras familjer",
        "Processtöd till kommunernas och regionens HLT-team så att modellen införs lika i hela länet.",
        S.closed,
    ),
    "Hälsoundersökningar i LSS-boenden": (
        "Vuxna som bor i LSS-boenden",
        "Årliga hälsoundersökningar i boendet, gemensamt av kommunens omsorg och hälsocentralen.",
        S.closed,
    ),
    "Suicide Zero i skolan": (
        "Elever i årskurs 8",
        "Lektioner om psykisk hälsa och om att våga fråga, med Suicide Zeros material och skolans elevhälsa.",
        S.closed,
    ),
    "Dans för hälsa": (
        "Flickor 13–18 år med psykisk ohälsa",
        "Dans två gånger i veckan under en termin, som stöd för flickor med stress och nedstämdhet.",
        S.closed,
    ),
    "Fenixprojektet": (
        "Vuxna med egen erfarenhet av psykisk ohälsa",
        "Brukarföreningen och socialtjänsten utbildar brukarrevisorer som granskar insatser tillsammans.",
        S.reported,
    ),
}


def _from_2021(p: year2021.Project2021) -> DemoApplication:
    target_group, summary, end = _2021_DETAILS[p.title]
    return DemoApplication(
        p.title,
        p.applicant,
        p.applicant_unit,
        p.focus_area,
        p.pot,
        p.requested,
        target_group,
        summary,
        end,
        granted=p.granted,
        paid=p.granted,
    )


ROUND_2021 = DemoRound(
    2021,
    date(2021, 2, 1),
    date(2021, 3, 31),
    "Psykisk hälsa under och efter pandemin, suicidprevention och en mer sammanhållen vård för personer med "
    "samsjuklighet.",
    {p.name: p.budget for p in year2021.POTS},
    tuple(_from_2021(p) for p in year2021.PROJECTS),
    decided_on=date(2021, 5, 21),
)

ROUND_2022 = DemoRound(
    2022,
    date(2022, 2, 1),
    date(2022, 3, 31),
    "Barn och ungas psykiska hälsa, suicidprevention och stöd till anhöriga.",
    {"Barn och ungas psykiska hälsa": sek(4_000_000), "Suicidprevention": sek(3_000_000)},
    (
        DemoApplication(
            "Första hjälpen till psykisk hälsa för skolpersonal",
            "Vännäs kommun",
            "Barn- och utbildningsförvaltningen",
            2,
            "Barn och ungas psykiska hälsa",
            sek(600_000),
            "Lärare och elevhälsa i årskurs 7–9",
            "Utbildning i Första hjälpen till psykisk hälsa (MHFA) för all skolpersonal, med instruktörer som "
            "sedan kan utbilda i grannkommunerna.",
            S.closed,
            granted=sek(600_000),
            paid=sek(600_000),
        ),
        DemoApplication(
            "Suicidprevention i glesbygd",
            "Storumans kommun",
            "Socialtjänsten",
            3,
            "Suicidprevention",
            sek(900_000),
            "Vuxna i glesbygd, särskilt män och renskötare",
            "Nätverk av trygga vuxna i byarna, utbildade i att uppmärksamma och fråga om självmordstankar.",
            S.closed,
            granted=sek(750_000),
            paid=sek(750_000),
            repaid=sek(40_000),
        ),
        DemoApplication(
            "Digital samtalsgrupp för unga vuxna",
            "Skellefteå kommun",
            "Socialtjänsten, öppenvården",
            2,
            "Barn och ungas psykiska hälsa",
            sek(400_000),
            "Unga vuxna 18–25 år",
            "Samtalsgrupper på nätet med kurator, för unga vuxna som inte söker sig till mottagningen.",
            S.rejected,
            note="Liknande insats finns redan i regionens regi; samrådet prioriterar spridning av den.",
        ),
    ),
    decided_on=date(2022, 5, 20),
)

ROUND_2023 = DemoRound(
    2023,
    date(2023, 2, 1),
    date(2023, 3, 31),
    "Samsjuklighet, äldres psykiska hälsa, suicidprevention och kompetenshöjning i primärvården.",
    {"Samsjuklighet": sek(3_500_000), "Suicidprevention och främjande": sek(3_000_000)},
    (
        DemoApplication(
            "Samordnad individuell plan i praktiken",
            "Region Västerbotten",
            "Primärvården, hälsocentralerna",
            1,
            "Samsjuklighet",
            sek(1_500_000),
            "Personer med samsjuklighet och behov av insatser från både kommun och region",
            "Gemensam utbildning och uppföljning av SIP i alla länsdelar, med en SIP-samordnare per länsdel.",
            S.closed,
            granted=sek(1_500_000),
            paid=sek(1_500_000),
        ),
        DemoApplication(
            "Hälsofrämjande träffpunkter för äldre",
            "Lycksele kommun",
            "Äldreomsorgen",
            3,
            "Suicidprevention och främjande",
            sek(500_000),
            "Äldre som bor hemma och riskerar ensamhet",
            "Veckovisa träffpunkter med samtal, rörelse och måltid, tillsammans med pensionärsföreningarna.",
            S.closed,
            granted=sek(450_000),
            paid=sek(450_000),
        ),
        DemoApplication(
            "Kompetenslyft om ångest och depression",
            "Nordmalings kommun",
            "Socialtjänsten",
            4,
            "Samsjuklighet",
            sek(300_000),
            "Personal i hemtjänst och särskilt boende",
            "Webbutbildning och handledning om ångest och depression hos äldre.",
            S.withdrawn,
            note="Utbildningen ordnas i stället inom regionens kompetenscentrum.",
        ),
    ),
    decided_on=date(2023, 5, 19),
)

ROUND_2024 = DemoRound(
    2024,
    date(2024, 2, 1),
    date(2024, 3, 31),
    # DOMAIN.md: the 2024 priorities.
    "Samsjuklighet, suicidprevention, barn och ungas psykiska hälsa, och systematisk patient-, brukar- och "
    "närståendemedverkan.",
    {
        "Samsjuklighet": sek(3_000_000),
        "Suicidprevention": sek(2_500_000),
        "Barn och ungas psykiska hälsa": sek(3_000_000),
        "Patient-, brukar- och närståendemedverkan": sek(1_000_000),
    },
    (
        DemoApplication(
            "Integrerad behandling vid samsjuklighet (IDDT)",
            "Umeå kommun",
            "Socialtjänsten, vuxenenheten",
            1,
            "Samsjuklighet",
            sek(1_800_000),
            "Vuxna med psykisk sjukdom och missbruk",
            "Ett gemensamt IDDT-team med socialtjänst och psykiatri, och en modell för hela länet.",
            S.in_progress,
            granted=sek(1_600_000),
            paid=sek(800_000),
        ),
        DemoApplication(
            "Suicidpreventiv handlingsplan för Södra Lappland",
            "Lycksele kommun",
            "Folkhälsoenheten",
            2,
            "Suicidprevention",
            sek(700_000),
            "Invånare i Södra Lapplands sex kommuner",
            "En gemensam handlingsplan och utbildning av nyckelpersoner i de sex kommunerna.",
            S.report_due,
            granted=sek(700_000),
            paid=sek(700_000),
        ),
        DemoApplication(
            "Brukarråd inom psykiatrin",
            "Region Västerbotten",
            "Psykiatriska kliniken",
            4,
            "Patient-, brukar- och närståendemedverkan",
            sek(350_000),
            "Patienter, brukare och närstående i psykiatrin",
            "Brukarråd vid länets tre psykiatriska kliniker, med arvoderade brukarrepresentanter.",
            S.closed,
            granted=sek(350_000),
            paid=sek(350_000),
        ),
        DemoApplication(
            "Föräldraskapsstöd i förskolan",
            "Skellefteå kommun",
            "Förskoleförvaltningen",
            2,
            "Barn och ungas psykiska hälsa",
            sek(500_000),
            "Föräldrar till barn 1–5 år",
            "Föräldragrupper enligt ABC-programmet i förskolans lokaler.",
            S.rejected,
            note="Ingår redan i kommunens ordinarie uppdrag; söks hellre som spridning år 2025.",
        ),
    ),
    status="decided",
    decided_on=date(2024, 5, 17),
)
