"""TrainingService: courses and enrolments. Decode the request, apply the domain's rules, save through the
store, encode the reply."""
from linli.employment.v1 import training_pb2 as pb
from linli.employment.v1 import training_pb2_grpc as pb_grpc
from linli.kit.errors import NotFound
from linli.kit.identity import current_caller
from linli.kit.mongo import utcnow
from services.employment import events
from services.employment.api.common import new_id, page, page_request, required_id
from services.employment.domain import fairs, seekers, training
from services.employment.domain.common import check_counsellor, check_serves
from services.employment.messages import enum_name, to_message
from services.employment.store.fairs import FairStore
from services.employment.store.jobs import JobStore
from services.employment.store.seekers import SeekerStore
from services.employment.store.training import TrainingStore

STATUS = pb.EnrolmentStatus.DESCRIPTOR


def enrolment_message(enrolment: training.Enrolment) -> pb.Enrolment:
    return to_message(pb.Enrolment, enrolment)


class TrainingApi(pb_grpc.TrainingServiceServicer):
    def __init__(self, store: TrainingStore, seeker_store: SeekerStore, job_store: JobStore, fair_store: FairStore,
                 clock=utcnow):
        self.store = store
        self.seekers = seeker_store
        self.jobs = job_store
        self.fairs = fair_store
        self.clock = clock

    def CreateCourse(self, request, context):
        new = training.NewCourse(request.id, request.community_id, request.title, request.provider,
                                 tuple(request.skills), request.starts_on, request.hours, request.seats)
        course = training.create_course(current_caller(), new, self.clock(), self.jobs.known_codes())
        self.store.add_course(course)
        return pb.CreateCourseResponse(course=to_message(pb.Course, course))

    def ListCourses(self, request, context):
        size, after = page_request(request.page_size, request.page_token)
        check_serves(current_caller(), request.community_id)
        shown, token = page(self.store.list_courses(request.community_id, after, size + 1), size)
        return pb.ListCoursesResponse(courses=[to_message(pb.Course, c) for c in shown], next_page_token=token)

    def SignUpForCourse(self, request, context):
        caller, now = current_caller(), self.clock()
        course_id = required_id(request.course_id, "course_id")
        course = training.check_course_visible(caller, self.store.get_course(course_id), course_id)
        seeker_id = required_id(request.seeker_id or caller.subject, "seeker_id")
        seeker = seekers.check_visible(caller, self.seekers.get(seeker_id), seeker_id)
        if request.fair_id:
            fair_id = required_id(request.fair_id, "fair_id")
            fairs.check_open(fairs.check_visible(caller, self.fairs.get(fair_id), fair_id))
        enrolment = training.sign_up(caller, course, seeker, new_id(), now, request.fair_id)
        self.store.add(enrolment, events.enrolment_event(enrolment, now))
        return pb.SignUpForCourseResponse(enrolment=enrolment_message(enrolment))

    def MoveEnrolment(self, request, context):
        caller, now = current_caller(), self.clock()
        enrolment_id = required_id(request.id)
        enrolment = training.check_visible(caller, self.store.get(enrolment_id), enrolment_id)
        course = self.store.get_course(enrolment.course_id)
        if course is None:
            raise NotFound(f"course {enrolment.course_id} not found")
        moved, seated = training.move(caller, enrolment, course, enum_name(STATUS, request.status), now, request.note)
        seeker = None
        if moved.status == training.CERTIFIED:
            # What the course taught joins the seeker's skills, and so their matches.
            found = self.seekers.get(moved.seeker_id)
            seeker = seekers.with_skills(found, course.skills, now) if found else None
        self.store.update(moved, seated, seated is not course, [events.enrolment_event(moved, now)], seeker,
                          [events.seeker_event(seekers.SEEKER_UPDATED, seeker, now)] if seeker else [])
        return pb.MoveEnrolmentResponse(enrolment=enrolment_message(moved))

    def ListEnrolments(self, request, context):
        caller = current_caller()
        size, after = page_request(request.page_size, request.page_token)
        if request.course_id:
            # A course is public within its community; who signed up for it is the counsellors' business.
            course_id = request.course_id
            course = training.check_course_visible(caller, self.store.get_course(course_id), course_id)
            check_counsellor(caller, course.community_id, "list a course's enrolments")
            query = {"course_id": course.id}
        else:
            # Enrolments are a job seeker's: someone who is none gets 404, as for their profile and matches.
            seeker = seekers.check_visible(caller, self.seekers.get(caller.subject), caller.subject)
            query = {"seeker_id": seeker.id}
        shown, token = page(self.store.list_enrolments(query, after, size + 1), size)
        return pb.ListEnrolmentsResponse(enrolments=[enrolment_message(e) for e in shown], next_page_token=token)
