"""The `linli` command: run the platform, issue development tokens, run the tests.

    linli run                       start everything (what `make run` does); Ctrl-C stops it all
    linli token --role operator     print a development bearer token
    linli test [TIER ...]           run the test tiers (what `make test` does)
    linli simulate [--speed 600]    play a day of calls against the running platform
    linli staffing [--search]       how many operators and caregivers per shift (linli_dev/staffing.py)
    linli dead-letters list|show|replay|drop   events the workers gave up on (linli/deadletters.py)
    linli partner-cert --partner ID | --server   certificates from the alliance's development CA
    linli partner-sim [--partner ID] [--once]    a partner hospital working referrals over mTLS
    linli terminal --device-id ID [--seconds 20]  a call terminal: presses, talks (a tone), records (aiortc)
"""
import argparse
import os
import signal
import sys
import time

from linli.kit.config import SETTINGS, setting

# What `linli run` says after a service's gRPC address, if anything (str.format over the stack's settings).
API_NOTES = {
    "clinic": "  partner port (mTLS) {CLINIC_PARTNER_ADDR}: .venv/bin/linli partner-sim plays the city hospital",
    "notify": "  (push and SMS for people whose app is closed)",
}


def run_platform(args) -> int:
    from linli_dev import demo, registry
    from linli_dev.devstack import ROOT, StartError, ensure_rabbitmq, platform, stop_rabbitmq

    env = {name: setting(name) for name in SETTINGS}
    try:
        started_rabbitmq = ensure_rabbitmq(env["AMQP_URI"])
    except StartError as error:
        print(error, file=sys.stderr)
        return 1
    own_mongo = "MONGO_URI" not in os.environ

    def stop(*_):
        raise KeyboardInterrupt

    # Ctrl-C, SIGTERM and a closed terminal all stop everything this command started.
    stop_signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    for signum in stop_signals:
        signal.signal(signum, stop)
    stack = None
    try:
        print(f"starting Linli: SecantusDB, the {', '.join(registry.NAMES)} apis, the workers, "
              "the devices' broker and door, coturn, the gateway ... (logs in var/log/)", flush=True)
        stack = platform(env, ROOT / "var" / "log", str(ROOT / "var" / "mongo") if own_mongo else None,
                         mongo_port=int(env["MONGO_URI"].rsplit(":", 1)[1].strip("/")) if own_mongo else None,
                         free_metrics_ports=False, turn_port=3478)
        loaded = demo.load(stack.env)
        print(
            f"\nLinli is running.\n"
            f"  gateway        {stack.gateway_url}  (health: {stack.gateway_url}/healthz)\n"
            f"  API docs       {stack.gateway_url}/docs\n"
            + "".join(f"  {service.name + ' gRPC':<16}{stack.env[service.address_setting]}"
                      f"{API_NOTES.get(service.name, '').format(**stack.env)}\n" for service in registry.SERVICES) +
            f"  MongoDB        {stack.env['MONGO_URI']}\n"
            f"  TURN (coturn)  {stack.env['LINLI_TURN_URLS']}  (calls; loopback peers only)\n"
            f"  call devices   MQTT {stack.env['ELDERCARE_MQTT_ADDR']} (docs/devices.md); their broker "
            f"{stack.env['ELDERCARE_DEVICE_AMQP_URI']}\n"
            f"  metrics        " + "\n                 ".join(f"{url}  ({process})" for process, url in stack.metrics_urls().items())
            + "\n"
            f"  demo data      {loaded} open care requests in community {demo.COMMUNITY}\n"
            f"\nA token for calling the API:\n"
            f"  TOKEN=$(.venv/bin/linli token --role operator --community {demo.COMMUNITY})\n"
            f"  curl -H \"Authorization: Bearer $TOKEN\" {stack.gateway_url}/v1/care-requests\n"
            f"  curl -N -H \"Authorization: Bearer $TOKEN\" {stack.gateway_url}/v1/board/stream\n"
            f"\nThe demo family's inbox (their elder's calls, pushed to a subscription nobody answers):\n"
            f"  curl -H \"Authorization: Bearer $(.venv/bin/linli token --role family --subject "
            f"family-{demo.CALLS[0][1]})\" {stack.gateway_url}/v1/me/notifications\n"
            f"\nThe operator's board: {stack.gateway_url}/board   A day of calls: .venv/bin/linli simulate\n"
            f"\nCtrl-C stops everything.",
            flush=True,
        )
        while True:
            for proc in stack.processes:
                if proc.popen.poll() is not None:
                    print(f"{proc.name} exited with code {proc.popen.returncode}; last lines:\n{proc.tail()}",
                          file=sys.stderr)
                    return 1
            time.sleep(0.5)
    except StartError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        for signum in stop_signals:  # a second Ctrl-C must not cut the clean-up short
            signal.signal(signum, signal.SIG_IGN)
        print("\nstopping ...", flush=True)
        if stack is not None:
            stack.stop()
        if started_rabbitmq:
            stop_rabbitmq()
        print("stopped.", flush=True)


def token(args) -> int:
    from gateway import dev_issuer

    print(dev_issuer.issue_token(args.subject or f"dev-{args.role}", [args.role], args.community))
    return 0


def test(args) -> int:
    from linli_dev import testrun

    return testrun.main(args.tiers)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="linli", description="Linli: community services platform")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start the whole platform with demo data").set_defaults(func=run_platform)
    tok = commands.add_parser("token", help="print a development bearer token")
    tok.add_argument("--role", default="operator")
    tok.add_argument("--community", action="append", default=None,
                     help="community served (repeatable; '*' for all); default: the pilot community")
    tok.add_argument("--subject", help="user id (default: dev-<role>)")
    tok.set_defaults(func=token)
    tst = commands.add_parser("test", help="run the test tiers")
    tst.add_argument("tiers", nargs="*")
    tst.set_defaults(func=test)
    commands.add_parser("simulate", help="play a day of calls against the running platform", add_help=False)
    commands.add_parser("staffing", help="how many operators and caregivers per shift: simulate or search rosters",
                        add_help=False)
    commands.add_parser("partner-cert", help="issue a partner's (or the partner port's) certificate from the "
                        "alliance's development CA", add_help=False)
    commands.add_parser("partner-sim", help="a partner hospital working referrals against the running platform",
                        add_help=False)
    commands.add_parser("dead-letters", help="list, show, replay or drop events the workers gave up on",
                        add_help=False)
    commands.add_parser("terminal", help="a call terminal that presses and talks (aiortc), loopback only",
                        add_help=False)
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["simulate"]:  # the simulator parses its own options
        from linli_dev import simulate as simulator

        sys.exit(simulator.main(argv[1:]))
    if argv[:1] == ["staffing"]:  # parses its own options
        from linli_dev import staffing

        sys.exit(staffing.main(argv[1:]))
    if argv[:1] == ["partner-cert"]:  # parses its own options
        from linli_dev import partner_ca

        sys.exit(partner_ca.main(argv[1:]))
    if argv[:1] == ["partner-sim"]:  # parses its own options
        from linli_dev import partner_sim

        sys.exit(partner_sim.main(argv[1:]))
    if argv[:1] == ["terminal"]:  # parses its own options
        from linli_dev import terminal

        sys.exit(terminal.main(argv[1:]))
    if argv[:1] == ["dead-letters"]:  # parses its own options
        from linli import deadletters

        sys.exit(deadletters.main(argv[1:]))
    args = parser.parse_args(argv)
    if args.command == "token" and not args.community:
        from linli_dev.demo import COMMUNITY

        args.community = [COMMUNITY]
    sys.exit(args.func(args))


if __name__ == "__main__":
    main()
