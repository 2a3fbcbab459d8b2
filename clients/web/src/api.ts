// The console's calls: Connect over fetch to renkei-server's own origin,
// with the session cookie (HttpOnly, set by the server at sign-in) and the
// CSRF token echoed from its cookie. Requests and answers are protobuf JSON
// objects, converted with the messages generated from proto/.
import { createRegistry, fromJson, toJson, type DescService, type JsonValue } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { AuditService } from "./gen/renkei/v1/audit_service_pb";
import { CaseService } from "./gen/renkei/v1/case_service_pb";
import { ConferenceService } from "./gen/renkei/v1/conference_service_pb";
import { ConsentService } from "./gen/renkei/v1/consent_service_pb";
import { DirectoryService } from "./gen/renkei/v1/directory_service_pb";
import { HandoverService } from "./gen/renkei/v1/handover_service_pb";
import { PlanService } from "./gen/renkei/v1/plan_service_pb";
import { ReferralService } from "./gen/renkei/v1/referral_service_pb";
import { ReviewService } from "./gen/renkei/v1/review_service_pb";
import { SessionService } from "./gen/renkei/v1/session_service_pb";
import * as accessFile from "./gen/renkei/v1/access_pb";
import * as caseFile from "./gen/renkei/v1/case_pb";
import * as conferenceFile from "./gen/renkei/v1/conference_pb";
import * as consentFile from "./gen/renkei/v1/consent_pb";
import * as directoryFile from "./gen/renkei/v1/directory_pb";
import * as entryFile from "./gen/renkei/v1/entry_pb";
import * as eventFile from "./gen/renkei/v1/event_pb";
import * as handoverFile from "./gen/renkei/v1/handover_pb";
import * as planFile from "./gen/renkei/v1/plan_pb";
import * as privacyFile from "./gen/renkei/v1/privacy_pb";
import * as referralFile from "./gen/renkei/v1/referral_pb";
import * as responsibilityFile from "./gen/renkei/v1/responsibility_pb";
import * as securityFile from "./gen/renkei/v1/security_pb";
import * as sharingFile from "./gen/renkei/v1/sharing_pb";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

const services = {
  AuditService,
  CaseService,
  ConferenceService,
  ConsentService,
  DirectoryService,
  HandoverService,
  PlanService,
  ReferralService,
  ReviewService,
  SessionService,
} satisfies Record<string, DescService>;
export type ServiceName = keyof typeof services;

// Events in audit answers carry their payload as Any: the registry names
// every message they may hold.
const registry = createRegistry(
  accessFile.file_renkei_v1_access,
  caseFile.file_renkei_v1_case,
  conferenceFile.file_renkei_v1_conference,
  consentFile.file_renkei_v1_consent,
  directoryFile.file_renkei_v1_directory,
  entryFile.file_renkei_v1_entry,
  eventFile.file_renkei_v1_event,
  handoverFile.file_renkei_v1_handover,
  planFile.file_renkei_v1_plan,
  privacyFile.file_renkei_v1_privacy,
  referralFile.file_renkei_v1_referral,
  responsibilityFile.file_renkei_v1_responsibility,
  securityFile.file_renkei_v1_security,
  sharingFile.file_renkei_v1_sharing,
);

function cookie(name: string): string {
  for (const part of document.cookie.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return "";
}

const csrf: Interceptor = (next) => async (req) => {
  const token = cookie("__Host-renkei_csrf");
  if (token) req.header.set("X-CSRF-Token", token);
  return next(req);
};

const transport = createConnectTransport({
  baseUrl: location.origin,
  interceptors: [csrf],
  fetch: (input, init) => fetch(input, { ...init, credentials: "same-origin" }),
});

// A refusal or failure, as the server words it.
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

// Called when a call finds the session gone (set by the shell).
let onSignedOut: () => void = () => {};
export function whenSignedOut(f: () => void): void {
  onSignedOut = f;
}

function methodOf(service: ServiceName, method: string) {
  const s = services[service];
  const m = s.methods.find((x) => x.name === method);
  if (!m) throw new Error(`no method ${service}.${method}`);
  return m;
}

function rethrow(e: unknown): never {
  if (e instanceof ConnectError) {
    if (e.code === Code.Unauthenticated) onSignedOut();
    throw new ApiError(Code[e.code] ?? "unknown", e.rawMessage);
  }
  throw e;
}

// The request without its unset (undefined) fields.
function defined(request: Json): JsonValue {
  return JSON.parse(JSON.stringify(request ?? {})) as JsonValue;
}

export async function call(service: ServiceName, method: string, request: Json = {}): Promise<Json> {
  const m = methodOf(service, method);
  const client = createClient(services[service], transport) as unknown as Record<
    string,
    (req: unknown) => Promise<unknown>
  >;
  try {
    const req = fromJson(m.input, defined(request), { registry });
    const res = await client[m.localName](req);
    return toJson(m.output, res as never, { registry });
  } catch (e) {
    rethrow(e);
  }
}

// A server stream: calls `each` with every message until `signal` aborts
// or the stream ends.
export async function stream(
  service: ServiceName,
  method: string,
  request: Json,
  each: (message: Json) => void,
  signal: AbortSignal,
): Promise<void> {
  const m = methodOf(service, method);
  const client = createClient(services[service], transport) as unknown as Record<
    string,
    (req: unknown, options: { signal: AbortSignal }) => AsyncIterable<unknown>
  >;
  try {
    const req = fromJson(m.input, defined(request), { registry });
    for await (const message of client[m.localName](req, { signal })) {
      each(toJson(m.output, message as never, { registry }));
    }
  } catch (e) {
    if (signal.aborted) return;
    rethrow(e);
  }
}

// A fresh idempotency key for one command as a person means it (a retry of
// the same submission reuses it).
export function newKey(): string {
  return crypto.randomUUID();
}
