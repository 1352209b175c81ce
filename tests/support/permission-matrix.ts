/**
 * Machinery for the permission matrix e2e test (tests/e2e/permission-matrix.e2e-spec.ts): the principals,
 * the outcome notation, an oracle of who may see and contact whom (written from the rules, not imported
 * from the app's policies), and a readable report of mismatches.
 */
import type { Response } from 'supertest';
import type { IssueTokenRequest } from '@tsunagi/platform';

export type Side = 'own' | 'other';
export const SIDES: readonly Side[] = ['own', 'other'];

/** The callers, in the column order of the matrix. */
export const PRINCIPALS = [
  'admin',
  'analyst',
  'coordinator:nakahara',
  'coordinator:asao',
  'rep:own-org',
  'rep:other-org',
  'volunteer:own',
  'volunteer:other',
  'anonymous',
] as const;
export type Who = (typeof PRINCIPALS)[number];

/**
 * Whose is "own" and "other": the own person, organisation and ward (nakahara) are those of the principals on the
 * own side (coordinator:nakahara, rep:own-org, volunteer:own); the other ones (asao) those of their counterparts.
 * A cell may rebind them (a fresh person to pause, a fresh organisation to deactivate), and the tokens follow.
 */
export interface Scope {
  ownPersonId: string;
  otherPersonId: string;
  ownOrganisationId: string;
  otherOrganisationId: string;
}

/** The token a principal calls with, or undefined for no token at all. */
export function tokenRequestFor(who: Who, scope: Scope): IssueTokenRequest | undefined {
  switch (who) {
    case 'admin':
      return { role: 'admin', subject: 'matrix-admin' };
    case 'analyst':
      return { role: 'analyst', subject: 'matrix-analyst' };
    case 'coordinator:nakahara':
      return { role: 'coordinator', subject: 'matrix-coordinator-nakahara', wards: ['nakahara'] };
    case 'coordinator:asao':
      return { role: 'coordinator', subject: 'matrix-coordinator-asao', wards: ['asao'] };
    case 'rep:own-org':
      return { role: 'organisation', subject: 'matrix-rep-own', organisationIds: [scope.ownOrganisationId] };
    case 'rep:other-org':
      return { role: 'organisation', subject: 'matrix-rep-other', organisationIds: [scope.otherOrganisationId] };
    case 'volunteer:own':
      return { role: 'volunteer', personId: scope.ownPersonId };
    case 'volunteer:other':
      return { role: 'volunteer', personId: scope.otherPersonId };
    case 'anonymous':
      return undefined;
  }
}

// ------------------------------------------------------------------------------------------ the notation

/**
 * One cell's outcome:
 *   A  allowed: 2xx (a read returns the object)      F  forbidden: 403 auth.forbidden
 *   L  listed: 200, the object is in the list          H  hidden: 404, as if the object did not exist
 *   X  left out: 200, the object is not in the list    U  unauthenticated: 401
 *   C  past authorization, refused by a domain rule (409 or 422)
 * and, on reads, what came with the object:
 *   +c / -c  contact details (a person's contactEmail; an organisation's contactEmail and representatives) / none
 *   +m / -m  an opportunity's matches / none
 *   +p / -p  who proposed a meeting (its proposer) / not
 *   +r / -r  a meeting's registrations and attendance (who registered, waits, came) / none
 *   +i / -i  the person ids of a lineage's people who stepped up (and of its roles' matches) / counts only
 * A read may carry several (A+p+r: the proposer and the registrations).
 */
export const LEGEND = [
  'A allowed (2xx) · L listed · X left out of the list · F 403 auth.forbidden · H 404 hidden · U 401 · C 409/422 (past authorization)',
  '+c/-c with/without contact details · +m/-m with/without the opportunity’s matches',
  '+p/-p with/without a meeting’s proposer · +r/-r with/without its registrations and attendance · +i/-i lineage with person ids / with counts',
].join('\n');

const CELL = /^(A|L|X)([+-][cmpri])*$|^[FHUC]$/;

/** A row: nine `own other` pairs separated by `|`, in the order of PRINCIPALS. */
export function parseRow(key: string, row: string): Record<Who, Record<Side, string>> {
  const groups = row.split('|').map((g) => g.trim().split(/\s+/));
  if (groups.length !== PRINCIPALS.length || groups.some((g) => g.length !== 2)) {
    throw new Error(`matrix row "${key}": expected ${PRINCIPALS.length} "own other" pairs separated by |, got "${row}"`);
  }
  const parsed = {} as Record<Who, Record<Side, string>>;
  PRINCIPALS.forEach((who, i) => {
    for (const cell of groups[i]) if (!CELL.test(cell)) throw new Error(`matrix row "${key}", ${who}: "${cell}" is not an outcome (${LEGEND})`);
    parsed[who] = { own: groups[i][0], other: groups[i][1] };
  });
  return parsed;
}

/** The class of an answer that is not a success: the observe hook of the route decides for 2xx. */
export function failureClass(res: Response): string | undefined {
  const code = (res.body as { code?: string } | undefined)?.code;
  if (res.status === 401 && (code === 'auth.missing_token' || code === 'auth.invalid_token')) return 'U';
  if (res.status === 403 && code === 'auth.forbidden') return 'F';
  if (res.status === 404) return 'H';
  if (res.status === 409 || res.status === 422) return 'C';
  if (res.status >= 200 && res.status < 300) return undefined;
  return `${res.status} ${code ?? ''}`.trim();
}

// ------------------------------------------------------------------------------------------ the oracle

export interface PersonFacts {
  ward: string;
  consents: { mayBeContacted: boolean; visibleToOtherWards: boolean };
}
export interface MatchFacts {
  ward: string;
  organisationId: string;
  candidate: { type: string; id: string };
}

/** Themself, admins, a coordinator of the person's ward, or of another ward when the person agreed to be seen there. */
export function maySeePerson(token: IssueTokenRequest | undefined, personId: string, facts: PersonFacts): boolean {
  if (!token || token.role === 'analyst') return false;
  if (token.role === 'admin' || token.personId === personId) return true;
  return token.role === 'coordinator' && ((token.wards ?? []).includes(facts.ward) || facts.consents.visibleToOtherWards);
}

/** Whoever may contact the person: themself, admins, a coordinator who may see them if they agreed. Never analysts. */
export function mayContactPerson(token: IssueTokenRequest | undefined, personId: string, facts: PersonFacts): boolean {
  if (!token || token.role === 'analyst') return false;
  if (token.role === 'admin' || token.personId === personId) return true;
  return token.role === 'coordinator' && maySeePerson(token, personId, facts) && facts.consents.mayBeContacted;
}

/** A volunteer their own proposals, a representative their organisation's (as owner or partner), a coordinator their wards'. */
export function maySeeMatch(token: IssueTokenRequest | undefined, facts: MatchFacts): boolean {
  if (!token) return false;
  switch (token.role) {
    case 'admin':
      return true;
    case 'volunteer':
      return facts.candidate.type === 'person' && facts.candidate.id === token.personId;
    case 'organisation': {
      const mine = token.organisationIds ?? [];
      return mine.includes(facts.organisationId) || (facts.candidate.type === 'organisation' && mine.includes(facts.candidate.id));
    }
    case 'coordinator':
      return (token.wards ?? []).includes(facts.ward);
    default:
      return false;
  }
}

export interface Facts {
  people: Map<string, PersonFacts>;
  matches: Map<string, MatchFacts>;
}

/** The subject a token is issued with: the one asked for, else a volunteer's person. */
const subjectOf = (token: IssueTokenRequest) => token.subject ?? token.personId;

/** Admins and the coordinators of the meeting's SDC run it: they see who proposed it, registered, waits and came. */
export function runsMeeting(token: IssueTokenRequest | undefined, sdc: string): boolean {
  if (!token) return false;
  return token.role === 'admin' || (token.role === 'coordinator' && (token.wards ?? []).includes(sdc));
}

/** Who proposed a meeting: for those who run it and for the proposer themself. */
export function maySeeProposer(token: IssueTokenRequest | undefined, sdc: string, proposer: { subject: string }): boolean {
  return !!token && (runsMeeting(token, sdc) || subjectOf(token) === proposer.subject);
}

/** The people who stepped up, in a lineage, by their ids: coordinators (of any ward) and admins; everyone else counts. */
export const maySeeLineagePeople = (token: IssueTokenRequest | undefined) => token?.role === 'admin' || token?.role === 'coordinator';

/**
 * Whatever a 2xx answer holds, anywhere in it: no person the caller may not see, no contact details the
 * caller may not have (analysts never), no match the caller may not see; of a meeting, no proposer and no
 * registrations or attendance the caller may not see, no registration but the caller's own; in a lineage,
 * no person ids for callers who only get counts. Returns what is wrong.
 */
export function leaksIn(body: unknown, token: IssueTokenRequest | undefined, facts: Facts): string[] {
  const found: string[] = [];
  const visit = (value: unknown, path: string) => {
    if (Array.isArray(value)) return value.forEach((v, i) => visit(v, `${path}[${i}]`));
    if (!value || typeof value !== 'object') return;
    const o = value as Record<string, unknown>;
    const at = path || '(body)';
    const personId = typeof o.personId === 'string' && 'displayName' in o ? o.personId : undefined;
    if (personId) {
      const known = facts.people.get(personId) ?? (o as unknown as PersonFacts);
      if (!maySeePerson(token, personId, known)) found.push(`${at}: person ${personId} is not for this caller`);
      else if ('contactEmail' in o && !mayContactPerson(token, personId, known)) found.push(`${at}: contactEmail of person ${personId} is not for this caller`);
    } else if ('contactEmail' in o && token?.role === 'analyst') {
      found.push(`${at}: contactEmail shown to an analyst`);
    }
    if ('representatives' in o && token?.role === 'analyst') found.push(`${at}: representatives shown to an analyst`);
    if (typeof o.matchId === 'string' && o.candidate && typeof o.candidate === 'object') {
      const known = facts.matches.get(o.matchId) ?? (o as unknown as MatchFacts);
      if (!maySeeMatch(token, known)) found.push(`${at}: match ${o.matchId} is not for this caller`);
    }
    // A meeting (a list item, a detail, a person's meeting, a spin-off's origin) names its SDC.
    if (typeof o.meetingId === 'string' && typeof o.sdc === 'string') {
      const proposer = o.proposer as { subject: string } | undefined;
      if (proposer && !maySeeProposer(token, o.sdc, proposer)) found.push(`${at}: the proposer of meeting ${o.meetingId} is not for this caller`);
      for (const key of ['registrations', 'attendance']) {
        if (key in o && !runsMeeting(token, o.sdc)) found.push(`${at}: the ${key} of meeting ${o.meetingId} are not for this caller`);
      }
      const mine = o.myRegistration as { personId?: string } | null | undefined;
      if (mine && (token?.role === 'analyst' || !token?.personId || mine.personId !== token.personId)) {
        found.push(`${at}: the registration of ${mine.personId} on meeting ${o.meetingId} is not the caller's own`);
      }
    }
    // A lineage: the people who stepped up, and the person of each of its roles' matches (which carry no candidate).
    if (typeof o.spinOffId === 'string' && Array.isArray(o.peopleWhoSteppedUp) && !maySeeLineagePeople(token)) {
      found.push(`${at}: the people who stepped up for spin-off ${o.spinOffId} are not for this caller`);
    }
    if (typeof o.matchId === 'string' && typeof o.personId === 'string' && !('candidate' in o) && !maySeeLineagePeople(token)) {
      found.push(`${at}: the person of match ${o.matchId} is not for this caller`);
    }
    for (const [k, v] of Object.entries(o)) visit(v, path ? `${path}.${k}` : k);
  };
  visit(body, '');
  return found;
}

// ------------------------------------------------------------------------------------------ the report

export interface Mismatch {
  route: string;
  who: Who;
  side: Side;
  expected: string;
  actual: string;
  reproducer: string;
}

/** One line per mismatch, columns aligned, then how to reproduce each. */
export function formatMismatches(mismatches: Mismatch[]): string {
  if (mismatches.length === 0) return '';
  const head = { route: 'route', who: 'principal', side: 'object', expected: 'expected', actual: 'actual' };
  const rows = [head, ...mismatches];
  const width = (k: keyof typeof head) => Math.max(...rows.map((r) => r[k].length));
  const line = (r: typeof head) => (['route', 'who', 'side', 'expected', 'actual'] as const).map((k) => r[k].padEnd(width(k))).join('  ');
  return [
    `${mismatches.length} cell(s) of the permission matrix answered otherwise than declared`,
    LEGEND,
    '',
    line(head),
    ...mismatches.map(line),
    '',
    'Reproducers:',
    ...mismatches.map((m, i) => `${i + 1}. ${m.route} × ${m.who} × ${m.side}: ${m.reproducer}`),
  ].join('\n');
}

export function describeCall(method: string, url: string, token: IssueTokenRequest | undefined, body: unknown, res: Response): string {
  const shown = JSON.stringify(res.body ?? res.text ?? '');
  return [
    `${method} ${url}`,
    `token ${token ? JSON.stringify(token) : '(none)'}`,
    ...(body !== undefined ? [`body ${JSON.stringify(body)}`] : []),
    `→ ${res.status} ${shown.length > 300 ? `${shown.slice(0, 300)}…` : shown}`,
  ].join(' · ');
}
