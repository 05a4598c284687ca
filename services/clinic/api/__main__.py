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
from linli.kit import metrics, telemetry
from linli.kit.config import database_name, number, setting
from linli.kit.grpc_server import GrpcApi, ServiceBinding, serve_until_signalled
from linli.kit.mongo import connect, ensure_indexes
from linli.kit.outbox import OutboxRelay
from services.clinic.api.audit import AuditApi
from services.clinic.api.common import ChangeBell
from services.clinic.api.partner import (ExpiryWarnings, PartnerApi, RevokedSerials, TlsMaterial,
                                         partner_identity, tls_directory_problem)
from services.clinic.api.patients import PatientApi
from services.clinic.api.referrals import ReferralApi, ReferralDesk
from services.clinic.api.teleconsultations import TeleconsultationApi
from services.clinic.api.triage import TriageApi
from services.clinic.domain.organisations import parse_partners
from services.clinic.store.audit import AuditLog
from services.clinic.store.indexes import INDEXES
from services.clinic.store.patients import PatientStore
from services.clinic.store.referrals import ReferralStore
from services.clinic.store.teleconsultations import TeleconsultationStore
from services.clinic.store.triage import TriageStore

GRPC_MODULES = {patients_pb2: patients_pb2_grpc, teleconsultations_pb2: teleconsultations_pb2_grpc,
                referrals_pb2: referrals_pb2_grpc, triage_pb2: triage_pb2_grpc, audit_pb2: audit_pb2_grpc,
                partner_pb2: partner_pb2_grpc}
PARTNER_SERVICE = partner_pb2.DESCRIPTOR.services_by_name["PartnerExchangeService"].full_name


def binding(module, name: str, servicer) -> ServiceBinding:
    """How to serve one gRPC service of a generated *_pb2 / *_pb2_grpc pair."""
    return ServiceBinding(module.DESCRIPTOR.services_by_name[name].full_name,
                          getattr(GRPC_MODULES[module], f"add_{name}Servicer_to_server"), servicer)


def main() -> None:
    telemetry.setup("clinic-api")
    metrics.serve("CLINIC_API_METRICS_PORT")
    telemetry.instrument_grpc_server()
    try:
        partners = parse_partners(setting("CLINIC_PARTNERS"))
    except ValueError as error:
        raise SystemExit(f"CLINIC_PARTNERS: {error}") from None
    problem = tls_directory_problem(setting("CLINIC_PARTNER_TLS_DIR"))
    if problem:
        raise SystemExit(problem)
    tls = TlsMaterial(setting("CLINIC_PARTNER_TLS_DIR"))

    client = connect(setting("MONGO_URI"), "clinic-api")
    db = client[database_name("clinic")]
    ensure_indexes(db, INDEXES)
    referral_store = ReferralStore(client, db)
    referral_store.ensure_indexes()
    patient_store = PatientStore(client, db)
    relay = OutboxRelay(db, setting("AMQP_URI"), poll_seconds=number("LINLI_OUTBOX_POLL_SECONDS")).start()
    desk = ReferralDesk(referral_store, patient_store, partners, ChangeBell(relay))

    teleconsultation_store = TeleconsultationStore(client, db)
    api = GrpcApi(setting("CLINIC_API_ADDR"), [
        binding(patients_pb2, "PatientService", PatientApi(patient_store, partners)),
        binding(teleconsultations_pb2, "TeleconsultationService",
                TeleconsultationApi(teleconsultation_store, patient_store, partners,
                                    setting("CLINIC_MEETING_BASE_URL"))),
        binding(referrals_pb2, "ReferralService", ReferralApi(desk)),
        binding(triage_pb2, "TriageService", TriageApi(TriageStore(client, db))),
        binding(audit_pb2, "AuditService", AuditApi(AuditLog(db))),
    ])
    partner_api = PartnerApi(desk, poll_seconds=number("LINLI_OUTBOX_POLL_SECONDS"),
                             teleconsultations=teleconsultation_store,
                             meeting_base_url=setting("CLINIC_MEETING_BASE_URL"))
    # Each open watch holds a thread: room for every partner's watches beside their calls. A partner's
    # connection is never recycled: it carries watches meant to stay open for hours.
    partner_server = GrpcApi(setting("CLINIC_PARTNER_ADDR"),
                             [binding(partner_pb2, "PartnerExchangeService", partner_api)],
                             max_workers=32, credentials=tls.credentials(),
                             identify=partner_identity(partners, RevokedSerials(setting("CLINIC_PARTNER_TLS_DIR")),
                                                       ExpiryWarnings()),
                             max_connection_age=0, partner_calls=True)
    api.health.set(PARTNER_SERVICE, health_pb2.HealthCheckResponse.SERVING)  # probes see the partner port too

    partner_drained = threading.Event()

    def drain_partners() -> None:
        """Close the partners' watches (they resume elsewhere with their token) and drain the partner
        port alongside the internal one, so both fit in one grace period."""
        partner_api.stop()
        partner_server.health.enter_graceful_shutdown()
        done = partner_server.server.stop(number("LINLI_GRPC_DRAIN_SECONDS"))
        threading.Thread(target=lambda: (done.wait(), partner_drained.set()), daemon=True).start()

    def on_stop() -> None:
        partner_drained.wait(number("LINLI_GRPC_DRAIN_SECONDS") + 1)
        relay.stop()  # after the drains, so events of the last calls are published first
        client.close()
        telemetry.shutdown()

    serve_until_signalled(api, number("LINLI_GRPC_DRAIN_SECONDS"), on_stop, before_drain=drain_partners)


if __name__ == "__main__":
    main()
