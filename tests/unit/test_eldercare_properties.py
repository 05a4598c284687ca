"""Property-based tests (hypothesis) of eldercare's state machines: care requests, meal orders and an
elder's consents. Random sequences of operations by random callers, with random arguments, at random
times: whatever happens, each step either raises a domain error and changes nothing, or makes one
declared change; no sequence reaches an undeclared state or loses history."""
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.kit.errors import LinliError
from linli.kit.identity import Caller
from services.eldercare.domain import care_requests as care
from services.eldercare.domain import meals
from services.eldercare.domain import residents
from services.eldercare.policy import DEFAULT_POLICY, ESCALATION_LADDER

COMMUNITY = "donghuayuan"
START = datetime(2026, 11, 27, 1, 0, tzinfo=timezone.utc)
HOME = care.GeoPoint(41.88, 123.95)

CALLERS = {
    "operator": Caller("op-wang", frozenset({"operator"}), frozenset({COMMUNITY})),
    "operator_elsewhere": Caller("op-zhao", frozenset({"operator"}), frozenset({"xinhua"})),
    "administrator": Caller("admin", frozenset({"administrator"}), frozenset({"*"})),
    "caregiver": Caller("cg-li", frozenset({"caregiver"}), frozenset({COMMUNITY})),
    "other_caregiver": Caller("cg-sun", frozenset({"caregiver"}), frozenset({COMMUNITY})),
    "volunteer": Caller("vol-zhang", frozenset({"volunteer"}), frozenset({COMMUNITY})),
    "elder": Caller("elder-1", frozenset({"resident"}), frozenset({COMMUNITY})),
    "neighbour": Caller("elder-2", frozenset({"resident"}), frozenset({COMMUNITY})),
    "family": Caller("son-1", frozenset({"family"}), frozenset({COMMUNITY})),
    "device": Caller("dev-1", frozenset({"device"}), frozenset({COMMUNITY})),
}
FAMILY_OF = {"son-1": frozenset({"elder-1"})}

callers = st.sampled_from(sorted(CALLERS))
# Two steps in three are made by whoever the step is meant for ("apt"), so random sequences get deep into
# the machine; the third is anyone at all.
step_callers = st.one_of(st.just("apt"), st.just("apt"), callers)
FIELD_STEPS = ("accept", "decline", "start_travel", "arrive", "complete")
notes = st.sampled_from(["电梯坏了", "电梯坏了", "", " ", "x" * 501])  # mostly valid, often not
later = st.integers(min_value=0, max_value=3 * 3600).map(lambda s: timedelta(seconds=s))
# No example database: runs leave nothing behind in the working tree.
quiet = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# -- care requests ---------------------------------------------------------------------------------

# Every status change a care request may make (staying in a status is always allowed: accept, escalate,
# rate change a request without moving it).
CARE_MOVES = {
    care.RAISED: {care.ACKNOWLEDGED, care.ASSIGNED, care.CANCELLED, care.CLOSED},
    care.ACKNOWLEDGED: {care.ASSIGNED, care.CANCELLED, care.CLOSED},
    care.ASSIGNED: {care.ACKNOWLEDGED, care.EN_ROUTE, care.ON_SITE, care.CANCELLED, care.CLOSED},
    care.EN_ROUTE: {care.ON_SITE, care.CANCELLED, care.CLOSED},
    care.ON_SITE: {care.COMPLETED, care.CLOSED},
    care.COMPLETED: {care.CLOSED},
    care.CLOSED: set(),
    care.CANCELLED: set(),
}
assert set(CARE_MOVES) == set(care.STATUSES)

assignees = st.sampled_from([care.Assignee("cg-li", "staff", "李护工"), care.Assignee("vol-zhang", "volunteer", "张"),
                             care.Assignee("cg-sun", "staff", "孙"), care.Assignee("x", "robot", "")])
# Check-ins: mostly at the door, sometimes a street away (outside the geofence), unknown or nonsense.
positions = st.sampled_from([HOME, HOME, HOME, None, care.GeoPoint(41.89, 123.95), care.GeoPoint(0, 0),
                             care.GeoPoint(91, 0)])
overrides = st.sampled_from(["", "", "电话确认在家"])


def care_operation():
    """(name, function(caller, request, now) -> request), drawing each operation's own arguments. The
    steps that move a request forward come up three times as often as the others, so that random
    sequences also reach en route, on site, completed and closed before a cancel ends them."""
    forward = [
        st.tuples(assignees, st.booleans(), notes).map(lambda a: (
            "assign", lambda c, r, now: care.assign(c, r, a[0], a[1], a[2], now, DEFAULT_POLICY))),
        st.integers(-5, 300).map(lambda eta: ("start_travel", lambda c, r, now: care.start_travel(c, r, eta, now))),
        st.tuples(positions, overrides).map(lambda a: ("arrive", lambda c, r, now: care.arrive(c, r, a[0], a[1], now))),
        notes.map(lambda n: ("complete", lambda c, r, now: care.complete(c, r, n, now))),
    ]
    return st.one_of(*forward, *forward,
        st.just(("acknowledge", lambda c, r, now: care.acknowledge(c, r, now))),
        st.tuples(assignees, st.booleans(), notes).map(lambda a: (
            "assign", lambda c, r, now: care.assign(c, r, a[0], a[1], a[2], now, DEFAULT_POLICY))),
        st.just(("accept", lambda c, r, now: care.accept(c, r, now))),
        notes.map(lambda n: ("decline", lambda c, r, now: care.decline(c, r, n, now))),
        st.just(("time_out", lambda c, r, now: care.time_out_assignment(r, now))),
        st.integers(-5, 300).map(lambda eta: ("start_travel", lambda c, r, now: care.start_travel(c, r, eta, now))),
        notes.map(lambda n: ("complete", lambda c, r, now: care.complete(c, r, n, now))),
        st.tuples(st.sampled_from(care.DISPOSITIONS + ("lost",)), notes).map(lambda a: (
            "close", lambda c, r, now: care.close(c, r, a[0], a[1], now))),
        notes.map(lambda n: ("cancel", lambda c, r, now: care.cancel(c, r, n, now, FAMILY_OF.get(c.subject,
                                                                                               frozenset())))),
        st.just(("escalate", lambda c, r, now: care.escalate(r, now, DEFAULT_POLICY))),
        notes.map(lambda n: ("escalate_by_hand", lambda c, r, now: care.escalate_by_hand(c, r, n, now))),
        st.tuples(st.integers(-1, 7), notes).map(lambda a: (
            "rate", lambda c, r, now: care.rate(c, r, a[0], a[1], now, FAMILY_OF.get(c.subject, frozenset())))),
    )


def care_caller(who: str, step: str, request: care.CareRequest) -> Caller:
    if who != "apt":
        return CALLERS[who]
    if step in FIELD_STEPS and request.assignment is not None:
        return next((c for c in CALLERS.values() if c.subject == request.assignment.assignee_id), CALLERS["operator"])
    return CALLERS["elder"] if step == "rate" else CALLERS["operator"]


def check_care_request(request: care.CareRequest) -> None:
    """What must hold of any care request, whatever happened to it."""
    assert request.status in care.STATUSES
    assert request.history and request.history[0].status == care.RAISED
    assert request.history[-1].status == request.status
    assert all(a.at <= b.at for a, b in zip(request.history, request.history[1:]))
    assert all(t.status in care.STATUSES for t in request.history)
    assert 0 <= request.escalation_level <= len(ESCALATION_LADDER)
    if request.escalate_at is not None:
        assert request.status == care.RAISED and DEFAULT_POLICY[request.kind].escalates
    if request.status in care.ACTIVE_STATUSES:
        assert request.assignment is not None
    if request.status in (care.ACKNOWLEDGED, care.ASSIGNED, care.EN_ROUTE, care.ON_SITE, care.COMPLETED):
        assert request.acknowledged_at is not None
    if request.status in (care.RAISED,):
        assert request.assignment is None and request.visit is None
    if request.status in (care.ON_SITE, care.COMPLETED):
        assert request.visit is not None
    if request.feedback is not None:
        assert request.status in (care.COMPLETED, care.CLOSED) and 1 <= request.feedback.rating <= 5
    if request.status == care.CANCELLED:
        assert request.cancel_reason.strip()
    if request.status == care.CLOSED:
        assert request.disposition in care.DISPOSITIONS


@quiet
@given(kind=st.sampled_from(care.KINDS), steps=st.lists(st.tuples(care_operation(), step_callers, later), min_size=10, max_size=40))
def test_no_sequence_of_care_request_operations_reaches_an_undeclared_state_or_loses_history(kind, steps):
    now = START
    new = care.NewCareRequest(COMMUNITY, "elder-1", kind, "device", position=HOME, device_id="dev-1")
    request = care.raise_request(CALLERS["device"], new, "cr-1", now, DEFAULT_POLICY)
    changes = 0
    for (name, operation), who, wait in steps:
        now += wait
        before = request
        try:
            after = operation(care_caller(who, name, before), before, now)
        except LinliError:
            continue  # refused: and since requests are immutable, nothing changed
        changes += 1
        assert after.status == before.status or after.status in CARE_MOVES[before.status], (name, before.status)
        assert after.history[: len(before.history)] == before.history, f"{name} lost history"
        assert len(after.history) - len(before.history) == (0 if name == "rate" else 1)
        assert after.version == before.version + 1
        assert (after.id, after.elder_id, after.kind, after.raised_at) == (
            before.id, before.elder_id, before.kind, before.raised_at)
        check_care_request(after)
        request = after
    assert request.version == 1 + changes


@quiet
@given(steps=st.lists(st.tuples(care_operation(), step_callers, later), max_size=25))
def test_a_closed_or_cancelled_care_request_never_moves_again(steps):
    now = START
    request = care.raise_request(CALLERS["operator"], care.NewCareRequest(COMMUNITY, "elder-1", "cleaning", "phone"),
                                 "cr-1", now, DEFAULT_POLICY)
    request = care.cancel(CALLERS["elder"], request, "不用了", now)
    for (name, operation), who, wait in steps:
        now += wait
        try:
            operation(care_caller(who, name, request), request, now)
        except LinliError:
            continue
        raise AssertionError(f"{name} changed a cancelled request")


@quiet
@given(who=callers, wait=later)
def test_only_the_elder_their_family_or_staff_serving_them_may_cancel(who, wait):
    request = care.raise_request(CALLERS["operator"], care.NewCareRequest(COMMUNITY, "elder-1", "meal", "phone"),
                                 "cr-1", START, DEFAULT_POLICY)
    try:
        care.cancel(CALLERS[who], request, "不用了", START + wait, FAMILY_OF.get(CALLERS[who].subject, frozenset()))
    except LinliError:
        assert who not in ("operator", "administrator", "elder", "family")
    else:
        assert who in ("operator", "administrator", "elder", "family")


BOOKABLE_KINDS = tuple(kind for kind in care.KINDS if kind != "emergency")
# Every kind climbing the ladder: what is tested is when its clock runs.
ESCALATING = {kind: replace(rule, escalates=True) for kind, rule in DEFAULT_POLICY.items()}
leads = st.integers(min_value=1, max_value=int(care.SCHEDULE_HORIZON.total_seconds())).map(
    lambda s: timedelta(seconds=s))
moments = st.integers(min_value=0, max_value=int(care.SCHEDULE_HORIZON.total_seconds()) + 3600).map(
    lambda s: START + timedelta(seconds=s))


@quiet
@given(kind=st.sampled_from(BOOKABLE_KINDS), lead=leads, moment=moments)
def test_a_booked_visit_never_escalates_or_misses_its_sla_before_its_time(kind, lead, moment):
    request = care.raise_request(CALLERS["operator"], care.NewCareRequest(COMMUNITY, "elder-1", kind, "phone",
                                                                          scheduled_for=START + lead),
                                 "cr-1", START, ESCALATING)
    due = START + lead + ESCALATING[kind].acknowledge_within
    assert care.is_due_for_escalation(request, moment) == (moment >= due)
    assert care.is_upcoming(request, moment) == (moment < START + lead)
    acknowledged = care.acknowledge(CALLERS["operator"], request, moment)
    assert care.acknowledged_within_sla(acknowledged) == (moment <= due)
    assert care.seconds_since_clock_start(acknowledged, moment) == max(0.0, (moment - START - lead).total_seconds())


@quiet
@given(kind=st.sampled_from(BOOKABLE_KINDS), lead=leads,
       steps=st.lists(st.tuples(care_operation(), step_callers, later), min_size=5, max_size=30))
def test_no_sequence_of_operations_on_a_booked_visit_moves_its_time_or_leaves_it_upcoming_once_started(
        kind, lead, steps):
    now = START
    new = care.NewCareRequest(COMMUNITY, "elder-1", kind, "phone", position=HOME, scheduled_for=START + lead)
    request = care.raise_request(CALLERS["operator"], new, "cr-1", now, DEFAULT_POLICY)
    for (name, operation), who, wait in steps:
        now += wait
        try:
            request = operation(care_caller(who, name, request), request, now)
        except LinliError:
            continue
        check_care_request(request)
        assert request.scheduled_for == START + lead
        assert request.acknowledge_due_at == START + lead + DEFAULT_POLICY[kind].acknowledge_within
        if care.is_upcoming(request, now):
            assert request.status in (care.RAISED, care.ACKNOWLEDGED, care.ASSIGNED) and now < START + lead


# -- meal orders -----------------------------------------------------------------------------------

MEAL_MOVES = {
    meals.PLACED: {meals.DISPATCHED, meals.DELIVERED, meals.SERVED, meals.CANCELLED},
    meals.DISPATCHED: {meals.DELIVERED, meals.CANCELLED},
    meals.DELIVERED: set(), meals.SERVED: set(), meals.CANCELLED: set(),
}
MENU = meals.Menu(COMMUNITY, "2026-11-27", (meals.Dish("茄汁鱼"),), 10_00, "09:30",
                  meals.cutoff_at("2026-11-27", "09:30", "Asia/Shanghai"), True, True, 2_00, "op-wang", START)

meal_operations = st.one_of(
    notes.map(lambda n: ("cancel", lambda c, o, now: meals.cancel(c, o, n, now, FAMILY_OF.get(c.subject,
                                                                                               frozenset())))),
    st.just(("serve", lambda c, o, now: meals.serve(c, o, now))),
    st.just(("dispatch", lambda c, o, now: meals.dispatch(o, now))),
    st.just(("deliver", lambda c, o, now: meals.deliver(o, now))),
    notes.map(lambda n: ("delivery_cancelled", lambda c, o, now: meals.delivery_cancelled(o, n, now))),
)


@quiet
@given(mode=st.sampled_from(meals.MODES), quantity=st.integers(1, 3), orderer=callers,
       steps=st.lists(st.tuples(meal_operations, callers, st.integers(0, 1800).map(lambda s: timedelta(seconds=s))),
                      max_size=20))
def test_no_sequence_of_meal_order_operations_reaches_an_undeclared_state_or_changes_the_bill(
        mode, quantity, orderer, steps):
    now = START  # 09:00 in Shanghai: half an hour before the cutoff
    new = meals.NewMealOrder(COMMUNITY, "elder-1", "2026-11-27", mode, quantity, care.Location("东区 7号楼"))
    try:
        order = meals.place_order(CALLERS[orderer], new, MENU, "mo-1", now, FAMILY_OF.get(CALLERS[orderer].subject,
                                                                                            frozenset()))
    except LinliError:
        assert orderer not in ("operator", "administrator", "elder", "family")
        return
    assert order.total_fen == 10_00 * quantity + (2_00 if mode == meals.DELIVERY else 0)
    for (name, operation), who, wait in steps:
        now += wait
        before = order
        try:
            after = operation(CALLERS[who], before, now)
        except LinliError:
            continue
        if after is None:  # the event-driven steps say "nothing to do" instead of raising
            continue
        assert after.status in MEAL_MOVES[before.status], (name, before.status, after.status)
        assert after.version == before.version + 1
        assert (after.total_fen, after.quantity, after.mode) == (before.total_fen, before.quantity, before.mode)
        if after.status == meals.SERVED:
            assert after.mode == meals.DINE_IN
        if after.status in (meals.DISPATCHED, meals.DELIVERED):
            assert after.mode == meals.DELIVERY
        if name == "cancel":
            assert now < order.order_cutoff_at  # nobody cancels after the cutoff
        order = after


# -- an elder's consents ---------------------------------------------------------------------------

def elder() -> residents.Elder:
    details = residents.ElderDetails("王秀英", contacts=(residents.Contact("王强", "son", user_id="son-1"),))
    return residents.register(CALLERS["operator"], "elder-1", COMMUNITY, details, START)


@quiet
@given(steps=st.lists(st.tuples(callers, st.sampled_from(residents.CONSENT_TOPICS + ("dna",)), st.booleans()),
                      max_size=30))
def test_consents_keep_every_decision_and_the_latest_one_per_topic_is_in_force(steps):
    current = elder()
    now = START
    decided = {}
    for who, topic, granted in steps:
        now += timedelta(minutes=1)
        before = current
        try:
            current = residents.record_consent(CALLERS[who], before, topic, granted, now)
        except LinliError:
            assert current is before
            assert topic not in residents.CONSENT_TOPICS or who not in ("elder", "operator", "administrator")
            continue
        assert who in ("elder", "operator", "administrator") and topic in residents.CONSENT_TOPICS
        assert current.consents[: len(before.consents)] == before.consents  # decisions are never rewritten
        assert current.version == before.version + 1
        decided[topic] = granted
    for topic in residents.CONSENT_TOPICS:
        assert residents.has_consent(current, topic) == decided.get(topic, False)


@quiet
@given(location=st.booleans(), health=st.booleans(), emergency=st.booleans(), assigned=st.booleans(), who=callers)
def test_without_consent_nobody_but_the_elder_sees_position_or_health_outside_an_emergency(
        location, health, emergency, assigned, who):
    current = elder()
    for topic, granted in ((residents.LOCATION, location), (residents.HEALTH, health)):
        current = residents.record_consent(CALLERS["elder"], current, topic, granted, START)
    context = residents.CareContext(emergency_in_progress=emergency, assigned_to_caller=assigned)
    parts = residents.visible_parts(CALLERS[who], current, context)
    if parts is None or who == "elder":
        return
    assert parts <= residents.ALL_PARTS
    if residents.POSITION in parts:
        assert location or emergency
    if residents.HEALTH_DATA in parts:
        assert health or emergency
    if who in ("neighbour", "volunteer", "device", "operator_elsewhere"):
        raise AssertionError(f"{who} sees {sorted(parts)}")
