"""Translation between employment's domain dataclasses and its proto messages.

The proto messages name their fields as the dataclasses do, so one function fills any message from any
record: enums from the domain's short names ("part_time" → SCHEDULE_PART_TIME), timestamps from
datetimes, nested messages from nested dataclasses. Requests are decoded by hand, field by field, into
what the domain expects.
"""
from datetime import datetime

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from linli.employment.v1 import common_pb2, jobs_pb2, seekers_pb2
from linli.kit.protomap import datetime_of, timestamp
from services.employment.domain import jobs, matching, seekers
from services.employment.domain.common import GeoPoint


def _enum_prefix(enum_descriptor) -> str:
    return enum_descriptor.values_by_number[0].name.removesuffix("UNSPECIFIED")


def _enum_number(enum_descriptor, name: str) -> int:
    value = enum_descriptor.values_by_name.get(_enum_prefix(enum_descriptor) + name.upper()) if name else None
    return value.number if value is not None else 0


def enum_name(enum_descriptor, number: int) -> str:
    """SCHEDULE_PART_TIME → "part_time"; unspecified or unknown → "" (validation refuses it)."""
    value = enum_descriptor.values_by_number.get(number)
    if value is None or number == 0:
        return ""
    return value.name.removeprefix(_enum_prefix(enum_descriptor)).lower()


def fill(message: Message, record) -> Message:
    """Set every field of message that record has an attribute for; None leaves a field unset."""
    for field in message.DESCRIPTOR.fields:
        value = getattr(record, field.name, None)
        if value is None:
            continue
        if field.is_repeated:
            target = getattr(message, field.name)
            items = sorted(value) if isinstance(value, (set, frozenset)) else value
            for item in items:
                if field.message_type is not None:
                    fill(target.add(), item)
                elif field.enum_type is not None:
                    target.append(_enum_number(field.enum_type, item))
                else:
                    target.append(item)
        elif field.message_type is not None:
            if field.message_type.full_name == Timestamp.DESCRIPTOR.full_name:
                getattr(message, field.name).CopyFrom(timestamp(value))
            else:
                fill(getattr(message, field.name), value)
        elif field.enum_type is not None:
            setattr(message, field.name, _enum_number(field.enum_type, value))
        else:
            setattr(message, field.name, value)
    return message


def to_message(message_type, record) -> Message:
    return fill(message_type(), record)


def point(message: common_pb2.GeoPoint, present: bool) -> GeoPoint | None:
    return GeoPoint(message.latitude, message.longitude) if present else None


def time_or_none(holder: Message, name: str) -> datetime | None:
    return datetime_of(getattr(holder, name)) if holder.HasField(name) else None


# -- requests ------------------------------------------------------------------------------------------

def vacancy_draft(message: jobs_pb2.VacancyDraft) -> jobs.VacancyDraft:
    enums = message.DESCRIPTOR.fields_by_name
    return jobs.VacancyDraft(
        title=message.title, schedule=enum_name(enums["schedule"].enum_type, message.schedule),
        wage_fen=message.wage_fen, wage_period=enum_name(enums["wage_period"].enum_type, message.wage_period),
        hours_per_week=message.hours_per_week, address=message.address,
        position=point(message.position, message.HasField("position")),
        physical_demand=enum_name(enums["physical_demand"].enum_type, message.physical_demand),
        headcount=message.headcount, skills=tuple(message.skills), description=message.description,
        monthly_pay_fen=message.monthly_pay_fen, training_offered=message.training_offered,
        starts_on=message.starts_on, open_days=message.open_days or jobs.DEFAULT_OPEN_DAYS)


def seeker_profile(message: seekers_pb2.SeekerProfile) -> seekers.Profile:
    enums = message.DESCRIPTOR.fields_by_name
    return seekers.Profile(
        name=message.name, birth_year=message.birth_year, address=message.address,
        home=point(message.home, message.HasField("home")), phone=message.phone,
        skills=tuple(seekers.SeekerSkill(skill.code, skill.years) for skill in message.skills),
        experience=tuple(message.experience),
        schedules=tuple(enum_name(enums["schedules"].enum_type, s) for s in message.schedules),
        max_commute_m=message.max_commute_m or seekers.DEFAULT_COMMUTE_M, wage_floor_fen=message.wage_floor_fen,
        physical_capacity=enum_name(enums["physical_capacity"].enum_type, message.physical_capacity),
        available_from=message.available_from)


# -- matches -------------------------------------------------------------------------------------------

def match_message(match: matching.Match, employer: bool = False) -> common_pb2.Match:
    """employer: the shortlist's view, without the seeker's wage floor (matching.employer_view)."""
    if employer:
        match = matching.employer_view(match)
    message = to_message(common_pb2.Match, match)
    reasons = matching.explain(match, employer)
    message.reasons.extend(common_pb2.MatchReason(kind=r.kind, en=r.en, zh=r.zh) for r in reasons)
    message.summary_en, message.summary_zh = matching.summary(reasons)
    return message
