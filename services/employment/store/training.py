"""The only module that knows how courses and enrolments sit in MongoDB."""
import pymongo
from pymongo.client_session import ClientSession

from linli.kit import outbox
from linli.kit.errors import AlreadyExists
from linli.kit.mongo import Index, is_duplicate_key, transaction
from services.employment.domain import training
from services.employment.store import documents
from services.employment.store.documents import from_doc
from services.employment.store.seekers import SeekerStore

COURSES = "courses"
ENROLMENTS = "enrolments"

INDEXES = [
    Index(COURSES, [("community_id", 1), ("_id", 1)]),
    # One enrolment per seeker and course.
    Index(ENROLMENTS, [("course_id", 1), ("seeker_id", 1)], {"unique": True}),
    Index(ENROLMENTS, [("seeker_id", 1), ("_id", 1)]),
    Index(ENROLMENTS, [("fair_id", 1)]),
]


class TrainingStore:
    def __init__(self, client: pymongo.MongoClient, db):
        self.client = client
        self.db = db
        self.courses = db[COURSES]
        self.enrolments = db[ENROLMENTS]

    def get_course(self, course_id: str) -> training.Course | None:
        doc = self.courses.find_one({"_id": course_id})
        return from_doc(training.Course, doc) if doc else None

    def add_course(self, course: training.Course) -> None:
        documents.insert(self.courses, course, None, "course")

    def list_courses(self, community_id: str, after: str, limit: int) -> list[training.Course]:
        query: dict = {"community_id": community_id}
        if after:
            query["_id"] = {"$gt": after}
        return [from_doc(training.Course, doc) for doc in self.courses.find(query).sort("_id", 1).limit(limit)]

    def get(self, enrolment_id: str) -> training.Enrolment | None:
        doc = self.enrolments.find_one({"_id": enrolment_id})
        return from_doc(training.Enrolment, doc) if doc else None

    def add(self, enrolment: training.Enrolment, event: dict) -> None:
        def work(session: ClientSession) -> None:
            self.enrolments.insert_one(documents.to_doc(enrolment), session=session)
            outbox.add(self.db, session, event)

        try:
            transaction(self.client, work)
        except pymongo.errors.PyMongoError as error:
            if is_duplicate_key(error):
                raise AlreadyExists(f"{enrolment.seeker_id} is signed up for course {enrolment.course_id} already") \
                    from None
            raise

    def update(self, enrolment: training.Enrolment, course: training.Course, course_changed: bool, events: list[dict],
               seeker=None, seeker_events: list[dict] = ()) -> None:
        """The enrolment, its course's seats when they changed, and the seeker's new skills when certified:
        in one transaction."""
        seekers = SeekerStore(self.client, self.db)
        if seeker is not None:
            documents.ensure_counter(self.db, seeker.community_id)

        def work(session: ClientSession) -> None:
            documents.replace(self.enrolments, enrolment, session, "enrolment")
            if course_changed:
                documents.replace(self.courses, course, session, "course")
            if seeker is not None:
                seekers.update(seeker, list(seeker_events), session=session)
            for event in events:
                outbox.add(self.db, session, event)

        transaction(self.client, work)

    def list_enrolments(self, query: dict, after: str, limit: int) -> list[training.Enrolment]:
        query = dict(query)
        if after:
            query["_id"] = {"$gt": after}
        return [from_doc(training.Enrolment, doc) for doc in self.enrolments.find(query).sort("_id", 1).limit(limit)]

    def sign_ups_at_fair(self, fair_id: str) -> int:
        return self.enrolments.count_documents({"fair_id": fair_id})
