// Who is signed in (from SessionService.WhoAmI; the token itself lives in
// an HttpOnly cookie the console never sees).
import type { Json } from "./api";

export interface Me {
  staffId: string;
  agencyId: string;
  roles: string[];
}

export const session: { me: Me | null } = { me: null };

export function meFrom(whoAmI: Json): Me {
  return { staffId: whoAmI.staffId ?? "", agencyId: whoAmI.agencyId ?? "", roles: whoAmI.roles ?? [] };
}

export function isAuditor(): boolean {
  return session.me?.roles.includes("STAFF_ROLE_AUDITOR") ?? false;
}

export function shortId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}
