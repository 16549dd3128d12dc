"""The .ics a planned meeting comes with (icalendar), which calendar apps import: the meeting at its local
time in the organisation's zone (with that zone's VTIMEZONE), a weekly series as one event with its RRULE.
The UID is the meeting's — a series', its first occurrence's — so an update (a higher SEQUENCE) and a
cancellation (METHOD:CANCEL) replace the event already imported. No names go into it: the topic, the
place, the organisation."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from db.models import PlannedMeeting

DOMAIN = "nastavnik.bot"


def uid_of(meeting: PlannedMeeting) -> str:
    return f"meeting-{meeting.series_id or meeting.id}@{DOMAIN}"


def filename_of(meeting: PlannedMeeting) -> str:
    return f"meeting-{meeting.series_id or meeting.id}.ics"


def meeting_ics(meeting: PlannedMeeting, zone: str, organization: str, title: str, now: datetime, *,
                cancelled: bool = False, series_end: datetime | None = None,
                occurrence: datetime | None = None) -> bytes:
    """`title`: the event's summary (in the recipient's language); `series_end`: the start of a series'
    last occurrence (its RRULE's UNTIL); `occurrence`: one occurrence of a series, cancelled alone."""
    tz = ZoneInfo(zone)
    calendar = Calendar()
    calendar.add("prodid", "-//nastavnik//mentoring//RU")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", uid_of(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", now)
    start = meeting.starts_at.astimezone(tz)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=meeting.duration_minutes))
    event.add("summary", title)
    event.add("description", meeting.topic)
    if meeting.place:
        event.add("location", meeting.place)
    event.add("organizer", f"MAILTO:noreply@{DOMAIN}", parameters={"CN": organization})
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if occurrence is not None:
        event.add("recurrence-id", occurrence.astimezone(tz))
    elif meeting.every_weeks and series_end is not None:
        event.add("rrule", {"freq": "weekly", "interval": meeting.every_weeks,
                            "until": series_end.astimezone(ZoneInfo("UTC"))})
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
