"""Linli's consultation room (services/clinic/domain/consultation_rooms.py): per-participant signed join
links that expire and cannot be used by someone else, the room's size, and the session's status
following who is in the room."""
from dataclasses import replace
from datetime import timedelta

import pytest

from linli.kit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from linli.kit.identity import Caller
from services.clinic.domain import consultation_rooms as rooms
from services.clinic.domain import teleconsultations as tele
from tests.unit.test_clinic_teleconsultations import CITY, COMMUNITY, ELDER, NOW, NURSE, requested

START = NOW + timedelta(hours=2)
AT_START = START + timedelta(minutes=1)
BASE = "https://linli.example/consultation/"
DEVICE = "d" * 32


def scheduled() -> tele.Teleconsultation:
    return tele.schedule(NURSE, requested(), START, 30, NOW)


def token_of(url: str) -> str:
    return url.split("#join=", 1)[1]


def enter(caller, c, token, peer, device="", at=AT_START):
    return rooms.enter(caller, c, rooms.read(c, c.id, token, at), device, peer, at)


def test_the_patient_and_each_clinician_get_a_link_of_their_own_and_nobody_else_gets_one():
    c = scheduled()
    patient = rooms.link_for(ELDER, c, BASE)
    nurse = rooms.link_for(NURSE, c, BASE)
    assert patient.startswith(f"{BASE}?teleconsultation={c.id}#join=") and nurse != patient
    doctor = Caller("dr-sun", frozenset({"clinician"}), frozenset({COMMUNITY}))
    assert rooms.link_for(doctor, c, BASE) not in (patient, nurse)
    assert rooms.link_for(Caller("op-wang", frozenset({"operator"}), frozenset({COMMUNITY})), c, BASE) == ""
    assert rooms.link_for(NURSE, requested(), BASE) == ""  # no time yet, no room


def test_someone_elses_link_is_refused_even_signed_in():
    c = scheduled()
    patient_token = token_of(rooms.link_for(ELDER, c, BASE))
    neighbour = Caller("elder-next-door", frozenset({"resident"}), frozenset({COMMUNITY}))
    for caller in (neighbour, NURSE, None):
        with pytest.raises(PermissionDenied):
            enter(caller, c, patient_token, "peer-aaaaaaaa")
    doctor = Caller("dr-sun", frozenset({"clinician"}), frozenset({COMMUNITY}))
    with pytest.raises(PermissionDenied):
        enter(doctor, c, token_of(rooms.link_for(NURSE, c, BASE)), "peer-aaaaaaaa")


def test_a_tampered_link_or_another_sessions_link_is_not_found():
    c = scheduled()
    other = replace(scheduled(), id="tc-2", join_token="x" * 43)
    token = token_of(rooms.link_for(ELDER, c, BASE))
    payload, signature = token.split(".")
    for wrong in (token_of(rooms.link_for(ELDER, other, BASE)), payload + "." + signature[::-1], "garbage"):
        with pytest.raises(NotFound):
            rooms.read(c, c.id, wrong, AT_START)
    with pytest.raises(InvalidArgument):
        rooms.read(c, c.id, "", AT_START)


def test_a_link_expires_half_an_hour_after_the_scheduled_end_and_the_room_opens_a_quarter_before_the_start():
    c = scheduled()
    token = token_of(rooms.link_for(ELDER, c, BASE))
    with pytest.raises(FailedPrecondition, match="expired"):
        rooms.read(c, c.id, token, START + timedelta(minutes=60))
    with pytest.raises(FailedPrecondition, match="opens at"):
        enter(ELDER, c, token, "peer-aaaaaaaa", at=START - timedelta(minutes=16))
    assert enter(ELDER, c, token, "peer-aaaaaaaa", at=START - timedelta(minutes=14)).participant == "patient"


def test_moving_the_session_replaces_its_links():
    c = scheduled()
    old = token_of(rooms.link_for(ELDER, c, BASE))
    moved = tele.schedule(NURSE, c, START + timedelta(days=1), 30, NOW)
    with pytest.raises(FailedPrecondition, match="moved"):
        rooms.read(moved, c.id, old, AT_START)
    rooms.read(moved, c.id, token_of(rooms.link_for(ELDER, moved, BASE)), AT_START)


def test_a_hospitals_link_binds_to_the_first_device_that_uses_it():
    c = scheduled()
    token = token_of(rooms.partner_link(CITY, c, BASE, "nonce-1", NOW))
    entered = enter(None, c, token, "peer-aaaaaaaa", device=DEVICE)
    assert (entered.participant, entered.subject) == ("partner", CITY)
    with pytest.raises(PermissionDenied, match="another device"):
        enter(None, entered.consultation, token, "peer-bbbbbbbb", device="e" * 32)
    assert enter(None, entered.consultation, token, "peer-cccccccc", device=DEVICE).participant == "partner"
    with pytest.raises(NotFound):
        rooms.partner_link("district-hospital", c, BASE, "nonce-2", NOW)


def test_the_session_is_in_progress_once_the_patient_and_a_clinician_are_in_and_completed_when_the_last_leaves_after_its_end():
    c = scheduled()
    c = enter(NURSE, c, token_of(rooms.link_for(NURSE, c, BASE)), "peer-nurse-1").consultation
    assert c.status == tele.SCHEDULED
    c = enter(ELDER, c, token_of(rooms.link_for(ELDER, c, BASE)), "peer-elder-1").consultation
    assert c.status == tele.IN_PROGRESS and c.history[-1].by == rooms.ROOM
    c = rooms.leave(c, "peer-elder-1", AT_START + timedelta(minutes=5))
    c = rooms.leave(c, "peer-nurse-1", AT_START + timedelta(minutes=6))
    assert c.status == tele.IN_PROGRESS  # everyone out before the end: they may come back
    c = enter(ELDER, c, token_of(rooms.link_for(ELDER, c, BASE)), "peer-elder-2",
              at=AT_START + timedelta(minutes=7)).consultation
    c = rooms.leave(c, "peer-elder-2", START + timedelta(minutes=31))
    assert c.status == tele.COMPLETED and c.history[-1].note == "everyone left the room"
    assert [a.peer for a in c.attendance] == ["peer-nurse-1", "peer-elder-1", "peer-elder-2"]
    assert all(a.left_at for a in c.attendance)
    assert rooms.leave(c, "peer-elder-2", START + timedelta(minutes=32)) is None  # already out: nothing


def test_the_room_refuses_one_more_than_it_holds_and_a_retried_entry_changes_nothing():
    c = scheduled()
    token = token_of(rooms.link_for(NURSE, c, BASE))
    for n in range(rooms.MAX_IN_ROOM):
        c = enter(NURSE, c, token, f"peer-nurse-{n}").consultation
    assert enter(NURSE, c, token, "peer-nurse-0").consultation is c
    with pytest.raises(FailedPrecondition, match="full"):
        enter(NURSE, c, token, "peer-one-too-many")


def test_a_closed_session_has_no_room_and_a_patient_who_came_is_no_no_show():
    c = scheduled()
    token = token_of(rooms.link_for(ELDER, c, BASE))
    cancelled = tele.cancel(ELDER, c, "改期", NOW)
    with pytest.raises(FailedPrecondition, match="closed"):
        enter(ELDER, cancelled, token, "peer-aaaaaaaa")
    came = enter(ELDER, c, token, "peer-aaaaaaaa").consultation
    with pytest.raises(FailedPrecondition, match="not a no-show"):
        tele.mark_no_show(NURSE, came, START + timedelta(minutes=10))
