"""The partner exchange: PartnerExchangeService on its own port, with mutual TLS.

- Transport: the server presents its certificate and demands a client certificate issued by the
  alliance CA (TLS refuses no certificate, or one from another CA, before any call is made).
- Identity: the partner is the common name of its client certificate, and must be a listed partner
  (CLINIC_PARTNERS); a certificate of the alliance naming anyone else is PERMISSION_DENIED.
- Rotation: the server's key, its certificate and the CA bundle are files (a mounted Secret); they are
  re-read when they change, at the next handshake, without a restart. Put the old and the new CA in the
  bundle while partners move to certificates from the new CA, then drop the old one.
- Isolation: a partner sees only the referrals it sent or received; any other id is NOT_FOUND.
"""
import functools
import logging
import os
import secrets
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import grpc
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from linli.clinic.partner.v1 import partner_pb2 as pb
from linli.clinic.partner.v1 import partner_pb2_grpc as pb_grpc
from linli.kit import pagination
from linli.kit.errors import InvalidArgument, NotFound, PermissionDenied, Unauthenticated
from linli.kit.identity import Caller, current_caller
from linli.kit.protomap import datetime_of, timestamp
from services.clinic import fhir, messages
from services.clinic.api.common import check_id, partner_accessor
from services.clinic.api.referrals import ReferralDesk
from services.clinic.api.teleconsultations import touched as tele_touched
from services.clinic.domain.audit import records as audit_records
from services.clinic.domain import referrals as ref
from services.clinic.domain import consultation_rooms as rooms
from services.clinic.domain import patients
from services.clinic.domain import teleconsultations as tele
from services.clinic.domain.referrals import Referral
from services.clinic.store.teleconsultations import TeleconsultationStore
from services.clinic.policy import EXPIRY_WARNING_DAYS, WATCH_BATCH

log = logging.getLogger(__name__)

SERVER_CERT, SERVER_KEY, CA_BUNDLE = "server.crt", "server.key", "ca.crt"
REVOKED_SERIALS = "revoked-serials.txt"
CHANGE_TYPES = {ref.CREATED: pb.CHANGE_TYPE_CREATED, ref.STATUS_CHANGED: pb.CHANGE_TYPE_STATUS_CHANGED,
                ref.OUTCOME_ATTACHED: pb.CHANGE_TYPE_OUTCOME_ATTACHED}


# -- transport: certificates that can be rotated without a restart --------------------------------------

class TlsMaterial:
    """The server's key and certificate chain and the alliance CA bundle, read from a directory
    (server.key, server.crt, ca.crt) and read again when any of them changes."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self._lock = threading.Lock()
        self._stamp = self._current_stamp()
        self.initial = self._configuration()

    def _paths(self) -> list[Path]:
        return [self.directory / name for name in (SERVER_KEY, SERVER_CERT, CA_BUNDLE)]

    def _current_stamp(self) -> tuple:
        return tuple((p.stat().st_mtime_ns, p.stat().st_size, p.stat().st_ino) for p in self._paths())

    def _configuration(self):
        key, chain, bundle = (p.read_bytes() for p in self._paths())
        _check_pair(key, chain)
        if not x509.load_pem_x509_certificates(bundle):
            raise ValueError(f"{CA_BUNDLE} holds no certificate")
        return grpc.ssl_server_certificate_configuration([(key, chain)], root_certificates=bundle)

    def fetch(self):
        """grpcio calls this before every handshake: a new configuration when the files changed, else None
        (keep the current one). Half-written or mismatched files keep the current one too."""
        try:
            stamp = self._current_stamp()
            with self._lock:
                if stamp == self._stamp:
                    return None
                configuration = self._configuration()
                self._stamp = stamp
            log.info("partner TLS material in %s changed: new handshakes use it", self.directory)
            return configuration
        except (OSError, ValueError) as error:
            log.warning("partner TLS material in %s is not usable yet (%s); keeping the current one",
                        self.directory, error)
            return None

    def credentials(self) -> grpc.ServerCredentials:
        return grpc.dynamic_ssl_server_credentials(self.initial, self.fetch, require_client_authentication=True)


def _check_pair(key_pem: bytes, chain_pem: bytes) -> None:
    key = serialization.load_pem_private_key(key_pem, password=None)
    leaf = x509.load_pem_x509_certificates(chain_pem)[0]
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(serialization.Encoding.DER, public) != leaf.public_key().public_bytes(
            serialization.Encoding.DER, public):
        raise ValueError("the server key does not match its certificate")


class RevokedSerials:
    """Serial numbers of alliance certificates the clinic no longer accepts, one (hex) a line, `#` comments,
    in REVOKED_SERIALS beside the TLS material; re-read when it changes. grpcio's Python API takes no CRL,
    so a revoked certificate passes the handshake and is refused here, on its first call."""

    def __init__(self, directory: str | Path):
        self.path = Path(directory) / REVOKED_SERIALS
        self._stamp: tuple | None = None
        self._serials: frozenset[int] = frozenset()
        self._lock = threading.Lock()

    def __contains__(self, serial: int) -> bool:
        try:
            stat = self.path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        except FileNotFoundError:
            return False
        with self._lock:
            if stamp != self._stamp:
                self._serials, self._stamp = self._read(), stamp
            return serial in self._serials

    def _read(self) -> frozenset[int]:
        serials = set()
        for number, line in enumerate(self.path.read_text(errors="replace").splitlines(), 1):
            text = line.split("#")[0].strip().replace(":", "")
            try:
                if text:
                    serials.add(int(text, 16))
            except ValueError:
                log.error("%s line %d is not a serial number in hex: ignored", self.path, number)
        return frozenset(serials)


@functools.lru_cache(maxsize=256)
def certificate_facts(pem: bytes) -> tuple[int, datetime, str]:
    """(serial, end of validity, a description for the log) of a partner's client certificate."""
    cert = x509.load_pem_x509_certificate(pem)
    until = cert.not_valid_after_utc
    return cert.serial_number, until, (f"subject {cert.subject.rfc4514_string()}, issuer "
                                       f"{cert.issuer.rfc4514_string()}, serial {cert.serial_number:x}, "
                                       f"valid until {until:%Y-%m-%d %H:%M}Z")


class ExpiryWarnings:
    """A warning in the log, once a day per certificate, for a partner's certificate that expires within
    EXPIRY_WARNING_DAYS: the day it does, that partner's calls fail in the handshake."""

    def __init__(self, clock=lambda: datetime.now(timezone.utc)):
        self.clock = clock
        self._warned: dict[int, datetime] = {}
        self._lock = threading.Lock()

    def check(self, partner: str, serial: int, until: datetime, described: str) -> None:
        now = self.clock()
        if until - now > timedelta(days=EXPIRY_WARNING_DAYS):
            return
        with self._lock:
            if now - self._warned.get(serial, datetime.min.replace(tzinfo=timezone.utc)) < timedelta(days=1):
                return
            self._warned[serial] = now
        log.warning("the certificate of partner %s expires in %d day(s): %s; its calls fail from then on, so it "
                    "needs a new one before", partner, max((until - now).days, 0), described)


def partner_identity(partners: frozenset[str], revoked: RevokedSerials | None = None,
                     expiry: ExpiryWarnings | None = None):
    """identify(context) for the partner port: the partner named by its client certificate.

    TLS has already refused certificates of another CA, expired or not yet valid ones and ones not for
    client authentication (grpcio logs those as "Handshake failed ... CERTIFICATE_VERIFY_FAILED: <reason>",
    without the certificate: its Python API offers no hook into the handshake). What passes it is judged
    here, where the certificate is at hand: each refusal is logged with its subject, issuer and serial, and
    answered with a status that says not to retry (docs/partners.md)."""

    def identify(context: grpc.ServicerContext) -> Caller:
        auth = context.auth_context() or {}
        names, pems = auth.get("x509_common_name") or [], auth.get("x509_pem_cert") or []
        if not names or not pems:
            log.warning("refused a call from %s: its certificate names no partner (no common name)", context.peer())
            raise Unauthenticated("the client certificate has no common name: it must be the partner's id")
        partner = names[0].decode("utf-8", "replace")
        serial, until, described = certificate_facts(pems[0])
        if revoked is not None and serial in revoked:
            log.warning("refused a call from %s: certificate %s is revoked", context.peer(), described)
            raise Unauthenticated(f"the client certificate (serial {serial:x}) was revoked: do not retry with it; "
                                  "ask the alliance for a new one")
        if partner not in partners:
            log.warning("refused a call from %s: certificate %s names %r, not a listed partner of the alliance",
                        context.peer(), described, partner)
            raise PermissionDenied(f"{partner} is not a listed partner of the alliance: do not retry; ask the "
                                   "clinic to list it")
        if expiry is not None:
            expiry.check(partner, serial, until, described)
        # No roles: a partner never acts as anyone inside the platform.
        return Caller(partner, frozenset(), frozenset())

    return identify


# -- the service ---------------------------------------------------------------------------------------

class PartnerApi(pb_grpc.PartnerExchangeServiceServicer):
    def __init__(self, desk: ReferralDesk, poll_seconds: float = 0.5,
                 teleconsultations: TeleconsultationStore | None = None, meeting_base_url: str = ""):
        self.desk = desk
        self.store = desk.store
        self.poll_seconds = poll_seconds
        self.teleconsultations = teleconsultations
        self.meeting_base_url = meeting_base_url
        self._stopping = threading.Event()

    def stop(self) -> None:
        """End open watches at once (partners resume elsewhere with their token), so a drain is quick."""
        self._stopping.set()
        self.desk.bell.ring()

    def _partner(self) -> str:
        return current_caller().subject

    def _visible(self, partner: str, referral_id: str) -> Referral:
        referral_id = check_id(referral_id, "referral_id")
        return ref.check_partner_visible(partner, self.store.get(referral_id), referral_id)

    def _message(self, referral: Referral, partner: str):
        return messages.referral_message(self.desk.view(referral, partner, self.desk.clock()))

    def SubmitReferral(self, request, context):
        partner = self._partner()
        referral, created = self.desk.submit_inbound(partner, partner_accessor(partner, context), request.request_id,
                                                     request.patient_id, request.performer_id,
                                                     messages.content(request.content))
        return pb.SubmitReferralResponse(referral=self._message(referral, partner), created=created)

    def UpdateTaskStatus(self, request, context):
        partner = self._partner()
        referral = self._visible(partner, request.referral_id)
        changed = self.desk.update_task(referral, partner, partner, partner_accessor(partner, context),
                                        messages.task_status(request.status) if request.status else "",
                                        request.business_status, request.reason)
        return pb.UpdateTaskStatusResponse(referral=self._message(changed, partner))

    def AttachOutcome(self, request, context):
        partner = self._partner()
        referral = self._visible(partner, request.referral_id)
        changed = self.desk.attach_outcome(referral, partner, partner, partner_accessor(partner, context), request.text,
                                           messages.attachments(request.attachments))
        return pb.AttachOutcomeResponse(referral=self._message(changed, partner))

    def GetReferral(self, request, context):
        partner = self._partner()
        referral = self._visible(partner, request.referral_id)
        self.desk.read(partner_accessor(partner, context), "referral.read", [referral], self.desk.clock())
        return pb.GetReferralResponse(referral=self._message(referral, partner))

    def ListReferrals(self, request, context):
        partner, now = self._partner(), self.desk.clock()
        statuses = ref.check_statuses([messages.task_status(s) for s in request.statuses])
        since = datetime_of(request.changed_since, "changed_since") if request.HasField("changed_since") else None
        before = datetime_of(request.changed_before, "changed_before") if request.HasField("changed_before") else None
        size = pagination.page_size(request.page_size)
        after = _page_position(request.page_token)
        page = self.store.list_for_partner(partner, statuses, since, before, after, size + 1)
        shown = page[:size]
        self.desk.read(partner_accessor(partner, context), "referral.list", shown, now)
        reply = pb.ListReferralsResponse(referrals=[messages.referral_message(v)
                                                    for v in self.desk.views(shown, partner, now)])
        if len(page) > size:
            reply.next_page_token = pagination.encode([shown[-1].last_modified.isoformat(), shown[-1].id])
        return reply

    def WatchReferrals(self, request, context):
        partner = self._partner()
        who = partner_accessor(partner, context)  # a purpose past its limit is refused before the watch starts
        after = self._resume_point(request.resume_token)
        bell = self.desk.bell.count
        yield pb.WatchReferralsResponse(change_type=pb.CHANGE_TYPE_WATCH_STARTED, changed_at=timestamp(self.desk.clock()),
                                        resume_token=pagination.encode([after]))
        while context.is_active() and not self._stopping.is_set():
            changes = self.store.changes_after(partner, after, WATCH_BATCH)
            if not changes:
                bell = self.desk.bell.wait(bell, self.poll_seconds)
                continue
            now = self.desk.clock()
            referrals = [change.referral for _, change in changes]
            views = self.desk.views(referrals, partner, now)
            # Audited before sending: a partner that disconnects mid-batch is recorded as having read more
            # than it received, never less.
            self.desk.read(who, "referral.watch", referrals, now)
            for (seq, change), view in zip(changes, views):
                yield pb.WatchReferralsResponse(
                    change_type=CHANGE_TYPES[change.kind], referral=messages.referral_message(view),
                    changed_at=timestamp(change.at), resume_token=pagination.encode([seq]),
                    changed_by=messages.organisation_message(change.by_organisation))
                after = seq

    def _resume_point(self, token: str) -> int:
        if not token:
            return self.store.last_change()
        position = pagination.position(token, 1, "resume_token")
        if not isinstance(position[0], int) or isinstance(position[0], bool) or position[0] < 0:
            raise pagination.not_issued("resume_token")
        return position[0]

    def GetReferralFhir(self, request, context):
        partner = self._partner()
        referral = self._visible(partner, request.referral_id)
        now = self.desk.clock()
        self.desk.read(partner_accessor(partner, context), "referral.read_fhir", [referral], now)
        return pb.GetReferralFhirResponse(fhir_json=fhir.bundle_json(self.desk.view(referral, partner, now)))

    # -- teleconsultations: the room's links for the partner's specialists ---------------------------------

    def ListTeleconsultations(self, request, context):
        partner, now = self._partner(), self.desk.clock()
        size = pagination.page_size(request.page_size)
        shown = self.teleconsultations.open_for_partner(partner, size)
        self.teleconsultations.audit.append(audit_records(
            partner_accessor(partner), "teleconsultation.list", [tele_touched(c) for c in shown], "treatment", now))
        return pb.ListTeleconsultationsResponse(teleconsultations=[pb.PartnerTeleconsultation(
            id=c.id, department=c.department, specialist=c.specialist, reason=c.reason, status=c.status,
            scheduled_start=timestamp(c.scheduled_start), duration_minutes=int(c.duration.total_seconds() // 60))
            for c in shown])

    def IssueTeleconsultationJoinLink(self, request, context):
        partner, now = self._partner(), self.desk.clock()
        consultation_id = check_id(request.teleconsultation_id, "teleconsultation_id")
        consultation = self.teleconsultations.get(consultation_id)
        if consultation is None or consultation.partner_id != partner:
            raise NotFound(f"teleconsultation {consultation_id} not found")
        patients.require_consent(self.desk.patients.get(consultation.patient_id), partner,
                                 patients.TELECONSULTATION, now)
        join_url = rooms.partner_link(partner, consultation, self.meeting_base_url, secrets.token_urlsafe(16), now)
        self.teleconsultations.audit.append(audit_records(
            partner_accessor(partner), "teleconsultation.issue_join_link", [tele_touched(consultation)],
            "treatment", now))
        return pb.IssueTeleconsultationJoinLinkResponse(join_url=join_url,
                                                        expires_at=timestamp(rooms.window(consultation)[1]))


def _page_position(token: str) -> list | None:
    """ListReferrals' page token: [last_modified as ISO 8601, referral id], as this service issued it."""
    after = pagination.position(token, 2)
    if after is not None:
        try:
            datetime.fromisoformat(after[0])
        except (TypeError, ValueError):
            raise pagination.not_issued() from None
        if not isinstance(after[1], str):
            raise pagination.not_issued()
    return after


def tls_directory_problem(directory: str) -> str | None:
    """Why the partner port cannot start from this directory, or None."""
    missing = [name for name in (SERVER_KEY, SERVER_CERT, CA_BUNDLE) if not os.path.exists(os.path.join(directory, name))]
    if missing:
        return (f"partner TLS material missing in {directory}: {', '.join(missing)}. For development run "
                f"`linli partner-cert --server`; in a cluster mount the clinic-partner-tls Secret there.")
    return None
