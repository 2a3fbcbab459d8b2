#!/usr/bin/python3
"""Replays a Renkei case as of a time, as an auditor, and prints its timeline.

Uses Debian's python3-grpcio. The stubs are generated at run time from the
repository's proto/ folder into a temporary directory (with protoc and
grpc_python_plugin from protobuf-compiler-grpc, or with grpc_tools when
installed), so nothing generated is kept.

    clients/python/replay_case.py demo-xxxx --as-of 2024-04-13

The auditor is identified as the `renkei` CLI identifies its user: a session
token (--token or RENKEI_TOKEN, else the session `renkei login` saved), or
--as STAFF_ID on a development server (--dev-header-identity). TLS: the
server's CA bundle from --tls-ca or RENKEI_TLS_CA (plaintext without one).
"""

import argparse
import datetime
import glob
import importlib
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PROTO_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "proto"))


def generate_stubs(proto_dir, out_dir):
    """Compiles every renkei/v1/*.proto into Python modules under out_dir."""
    protos = sorted(glob.glob(os.path.join(proto_dir, "renkei", "v1", "*.proto")))
    if not protos:
        raise SystemExit(f"error: no .proto files under {proto_dir}/renkei/v1")
    protoc = shutil.which("protoc")
    plugin = shutil.which("grpc_python_plugin")
    if protoc and plugin:
        command = [protoc, f"--plugin=protoc-gen-grpc_python={plugin}"]
    else:
        command = [sys.executable, "-m", "grpc_tools.protoc"]
    command += [f"-I{proto_dir}", f"--python_out={out_dir}",
                f"--grpc_python_out={out_dir}"] + protos
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit("error: cannot generate the Python stubs:\n" + result.stderr)


def parse_time(text):
    """RFC 3339 (any offset), or a date meaning 00:00 UTC."""
    try:
        if len(text) == 10:
            moment = datetime.datetime.strptime(text, "%Y-%m-%d")
        else:
            moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise SystemExit(f"error: --as-of '{text}' is not an RFC 3339 time or a date")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment


def format_time(timestamp):
    if timestamp.seconds == 0 and timestamp.nanos == 0:
        return ""
    moment = datetime.datetime.fromtimestamp(timestamp.seconds, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def print_table(header, rows):
    widths = [max(len(str(row[i])) for row in [header] + rows)
              for i in range(len(header))]
    for row in [header] + rows:
        cells = [str(cell).ljust(widths[i]) for i, cell in enumerate(row)]
        print("  ".join(cells).rstrip())


def saved_session(server):
    """The token `renkei login` saved for `server`, or None."""
    path = os.environ.get("RENKEI_SESSION_FILE") or os.path.join(
        os.path.expanduser("~"), ".config", "renkei", "session")
    try:
        with open(path) as f:
            fields = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)
    except OSError:
        return None
    if fields.get("server") != server:
        return None
    return fields.get("token")


def main():
    parser = argparse.ArgumentParser(
        description="Replay a Renkei case as of a time and print its timeline.")
    parser.add_argument("case_id", metavar="CASE_ID")
    parser.add_argument("--as-of", required=True,
                        help="RFC 3339 time, or a date (00:00 UTC)")
    parser.add_argument("--axis", choices=["recorded", "occurred"],
                        default="recorded",
                        help="recorded: what was known then; occurred: what had "
                             "happened by then (default: recorded)")
    parser.add_argument("--server",
                        default=os.environ.get("RENKEI_SERVER", "127.0.0.1:50051"))
    parser.add_argument("--as", dest="staff",
                        default=os.environ.get("RENKEI_STAFF"),
                        help="the auditor's staff id (env RENKEI_STAFF)")
    parser.add_argument("--agency", default=os.environ.get("RENKEI_AGENCY"))
    parser.add_argument("--token", default=os.environ.get("RENKEI_TOKEN"),
                        help="a session token (env RENKEI_TOKEN; default: the "
                             "session `renkei login` saved)")
    parser.add_argument("--tls-ca", default=os.environ.get("RENKEI_TLS_CA"),
                        help="the server's CA bundle (env RENKEI_TLS_CA)")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--proto-dir", default=DEFAULT_PROTO_DIR)
    args = parser.parse_args()
    token = args.token or (None if args.staff else saved_session(args.server))
    if not args.staff and not token:
        parser.error("sign in first (`renkei login --as STAFF_ID`, or --token), "
                     "or name the auditor with --as on a development server")
    as_of = parse_time(args.as_of)

    import grpc  # python3-grpcio

    with tempfile.TemporaryDirectory(prefix="renkei-stubs-") as out_dir:
        generate_stubs(args.proto_dir, out_dir)
        sys.path.insert(0, out_dir)
        audit = importlib.import_module("renkei.v1.audit_service_pb2")
        audit_grpc = importlib.import_module("renkei.v1.audit_service_pb2_grpc")

        request = audit.ReplayCaseRequest(case_id=args.case_id)
        request.as_of.seconds = int(as_of.timestamp())
        request.axis = (audit.TIME_AXIS_OCCURRED if args.axis == "occurred"
                        else audit.TIME_AXIS_RECORDED)
        metadata = []
        if token:
            metadata.append(("authorization", "Bearer " + token))
        if args.staff:
            metadata.append(("renkei-staff-id", args.staff))
        if args.agency:
            metadata.append(("renkei-agency-id", args.agency))
        if args.tls_ca:
            with open(args.tls_ca, "rb") as f:
                credentials = grpc.ssl_channel_credentials(root_certificates=f.read())
            channel = grpc.secure_channel(args.server, credentials)
        else:
            channel = grpc.insecure_channel(args.server)
        with channel:
            stub = audit_grpc.AuditServiceStub(channel)
            try:
                reply = stub.ReplayCase(request, metadata=metadata,
                                        timeout=args.timeout)
            except grpc.RpcError as error:
                print(f"error: {error.code().name}: {error.details()}",
                      file=sys.stderr)
                return 1

        summary = reply.summary
        print(f"case {args.case_id} as of {format_time(request.as_of)} "
              f"({args.axis} time): {reply.events_applied} events applied, "
              f"last position {reply.last_position}")
        print(f"title: {summary.title}")
        print(f"subjects: " + ", ".join(
            f"{s.subject_id} ({s.display_name})" for s in summary.subjects))
        print(f"team: " + ", ".join(t.agency_id for t in summary.team))
        print(f"entries: {summary.entries}  consents in force: "
              f"{summary.consents_in_force}  refusals standing: "
              f"{summary.refusals_standing}  open referrals: "
              f"{summary.open_referrals}")
        for lead in summary.stage_leads:
            print(f"stage {lead.stage_id} ({lead.stage_title}): led by "
                  f"{lead.lead_agency_id}, key person {lead.key_person_staff_id}")
        print()
        rows = []
        for item in reply.timeline:
            actor = item.actor.staff_id
            if item.actor.agency_id:
                actor += "@" + item.actor.agency_id
            text = item.summary
            if item.redacted:
                text = f"[redacted: {item.redaction_reason}] {text}".rstrip()
            rows.append([item.position, format_time(item.occurred_at),
                         format_time(item.recorded_at), actor,
                         item.event_type.replace("renkei.v1.", ""), item.ref_id,
                         text])
        if rows:
            print_table(["POSITION", "OCCURRED_AT", "RECORDED_AT", "ACTOR",
                         "EVENT", "REF", "SUMMARY"], rows)
        else:
            print("timeline: (none)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
