"""The announcers of each area register themselves on import (SupervisionConfig.ready)."""

from supervision.notifications.announcements import assessments, filings, supervision

__all__ = ["assessments", "filings", "supervision"]
