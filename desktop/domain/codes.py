"""Stable codes for channels, categories, validity and statuses.

Codes are stored in the database and exchanged through the CLI and CSV files;
labels are translated at display time.
"""

from __future__ import annotations

from enum import StrEnum

from desktop.i18n import N_, _


class Channel(StrEnum):
    HOTLINE = "hotline"
    COUNTER = "counter"
    ONLINE = "online"
    EMAIL = "email"
    LETTER = "letter"
    SOCIAL = "social"
    REGULATOR = "regulator"
    GROUP = "group"


class Category(StrEnum):
    NETWORK = "network"
    BROADBAND = "broadband"
    BILLING = "billing"
    SUBSCRIPTION = "subscription"
    MARKETING = "marketing"
    CONTRACT = "contract"
    PORTING = "porting"
    ATTITUDE = "attitude"
    PRIVACY = "privacy"
    AGENT = "agent"
    OTHER = "other"


class InvalidReason(StrEnum):
    ANONYMOUS = "anonymous"
    NO_CONTACT = "no_contact"
    OUTSIDE_TELECOM = "outside_telecom"
    DUPLICATE = "duplicate"


class Status(StrEnum):
    REGISTERED = "registered"
    ACKNOWLEDGED = "acknowledged"
    INVESTIGATING = "investigating"
    PENDING_APPROVAL = "pending_approval"
    REPLIED = "replied"
    FOLLOWED_UP = "followed_up"
    CLOSED = "closed"
    INVALID = "invalid"
    WITHDRAWN = "withdrawn"
    REOPENED = "reopened"
    APPEALED = "appealed"


# Statuses in which the operator still owes the customer a reply: these drive the queue and the clock.
OPEN_STATUSES: frozenset[Status] = frozenset(
    {
        Status.REGISTERED,
        Status.ACKNOWLEDGED,
        Status.INVESTIGATING,
        Status.PENDING_APPROVAL,
        Status.REOPENED,
        Status.APPEALED,
    }
)

_CHANNEL_LABELS = {
    Channel.HOTLINE: N_("Hotline"),
    Channel.COUNTER: N_("Service hall counter"),
    Channel.ONLINE: N_("Online (web / app / chat)"),
    Channel.EMAIL: N_("Email"),
    Channel.LETTER: N_("Letter"),
    Channel.SOCIAL: N_("Social media"),
    Channel.REGULATOR: N_("Transferred by the regulator"),
    Channel.GROUP: N_("Group-level channel"),
}

_CATEGORY_LABELS = {
    Category.NETWORK: N_("Network coverage / call quality"),
    Category.BROADBAND: N_("Broadband fault / speed"),
    Category.BILLING: N_("Disputed charges"),
    Category.SUBSCRIPTION: N_("Services ordered without consent"),
    Category.MARKETING: N_("Misleading sales / advertising"),
    Category.CONTRACT: N_("Package or contract changes"),
    Category.PORTING: N_("Number portability"),
    Category.ATTITUDE: N_("Staff conduct"),
    Category.PRIVACY: N_("Personal information"),
    Category.AGENT: N_("Conduct of a sales agent"),
    Category.OTHER: N_("Other"),
}

_INVALID_REASON_LABELS = {
    InvalidReason.ANONYMOUS: N_("Anonymous"),
    InvalidReason.NO_CONTACT: N_("No contact details"),
    InvalidReason.OUTSIDE_TELECOM: N_("Outside telecom services"),
    InvalidReason.DUPLICATE: N_("Duplicate"),
}

_STATUS_LABELS = {
    Status.REGISTERED: N_("Registered"),
    Status.ACKNOWLEDGED: N_("Acknowledged"),
    Status.INVESTIGATING: N_("Investigating"),
    Status.PENDING_APPROVAL: N_("Pending approval"),
    Status.REPLIED: N_("Replied"),
    Status.FOLLOWED_UP: N_("Followed up"),
    Status.CLOSED: N_("Closed"),
    Status.INVALID: N_("Invalid"),
    Status.WITHDRAWN: N_("Withdrawn"),
    Status.REOPENED: N_("Reopened"),
    Status.APPEALED: N_("Appealed to the regulator"),
}


def channel_label(code: str) -> str:
    return _(_CHANNEL_LABELS[Channel(code)])


def category_label(code: str) -> str:
    return _(_CATEGORY_LABELS[Category(code)])


def invalid_reason_label(code: str) -> str:
    return _(_INVALID_REASON_LABELS[InvalidReason(code)])


def status_label(code: str) -> str:
    return _(_STATUS_LABELS[Status(code)])
