"""Events employment publishes on "employment.events" (payloads in proto/linli/employment/v1/events.proto)."""
from datetime import datetime

from linli.employment.v1 import events_pb2, fairs_pb2, jobs_pb2, seekers_pb2, training_pb2, workshop_pb2
from linli.kit.events import envelope
from services.employment.domain import applications, fairs, jobs, placements, seekers, training, workshop
from services.employment.messages import fill, to_message

SOURCE = "employment"


def vacancy_event(event_type: str, vacancy: jobs.Vacancy, at: datetime) -> dict:
    """vacancy.opened, .updated, .partially_filled, .filled, .expired, .closed."""
    payload = events_pb2.VacancyChanged(vacancy=to_message(jobs_pb2.Vacancy, vacancy))
    return envelope(SOURCE, event_type, vacancy.community_id, payload, at)


def vacancies_imported(import_id: str, community_id: str, vacancy_ids: list[str], fair_id: str,
                       at: datetime) -> dict:
    payload = events_pb2.VacanciesImported(import_id=import_id, community_id=community_id, vacancy_ids=vacancy_ids,
                                           fair_id=fair_id)
    return envelope(SOURCE, jobs.VACANCIES_IMPORTED, community_id, payload, at)


def seeker_event(event_type: str, seeker: seekers.JobSeeker, at: datetime) -> dict:
    """seeker.registered, .updated, .status_changed: who and their status, never their profile."""
    payload = fill(events_pb2.SeekerChanged(seeker_id=seeker.id), seeker)
    return envelope(SOURCE, event_type, seeker.community_id, payload, at)


def application_event(application: applications.Application, at: datetime) -> dict:
    """application.<the status it reached>."""
    payload = events_pb2.ApplicationChanged(application=to_message(seekers_pb2.Application, application))
    return envelope(SOURCE, applications.event_type(application.status), application.community_id, payload, at)


def placement_event(event_type: str, placement: placements.Placement, at: datetime) -> dict:
    payload = events_pb2.PlacementChanged(placement=to_message(seekers_pb2.Placement, placement))
    return envelope(SOURCE, event_type, placement.community_id, payload, at)


def enrolment_event(enrolment: training.Enrolment, at: datetime) -> dict:
    payload = events_pb2.EnrolmentChanged(enrolment=to_message(training_pb2.Enrolment, enrolment))
    return envelope(SOURCE, training.event_type(enrolment.status), enrolment.community_id, payload, at)


def fair_closed(fair: fairs.Fair, report: fairs.FairReport, at: datetime) -> dict:
    payload = events_pb2.JobFairClosed(fair=to_message(fairs_pb2.Fair, fair),
                                       report=to_message(fairs_pb2.FairReport, report))
    return envelope(SOURCE, fairs.JOB_FAIR_CLOSED, fair.community_id, payload, at)


def workshop_order_completed(order: workshop.Order, at: datetime) -> dict:
    payload = events_pb2.WorkshopOrderCompleted(order=to_message(workshop_pb2.WorkshopOrder, order))
    return envelope(SOURCE, workshop.WORKSHOP_ORDER_COMPLETED, order.community_id, payload, at)


# -- what the worker reads back ------------------------------------------------------------------------

def vacancy_id_in(event: dict) -> str:
    return event["data"]["vacancy"]["id"]


def import_id_in(event: dict) -> str:
    return event["data"]["vacancy"].get("import_id", "")
