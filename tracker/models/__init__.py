"""Table models, one module per area; importing this package registers every table on ``SQLModel.metadata``.

- ``core``: events, organisations, people, users, revision history (issue 2)
- feeds and reminders add their own modules here and import them below.
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
    OrganisationKind,
    OrganisationRole,
    Person,
    User,
    UserRole,
    UTCDateTime,
    Visibility,
    new_uid,
    utcnow,
)

__all__ = [
    "Event",
    "EventKind",
    "EventOrganisation",
    "EventPerson",
    "EventRevision",
    "EventStatus",
    "EventTag",
    "Organisation",
    "OrganisationKind",
    "OrganisationRole",
    "Person",
    "UTCDateTime",
    "User",
    "UserRole",
    "Visibility",
    "new_uid",
    "utcnow",
]
