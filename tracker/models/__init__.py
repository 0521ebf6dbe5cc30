"""Table models, one module per area; importing this package registers every table on ``SQLModel.metadata``.

- ``core``: events, organisations, people, users, revision history (issue 2)
- ``feeds``, ``reminders``, ``security`` (rate counters, API tokens), ``imports`` (calendar sources, imported events)
"""

from tracker.models.core import (
    Event,
    EventKind,
    EventOrganisation,
    EventPerson,
    EventRevision,
    EventStatus,
    EventTag,
    Organisation,
    OrganisationAlias,
    OrganisationKind,
    OrganisationRole,
    Person,
    PersonAlias,
    User,
    UserRole,
    UTCDateTime,
    Visibility,
    new_uid,
    utcnow,
)
from tracker.models.feeds import EventIcs, FeedState
from tracker.models.imports import CalendarSource, ImportedEvent
from tracker.models.reminders import (
    MailAddress,
    Outbox,
    OutboxKind,
    OutboxStatus,
    SchedulerHeartbeat,
    Subscription,
    SubscriptionLead,
    SubscriptionStatus,
)
from tracker.models.security import ApiToken, RateCounter

__all__ = [
    "ApiToken",
    "CalendarSource",
    "Event",
    "EventIcs",
    "EventKind",
    "EventOrganisation",
    "EventPerson",
    "EventRevision",
    "EventStatus",
    "EventTag",
    "FeedState",
    "ImportedEvent",
    "MailAddress",
    "Organisation",
    "OrganisationAlias",
    "OrganisationKind",
    "OrganisationRole",
    "Outbox",
    "OutboxKind",
    "OutboxStatus",
    "Person",
    "PersonAlias",
    "RateCounter",
    "SchedulerHeartbeat",
    "Subscription",
    "SubscriptionLead",
    "SubscriptionStatus",
    "UTCDateTime",
    "User",
    "UserRole",
    "Visibility",
    "new_uid",
    "utcnow",
]
