"""A partner hospital, simulated against a running Linli over the partner port (gRPC, mutual TLS): it
takes the referrals a community clinic sends it through their whole Task (received → accepted →
in-progress → outcome → completed) and, once the patient is discharged, hands them back to the
community with a back-referral and a follow-up plan. For demos and end-to-end tests.

    linli partner-sim --partner city-central-hospital             keep watching (Ctrl-C stops)
    linli partner-sim --partner city-central-hospital --once      work what is waiting, then exit

Its client certificate comes from var/partners/<partner>/ (issued from the development CA when
missing); --certs points elsewhere. It resumes its watch from the last token after a disconnect.
"""
import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import grpc

from linli_dev import partner_ca
from linli.clinic.partner.v1 import partner_pb2 as pb
from linli.clinic.partner.v1 import partner_pb2_grpc
from linli.clinic.v1 import referrals_pb2 as R

STEPS = [  # (status, business status) the hospital moves a referral through before its outcome
    (R.TASK_STATUS_RECEIVED, ""),
    (R.TASK_STATUS_ACCEPTED, "visit-scheduled"),
    (R.TASK_STATUS_IN_PROGRESS, "admitted"),
]
OUTCOME = "门诊复查后收入心内科。冠脉造影示前降支近段狭窄约70%，植入支架一枚，术后恢复顺利。"
FOLLOW_UP = "出院后一周内上门随访：测血压、心率，查看桡动脉穿刺点；核对阿司匹林、氯吡格雷、阿托伐他汀用药；低盐低脂饮食指导。"


def credentials(cert_dir: Path) -> grpc.ChannelCredentials:
    return grpc.ssl_channel_credentials(root_certificates=(cert_dir / "ca.crt").read_bytes(),
                                        private_key=(cert_dir / "client.key").read_bytes(),
                                        certificate_chain=(cert_dir / "client.crt").read_bytes())


class PartnerHospital:
    def __init__(self, stub, partner_id: str, pace: float = 0.5, say=print):
        self.stub = stub
        self.partner_id = partner_id
        self.pace = pace
        self.say = say

    def pending(self) -> list[R.Referral]:
        """Referrals sent to this hospital and not yet received."""
        reply = self.stub.ListReferrals(pb.ListReferralsRequest(statuses=[R.TASK_STATUS_REQUESTED], page_size=200),
                                        timeout=10)
        return [r for r in reply.referrals if r.performer.id == self.partner_id]

    def perform(self, referral: R.Referral) -> R.Referral:
        """Take one referral through its Task, attach the outcome, complete it, and refer the patient back."""
        who = referral.subject.name or referral.patient_id  # the name only with the patient's consent
        for status, business in STEPS:
            time.sleep(self.pace)
            self.stub.UpdateTaskStatus(pb.UpdateTaskStatusRequest(referral_id=referral.id, status=status,
                                                                  business_status=business), timeout=10)
            self.say(f"{referral.id}  {who}: {R.TaskStatus.Name(status)} {business}".rstrip())
        time.sleep(self.pace)
        self.stub.AttachOutcome(pb.AttachOutcomeRequest(referral_id=referral.id, text=OUTCOME, attachments=[
            {"title": "出院小结", "content_type": "application/pdf", "size_bytes": 182_000,
             "url": f"https://his.{self.partner_id}.example/documents/discharge-{referral.id}.pdf"}]), timeout=10)
        self.stub.UpdateTaskStatus(pb.UpdateTaskStatusRequest(referral_id=referral.id,
                                                              status=R.TASK_STATUS_COMPLETED), timeout=10)
        self.say(f"{referral.id}  {who}: completed, outcome attached")
        today = dt.date.today()
        back = self.stub.SubmitReferral(pb.SubmitReferralRequest(
            request_id=f"discharge-{referral.id}", patient_id=referral.patient_id, content=R.ReferralContent(
                category=R.REFERRAL_CATEGORY_BACK_REFERRAL, priority=R.REFERRAL_PRIORITY_ROUTINE,
                reason="冠心病PCI术后出院，转回社区随访", based_on=referral.id, practitioner="心内科 王主任",
                follow_up=R.FollowUp(plan=FOLLOW_UP, discharged_on=today.isoformat(),
                                     due_date=(today + dt.timedelta(days=7)).isoformat()))), timeout=10)
        self.say(f"{back.referral.id}  {who}: back-referral to {back.referral.performer.name} "
                 f"({'sent' if back.created else 'already sent'})")
        return back.referral

    def work_pending(self) -> int:
        done = 0
        for referral in self.pending():
            self.perform(referral)
            done += 1
        return done

    def watch(self, stop_after: float | None = None) -> None:
        """Perform every new referral as it arrives; reconnect and resume after a disconnect."""
        token, deadline = "", (time.monotonic() + stop_after) if stop_after else None
        while deadline is None or time.monotonic() < deadline:
            try:
                timeout = max(1.0, deadline - time.monotonic()) if deadline else None
                for change in self.stub.WatchReferrals(pb.WatchReferralsRequest(resume_token=token), timeout=timeout):
                    token = change.resume_token
                    r = change.referral
                    if change.change_type == pb.CHANGE_TYPE_CREATED and r.performer.id == self.partner_id:
                        self.perform(r)
                    elif change.change_type == pb.CHANGE_TYPE_STATUS_CHANGED and r.requester.id == self.partner_id:
                        self.say(f"{r.id}  the clinic set {R.TaskStatus.Name(r.task.status)} "
                                 f"{r.task.business_status}".rstrip())
            except grpc.RpcError as error:
                if error.code() == grpc.StatusCode.DEADLINE_EXCEEDED:
                    return
                self.say(f"watch interrupted ({error.code().name}); resuming in 2 s")
                time.sleep(2)


def main(argv: list[str]) -> int:
    from linli.kit.config import setting

    parser = argparse.ArgumentParser(prog="linli partner-sim", description=__doc__.split("\n\n")[0])
    parser.add_argument("--partner", default="city-central-hospital", help="the hospital (its certificate's name)")
    parser.add_argument("--address", default=setting("CLINIC_PARTNER_ADDR"), help="the clinic's partner port")
    parser.add_argument("--certs", type=Path, help="client.key, client.crt, ca.crt (default var/partners/<partner>)")
    parser.add_argument("--once", action="store_true", help="work the referrals waiting now, then exit")
    parser.add_argument("--pace", type=float, default=0.5, help="seconds between steps")
    args = parser.parse_args(argv)
    certs = args.certs or partner_ca.DEFAULT_PARTNERS_DIR / args.partner
    if not (certs / "client.crt").exists():
        partner_ca.issue_partner(partner_ca.DEFAULT_CA_DIR, args.partner, certs)
    with grpc.secure_channel(args.address, credentials(certs)) as channel:
        hospital = PartnerHospital(partner_pb2_grpc.PartnerExchangeServiceStub(channel), args.partner, args.pace,
                                   lambda line: print(line, flush=True))
        try:
            done = hospital.work_pending()
            if args.once:
                print(f"{args.partner}: {done} referral(s) performed", flush=True)
                return 0
            print(f"{args.partner}: watching for referrals on {args.address} (Ctrl-C stops)", flush=True)
            hospital.watch()
        except grpc.RpcError as error:
            print(f"{args.partner}: {error.code().name}: {error.details()}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
