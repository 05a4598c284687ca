"""The only module that knows how patients, their summary records and consents sit in MongoDB."""
import pymongo
from pymongo.client_session import ClientSession

from linli.kit.errors import Aborted, AlreadyExists
from linli.kit.mongo import Index, is_duplicate_key, transaction
from services.clinic.domain.audit import AuditRecord
from services.clinic.domain.patients import Consent, DocumentRef, Patient, PatientDetails, PatientScope
from services.clinic.store.audit import AuditLog

PATIENTS = "patients"

INDEXES = [
    Index(PATIENTS, [("community_id", 1), ("_id", 1)]),
    # One patient record per resident of a community.
    Index(PATIENTS, [("community_id", 1), ("resident_id", 1)], {"unique": True}),
    Index(PATIENTS, [("resident_id", 1)]),
]


def _doc(patient: Patient) -> dict:
    d = patient.details
    return {
        "_id": patient.id, "community_id": patient.community_id, "resident_id": patient.resident_id,
        "details": {**vars(d), "problems": list(d.problems), "medications": list(d.medications),
                    "allergies": list(d.allergies)},
        "registered_at": patient.registered_at, "registered_by": patient.registered_by,
        "updated_at": patient.updated_at,
        "results": [vars(r) for r in patient.results],
        "consents": [{**vars(c), "scopes": list(c.scopes)} for c in patient.consents],
        "version": patient.version,
    }


def _patient(doc: dict) -> Patient:
    d = doc["details"]
    details = PatientDetails(d["name"], d["sex"], d["birth_date"], d["phone"], tuple(d["problems"]),
                             tuple(d["medications"]), tuple(d["allergies"]))
    return Patient(doc["_id"], doc["community_id"], doc["resident_id"], details, doc["registered_at"],
                   doc["registered_by"], doc["updated_at"], tuple(DocumentRef(**r) for r in doc["results"]),
                   tuple(Consent(**{**c, "scopes": tuple(c["scopes"])}) for c in doc["consents"]), doc["version"])


class PatientStore:
    def __init__(self, client: pymongo.MongoClient, db):
        self.client = client
        self.db = db
        self.patients = db[PATIENTS]
        self.audit = AuditLog(db)

    def add(self, patient: Patient, audits: list[AuditRecord]) -> Patient:
        def work(session: ClientSession) -> None:
            self.patients.insert_one(_doc(patient), session=session)
            self.audit.append(audits, session)

        try:
            transaction(self.client, work)
        except pymongo.errors.PyMongoError as error:
            if is_duplicate_key(error):
                raise AlreadyExists(f"resident {patient.resident_id} is already a patient of this community") from None
            raise
        return patient

    def get(self, patient_id: str) -> Patient | None:
        doc = self.patients.find_one({"_id": patient_id})
        return _patient(doc) if doc else None

    def many(self, patient_ids: set[str]) -> dict[str, Patient]:
        if not patient_ids:
            return {}
        return {doc["_id"]: _patient(doc) for doc in self.patients.find({"_id": {"$in": sorted(patient_ids)}})}

    def by_resident(self, community_id: str, resident_id: str) -> Patient | None:
        doc = self.patients.find_one({"community_id": community_id, "resident_id": resident_id})
        return _patient(doc) if doc else None

    def save(self, patient: Patient, audits: list[AuditRecord]) -> Patient:
        """Save a changed patient (version check) with the audit records of the change, in one transaction."""

        def work(session: ClientSession) -> None:
            result = self.patients.replace_one({"_id": patient.id, "version": patient.version - 1}, _doc(patient),
                                               session=session)
            if result.matched_count != 1:
                raise Aborted(f"patient {patient.id} was changed by someone else; read it again and retry")
            self.audit.append(audits, session)

        transaction(self.client, work)
        return patient

    def page(self, scope: PatientScope, after_id: str | None, limit: int) -> list[Patient]:
        query: dict = {}
        if scope.communities is not None:
            query["community_id"] = {"$in": sorted(scope.communities)}
        if scope.resident_id is not None:
            query["resident_id"] = scope.resident_id
        if after_id:
            query["_id"] = {"$gt": after_id}
        return [_patient(doc) for doc in self.patients.find(query).sort("_id", 1).limit(limit)]
