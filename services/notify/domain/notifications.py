"""Who hears what about a care request, in which words, how urgently, and on which channels. Pure: the
worker reads the event and the people, this module decides, the store saves.

    event                    the family  the raiser  the assignee  on-duty supervisors
    care_request.raised          x                                  emergencies only
    care_request.escalated       rung 2+                            every rung
    care_request.assigned        x           x           x
    care_request.en_route        x           x
    care_request.on_site         x           x
    care_request.completed       x           x
    care_request.cancelled       x           x           x

The family are the people an elder's record lists as contacts with a Linli account (the elder's consent
to tell them). The raiser is told only when it is someone else than the elder's device or the elder (an
operator or a neighbour who raised it for them) whom the service knows. Every message about an emergency,
and every escalation, is an emergency: it ignores quiet hours and the hourly bound. Nobody is told about a
community they do not belong to or serve, and a family member only about the elder (of that community)
whose record lists them.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from services.notify.domain.people import Person, quiet_until

ROUTINE = "routine"
EMERGENCY = "emergency"

WEB_PUSH = "web_push"
MOBILE_PUSH = "mobile_push"
SMS = "sms"

PENDING = "pending"
SENT = "sent"
DEAD = "dead"
GONE = "gone"
SUPPRESSED = "suppressed"
FINAL = (SENT, DEAD, GONE, SUPPRESSED)

RAISED = "care_request.raised"
ESCALATED = "care_request.escalated"
ASSIGNED = "care_request.assigned"
EN_ROUTE = "care_request.en_route"
ON_SITE = "care_request.on_site"
COMPLETED = "care_request.completed"
CANCELLED = "care_request.cancelled"
CARE_EVENTS = (RAISED, ESCALATED, ASSIGNED, EN_ROUTE, ON_SITE, COMPLETED, CANCELLED)

FAMILY, RAISER, ASSIGNEE, SUPERVISOR = "family", "raiser", "assignee", "supervisor"
AUDIENCE = {
    RAISED: (FAMILY, SUPERVISOR),
    ESCALATED: (FAMILY, SUPERVISOR),
    ASSIGNED: (ASSIGNEE, RAISER, FAMILY),
    EN_ROUTE: (RAISER, FAMILY),
    ON_SITE: (RAISER, FAMILY),
    COMPLETED: (RAISER, FAMILY),
    CANCELLED: (ASSIGNEE, RAISER, FAMILY),
}
# The escalation ladder's rungs (eldercare's policy): the family hear from rung 2 (family_contact) on.
FAMILY_RUNG = 2

KIND_LABELS = {
    "zh": {"meal": "助餐", "shopping": "助购", "bathing": "助浴", "cleaning": "助洁", "medical": "助医",
           "emergency": "紧急", "recreation": "助乐", "mobility": "助行"},
    "en": {"meal": "meal", "shopping": "shopping", "bathing": "bathing", "cleaning": "cleaning",
           "medical": "medical", "emergency": "emergency", "recreation": "recreation", "mobility": "mobility"},
}
RUNG_LABELS = {
    "zh": {"supervisor": "值班主管", "family_contact": "家属", "emergency_services": "急救服务"},
    "en": {"supervisor": "the supervisor on duty", "family_contact": "the family",
           "emergency_services": "emergency services"},
}
THE_ELDER = {"zh": "老人", "en": "the elder"}
SOMEONE = {"zh": "服务人员", "en": "a caregiver"}

# (title, body) per event and language; {who} is the elder, {kind} the kind of help, {where} the place,
# {time} the community's local time, {assignee} who goes, {rung} the escalation's rung, {eta} an arrival.
TEMPLATES = {
    RAISED: {"zh": ("{urgent}求助", "{who}于{time}发起{kind}求助{where}，指挥中心已收到。"),
             "en": ("{urgent}Call for help", "{who} asked for {kind} help at {time}{where}; the command centre has it.")},
    ESCALATED: {"zh": ("求助已升级", "{who}的{kind}求助({time})尚无人响应，已升级至{rung}{where}。"),
                "en": ("Call escalated", "Nobody has answered {who}'s {kind} call of {time} yet: escalated to {rung}{where}.")},
    ASSIGNED: {"zh": ("已派人", "{assignee}将为{who}提供{kind}服务。"),
               "en": ("Someone is assigned", "{assignee} will give {who} {kind} help.")},
    EN_ROUTE: {"zh": ("已出发", "{assignee}已出发前往{who}处{eta}。"),
               "en": ("On the way", "{assignee} is on the way to {who}{eta}.")},
    ON_SITE: {"zh": ("已到达", "{assignee}已到达{who}处。"), "en": ("Arrived", "{assignee} has arrived at {who}'s.")},
    COMPLETED: {"zh": ("服务已完成", "{who}的{kind}服务已完成。"), "en": ("Done", "{who}'s {kind} help is done.")},
    CANCELLED: {"zh": ("求助已取消", "{who}的{kind}求助已取消。"), "en": ("Cancelled", "{who}'s {kind} call was cancelled.")},
}
# A visit booked for later (a hospital's back-referral follow-up, a weekly bath): {day} is its local date and time.
BOOKED = {"zh": ("已预约上门服务", "已为{who}预约{kind}上门服务：{day}。"),
          "en": ("Visit booked", "A {kind} visit to {who} is booked for {day}.")}
JOB_TEMPLATES = {  # what the assignee reads
    ASSIGNED: {"zh": ("新任务", "{kind}服务：{who}{where}，请尽快接单。"),
               "en": ("New job", "{kind} help for {who}{where}: please accept it.")},
    CANCELLED: {"zh": ("任务已取消", "{who}的{kind}任务已取消，无需前往。"),
                "en": ("Job cancelled", "{who}'s {kind} job was cancelled: no need to go.")},
}


@dataclass(frozen=True)
class CareUpdate:
    """What a care_request.* event says, as far as notifying goes."""
    event_id: str
    event_type: str
    community_id: str
    care_request_id: str
    elder_id: str
    kind: str
    raised_by: str
    occurred_at: datetime
    assignee_id: str = ""
    assignee_name: str = ""
    escalation_level: int = 0
    escalated_to: str = ""
    where: str = ""
    eta: datetime | None = None
    scheduled_for: datetime | None = None


@dataclass(frozen=True)
class Delivery:
    channel: str
    target: str  # an endpoint id, or a phone number
    status: str = PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str = ""
    updated_at: datetime | None = None


@dataclass(frozen=True)
class Notification:
    id: str
    user_id: str
    community_id: str
    event_id: str
    event_type: str
    care_request_id: str
    elder_id: str
    urgency: str
    title: str
    body: str
    language: str
    created_at: datetime
    read_at: datetime | None = None
    deliveries: tuple[Delivery, ...] = ()


@dataclass(frozen=True)
class Endpoint:
    id: str
    user_id: str
    kind: str  # WEB_PUSH or MOBILE_PUSH
    push_url: str = ""
    p256dh: str = ""
    auth: str = ""
    provider: str = ""
    token: str = ""
    label: str = ""
    registered_at: datetime | None = None


@dataclass(frozen=True)
class Candidates:
    """The people the worker found for an update: the elder's family, the raiser and the assignee when
    known, and the community's supervisors on duty."""
    family: tuple[Person, ...] = ()
    raiser: Person | None = None
    assignee: Person | None = None
    supervisors: tuple[Person, ...] = ()


@dataclass(frozen=True)
class Recipient:
    person: Person
    role: str
    urgency: str


def urgency_of(update: CareUpdate) -> str:
    return EMERGENCY if update.kind == "emergency" or update.event_type == ESCALATED else ROUTINE


def recipients(update: CareUpdate, found: Candidates) -> list[Recipient]:
    """Who hears about this update, each once (the first role that names them: a family member who is also
    the supervisor on duty reads the family's words), only people of the update's community."""
    urgency = urgency_of(update)
    audience = AUDIENCE.get(update.event_type, ())
    chosen: dict[str, Recipient] = {}

    def add(person: Person | None, role: str) -> None:
        # Family members may live anywhere: their tie to the community is the elder's record (the link's
        # community, checked below); everyone else must belong to or serve the community.
        if person is None or person.id in chosen or (role != FAMILY and not person.serves(update.community_id)):
            return
        chosen[person.id] = Recipient(person, role, urgency)

    for role in audience:
        if role == FAMILY:
            if update.event_type == ESCALATED and update.escalation_level < FAMILY_RUNG:
                continue
            for person in found.family:
                link = person.link_to(update.elder_id)
                if link is not None and link.community_id == update.community_id:
                    add(person, FAMILY)
        elif role == RAISER:
            if update.raised_by and update.raised_by != update.elder_id:
                add(found.raiser, RAISER)
        elif role == ASSIGNEE:
            add(found.assignee, ASSIGNEE)
        elif role == SUPERVISOR:
            if update.event_type == RAISED and urgency != EMERGENCY:
                continue
            for person in found.supervisors:
                if person.preferences.on_duty and person.has_supervisor_role():
                    add(person, SUPERVISOR)
    return list(chosen.values())


def _local_time(at: datetime, zone: str) -> str:
    return at.astimezone(ZoneInfo(zone)).strftime("%H:%M")


def compose(update: CareUpdate, recipient: Recipient, zone: str) -> tuple[str, str, str]:
    """(title, body, language) in the recipient's language; messages carry no health data or position
    (those need the elder's consent to share): the kind of help, the place's building for whoever goes."""
    language = recipient.person.preferences.language
    link = recipient.person.link_to(update.elder_id) if recipient.role == FAMILY else None
    who = link.elder_name if link and link.elder_name else THE_ELDER[language]
    templates = JOB_TEMPLATES if recipient.role == ASSIGNEE and update.event_type in JOB_TEMPLATES else TEMPLATES
    title, body = templates[update.event_type][language]
    if update.event_type == RAISED and update.scheduled_for:
        title, body = BOOKED[language]
    shows_place = recipient.role in (ASSIGNEE, SUPERVISOR) and update.where
    where = ((f"（{update.where}）" if language == "zh" else f" ({update.where})") if shows_place else "")
    eta = ""
    if update.eta:
        eta = f"，预计{_local_time(update.eta, zone)}到达" if language == "zh" else f", arriving about {_local_time(update.eta, zone)}"
    urgent = ("紧急" if language == "zh" else "Emergency: ") if recipient.urgency == EMERGENCY else ""
    values = dict(who=who, kind=KIND_LABELS[language].get(update.kind, update.kind), where=where,
                  time=_local_time(update.occurred_at, zone), assignee=update.assignee_name or SOMEONE[language],
                  rung=RUNG_LABELS[language].get(update.escalated_to, update.escalated_to), eta=eta, urgent=urgent,
                  day=update.scheduled_for.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M") if update.scheduled_for else "")
    return title.format(**values), body.format(**values), language


def plan_deliveries(recipient: Recipient, endpoints: list[Endpoint], sent_last_hour: int, now: datetime,
                    zone: str) -> tuple[Delivery, ...]:
    """One delivery per channel the person takes: each push endpoint they registered (if that channel is
    on), and SMS to their phone for emergencies. Routine messages wait out quiet hours and are
    suppressed beyond the hourly bound (kept in the inbox, marked so); emergencies go at once."""
    preferences = recipient.person.preferences
    deliveries = []
    for endpoint in endpoints:
        if (endpoint.kind == WEB_PUSH and preferences.web_push) or (endpoint.kind == MOBILE_PUSH and preferences.mobile_push):
            deliveries.append(Delivery(endpoint.kind, endpoint.id))
    phone = recipient.person.sms_phone()
    if recipient.urgency == EMERGENCY and preferences.sms and phone:
        deliveries.append(Delivery(SMS, phone))
    if recipient.urgency == EMERGENCY:
        return tuple(Delivery(d.channel, d.target, next_attempt_at=now, updated_at=now) for d in deliveries)
    if sent_last_hour >= preferences.max_per_hour:
        return tuple(Delivery(d.channel, d.target, SUPPRESSED, last_error="hourly bound reached", updated_at=now)
                     for d in deliveries)
    at = quiet_until(preferences, now, zone) or now
    return tuple(Delivery(d.channel, d.target, next_attempt_at=at, updated_at=now) for d in deliveries)


def notification_for(update: CareUpdate, recipient: Recipient, deliveries: tuple[Delivery, ...], now: datetime,
                     zone: str) -> Notification:
    title, body, language = compose(update, recipient, zone)
    return Notification(
        id=f"{update.event_id}:{recipient.person.id}", user_id=recipient.person.id, community_id=update.community_id,
        event_id=update.event_id, event_type=update.event_type, care_request_id=update.care_request_id,
        elder_id=update.elder_id, urgency=recipient.urgency, title=title, body=body, language=language,
        created_at=now, deliveries=deliveries)


CERTIFICATE_ISSUED = "certificate.issued"
CERTIFICATE = {"zh": ("志愿服务证明已开具", "您{from_day}至{to_day}的志愿服务证明已开具：{hours}小时，验证码{code}。"),
               "en": ("Certificate issued", "Your volunteer certificate for {from_day} to {to_day} is ready: {hours} "
                                            "hours, code {code}.")}


def certificate_notification(event_id: str, person: Person, community_id: str, minutes: int, from_day: str,
                             to_day: str, code: str, deliveries: tuple[Delivery, ...], now: datetime) -> Notification:
    """A volunteer's certificate was issued (by a coordinator, or by themself): routine news for them."""
    language = person.preferences.language
    hours = f"{minutes / 60:.2f}".rstrip("0").rstrip(".")
    title, body = CERTIFICATE[language]
    return Notification(f"{event_id}:{person.id}", person.id, community_id, event_id, CERTIFICATE_ISSUED, "", "",
                        ROUTINE, title, body.format(from_day=from_day, to_day=to_day, hours=hours, code=code),
                        language, now, deliveries=deliveries)


SHIFT_REMINDER = "shift.reminder"
# volunteer's events that schedule and drop a reminder.
ATTENDANCE_SIGNED_UP = "attendance.signed_up"
ATTENDANCE_WITHDRAWN = "attendance.withdrawn"
SHIFT_REMINDER_WORDS = {"zh": ("志愿服务提醒", "您报名的「{title}」将于{time}开始{place}。"),
                        "en": ("Your shift soon", "\"{title}\", which you signed up for, starts at {time}{place}.")}


@dataclass(frozen=True)
class ShiftReminder:
    """A volunteer's sign-up for a shift, to be reminded of before it starts."""
    attendance_id: str
    user_id: str
    community_id: str
    title: str
    place: str
    starts_at: datetime
    remind_at: datetime


def shift_reminder(attendance_id: str, user_id: str, community_id: str, title: str, place: str,
                   starts_at: datetime, lead: timedelta, now: datetime) -> ShiftReminder | None:
    """When to remind a volunteer of their shift: `lead` before it starts, or at once when they signed up
    later than that; None for a shift that has already started (nothing to remind of)."""
    if starts_at <= now:
        return None
    return ShiftReminder(attendance_id, user_id, community_id, title, place, starts_at, max(starts_at - lead, now))


def shift_reminder_notification(reminder: ShiftReminder, person: Person, deliveries: tuple[Delivery, ...],
                                now: datetime, zone: str) -> Notification:
    """Routine news for the volunteer: it waits out their quiet hours like any other."""
    language = person.preferences.language
    title, body = SHIFT_REMINDER_WORDS[language]
    local = reminder.starts_at.astimezone(ZoneInfo(zone))
    time = local.strftime("%m月%d日 %H:%M") if language == "zh" else local.strftime("%H:%M on %d %b")
    place = (f"，地点：{reminder.place}" if language == "zh" else f" at {reminder.place}") if reminder.place else ""
    event_id = f"{SHIFT_REMINDER}:{reminder.attendance_id}"
    return Notification(f"{event_id}:{person.id}", person.id, reminder.community_id, event_id, SHIFT_REMINDER, "", "",
                        ROUTINE, title, body.format(title=reminder.title, time=time, place=place), language, now,
                        deliveries=deliveries)


def retry_at(attempts: int, delays: list[float], now: datetime) -> datetime | None:
    """When to try again after `attempts` failed tries; None once the last delay is used (dead letter)."""
    if attempts > len(delays):
        return None
    return now + timedelta(seconds=delays[attempts - 1])


def unreached(notifications: list[Notification]) -> bool:
    """An emergency's notifications reached nobody: every delivery is over and none was sent (or there
    were none at all)."""
    deliveries = [d for n in notifications for d in n.deliveries]
    return all(d.status in FINAL for d in deliveries) and not any(d.status == SENT for d in deliveries)


def mask_phone(phone: str) -> str:
    return "*" * max(0, len(phone) - 4) + phone[-4:]

