"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from app.auth.models import ApiToken, LoginThrottle, Principal, RoleGrant
from app.cases.models import Case, CaseEvent, CaseStrategy
from app.core.audit import AuditEntry
from app.core.db import metadata
from app.core.idempotency import IdempotencyRecord
from app.decisions.models import Decision, RecommendationResponse
from app.documents.models import Document, DocumentLink
from app.funds.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationStrategy,
    BudgetLine,
    CoApplicant,
    Review,
)
from app.funds.grants.models import FundGrant, Payment, Report, ReportValue
from app.funds.models import FocusArea, Fund, Pot, Round, Transfer
from app.imports.models import ImportRecord
from app.meetings.models import AgendaItem, Attendance, ItemCase, ItemPresenter, Meeting, MeetingAdjuster, MeetingBody
from app.metrics.models import Indicator, IndicatorStrategy, IndicatorValue, Target, ValueVersion
from app.organisations.models import AreaMember, Organisation, OrganisationName
from app.people.models import Membership, Person, PersonAlias
from app.search.models import SearchEntry
from app.strategies.models import Strategy

__all__ = [
    "AgendaItem",
    "ApiToken",
    "Application",
    "ApplicationEvent",
    "ApplicationStrategy",
    "AreaMember",
    "Attendance",
    "AuditEntry",
    "BudgetLine",
    "Case",
    "CaseEvent",
    "CaseStrategy",
    "CoApplicant",
    "Decision",
    "Document",
    "DocumentLink",
    "FocusArea",
    "Fund",
    "FundGrant",
    "IdempotencyRecord",
    "ImportRecord",
    "Indicator",
    "IndicatorStrategy",
    "IndicatorValue",
    "ItemCase",
    "ItemPresenter",
    "LoginThrottle",
    "Meeting",
    "MeetingAdjuster",
    "MeetingBody",
    "Membership",
    "Organisation",
    "OrganisationName",
    "Payment",
    "Person",
    "PersonAlias",
    "Pot",
    "Principal",
    "RecommendationResponse",
    "Report",
    "ReportValue",
    "Review",
    "RoleGrant",
    "Round",
    "SearchEntry",
    "Strategy",
    "Target",
    "Transfer",
    "ValueVersion",
    "metadata",
]
