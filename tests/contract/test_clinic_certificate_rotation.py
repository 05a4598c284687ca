"""Rotating the partner port's certificates without a restart: the server re-reads its key, certificate
and CA bundle (a mounted Secret) when they change, for the next handshake, while open connections carry
on. The partner exchange is served in this process over a real socket (the store is the tier's
SecantusDB), so the test can change its files underneath it."""
import os
import uuid

import grpc
import pytest

from linli_dev import partner_ca
from linli.clinic.partner.v1 import partner_pb2 as pb
from linli.clinic.partner.v1 import partner_pb2_grpc
from linli.kit.grpc_server import GrpcApi, ServiceBinding
from linli.kit.indexes import ensure_service_indexes
from linli.kit.mongo import connect
from services.clinic.api.common import ChangeBell
from services.clinic.api.partner import PartnerApi, TlsMaterial, partner_identity
from services.clinic.api.referrals import ReferralDesk
from services.clinic.store import INDEXES
from services.clinic.store.patients import PatientStore
from services.clinic.store.referrals import ReferralStore
from tests.contract.clinic_stack import CITY, clinic  # noqa: F401 (fixture)

SERVICE = "linli.clinic.partner.v1.PartnerExchangeService"


@pytest.fixture
def folders(tmp_path):
    return {name: tmp_path / name for name in ("old-ca", "new-ca", "tls", "old", "new")}


@pytest.fixture
def partner_port(clinic, folders):
    partner_ca.issue_server(folders["old-ca"], folders["tls"])
    partner_ca.issue_partner(folders["old-ca"], CITY, folders["old"])
    partner_ca.issue_partner(folders["new-ca"], CITY, folders["new"])
    client = connect(clinic.stack.env["MONGO_URI"], "rotation-test")
    db = client[f"rotation_{uuid.uuid4().hex[:8]}"]
    ensure_service_indexes(db, INDEXES)
    store = ReferralStore(client, db)
    desk = ReferralDesk(store, PatientStore(client, db), frozenset({CITY}), ChangeBell())
    server = GrpcApi("127.0.0.1:0", [ServiceBinding(SERVICE, partner_pb2_grpc.add_PartnerExchangeServiceServicer_to_server,
                                                    PartnerApi(desk))],
                     credentials=TlsMaterial(folders["tls"]).credentials(), identify=partner_identity(frozenset({CITY})))
    yield f"127.0.0.1:{server.port}"
    server.stop(0)
    client.drop_database(db.name)
    client.close()


def channel(address: str, client_cert: os.PathLike, trust: os.PathLike) -> grpc.Channel:
    """A channel with a connection of its own (no subchannel shared with earlier channels)."""
    credentials = grpc.ssl_channel_credentials(root_certificates=(trust / "ca.crt").read_bytes(),
                                               private_key=(client_cert / "client.key").read_bytes(),
                                               certificate_chain=(client_cert / "client.crt").read_bytes())
    return grpc.secure_channel(address, credentials, options=[("grpc.use_local_subchannel_pool", 1)])


def answers(ch: grpc.Channel) -> bool:
    try:
        partner_pb2_grpc.PartnerExchangeServiceStub(ch).ListReferrals(pb.ListReferralsRequest(), timeout=5)
        return True
    except grpc.RpcError as error:
        assert error.code() == grpc.StatusCode.UNAVAILABLE, error
        return False


def test_a_rotated_server_certificate_and_ca_bundle_are_used_without_a_restart(partner_port, folders):
    old, new, old_ca, new_ca = folders["old"], folders["new"], folders["old-ca"], folders["new-ca"]
    before = channel(partner_port, old, old_ca)
    assert answers(before)
    assert not answers(channel(partner_port, new, new_ca))  # the new CA is not trusted yet

    # Rotation, step 1: a server certificate from the new CA; the bundle trusts both CAs meanwhile.
    partner_ca.issue_server(new_ca, folders["tls"], trusted_ca_dirs=(old_ca,))
    assert answers(before), "an open connection carries on"
    assert answers(channel(partner_port, new, new_ca)), "a partner with a new certificate gets in"
    assert answers(channel(partner_port, old, new_ca)), "one not moved yet still gets in"
    assert not answers(channel(partner_port, old, old_ca)), "the server presents its new certificate"

    # Step 2: every partner has moved; the old CA leaves the bundle.
    partner_ca.issue_server(new_ca, folders["tls"])
    assert not answers(channel(partner_port, old, new_ca)), "a certificate of the old CA is refused now"
    assert answers(channel(partner_port, new, new_ca))
    before.close()


def test_half_written_material_is_ignored_until_it_is_whole(partner_port, folders):
    stranger_key, _ = partner_ca.issue(folders["old-ca"], "someone-else", server=True)
    (folders["tls"] / "server.key").write_bytes(stranger_key)  # the key of another certificate
    assert answers(channel(partner_port, folders["old"], folders["old-ca"])), "the last good pair still serves"
    partner_ca.issue_server(folders["old-ca"], folders["tls"])
    assert answers(channel(partner_port, folders["old"], folders["old-ca"]))
