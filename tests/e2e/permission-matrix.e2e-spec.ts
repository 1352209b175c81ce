import request, { Response } from 'supertest';
import { newId } from '@tsunagi/event-store';
import type { IssueTokenRequest } from '@tsunagi/platform';
import { TestApi, startTestApi } from '../support/test-api';
import { organisationBody, personBody, volunteerRoleBody } from '../support/fixtures';
import {
  Facts,
  Mismatch,
  PRINCIPALS,
  PersonFacts,
  SIDES,
  Scope,
  Side,
  Who,
  describeCall,
  failureClass,
  formatMismatches,
  leaksIn,
  parseRow,
  tokenRequestFor,
} from '../support/permission-matrix';

/**
 * The permission matrix: every route × every principal × an object of their own and one of someone else's,
 * each cell a real HTTP request against the real API (SQLite event store, Redis).
 *
 * "own" is the nakahara side of the world: the own organisation (serving nakahara), the own person (of nakahara),
 * opportunities and matches of the own organisation in nakahara proposed to the own person. "other" is the asao
 * side. coordinator:nakahara, rep:own-org and volunteer:own belong to the own side; coordinator:asao,
 * rep:other-org and volunteer:other to the other; admin, analyst and anonymous to neither.
 *
 * Notation (see LEGEND): A allowed (2xx) · L listed · X left out of the list · F 403 auth.forbidden ·
 * H 404 hidden · U 401 · C 409/422 (past authorization, refused by a domain rule) · +c/-c with/without
 * contact details · +m/-m with/without the opportunity's matches.
 *
 * A route of the OpenAPI document that has no row here fails the first test: a new route must declare who may
 * call it. Beyond each cell's class, every 2xx answer is searched for persons, contact details and matches the
 * caller may not have (tests/support/permission-matrix.ts: leaksIn).
 */
const MATRIX: Record<string, string> = {
  // ---------------------------------------------------------------------------------------------------- reads
  //                                                          admin     analyst   c:nakahara c:asao    rep:own   rep:other vol:own   vol:other anonymous
  'GET /health': /*                                     */ '  A   A   | A   A   | A   A    | A   A   | A   A   | A   A   | A   A   | A   A   | A   A',
  'GET /docs/openapi.json': /*                          */ '  A   A   | A   A   | A   A    | A   A   | A   A   | A   A   | A   A   | A   A   | A   A',
  'GET /docs': /*                                       */ '  A   A   | A   A   | A   A    | A   A   | A   A   | A   A   | A   A   | A   A   | A   A',
  // Opportunities are public to anyone signed in; their matches only to the organisation, the ward's coordinators, admins.
  'GET /api/opportunities': /*                          */ '  L   L   | L   L   | L   L    | L   L   | L   L   | L   L   | L   L   | L   L   | U   U',
  'GET /api/opportunities/{opportunityId}': /*          */ '  A+m A+m | A-m A-m | A+m A-m  | A-m A+m | A+m A-m | A-m A+m | A-m A-m | A-m A-m | U   U',
  'GET /api/matches': /*                                */ '  L   L   | F   F   | L   X    | X   L   | L   X   | X   L   | L   X   | X   L   | U   U',
  'GET /api/matches/{matchId}': /*                      */ '  A   A   | F   F   | A   H    | H   A   | A   H   | H   A   | A   H   | H   A   | U   U',
  // People: own = nakahara, contactable, not visible to other wards; other = asao, visible to other wards, not contactable.
  'GET /api/people': /*                                 */ '  L+c L+c | F   F   | L+c L-c  | X   L-c | F   F   | F   F   | F   F   | F   F   | U   U',
  'GET /api/people/{personId}': /*                      */ '  A+c A+c | F   F   | A+c A-c  | H   A-c | H   H   | H   H   | A+c H   | H   A+c | U   U',
  // … people visible to other wards and contactable,
  'GET /api/people #open': /*                           */ '  L+c L+c | F   F   | L+c L+c  | L+c L+c | F   F   | F   F   | F   F   | F   F   | U   U',
  'GET /api/people/{personId} #open': /*                */ '  A+c A+c | F   F   | A+c A+c  | A+c A+c | H   H   | H   H   | A+c H   | H   A+c | U   U',
  // … and people neither visible to other wards nor contactable.
  'GET /api/people #closed': /*                         */ '  L+c L+c | F   F   | L-c X    | X   L-c | F   F   | F   F   | F   F   | F   F   | U   U',
  'GET /api/people/{personId} #closed': /*              */ '  A+c A+c | F   F   | A-c H    | H   A-c | H   H   | H   H   | A+c H   | H   A+c | U   U',
  // Organisations are public to anyone signed in; contact e-mail and representatives not to analysts.
  'GET /api/organisations': /*                          */ '  L+c L+c | L-c L-c | L+c L+c  | L+c L+c | L+c L+c | L+c L+c | L+c L+c | L+c L+c | U   U',
  'GET /api/organisations/{organisationId}': /*         */ '  A+c A+c | A-c A-c | A+c A+c  | A+c A+c | A+c A+c | A+c A+c | A+c A+c | A+c A+c | U   U',
  'GET /api/sdcs': /*                                   */ '  A   A   | A   A   | A   A    | A   A   | A   A   | A   A   | A   A   | A   A   | U   U',
  'GET /api/sdcs/{ward}': /*                            */ '  A   A   | A   A   | A   A    | A   A   | A   A   | A   A   | A   A   | A   A   | U   U',
  'GET /api/admin/projections': /*                      */ '  A   A   | F   F   | F   F    | F   F   | F   F   | F   F   | F   F   | F   F   | U   U',
  'GET /api/admin/streams': /*                          */ '  A   A   | F   F   | F   F    | F   F   | F   F   | F   F   | F   F   | F   F   | U   U',
  'GET /api/admin/streams/categories': /*               */ '  A   A   | F   F   | F   F    | F   F   | F   F   | F   F   | F   F   | F   F   | U   U',

  // ---------------------------------------------------------------------------------------------------- opportunities
  //                                                          admin     analyst   c:nakahara c:asao    rep:own   rep:other vol:own   vol:other anonymous
  'POST /api/opportunities': /*                         */ '  A   A   | F   F   | A   F    | F   A   | A   F   | F   A   | F   F   | F   F   | U   U',
  'PATCH /api/opportunities/{opportunityId}': /*        */ '  A   A   | F   F   | A   F    | F   A   | A   F   | F   A   | F   F   | F   F   | U   U',
  'POST /api/opportunities/{opportunityId}/close': /*   */ '  A   A   | F   F   | A   F    | F   A   | A   F   | F   A   | F   F   | F   F   | U   U',
  'POST /api/opportunities/{opportunityId}/reopen': /*  */ '  A   A   | F   F   | A   F    | F   A   | A   F   | F   A   | F   F   | F   F   | U   U',

  // ---------------------------------------------------------------------------------------------------- matches
  // Person matches: on an opportunity of the side's organisation in the side's ward, proposed to the side's person.
  'POST /api/opportunities/{opportunityId}/matches': /* */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | F   F   | F   F   | U   U',
  // A coordinator with no say on the opportunity learns nothing about the candidate: not whether the id exists,
  // not whether the person paused (the candidate here is of the side's ward and not visible to other wards).
  'POST /api/opportunities/{opportunityId}/matches #candidate nobody registered':
    /*                                                  */ '  H   H   | F   F   | H   F    | F   H   | F   F   | F   F   | F   F   | F   F   | U   U',
  'POST /api/opportunities/{opportunityId}/matches #candidate paused':
    /*                                                  */ '  C   C   | F   F   | C   F    | F   C   | F   F   | F   F   | F   F   | F   F   | U   U',
  'POST /api/opportunities/{opportunityId}/matches/{matchId}/propose':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | F   F   | F   F   | U   U',
  // Interest for the side's candidate: a volunteer only for themself (own token), a representative only for their organisation.
  'POST /api/opportunities/{opportunityId}/interest':
    /*                                                  */ '  F   F   | F   F   | F   F    | F   F   | A   F   | F   A   | A   F   | F   A   | U   U',
  'POST /api/opportunities/{opportunityId}/matches/{matchId}/decline-interest':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | F   F   | F   F   | U   U',
  'POST /api/opportunities/{opportunityId}/matches/{matchId}/accept':
    /*                                                  */ '  A   A   | F   F   | F   F    | F   F   | F   F   | F   F   | A   F   | F   A   | U   U',
  'POST /api/opportunities/{opportunityId}/matches/{matchId}/decline':
    /*                                                  */ '  A   A   | F   F   | F   F    | F   F   | F   F   | F   F   | A   F   | F   A   | U   U',
  'POST /api/opportunities/{opportunityId}/matches/{matchId}/withdraw':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | F   F   | F   F   | U   U',
  'POST /api/opportunities/{opportunityId}/matches/{matchId}/expire':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | F   F   | F   F   | U   U',
  'POST /api/opportunities/{opportunityId}/matches/{matchId}/confirm':
    /*                                                  */ '  A   A   | F   F   | F   F    | F   F   | A   F   | F   A   | F   F   | F   F   | U   U',
  'POST /api/opportunities/{opportunityId}/matches/{matchId}/start':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | A   F   | F   A   | F   F   | F   F   | U   U',
  'POST /api/opportunities/{opportunityId}/matches/{matchId}/hours':
    /*                                                  */ '  A   A   | F   F   | F   F    | F   F   | F   F   | F   F   | A   F   | F   A   | U   U',
  'POST /api/opportunities/{opportunityId}/matches/{matchId}/hours/{entryId}/approve':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | A   F   | F   A   | F   F   | F   F   | U   U',
  'POST /api/opportunities/{opportunityId}/matches/{matchId}/complete':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | A   F   | F   A   | F   F   | F   F   | U   U',
  'POST /api/opportunities/{opportunityId}/matches/{matchId}/end-early':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | A   F   | F   A   | A   F   | F   A   | U   U',
  // Collaborations: on an opportunity of a third organisation in the side's ward, proposed to the side's organisation.
  'POST /api/opportunities/{opportunityId}/matches/{matchId}/accept #collaboration':
    /*                                                  */ '  A   A   | F   F   | F   F    | F   F   | A   F   | F   A   | F   F   | F   F   | U   U',
  'POST /api/opportunities/{opportunityId}/matches/{matchId}/decline #collaboration':
    /*                                                  */ '  A   A   | F   F   | F   F    | F   F   | A   F   | F   A   | F   F   | F   F   | U   U',
  'POST /api/opportunities/{opportunityId}/matches/{matchId}/hours #collaboration':
    /*                                                  */ '  A   A   | F   F   | F   F    | F   F   | A   F   | F   A   | F   F   | F   F   | U   U',
  'POST /api/opportunities/{opportunityId}/matches/{matchId}/end-early #collaboration':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | A   F   | F   A   | F   F   | F   F   | U   U',

  // ---------------------------------------------------------------------------------------------------- people
  // Registering: object = the ward registered in; a volunteer registers themself (a token naming a new person) anywhere.
  'POST /api/people': /*                                */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | A   A   | A   A   | U   U',
  'PATCH /api/people/{personId}': /*                    */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | A   F   | F   A   | U   U',
  'POST /api/people/{personId}/pause': /*               */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | A   F   | F   A   | U   U',
  'POST /api/people/{personId}/resume': /*              */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | A   F   | F   A   | U   U',
  'POST /api/people/{personId}/deactivate': /*          */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | A   F   | F   A   | U   U',

  // ---------------------------------------------------------------------------------------------------- organisations
  // Registering: object = the ward served.
  'POST /api/organisations': /*                         */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | F   F   | F   F   | U   U',
  'PATCH /api/organisations/{organisationId}': /*       */ '  A   A   | F   F   | A   F    | F   A   | A   F   | F   A   | F   F   | F   F   | U   U',
  'POST /api/organisations/{organisationId}/deactivate':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | F   F   | F   F   | U   U',
  'POST /api/organisations/{organisationId}/representatives':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | A   F   | F   A   | F   F   | F   F   | U   U',
  'DELETE /api/organisations/{organisationId}/representatives/{personId}':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | A   F   | F   A   | F   F   | F   F   | U   U',

  // ---------------------------------------------------------------------------------------------------- SDCs and operations
  // Object = the SDC's ward. Who coordinates an SDC is an admin's decision.
  'POST /api/sdcs/{ward}/coordinators': /*              */ '  A   A   | F   F   | F   F    | F   F   | F   F   | F   F   | F   F   | F   F   | U   U',
  'DELETE /api/sdcs/{ward}/coordinators/{coordinator}':
    /*                                                  */ '  A   A   | F   F   | F   F    | F   F   | F   F   | F   F   | F   F   | F   F   | U   U',
  // Last: a rebuild empties a read model for a moment.
  'POST /api/admin/projections/{name}/rebuild': /*      */ '  A   A   | F   F   | F   F    | F   F   | F   F   | F   F   | F   F   | F   F   | U   U',
};

/** Rows for routes served outside the OpenAPI document. */
const OUTSIDE_THE_DOCUMENT = new Set(['GET /docs/openapi.json', 'GET /docs']);

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
interface Cell {
  side: Side;
  who: Who;
}
interface Prepared {
  method: Method;
  url: string;
  body?: object;
  /** Rebinds whose the own/other person and organisation are, for this cell's tokens. */
  scope?: Partial<Scope>;
  /** The class of a 2xx answer (A, L, X, with +c/-c, +m/-m); 'A' when absent. */
  observe?: (res: Response, token: IssueTokenRequest | undefined) => Promise<string> | string;
  after?: (res: Response) => Promise<void>;
}

const ward = (side: Side) => (side === 'own' ? 'nakahara' : 'asao');
const ADMIN: IssueTokenRequest = { role: 'admin', subject: 'matrix-setup' };
const CONSENTS = {
  base: { own: { mayBeContacted: true, visibleToOtherWards: false }, other: { mayBeContacted: false, visibleToOtherWards: true } },
  open: { own: { mayBeContacted: true, visibleToOtherWards: true }, other: { mayBeContacted: true, visibleToOtherWards: true } },
  closed: { own: { mayBeContacted: false, visibleToOtherWards: false }, other: { mayBeContacted: false, visibleToOtherWards: false } },
} as const;
type PeopleSet = keyof typeof CONSENTS;

describe('permission matrix: every route × every principal × own/other object (real HTTP)', () => {
  let api: TestApi;
  const http = () => request(api.app.getHttpServer());
  const facts: Facts = { people: new Map(), matches: new Map() };
  /** The highest position written so far: reads ask the read models to reflect it. */
  let head = 0;

  const world = {
    orgs: {} as Record<Side | 'host', string>,
    people: {} as Record<PeopleSet, Record<Side, string>>,
    opportunities: {} as Record<Side, string>,
    matches: {} as Record<Side, string>,
    started: {} as Record<Side, { opportunityId: string; matchId: string }>,
    startedCollaborations: {} as Record<Side, { opportunityId: string; matchId: string }>,
  };
  const baseScope = (): Scope => ({
    ownPersonId: world.people.base.own,
    otherPersonId: world.people.base.other,
    ownOrganisationId: world.orgs.own,
    otherOrganisationId: world.orgs.other,
  });

  // ------------------------------------------------------------------------------------ setting up, as an admin would

  async function send(method: Method, url: string, body?: object, token: IssueTokenRequest = ADMIN) {
    const req = http()[method.toLowerCase() as 'get']!(url).set('Authorization', api.bearer(token));
    const res = body === undefined ? await req : await req.send(body);
    if (res.status >= 300) throw new Error(`setup ${method} ${url} as ${JSON.stringify(token)}: ${res.status} ${JSON.stringify(res.body)}`);
    if (typeof res.body?.position === 'number') head = Math.max(head, res.body.position);
    return res.body;
  }

  async function registerPerson(side: Side, consents: PersonFacts['consents']): Promise<string> {
    const { personId } = await send('POST', '/api/people', personBody({ ward: ward(side), consents }));
    facts.people.set(personId, { ward: ward(side), consents });
    return personId;
  }

  async function registerOrganisation(wardsServed: string[]): Promise<string> {
    const representative = { personId: newId(), role: 'representative' };
    const body = organisationBody({ name: `団体 ${wardsServed.join('・')}`, wardsServed, representative });
    return (await send('POST', '/api/organisations', body)).organisationId;
  }

  /** A volunteer role of the side's organisation in the side's ward; a collaboration (of the host organisation unless told). */
  async function openOpportunity(side: Side, kind: 'volunteer_role' | 'collaboration' = 'volunteer_role', organisationId?: string): Promise<string> {
    const body =
      kind === 'volunteer_role'
        ? volunteerRoleBody(organisationId ?? world.orgs[side], 10, { ward: ward(side) })
        : {
            organisationId: organisationId ?? world.orgs.host,
            title: '会場の提供を求めています',
            description: 'A venue for a monthly café',
            ward: ward(side),
            themes: ['town_making'],
            details: { kind: 'collaboration', direction: 'sought', resources: ['venue'], places: 10 },
          };
    return (await send('POST', '/api/opportunities', body)).opportunityId;
  }

  const step = (opportunityId: string, matchId: string, action: string, body: object = {}) =>
    send('POST', `/api/opportunities/${opportunityId}/matches/${matchId}/${action}`, body);

  /**
   * A fresh match in a status: for a person, on a volunteer role of the side's organisation and ward proposed to the
   * side's person; for a collaboration, on the host's opportunity in the side's ward proposed to the side's organisation.
   */
  async function matchIn(side: Side, status: 'proposed' | 'accepted' | 'confirmed' | 'started', kind: 'person' | 'collaboration' = 'person') {
    const opportunityId = await openOpportunity(side, kind === 'person' ? 'volunteer_role' : 'collaboration');
    const candidate = kind === 'person' ? { type: 'person', id: world.people.base[side] } : { type: 'organisation', id: world.orgs[side] };
    const { matchId } = await send('POST', `/api/opportunities/${opportunityId}/matches`, { candidate, message: 'いかがですか' });
    facts.matches.set(matchId, { ward: ward(side), organisationId: kind === 'person' ? world.orgs[side] : world.orgs.host, candidate });
    const steps = kind === 'person' ? ['accept', 'confirm', 'start'] : ['accept', 'start'];
    const upTo = { proposed: 0, accepted: 1, confirmed: 2, started: steps.length }[status];
    for (const action of steps.slice(0, upTo)) await step(opportunityId, matchId, action);
    return { opportunityId, matchId };
  }

  /** The side's person says they are interested in a fresh volunteer role of the side. */
  async function interestIn(side: Side) {
    const opportunityId = await openOpportunity(side);
    const personId = world.people.base[side];
    const { matchId } = await send('POST', `/api/opportunities/${opportunityId}/interest`, { message: '興味があります' }, { role: 'volunteer', personId });
    facts.matches.set(matchId, { ward: ward(side), organisationId: world.orgs[side], candidate: { type: 'person', id: personId } });
    return { opportunityId, matchId, candidate: { type: 'person', id: personId } };
  }

  const scopeForPerson = (side: Side, personId: string): Partial<Scope> => (side === 'own' ? { ownPersonId: personId } : { otherPersonId: personId });
  const scopeForOrganisation = (side: Side, organisationId: string): Partial<Scope> =>
    side === 'own' ? { ownOrganisationId: organisationId } : { otherOrganisationId: organisationId };

  // ------------------------------------------------------------------------------------ observing reads

  /** All items of a list answer, following its cursor with the same token. */
  async function allItems(first: Response, url: string, token: IssueTokenRequest | undefined): Promise<Record<string, unknown>[]> {
    const items = [...(first.body.items as Record<string, unknown>[])];
    let cursor = first.body.nextCursor as string | undefined;
    while (cursor) {
      const req = http().get(`${url}&after=${encodeURIComponent(cursor)}`);
      const res = token ? await req.set('Authorization', api.bearer(token)) : await req;
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
    }
    return items;
  }

  const personContact = (p: Record<string, unknown>) => ('contactEmail' in p ? '+c' : '-c');
  /** One organisation comes with its contact e-mail and representatives, or neither (lists never carry representatives). */
  const organisationContact = (o: Record<string, unknown>, single = true) => {
    const email = 'contactEmail' in o;
    const representatives = 'representatives' in o;
    if (!single) return email ? '+c' : '-c';
    return email && representatives ? '+c' : !email && !representatives ? '-c' : `?c(contactEmail ${email}, representatives ${representatives})`;
  };

  /** A list read: L (with a tag) when the object is in it, X when left out. */
  function listed(url: string, idKey: string, id: string, tag: (item: Record<string, unknown>) => string = () => ''): Prepared {
    return {
      method: 'GET',
      url,
      observe: async (res, token) => {
        const item = (await allItems(res, url, token)).find((i) => i[idKey] === id);
        return item ? `L${tag(item)}` : 'X';
      },
    };
  }

  const read = () => `minPosition=${head}`;

  // ------------------------------------------------------------------------------------ each route, for one cell

  const CASES: Record<string, (cell: Cell) => Promise<Prepared>> = {
    'GET /health': async () => ({ method: 'GET', url: '/health' }),
    'GET /docs/openapi.json': async () => ({ method: 'GET', url: '/docs/openapi.json' }),
    'GET /docs': async () => ({ method: 'GET', url: '/docs' }),

    'GET /api/opportunities': async ({ side }) =>
      listed(`/api/opportunities?organisationId=${world.orgs[side]}&limit=500&${read()}`, 'opportunityId', world.opportunities[side]),
    'GET /api/opportunities/{opportunityId}': async ({ side }) => ({
      method: 'GET',
      url: `/api/opportunities/${world.opportunities[side]}?${read()}`,
      observe: (res) => `A${Array.isArray(res.body.matches) ? '+m' : '-m'}`,
    }),
    'GET /api/matches': async ({ side }) => listed(`/api/matches?opportunityId=${world.opportunities[side]}&limit=500&${read()}`, 'matchId', world.matches[side]),
    'GET /api/matches/{matchId}': async ({ side }) => ({ method: 'GET', url: `/api/matches/${world.matches[side]}?${read()}` }),

    ...Object.fromEntries(
      (['base', 'open', 'closed'] as const).flatMap((set) => {
        const suffix = set === 'base' ? '' : ` #${set}`;
        return [
          [
            `GET /api/people${suffix}`,
            async ({ side }: Cell): Promise<Prepared> => ({
              ...listed(`/api/people?ward=${ward(side)}&limit=500&${read()}`, 'personId', world.people[set][side], personContact),
              scope: { ownPersonId: world.people[set].own, otherPersonId: world.people[set].other },
            }),
          ],
          [
            `GET /api/people/{personId}${suffix}`,
            async ({ side }: Cell): Promise<Prepared> => ({
              method: 'GET',
              url: `/api/people/${world.people[set][side]}?${read()}`,
              scope: { ownPersonId: world.people[set].own, otherPersonId: world.people[set].other },
              observe: (res) => `A${personContact(res.body)}`,
            }),
          ],
        ];
      }),
    ),

    'GET /api/organisations': async ({ side }) =>
      listed(`/api/organisations?ward=${ward(side)}&limit=500&${read()}`, 'organisationId', world.orgs[side], (o) => organisationContact(o, false)),
    'GET /api/organisations/{organisationId}': async ({ side }) => ({
      method: 'GET',
      url: `/api/organisations/${world.orgs[side]}?${read()}`,
      observe: (res) => `A${organisationContact(res.body)}`,
    }),
    'GET /api/sdcs': async () => ({ method: 'GET', url: '/api/sdcs' }),
    'GET /api/sdcs/{ward}': async ({ side }) => ({ method: 'GET', url: `/api/sdcs/${ward(side)}` }),
    'GET /api/admin/projections': async () => ({ method: 'GET', url: '/api/admin/projections' }),
    'GET /api/admin/streams': async () => ({ method: 'GET', url: `/api/admin/streams?${read()}` }),
    'GET /api/admin/streams/categories': async () => ({ method: 'GET', url: `/api/admin/streams/categories?${read()}` }),

    // Opportunities.
    'POST /api/opportunities': async ({ side }) => ({
      method: 'POST',
      url: '/api/opportunities',
      body: volunteerRoleBody(world.orgs[side], 2, { ward: ward(side) }),
    }),
    'PATCH /api/opportunities/{opportunityId}': async ({ side }) => ({
      method: 'PATCH',
      url: `/api/opportunities/${world.opportunities[side]}`,
      body: { title: '子ども食堂の調理スタッフ（土曜）' },
    }),
    'POST /api/opportunities/{opportunityId}/close': async ({ side }) => ({ method: 'POST', url: `/api/opportunities/${await openOpportunity(side)}/close`, body: {} }),
    'POST /api/opportunities/{opportunityId}/reopen': async ({ side }) => {
      const opportunityId = await openOpportunity(side);
      await send('POST', `/api/opportunities/${opportunityId}/close`, {});
      return { method: 'POST', url: `/api/opportunities/${opportunityId}/reopen`, body: {} };
    },

    // Matches.
    'POST /api/opportunities/{opportunityId}/matches': async ({ side }) => ({
      method: 'POST',
      url: `/api/opportunities/${await openOpportunity(side)}/matches`,
      body: { candidate: { type: 'person', id: world.people.base[side] }, message: 'いかがですか' },
    }),
    'POST /api/opportunities/{opportunityId}/matches #candidate nobody registered': async ({ side }) => ({
      method: 'POST',
      url: `/api/opportunities/${world.opportunities[side]}/matches`,
      body: { candidate: { type: 'person', id: newId() }, message: 'いかがですか' },
    }),
    'POST /api/opportunities/{opportunityId}/matches #candidate paused': async ({ side }) => {
      const personId = await registerPerson(side, CONSENTS.closed[side]);
      await send('POST', `/api/people/${personId}/pause`, {});
      return {
        method: 'POST',
        url: `/api/opportunities/${world.opportunities[side]}/matches`,
        body: { candidate: { type: 'person', id: personId }, message: 'いかがですか' },
      };
    },
    'POST /api/opportunities/{opportunityId}/matches/{matchId}/propose': async ({ side }) => {
      const { opportunityId, matchId, candidate } = await interestIn(side);
      return { method: 'POST', url: `/api/opportunities/${opportunityId}/matches/${matchId}/propose`, body: { candidate, message: 'ぜひ' } };
    },
    'POST /api/opportunities/{opportunityId}/interest': async ({ side, who }) => {
      // The candidate of the side: a volunteer's is the person their token names, so a volunteer can only
      // claim someone else's candidacy by naming an organisation; a representative names the organisation.
      const representative = who.startsWith('rep:');
      const opportunityId = await openOpportunity(side, representative ? 'collaboration' : 'volunteer_role', world.orgs.host);
      const forThemself = (who === 'volunteer:own' && side === 'own') || (who === 'volunteer:other' && side === 'other');
      return {
        method: 'POST',
        url: `/api/opportunities/${opportunityId}/interest`,
        body: forThemself ? { message: '興味があります' } : { message: '興味があります', organisationId: world.orgs[side] },
      };
    },
    'POST /api/opportunities/{opportunityId}/matches/{matchId}/decline-interest': async ({ side }) => {
      const { opportunityId, matchId } = await interestIn(side);
      return { method: 'POST', url: `/api/opportunities/${opportunityId}/matches/${matchId}/decline-interest`, body: {} };
    },
    ...Object.fromEntries(
      (
        [
          ['accept', 'proposed', {}],
          ['decline', 'proposed', { reason: 'no_time' }],
          ['withdraw', 'proposed', {}],
          ['expire', 'proposed', {}],
          ['confirm', 'accepted', {}],
          ['start', 'confirmed', {}],
          ['complete', 'started', {}],
          ['end-early', 'started', { reason: 'schedule' }],
        ] as const
      ).map(([action, status, body]) => [
        `POST /api/opportunities/{opportunityId}/matches/{matchId}/${action}`,
        async ({ side }: Cell): Promise<Prepared> => {
          const { opportunityId, matchId } = await matchIn(side, status);
          return { method: 'POST', url: `/api/opportunities/${opportunityId}/matches/${matchId}/${action}`, body };
        },
      ]),
    ),
    ...Object.fromEntries(
      (
        [
          ['accept', 'proposed', {}],
          ['decline', 'proposed', { reason: 'other' }],
          ['end-early', 'started', { reason: 'other' }],
        ] as const
      ).map(([action, status, body]) => [
        `POST /api/opportunities/{opportunityId}/matches/{matchId}/${action} #collaboration`,
        async ({ side }: Cell): Promise<Prepared> => {
          const { opportunityId, matchId } = await matchIn(side, status, 'collaboration');
          return { method: 'POST', url: `/api/opportunities/${opportunityId}/matches/${matchId}/${action}`, body };
        },
      ]),
    ),
    'POST /api/opportunities/{opportunityId}/matches/{matchId}/hours': async ({ side }) => {
      const { opportunityId, matchId } = world.started[side];
      return { method: 'POST', url: `/api/opportunities/${opportunityId}/matches/${matchId}/hours`, body: { date: '2026-05-02', hours: 1.5 } };
    },
    'POST /api/opportunities/{opportunityId}/matches/{matchId}/hours #collaboration': async ({ side }) => {
      const { opportunityId, matchId } = world.startedCollaborations[side];
      return { method: 'POST', url: `/api/opportunities/${opportunityId}/matches/${matchId}/hours`, body: { date: '2026-05-02', hours: 2 } };
    },
    'POST /api/opportunities/{opportunityId}/matches/{matchId}/hours/{entryId}/approve': async ({ side }) => {
      const { opportunityId, matchId } = world.started[side];
      const { entryId } = await step(opportunityId, matchId, 'hours', { date: '2026-05-03', hours: 1 });
      return { method: 'POST', url: `/api/opportunities/${opportunityId}/matches/${matchId}/hours/${entryId}/approve`, body: {} };
    },

    // People.
    'POST /api/people': async ({ side }) => {
      const consents = CONSENTS.base[side];
      return {
        method: 'POST',
        url: '/api/people',
        body: personBody({ ward: ward(side), consents }),
        // A volunteer registers themself: their token names a person not registered yet.
        scope: { ownPersonId: newId(), otherPersonId: newId() },
        after: async (res) => {
          if (res.status === 201) facts.people.set(res.body.personId, { ward: ward(side), consents });
        },
      };
    },
    'PATCH /api/people/{personId}': async ({ side }) => ({ method: 'PATCH', url: `/api/people/${world.people.base[side]}`, body: { displayName: '川崎 花子' } }),
    ...Object.fromEntries(
      (['pause', 'resume', 'deactivate'] as const).map((action) => [
        `POST /api/people/{personId}/${action}`,
        async ({ side }: Cell): Promise<Prepared> => {
          const personId = await registerPerson(side, CONSENTS.base[side]);
          if (action === 'resume') await send('POST', `/api/people/${personId}/pause`, {});
          return { method: 'POST', url: `/api/people/${personId}/${action}`, body: {}, scope: scopeForPerson(side, personId) };
        },
      ]),
    ),

    // Organisations.
    'POST /api/organisations': async ({ side }) => ({ method: 'POST', url: '/api/organisations', body: organisationBody({ wardsServed: [ward(side)] }) }),
    'PATCH /api/organisations/{organisationId}': async ({ side }) => ({
      method: 'PATCH',
      url: `/api/organisations/${world.orgs[side]}`,
      body: { description: '毎週土曜に開いています。' },
    }),
    'POST /api/organisations/{organisationId}/deactivate': async ({ side }) => {
      const organisationId = await registerOrganisation([ward(side)]);
      return { method: 'POST', url: `/api/organisations/${organisationId}/deactivate`, body: {}, scope: scopeForOrganisation(side, organisationId) };
    },
    'POST /api/organisations/{organisationId}/representatives': async ({ side }) => ({
      method: 'POST',
      url: `/api/organisations/${world.orgs[side]}/representatives`,
      body: { personId: newId(), role: 'staff' },
    }),
    'DELETE /api/organisations/{organisationId}/representatives/{personId}': async ({ side }) => {
      const personId = newId();
      await send('POST', `/api/organisations/${world.orgs[side]}/representatives`, { personId, role: 'staff' });
      return { method: 'DELETE', url: `/api/organisations/${world.orgs[side]}/representatives/${personId}` };
    },

    // SDCs and operations.
    'POST /api/sdcs/{ward}/coordinators': async ({ side }) => ({
      method: 'POST',
      url: `/api/sdcs/${ward(side)}/coordinators`,
      body: { coordinator: `matrix-coordinator-${newId()}` },
    }),
    'DELETE /api/sdcs/{ward}/coordinators/{coordinator}': async ({ side }) => {
      const coordinator = `matrix-coordinator-${newId()}`;
      await send('POST', `/api/sdcs/${ward(side)}/coordinators`, { coordinator });
      return { method: 'DELETE', url: `/api/sdcs/${ward(side)}/coordinators/${coordinator}` };
    },
    'POST /api/admin/projections/{name}/rebuild': async () => ({
      method: 'POST',
      url: '/api/admin/projections/stream-catalogue/rebuild',
      after: async (res) => {
        if (res.status < 300) await untilLive('stream-catalogue');
      },
    }),
  };

  async function untilLive(name: string) {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const { projections } = await send('GET', '/api/admin/projections');
      if (projections.find((p: { name: string; state: string }) => p.name === name)?.state === 'live') return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`projection ${name} did not come back live`);
  }

  // ------------------------------------------------------------------------------------ the world

  beforeAll(async () => {
    api = await startTestApi();
    world.orgs.own = await registerOrganisation(['nakahara']);
    world.orgs.other = await registerOrganisation(['asao']);
    world.orgs.host = await registerOrganisation(['nakahara', 'asao']);
    for (const set of ['base', 'open', 'closed'] as const) {
      world.people[set] = { own: await registerPerson('own', CONSENTS[set].own), other: await registerPerson('other', CONSENTS[set].other) };
    }
    for (const side of SIDES) {
      const { opportunityId, matchId } = await matchIn(side, 'proposed');
      world.opportunities[side] = opportunityId;
      world.matches[side] = matchId;
      world.started[side] = await matchIn(side, 'started');
      world.startedCollaborations[side] = await matchIn(side, 'started', 'collaboration');
    }
  }, 60_000);
  afterAll(() => api?.close());

  // ------------------------------------------------------------------------------------ the tests

  it('its leak detector sees a person, a contact e-mail or a match the caller may not have', () => {
    const [own, other] = [world.people.base.own, world.people.base.other];
    const person = (personId: string) => ({ personId, displayName: 'x', contactEmail: 'x@example.jp', ward: 'nakahara', consents: CONSENTS.base.own });
    const volunteer = tokenRequestFor('volunteer:own', baseScope());
    expect(leaksIn({ items: [person(own)] }, volunteer, facts)).toEqual([]);
    expect(leaksIn({ items: [person(own), person(other)] }, volunteer, facts)).toEqual([`items[1]: person ${other} is not for this caller`]);
    const { contactEmail: _, ...withoutContact } = person(other);
    expect(leaksIn(withoutContact, tokenRequestFor('coordinator:nakahara', baseScope()), facts)).toEqual([]);
    expect(leaksIn(person(other), tokenRequestFor('coordinator:nakahara', baseScope()), facts)).toEqual([`(body): contactEmail of person ${other} is not for this caller`]);
    expect(leaksIn({ organisation: { organisationId: 'o', contactEmail: 'x', representatives: [] } }, tokenRequestFor('analyst', baseScope()), facts)).toHaveLength(2);
    const match = { matchId: world.matches.other, candidate: { type: 'person', id: other } };
    expect(leaksIn({ matches: [match] }, volunteer, facts)).toEqual([`matches[0]: match ${world.matches.other} is not for this caller`]);
    expect(leaksIn({ matches: [match] }, tokenRequestFor('coordinator:asao', baseScope()), facts)).toEqual([]);
  });

  it('declares every route of the OpenAPI document, and only those', async () => {
    const doc = (await http().get('/docs/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    const declared = new Set(Object.keys(MATRIX).map((key) => key.split(' #')[0]));
    expect({ undeclared: documented.filter((route) => !declared.has(route)) }).toEqual({ undeclared: [] });
    expect({ stale: [...declared].filter((route) => !documented.includes(route) && !OUTSIDE_THE_DOCUMENT.has(route)) }).toEqual({ stale: [] });
    expect({ rowsWithoutCase: Object.keys(MATRIX).filter((key) => !CASES[key]), casesWithoutRow: Object.keys(CASES).filter((key) => !MATRIX[key]) }).toEqual({
      rowsWithoutCase: [],
      casesWithoutRow: [],
    });
  });

  it('answers every cell as declared, shows nothing a caller may not see, and leaks no contact details', async () => {
    const mismatches: Mismatch[] = [];
    let cells = 0;
    for (const [route, text] of Object.entries(MATRIX)) {
      const row = parseRow(route, text);
      const routeCase = CASES[route];
      if (!routeCase) continue; // reported by the test above
      for (const side of SIDES) {
        for (const who of PRINCIPALS) {
          cells++;
          const expected = row[who][side];
          let prepared: Prepared;
          try {
            prepared = await routeCase({ side, who });
          } catch (error) {
            mismatches.push({ route, who, side, expected, actual: 'setup failed', reproducer: String(error) });
            continue;
          }
          const token = tokenRequestFor(who, { ...baseScope(), ...prepared.scope });
          let req = http()[prepared.method.toLowerCase() as 'get'](prepared.url);
          if (token) req = req.set('Authorization', api.bearer(token));
          const res = prepared.body !== undefined ? await req.send(prepared.body) : await req;
          const actual = failureClass(res) ?? (prepared.observe ? await prepared.observe(res, token) : 'A');
          const reproducer = () => describeCall(prepared.method, prepared.url, token, prepared.body, res);
          if (actual !== expected) {
            const code = res.body?.code ? ` ${res.body.code}` : '';
            mismatches.push({ route, who, side, expected, actual: `${actual} (${res.status}${code})`, reproducer: reproducer() });
          }
          if (res.status < 300 && prepared.url.startsWith('/api/')) {
            for (const leak of leaksIn(res.body, token, facts)) mismatches.push({ route, who, side, expected: 'nothing hidden', actual: leak, reproducer: reproducer() });
          }
          if (typeof res.body?.position === 'number') head = Math.max(head, res.body.position);
          await prepared.after?.(res);
        }
      }
    }
    expect(cells).toBe(Object.keys(MATRIX).length * SIDES.length * PRINCIPALS.length);
    if (mismatches.length > 0) throw new Error(formatMismatches(mismatches));
  }, 120_000);
});
