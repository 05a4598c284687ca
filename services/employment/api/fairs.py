"""FairService: job fairs, what happens at them, and their reports. Decode the request, apply the domain's
rules, save through the store, encode the reply."""
from linli.employment.v1 import fairs_pb2 as pb
from linli.employment.v1 import fairs_pb2_grpc as pb_grpc
from linli.kit.errors import NotFound
from linli.kit.identity import current_caller
from linli.kit.mongo import utcnow
from services.employment import events
from services.employment.api.common import new_id, page, page_request, required_id
from services.employment.domain import fairs
from services.employment.domain.common import check_serves
from services.employment.messages import enum_name, to_message
from services.employment.store.applications import ApplicationStore
from services.employment.store.fairs import FairStore
from services.employment.store.jobs import JobStore
from services.employment.store.training import TrainingStore

TOPIC = pb.ConsultationTopic.DESCRIPTOR


def fair_message(fair: fairs.Fair) -> pb.Fair:
    return to_message(pb.Fair, fair)


class FairApi(pb_grpc.FairServiceServicer):
    def __init__(self, store: FairStore, job_store: JobStore, application_store: ApplicationStore,
                 training_store: TrainingStore, clock=utcnow):
        self.store = store
        self.jobs = job_store
        self.applications = application_store
        self.training = training_store
        self.clock = clock

    def _fair(self, fair_id: str) -> fairs.Fair:
        fair_id = required_id(fair_id)
        return fairs.check_visible(current_caller(), self.store.get(fair_id), fair_id)

    def report(self, fair: fairs.Fair) -> fairs.FairReport:
        return fairs.report(fair, self.jobs.headcounts_at_fair(fair.id),
                            self.applications.seekers_intending_at_fair(fair.id),
                            self.training.sign_ups_at_fair(fair.id), self.store.consultation_topics(fair.id))

    def PlanFair(self, request, context):
        new = fairs.NewFair(request.id, request.community_id, request.title, request.day, request.venue)
        fair = fairs.plan(current_caller(), new, self.clock())
        self.store.add(fair)
        return pb.PlanFairResponse(fair=fair_message(fair))

    def GetFair(self, request, context):
        return pb.GetFairResponse(fair=fair_message(self._fair(request.id)))

    def ListFairs(self, request, context):
        caller = current_caller()
        size, after = page_request(request.page_size, request.page_token)
        check_serves(caller, request.community_id)
        shown, token = page(self.store.list_fairs(request.community_id, after, size + 1), size)
        return pb.ListFairsResponse(fairs=[fair_message(f) for f in shown], next_page_token=token)

    def AddFairCompany(self, request, context):
        fair = self._fair(request.fair_id)
        employer_id = required_id(request.employer_id, "employer_id")
        employer = self.jobs.get_employer(employer_id)
        if employer is None:
            raise NotFound(f"employer {employer_id} not found")
        changed = fairs.add_company(current_caller(), fair, employer, request.booth)
        self.store.update(changed)
        return pb.AddFairCompanyResponse(fair=fair_message(changed))

    def RecordConsultation(self, request, context):
        fair = self._fair(request.fair_id)
        consultation = fairs.record_consultation(current_caller(), fair, new_id(), enum_name(TOPIC, request.topic),
                                                 request.question, request.seeker_id, self.clock())
        self.store.add_consultation(consultation)
        return pb.RecordConsultationResponse(consultation=to_message(pb.Consultation, consultation))

    def RecordLeaflets(self, request, context):
        fair = self._fair(request.fair_id)
        changed = fairs.record_leaflets(current_caller(), fair, request.title, request.copies)
        self.store.update(changed)
        return pb.RecordLeafletsResponse(fair=fair_message(changed))

    def CloseFair(self, request, context):
        now = self.clock()
        closed = fairs.close(current_caller(), self._fair(request.id), now)
        report = self.report(closed)
        self.store.update(closed, [events.fair_closed(closed, report, now)])
        return pb.CloseFairResponse(fair=fair_message(closed), report=to_message(pb.FairReport, report))

    def GetFairReport(self, request, context):
        return pb.GetFairReportResponse(report=to_message(pb.FairReport, self.report(self._fair(request.fair_id))))
