"""Run the clinic api: python -m services.clinic.api

Two grpcio servers in one process: the internal api (CLINIC_API_ADDR, plaintext, callers forwarded by
the gateway) and the partner exchange (CLINIC_PARTNER_ADDR, mutual TLS, partner hospitals). The
internal port's health service also reports the partner exchange, so probes need no client certificate.
"""
import threading

from grpc_health.v1 import health_pb2

from linli.clinic.partner.v1 import partner_pb2, partner_pb2_grpc
from linli.clinic.v1 import audit_pb2, audit_pb2_grpc, patients_pb2, patients_pb2_grpc, referrals_pb2
from linli.clinic.v1 import referrals_pb2_grpc, teleconsultations_pb2, teleconsultations_pb2_grpc
from linli.clinic.v1 import triage_pb2, triage_pb2_grpc
from linli.kit import api
from linli.kit.config import number, setting
from linli.kit.grpc_server import GrpcApi
from services.clinic.api.audit import AuditApi
from services.clinic.api.common import ChangeBell
from services.clinic.api.partner import (ExpiryWarnings, PartnerApi, RevokedSerials, TlsMaterial,
                                         partner_identity, tls_directory_problem)
from services.clinic.api.patients import PatientApi
from services.clinic.api.referrals import ReferralApi, ReferralDesk
from services.clinic.api.teleconsultations import TeleconsultationApi
from services.clinic.api.triage import TriageApi
from services.clinic.domain.organisations import parse_partners
from services.clinic.store import INDEXES
from services.clinic.store.audit import AuditLog
from services.clinic.store.patients import PatientStore
from services.clinic.store.referrals import ReferralStore
from services.clinic.store.teleconsultations import TeleconsultationStore
from services.clinic.store.triage import TriageStore

PARTNER_SERVICE = partner_pb2.DESCRIPTOR.services_by_name["PartnerExchangeService"].full_name


def configured_partners() -> tuple:
    """The listed partners and the partner port's TLS material; the process stops here if either is wrong."""
    try:
        partners = parse_partners(setting("CLINIC_PARTNERS"))
    except ValueError as error:
        raise SystemExit(f"CLINIC_PARTNERS: {error}") from None
    problem = tls_directory_problem(setting("CLINIC_PARTNER_TLS_DIR"))
    if problem:
        raise SystemExit(problem)
    return partners, TlsMaterial(setting("CLINIC_PARTNER_TLS_DIR"))


def served(client, db, partners, tls: TlsMaterial) -> api.Served:
    """The internal api's services, and the partner exchange beside them on its own port."""
    referral_store, patient_store = ReferralStore(client, db), PatientStore(client, db)
    teleconsultation_store = TeleconsultationStore(client, db)
    desk = ReferralDesk(referral_store, patient_store, partners, ChangeBell())
    meeting_base_url = setting("CLINIC_MEETING_BASE_URL")
    bindings = [
        api.binding(patients_pb2, patients_pb2_grpc, "PatientService", PatientApi(patient_store, partners)),
        api.binding(teleconsultations_pb2, teleconsultations_pb2_grpc, "TeleconsultationService",
                    TeleconsultationApi(teleconsultation_store, patient_store, partners, meeting_base_url)),
        api.binding(referrals_pb2, referrals_pb2_grpc, "ReferralService", ReferralApi(desk)),
        api.binding(triage_pb2, triage_pb2_grpc, "TriageService", TriageApi(TriageStore(client, db))),
        api.binding(audit_pb2, audit_pb2_grpc, "AuditService", AuditApi(AuditLog(db))),
    ]
    partner_api = PartnerApi(desk, poll_seconds=number("LINLI_OUTBOX_POLL_SECONDS"),
                             teleconsultations=teleconsultation_store, meeting_base_url=meeting_base_url)
    # Each open watch holds a thread: room for every partner's watches beside their calls. A partner's
    # connection is never recycled: it carries watches meant to stay open for hours.
    partner_server = GrpcApi(setting("CLINIC_PARTNER_ADDR"),
                             [api.binding(partner_pb2, partner_pb2_grpc, "PartnerExchangeService", partner_api)],
                             max_workers=32, credentials=tls.credentials(),
                             identify=partner_identity(partners, RevokedSerials(setting("CLINIC_PARTNER_TLS_DIR")),
                                                       ExpiryWarnings()),
                             max_connection_age=0, partner_calls=True)
    partner_drained = threading.Event()

    def started(internal: GrpcApi) -> None:
        internal.health.set(PARTNER_SERVICE, health_pb2.HealthCheckResponse.SERVING)  # probes see the partner port

    def drain_partners() -> None:
        """Close the partners' watches (they resume elsewhere with their token) and drain the partner
        port alongside the internal one, so both fit in one grace period."""
        partner_api.stop()
        partner_server.health.enter_graceful_shutdown()
        done = partner_server.server.stop(number("LINLI_GRPC_DRAIN_SECONDS"))
        threading.Thread(target=lambda: (done.wait(), partner_drained.set()), daemon=True).start()

    return api.Served(bindings, started=started, before_drain=drain_partners,
                      after_drain=lambda: partner_drained.wait(number("LINLI_GRPC_DRAIN_SECONDS") + 1))


def main() -> None:
    partners, tls = configured_partners()
    api.run("clinic", INDEXES, lambda client, db: served(client, db, partners, tls))


if __name__ == "__main__":
    main()
