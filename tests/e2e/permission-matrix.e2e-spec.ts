import request, { Response } from 'supertest';
import type { Ward } from '@tsunagi/domain';
import { newId } from '@tsunagi/event-store';
import { sdcOrganisationId } from '@tsunagi/meetings';
import { NotificationChannel, Recipient, notificationIdFor, notificationStreamId } from '@tsunagi/notifications';
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
 * contact details · +m/-m with/without the opportunity's matches · +p/-p with/without a meeting's proposer ·
 * +r/-r with/without its registrations and attendance · +i/-i a lineage with person ids / with counts.
 *
 * A route of the OpenAPI document that has no row here fails the first test: a new route must declare who may
 * call it. Beyond each cell's class, every 2xx answer is searched for persons, contact details, matches, meeting
 * proposers, registrations and lineage people the caller may not have (tests/support/permission-matrix.ts: leaksIn).
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
  // Meetings are public to anyone signed in. Own = the nakahara SDC's meeting, other = asao's: each proposed by the side's
  // person, held (the side's person registered and checked in) and closed. Who proposed it only for those who run it
  // (the SDC's coordinators, admins) and the proposer; its registrations and attendance only for those who run it.
  'GET /api/meetings': /*                               */ '  L+p L+p | L-p L-p | L+p L-p  | L-p L+p | L-p L-p | L-p L-p | L+p L-p | L-p L+p | U   U',
  'GET /api/meetings/{meetingId}':
    /*                                                  */ '  A+p+r A+p+r | A-p-r A-p-r | A+p+r A-p-r | A-p-r A+p+r | A-p-r A-p-r | A-p-r A-p-r | A+p-r A-p-r | A-p-r A+p-r | U U',
  // … a proposal by the side's organisation's representative: they see who proposed it too.
  'GET /api/meetings/{meetingId} #proposed by a representative':
    /*                                                  */ '  A+p+r A+p+r | A-p-r A-p-r | A+p+r A-p-r | A-p-r A+p+r | A+p-r A-p-r | A-p-r A+p-r | A-p-r A-p-r | A-p-r A-p-r | U U',
  // A person's meetings (object = the side's person and their meeting): themself, admins, coordinators who may see the person.
  'GET /api/people/{personId}/meetings': /*             */ '  A+p A+p | F   F   | A+p A-p  | H   A+p | H   H   | H   H   | A+p H   | H   A+p | U   U',
  // Spin-offs are public to anyone signed in (person ids are pseudonymous). Own = a nakahara spin-off from the own
  // meeting, initiated by the own person, launched, with a role a person of the side was matched to; other = asao's.
  'GET /api/spinoffs': /*                               */ '  L   L   | L   L   | L   L    | L   L   | L   L   | L   L   | L   L   | L   L   | U   U',
  'GET /api/spinoffs/{spinOffId}': /*                   */ '  A   A   | A   A   | A   A    | A   A   | A   A   | A   A   | A   A   | A   A   | U   U',
  'GET /api/spinoffs/{spinOffId}/origin': /*            */ '  A+p A+p | A-p A-p | A+p A-p  | A-p A+p | A-p A-p | A-p A-p | A+p A-p | A-p A+p | U   U',
  // The lineage of the side's meeting: person ids for coordinators (of any ward) and admins, counts for everyone else.
  'GET /api/meetings/{meetingId}/lineage': /*           */ '  A+i A+i | A-i A-i | A+i A+i  | A+i A+i | A-i A-i | A-i A-i | A-i A-i | A-i A-i | U   U',
  // A person's spin-offs (object = the side's person): the same rule as their meetings and profile: themself, admins,
  // coordinators who may see the person.
  'GET /api/people/{personId}/spinoffs': /*             */ '  A   A   | F   F   | A   A    | H   A   | F   F   | F   F   | A   H   | H   A   | U   U',
  // A person's own ladder (their stage history): the same rule; analysts read counts only, never a person.
  'GET /api/people/{personId}/ladder': /*               */ '  A   A   | F   F   | A   A    | H   A   | F   F   | F   F   | A   H   | H   A   | U   U',
  // Analytics: counts only, never a person. Analysts and admins read the city; a coordinator reads the wards they
  // coordinate (object = the side's ward); the ladder's rules are the same for everyone who reads indicators.
  'GET /api/analytics/ladder': /*                       */ '  A   A   | A   A   | A   A    | A   A   | F   F   | F   F   | F   F   | F   F   | U   U',
  'GET /api/analytics/indicators': /*                   */ '  A   A   | A   A   | A   F    | F   A   | F   F   | F   F   | F   F   | F   F   | U   U',
  'GET /api/analytics/funnel': /*                       */ '  A   A   | A   A   | A   F    | F   A   | F   F   | F   F   | F   F   | F   F   | U   U',
  // Suggestions: who to ask for the side's opportunity (its ward's coordinators and admins). Object = the side's person
  // who is contactable and visible to other wards: listed; …
  'GET /api/opportunities/{opportunityId}/suggestions':
    /*                                                  */ '  L   L   | F   F   | L   F    | F   L   | F   F   | F   F   | F   F   | F   F   | U   U',
  // … and the side's person who agreed to neither: never suggested, whoever asks.
  'GET /api/opportunities/{opportunityId}/suggestions #not contactable':
    /*                                                  */ '  X   X   | F   F   | X   F    | F   X   | F   F   | F   F   | F   F   | F   F   | U   U',
  // What to offer the side's person: themself, admins, coordinators who may see the person (same rule as the profile).
  'GET /api/people/{personId}/suggestions': /*          */ '  A   A   | F   F   | A   A    | H   A   | F   F   | F   F   | A   H   | H   A   | U   U',
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
  // A coordinator of the opportunity's ward confirms, as a representative of the owning organisation does.
  'POST /api/opportunities/{opportunityId}/matches/{matchId}/confirm':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | A   F   | F   A   | F   F   | F   F   | U   U',
  // … which is how a spin-off role is filled: its opportunity is the SDC's organisation's, which has no representative here.
  'POST /api/opportunities/{opportunityId}/matches/{matchId}/confirm #spin-off role':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | F   F   | F   F   | U   U',
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
  // What reaches a person and what they follow: the person themself and admins only, not even their coordinator.
  'GET /api/people/{personId}/notification-preferences': /*  */ '  A   A   | F   F   | F   F    | F   F   | F   F   | F   F   | A   F   | F   A   | U   U',
  'PUT /api/people/{personId}/notification-preferences': /*  */ '  A   A   | F   F   | F   F    | F   F   | F   F   | F   F   | A   F   | F   A   | U   U',
  'POST /api/people/{personId}/follow': /*               */ '  A   A   | F   F   | F   F    | F   F   | F   F   | F   F   | A   F   | F   A   | U   U',
  'POST /api/people/{personId}/unfollow': /*             */ '  A   A   | F   F   | F   F    | F   F   | F   F   | F   F   | A   F   | F   A   | U   U',

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
  // Webhooks: the organisation's own systems; its representatives and admins only (coordinators of its ward included out).
  'POST /api/organisations/{organisationId}/webhooks': /**/ '  A   A   | F   F   | F   F    | F   F   | A   F   | F   A   | F   F   | F   F   | U   U',
  'GET /api/organisations/{organisationId}/webhooks': /* */ '  L   L   | F   F   | F   F    | F   F   | L   F   | F   L   | F   F   | F   F   | U   U',
  'POST /api/organisations/{organisationId}/webhooks/{webhookId}/rotate-secret':
    /*                                                  */ '  A   A   | F   F   | F   F    | F   F   | A   F   | F   A   | F   F   | F   F   | U   U',
  'POST /api/organisations/{organisationId}/webhooks/{webhookId}/disable':
    /*                                                  */ '  A   A   | F   F   | F   F    | F   F   | A   F   | F   A   | F   F   | F   F   | U   U',

  // ---------------------------------------------------------------------------------------------------- meetings
  // Object = the SDC (own nakahara, other asao) and, where a person is named, the side's person. Anyone signed in but
  // analysts proposes (in their own name) to any SDC; the SDC's coordinators schedule, decide, run and close.
  'POST /api/sdcs/{ward}/meetings': /*                  */ '  A   A   | F   F   | A   A    | A   A   | A   A   | A   A   | A   A   | A   A   | U   U',
  'POST /api/sdcs/{ward}/meetings/scheduled': /*        */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | F   F   | F   F   | U   U',
  'POST /api/sdcs/{ward}/meeting-series': /*            */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | F   F   | F   F   | U   U',
  // A proposal by the side's person.
  'POST /api/meetings/{meetingId}/approve': /*          */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | F   F   | F   F   | U   U',
  'POST /api/meetings/{meetingId}/reject': /*           */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | F   F   | F   F   | U   U',
  'POST /api/meetings/{meetingId}/withdraw': /*         */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | A   F   | F   A   | U   U',
  // … and one by the side's organisation's representative.
  'POST /api/meetings/{meetingId}/withdraw #proposed by a representative':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | A   F   | F   A   | F   F   | F   F   | U   U',
  // A scheduled meeting (started, for closing).
  'POST /api/meetings/{meetingId}/reschedule': /*       */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | F   F   | F   F   | U   U',
  'POST /api/meetings/{meetingId}/cancel': /*           */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | F   F   | F   F   | U   U',
  'POST /api/meetings/{meetingId}/close': /*            */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | F   F   | F   F   | U   U',
  // Registering the side's person: themself, or a coordinator of the SDC for anyone.
  'POST /api/meetings/{meetingId}/registrations': /*    */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | A   F   | F   A   | U   U',
  // Naming nobody: a volunteer registers themself at any SDC's meeting; anyone else must name someone (422).
  'POST /api/meetings/{meetingId}/registrations #themself':
    /*                                                  */ '  C   C   | F   F   | C   C    | C   C   | F   F   | F   F   | A   A   | A   A   | U   U',
  // Naming an id nobody registered: only those who may register someone else learn that nobody has it.
  'POST /api/meetings/{meetingId}/registrations #person nobody registered':
    /*                                                  */ '  H   H   | F   F   | H   F    | F   H   | F   F   | F   F   | F   F   | F   F   | U   U',
  'DELETE /api/meetings/{meetingId}/registrations/{personId}':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | A   F   | F   A   | U   U',
  'POST /api/meetings/{meetingId}/check-ins': /*        */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | F   F   | F   F   | U   U',

  // ---------------------------------------------------------------------------------------------------- spin-offs
  // Object = a spin-off of the side's ward (own nakahara, other asao) from the side's meeting, initiated by the side's
  // person (an organiser from the proposal on). Representatives have no say; analysts never write.
  'POST /api/spinoffs': /*                              */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | A   F   | F   A   | U   U',
  'POST /api/spinoffs/{spinOffId}/acknowledge': /*      */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | F   F   | F   F   | U   U',
  'POST /api/spinoffs/{spinOffId}/launch': /*           */ '  A   A   | F   F   | F   F    | F   F   | F   F   | F   F   | A   F   | F   A   | U   U',
  // … an initiator who has left may still launch it.
  'POST /api/spinoffs/{spinOffId}/launch #initiator who left':
    /*                                                  */ '  A   A   | F   F   | F   F    | F   F   | F   F   | F   F   | A   F   | F   A   | U   U',
  'POST /api/spinoffs/{spinOffId}/close': /*            */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | A   F   | F   A   | U   U',
  'POST /api/spinoffs/{spinOffId}/complete': /*         */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | A   F   | F   A   | U   U',
  'POST /api/spinoffs/{spinOffId}/milestones': /*       */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | A   F   | F   A   | U   U',
  // … an organiser who has left runs it no more.
  'POST /api/spinoffs/{spinOffId}/milestones #organiser who left':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | F   F   | F   F   | U   U',
  'POST /api/spinoffs/{spinOffId}/milestones/{milestoneId}/reach':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | A   F   | F   A   | U   U',
  'POST /api/spinoffs/{spinOffId}/exit-strategy': /*    */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | A   F   | F   A   | U   U',
  'POST /api/spinoffs/{spinOffId}/roles': /*            */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | A   F   | F   A   | U   U',
  'POST /api/spinoffs/{spinOffId}/roles/{roleId}/close':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | A   F   | F   A   | U   U',
  // Inviting to an open role of the side's launched spin-off: only the coordinators of its ward and admins choose whom to
  // ask (its organisers open roles, they do not reach residents). The side's open person (contactable, visible to other
  // wards), by id, …
  'POST /api/spinoffs/{spinOffId}/roles/{roleId}/invitations':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | F   F   | F   F   | U   U',
  // … the top people the suggestions rank for the role, …
  'POST /api/spinoffs/{spinOffId}/roles/{roleId}/invitations #top':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | F   F   | F   F   | U   U',
  // … and an id nobody registered: only those who may invite learn that nobody has it.
  'POST /api/spinoffs/{spinOffId}/roles/{roleId}/invitations #person nobody registered':
    /*                                                  */ '  H   H   | F   F   | H   F    | F   H   | F   F   | F   F   | F   F   | F   F   | U   U',
  // Members. Here the side's spin-off was started by someone else: the side's person joins as a supporter
  // (themself, or added by a coordinator), …
  'POST /api/spinoffs/{spinOffId}/members': /*          */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | A   F   | F   A   | U   U',
  // … as an organiser (only an organiser or a coordinator makes organisers: nobody takes a project over by joining),
  'POST /api/spinoffs/{spinOffId}/members #as organiser':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | F   F   | F   F   | U   U',
  // … and leaves (themself, or removed by a coordinator).
  'DELETE /api/spinoffs/{spinOffId}/members/{personId}':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | A   F   | F   A   | U   U',
  // On the side's person's own spin-off, its organiser adds and removes someone else.
  'POST /api/spinoffs/{spinOffId}/members #by an organiser':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | A   F   | F   A   | U   U',
  'DELETE /api/spinoffs/{spinOffId}/members/{personId} #by an organiser':
    /*                                                  */ '  A   A   | F   F   | A   F    | F   A   | F   F   | F   F   | A   F   | F   A   | U   U',
  // Adding an id nobody registered: only those who may add someone else learn that nobody has it.
  'POST /api/spinoffs/{spinOffId}/members #person nobody registered':
    /*                                                  */ '  H   H   | F   F   | H   F    | F   H   | F   F   | F   F   | H   F   | F   H   | U   U',

  // ---------------------------------------------------------------------------------------------------- inbox
  // An inbox is personal: nobody reads or marks anyone else's, admins included. Object = a notification delivered (as
  // the worker writes it) on the inbox channel to the side's person, …
  'GET /api/inbox': /*                                  */ '  X   X   | X   X   | X   X    | X   X   | X   X   | X   X   | L   X   | X   L   | U   U',
  // … to the side's organisation (any of its representatives reads it), …
  'GET /api/inbox #to an organisation': /*              */ '  X   X   | X   X   | X   X    | X   X   | L   X   | X   L   | X   X   | X   X   | U   U',
  // … to the side's coordinator, as a token subject (coordinators have no profile), …
  'GET /api/inbox #to a coordinator': /*                */ '  X   X   | X   X   | L   X    | X   L   | X   X   | X   X   | X   X   | X   X   | U   U',
  // … and to an admin: own = the matrix's admin, other = another admin.
  'GET /api/inbox #to an admin': /*                     */ '  L   X   | X   X   | X   X    | X   X   | X   X   | X   X   | X   X   | X   X   | U   U',
  'GET /api/inbox/unread-count': /*                     */ '  A   A   | A   A   | A   A    | A   A   | A   A   | A   A   | A   A   | A   A   | U   U',
  // Only the recipient marks a notification read (a fresh one for each cell).
  'POST /api/inbox/{notificationId}/read': /*           */ '  F   F   | F   F   | F   F    | F   F   | F   F   | F   F   | A   F   | F   A   | U   U',
  'POST /api/inbox/{notificationId}/read #to an organisation':
    /*                                                  */ '  F   F   | F   F   | F   F    | F   F   | A   F   | F   A   | F   F   | F   F   | U   U',
  'POST /api/inbox/{notificationId}/read #to a coordinator':
    /*                                                  */ '  F   F   | F   F   | A   F    | F   A   | F   F   | F   F   | F   F   | F   F   | U   U',
  'POST /api/inbox/{notificationId}/read #to an admin':
    /*                                                  */ '  A   F   | F   F   | F   F    | F   F   | F   F   | F   F   | F   F   | F   F   | U   U',
  // A notification in no inbox: an id nobody delivered, and the side's person's e-mail notification.
  'POST /api/inbox/{notificationId}/read #notification nobody delivered':
    /*                                                  */ '  H   H   | H   H   | H   H    | H   H   | H   H   | H   H   | H   H   | H   H   | U   U',
  'POST /api/inbox/{notificationId}/read #e-mail': /*   */ '  H   H   | H   H   | H   H    | H   H   | H   H   | H   H   | H   H   | H   H   | U   U',
  // Each caller's own unread notifications, whatever the side.
  'POST /api/inbox/read-all': /*                        */ '  A   A   | A   A   | A   A    | A   A   | A   A   | A   A   | A   A   | A   A   | U   U',

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

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
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

const ward = (side: Side): Ward => (side === 'own' ? 'nakahara' : 'asao');
const ADMIN: IssueTokenRequest = { role: 'admin', subject: 'matrix-setup' };
const CONSENTS = {
  base: { own: { mayBeContacted: true, visibleToOtherWards: false }, other: { mayBeContacted: false, visibleToOtherWards: true } },
  open: { own: { mayBeContacted: true, visibleToOtherWards: true }, other: { mayBeContacted: true, visibleToOtherWards: true } },
  closed: { own: { mayBeContacted: false, visibleToOtherWards: false }, other: { mayBeContacted: false, visibleToOtherWards: false } },
} as const;
type PeopleSet = keyof typeof CONSENTS;
/** Whom a notification is for, in the inbox rows. */
const INBOX_RECIPIENTS = ['person', 'organisation', 'coordinator', 'admin'] as const;
type InboxRecipient = (typeof INBOX_RECIPIENTS)[number];

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** Times relative to now (the API runs on the real clock). */
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
const proposalBody = () => ({
  title: 'YORIAI 子育てと食',
  themes: ['child_rearing'],
  purpose: '子どもの食について話しましょう',
  preferredDates: [],
  format: { mode: 'in_person', venue: '市民館 第1会議室' },
  capacity: 10,
  newcomersWelcome: true,
});
/** Two hours from `startsIn` from now (a negative one has started). */
const scheduleBody = (startsIn: number, capacity = 10) => ({
  startsAt: at(startsIn),
  endsAt: at(startsIn + 2 * HOUR),
  format: { mode: 'in_person', venue: '市民館 第1会議室' },
  capacity,
});
const closeBody = () => ({ minutes: '子どもの食について意見交換した。', contributions: [], outcomes: [{ kind: 'idea', text: '子ども食堂を始めたい' }], anonymousAttendees: 0 });
const roleBody = () => ({ title: '調理スタッフ', description: '土曜の朝、調理を手伝ってください。', places: 2, requiredSkills: ['調理'] });

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
    /** A person of the side who is no one in particular: starts or joins the spin-offs the side's person is not in. */
    bystanders: {} as Record<Side, string>,
    /** The side's SDC's meeting: proposed by the side's person, who registered and came; closed with an outcome. */
    meetings: {} as Record<Side, { meetingId: string; outcomeId: string }>,
    /** The side's spin-off from that outcome, initiated by the side's person, launched, with a role the side's open person was matched to. */
    spinoffs: {} as Record<Side, string>,
    /** A proposal to the side's SDC by the side's organisation's representative. */
    proposals: {} as Record<Side, string>,
    /** A notification in the inbox of each kind of recipient of the side (for admins: own = the matrix's admin, other = another). */
    notifications: {} as Record<InboxRecipient, Record<Side, string>>,
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

  /** The token of the side's person, and of the side's organisation's representative. */
  const volunteerOf = (side: Side): IssueTokenRequest => ({ role: 'volunteer', personId: world.people.base[side] });
  const representativeOf = (side: Side) => tokenRequestFor(side === 'own' ? 'rep:own-org' : 'rep:other-org', baseScope())!;

  /** A proposal to the side's SDC, by the side's person unless told. */
  async function proposeMeeting(side: Side, by: IssueTokenRequest = volunteerOf(side)): Promise<string> {
    return (await send('POST', `/api/sdcs/${ward(side)}/meetings`, proposalBody(), by)).meetingId;
  }

  /** A meeting of the side's SDC scheduled at once, starting in two days unless told. */
  async function scheduledMeeting(side: Side, startsIn = 2 * DAY): Promise<string> {
    return (await send('POST', `/api/sdcs/${ward(side)}/meetings/scheduled`, { ...proposalBody(), schedule: scheduleBody(startsIn) })).meetingId;
  }

  /** The side's person proposes a meeting, which is held (they register and come) and closed with one outcome. */
  async function closedMeeting(side: Side) {
    const meetingId = await proposeMeeting(side);
    const personId = world.people.base[side];
    await send('POST', `/api/meetings/${meetingId}/approve`, scheduleBody(-HOUR / 2));
    await send('POST', `/api/meetings/${meetingId}/registrations`, {}, volunteerOf(side));
    await send('POST', `/api/meetings/${meetingId}/check-ins`, { personId });
    const { outcomes } = await send('POST', `/api/meetings/${meetingId}/close`, closeBody());
    return { meetingId, outcomeId: outcomes[0].outcomeId as string };
  }

  const spinOffBody = (side: Side, initiators: string[]) => ({
    origins: [world.meetings[side]],
    title: '子ども食堂',
    purpose: '土曜の朝、保護者が運営する子ども食堂',
    wards: [ward(side)],
    themes: ['child_rearing'],
    initiators,
  });

  /** A fresh spin-off of the side's ward from the side's meeting, initiated by the side's person unless told. */
  async function spinOffIn(side: Side, status: 'proposed' | 'acknowledged' | 'launched', initiators = [world.people.base[side]]): Promise<string> {
    const { spinOffId } = await send('POST', '/api/spinoffs', spinOffBody(side, initiators));
    const steps = ['acknowledge', 'launch'].slice(0, { proposed: 0, acknowledged: 1, launched: 2 }[status]);
    for (const action of steps) await send('POST', `/api/spinoffs/${spinOffId}/${action}`, {});
    return spinOffId;
  }

  /** A match on a fresh role of the side's spin-off (an opportunity of the SDC's organisation), accepted by the side's open person. */
  async function roleMatch(side: Side) {
    const { opportunityId } = await send('POST', `/api/spinoffs/${world.spinoffs[side]}/roles`, roleBody());
    const candidate = { type: 'person', id: world.people.open[side] };
    const { matchId } = await send('POST', `/api/opportunities/${opportunityId}/matches`, { candidate, message: 'いかがですか' });
    facts.matches.set(matchId, { ward: ward(side), organisationId: sdcOrganisationId(ward(side)), candidate });
    await step(opportunityId, matchId, 'accept');
    return { opportunityId, matchId };
  }

  const scopeForPerson = (side: Side, personId: string): Partial<Scope> => (side === 'own' ? { ownPersonId: personId } : { otherPersonId: personId });
  const scopeForOrganisation = (side: Side, organisationId: string): Partial<Scope> =>
    side === 'own' ? { ownOrganisationId: organisationId } : { otherOrganisationId: organisationId };

  // ------------------------------------------------------------------------------------ the inbox

  /** Whom the side's notification is for: the side's person, organisation, coordinator (a subject) or, for admins, an admin. */
  function recipientOf(kind: InboxRecipient, side: Side): Recipient {
    switch (kind) {
      case 'person':
        return { type: 'person', id: world.people.base[side] };
      case 'organisation':
        return { type: 'organisation', id: world.orgs[side] };
      case 'coordinator':
        return { type: 'subject', id: tokenRequestFor(side === 'own' ? 'coordinator:nakahara' : 'coordinator:asao', baseScope())!.subject! };
      case 'admin':
        return { type: 'subject', id: side === 'own' ? tokenRequestFor('admin', baseScope())!.subject! : 'matrix-admin-elsewhere' };
    }
  }

  /** A notification delivered as the worker delivers it: appended to its own stream. */
  async function deliver(recipient: Recipient, channel: NotificationChannel = 'inbox'): Promise<string> {
    const sourceEventId = newId();
    const notificationId = notificationIdFor(sourceEventId, recipient, channel);
    const data = {
      notificationId,
      recipient,
      channel,
      kind: 'match_proposed',
      sourceEventId,
      sourceStreamId: `opportunity-${newId()}`,
      sourceRevision: 0,
      at: at(0),
      language: 'ja',
      ...(channel === 'inbox' ? { title: 'マッチングの提案があります', body: '土曜の調理スタッフ' } : {}),
    };
    const { position } = await api.store.append(notificationStreamId(notificationId), [{ id: newId(), type: 'NotificationDelivered', data }], {
      expectedRevision: 'no_stream',
    });
    head = Math.max(head, position);
    return notificationId;
  }

  /** Whose notifications a token's inbox holds (from the rules): its subject's, a volunteer's person's, a representative's organisations'. */
  function addressedTo(token: IssueTokenRequest | undefined, recipient: Recipient): boolean {
    if (!token) return false;
    if (recipient.type === 'subject') return recipient.id === (token.subject ?? token.personId);
    if (recipient.type === 'person') return token.role === 'volunteer' && token.personId === recipient.id;
    return token.role === 'organisation' && (token.organisationIds ?? []).includes(recipient.id);
  }

  /** The caller's inbox: L when the side's notification is in it, X when not; never anyone else's notification. */
  function inboxListed(notificationId: string): Prepared {
    const url = `/api/inbox?limit=500&${read()}`;
    return {
      method: 'GET',
      url,
      observe: async (res, token) => {
        const items = await allItems(res, url, token);
        const others = items.filter((i) => !addressedTo(token, i.recipient as Recipient)).map((i) => i.notificationId);
        if (others.length > 0) return `?notifications for someone else (${others.join(', ')})`;
        return items.some((i) => i.notificationId === notificationId) ? 'L' : 'X';
      },
    };
  }

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

  const proposerTag = (meeting: Record<string, unknown>) => ('proposer' in meeting ? '+p' : '-p');
  /** A meeting comes with both its registrations and its attendance, or neither. */
  const registrationsTag = (meeting: Record<string, unknown>) => {
    const [registrations, attendance] = ['registrations' in meeting, 'attendance' in meeting];
    return registrations && attendance ? '+r' : !registrations && !attendance ? '-r' : `?r(registrations ${registrations}, attendance ${attendance})`;
  };
  const lineageTag = (spinOff: Record<string, unknown>) =>
    Array.isArray(spinOff.peopleWhoSteppedUp) ? '+i' : typeof spinOff.peopleWhoSteppedUp === 'number' ? '-i' : `?i(${JSON.stringify(spinOff.peopleWhoSteppedUp)})`;
  /** A read that answers a list, observed through one of its items: `A` with the item's tag, or what is missing. */
  function readThrough(url: string, find: (item: Record<string, unknown>) => boolean, tag: (item: Record<string, unknown>) => string): Prepared {
    return {
      method: 'GET',
      url,
      observe: async (res, token) => {
        const item = (await allItems(res, url, token)).find(find);
        return item ? `A${tag(item)}` : 'A (without the side’s object)';
      },
    };
  }

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

    'GET /api/meetings': async ({ side }) =>
      listed(`/api/meetings?ward=${ward(side)}&status=closed&limit=500&${read()}`, 'meetingId', world.meetings[side].meetingId, proposerTag),
    'GET /api/meetings/{meetingId}': async ({ side }) => ({
      method: 'GET',
      url: `/api/meetings/${world.meetings[side].meetingId}?${read()}`,
      observe: (res) => `A${proposerTag(res.body)}${registrationsTag(res.body)}`,
    }),
    'GET /api/meetings/{meetingId} #proposed by a representative': async ({ side }) => ({
      method: 'GET',
      url: `/api/meetings/${world.proposals[side]}?${read()}`,
      observe: (res) => `A${proposerTag(res.body)}${registrationsTag(res.body)}`,
    }),
    'GET /api/people/{personId}/meetings': async ({ side }) =>
      readThrough(
        `/api/people/${world.people.base[side]}/meetings?limit=500&${read()}`,
        (item) => (item.meeting as { meetingId: string }).meetingId === world.meetings[side].meetingId,
        (item) => proposerTag(item.meeting as Record<string, unknown>),
      ),
    'GET /api/spinoffs': async ({ side }) => listed(`/api/spinoffs?ward=${ward(side)}&limit=500&${read()}`, 'spinOffId', world.spinoffs[side]),
    'GET /api/spinoffs/{spinOffId}': async ({ side }) => ({ method: 'GET', url: `/api/spinoffs/${world.spinoffs[side]}?${read()}` }),
    'GET /api/spinoffs/{spinOffId}/origin': async ({ side }) => ({
      method: 'GET',
      url: `/api/spinoffs/${world.spinoffs[side]}/origin?${read()}`,
      observe: (res) => {
        const meeting = (res.body.meetings as Record<string, unknown>[]).find((m) => m.meetingId === world.meetings[side].meetingId);
        return meeting ? `A${proposerTag(meeting)}` : 'A (without the side’s meeting)';
      },
    }),
    'GET /api/meetings/{meetingId}/lineage': async ({ side }) => ({
      method: 'GET',
      url: `/api/meetings/${world.meetings[side].meetingId}/lineage?${read()}`,
      observe: (res) => {
        const spinOff = (res.body.spinOffs as Record<string, unknown>[]).find((s) => s.spinOffId === world.spinoffs[side]);
        return spinOff ? `A${lineageTag(spinOff)}` : 'A (without the side’s spin-off)';
      },
    }),
    'GET /api/people/{personId}/spinoffs': async ({ side }) =>
      readThrough(
        `/api/people/${world.people.base[side]}/spinoffs?limit=500&${read()}`,
        (item) => (item.spinOff as { spinOffId: string }).spinOffId === world.spinoffs[side],
        () => '',
      ),
    'GET /api/people/{personId}/ladder': async ({ side }) => ({ method: 'GET', url: `/api/people/${world.people.base[side]}/ladder?${read()}` }),
    'GET /api/analytics/ladder': async () => ({ method: 'GET', url: `/api/analytics/ladder?${read()}` }),
    'GET /api/analytics/indicators': async ({ side }) => ({ method: 'GET', url: `/api/analytics/indicators?ward=${ward(side)}&${read()}` }),
    'GET /api/analytics/funnel': async ({ side }) => ({ method: 'GET', url: `/api/analytics/funnel?ward=${ward(side)}&${read()}` }),
    'GET /api/opportunities/{opportunityId}/suggestions': async ({ side }) =>
      listed(`/api/opportunities/${world.opportunities[side]}/suggestions?limit=500&${read()}`, 'personId', world.people.open[side]),
    'GET /api/opportunities/{opportunityId}/suggestions #not contactable': async ({ side }) =>
      listed(`/api/opportunities/${world.opportunities[side]}/suggestions?limit=500&${read()}`, 'personId', world.people.closed[side]),
    'GET /api/people/{personId}/suggestions': async ({ side }) => ({ method: 'GET', url: `/api/people/${world.people.base[side]}/suggestions?${read()}` }),
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
    'POST /api/opportunities/{opportunityId}/matches/{matchId}/confirm #spin-off role': async ({ side }) => {
      const { opportunityId, matchId } = await roleMatch(side);
      return { method: 'POST', url: `/api/opportunities/${opportunityId}/matches/${matchId}/confirm`, body: {} };
    },
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
    'GET /api/people/{personId}/notification-preferences': async ({ side }) => ({ method: 'GET', url: `/api/people/${world.people.base[side]}/notification-preferences` }),
    'PUT /api/people/{personId}/notification-preferences': async ({ side }) => ({
      method: 'PUT',
      url: `/api/people/${world.people.base[side]}/notification-preferences`,
      body: { channels: { match_reminder: ['inbox'] }, quietHours: { start: '22:00', end: '07:00' } },
    }),
    ...Object.fromEntries(
      (['follow', 'unfollow'] as const).map((action) => [
        `POST /api/people/{personId}/${action}`,
        async ({ side }: Cell): Promise<Prepared> => ({ method: 'POST', url: `/api/people/${world.people.base[side]}/${action}`, body: { type: 'sdc', ward: 'nakahara' } }),
      ]),
    ),
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
    // Webhooks: a fresh endpoint of the side's organisation (a public IP literal: no DNS in tests).
    'POST /api/organisations/{organisationId}/webhooks': async ({ side }) => ({
      method: 'POST',
      url: `/api/organisations/${world.orgs[side]}/webhooks`,
      body: { url: 'https://93.184.215.14/matrix-hook' },
    }),
    'GET /api/organisations/{organisationId}/webhooks': async ({ side }) => {
      const { webhookId } = await send('POST', `/api/organisations/${world.orgs[side]}/webhooks`, { url: 'https://93.184.215.14/matrix-hook' });
      return listed(`/api/organisations/${world.orgs[side]}/webhooks?limit=500&${read()}`, 'webhookId', webhookId);
    },
    ...Object.fromEntries(
      (['rotate-secret', 'disable'] as const).map((action) => [
        `POST /api/organisations/{organisationId}/webhooks/{webhookId}/${action}`,
        async ({ side }: Cell): Promise<Prepared> => {
          const { webhookId } = await send('POST', `/api/organisations/${world.orgs[side]}/webhooks`, { url: 'https://93.184.215.14/matrix-hook' });
          return { method: 'POST', url: `/api/organisations/${world.orgs[side]}/webhooks/${webhookId}/${action}`, body: {} };
        },
      ]),
    ),

    // Meetings.
    'POST /api/sdcs/{ward}/meetings': async ({ side }) => ({ method: 'POST', url: `/api/sdcs/${ward(side)}/meetings`, body: proposalBody() }),
    'POST /api/sdcs/{ward}/meetings/scheduled': async ({ side }) => ({
      method: 'POST',
      url: `/api/sdcs/${ward(side)}/meetings/scheduled`,
      body: { ...proposalBody(), schedule: scheduleBody(2 * DAY) },
    }),
    'POST /api/sdcs/{ward}/meeting-series': async ({ side }) => {
      const { format: _format, capacity: _capacity, ...times } = scheduleBody(7 * DAY);
      return {
        method: 'POST',
        url: `/api/sdcs/${ward(side)}/meeting-series`,
        body: { ...proposalBody(), first: times, recurrence: { frequency: 'weekly', count: 2 } },
      };
    },
    'POST /api/meetings/{meetingId}/approve': async ({ side }) => ({
      method: 'POST',
      url: `/api/meetings/${await proposeMeeting(side)}/approve`,
      body: scheduleBody(2 * DAY),
    }),
    'POST /api/meetings/{meetingId}/reject': async ({ side }) => ({
      method: 'POST',
      url: `/api/meetings/${await proposeMeeting(side)}/reject`,
      body: { reason: '日程が合わないため' },
    }),
    'POST /api/meetings/{meetingId}/withdraw': async ({ side }) => ({ method: 'POST', url: `/api/meetings/${await proposeMeeting(side)}/withdraw`, body: {} }),
    'POST /api/meetings/{meetingId}/withdraw #proposed by a representative': async ({ side }) => ({
      method: 'POST',
      url: `/api/meetings/${await proposeMeeting(side, representativeOf(side))}/withdraw`,
      body: { reason: '都合がつかなくなった' },
    }),
    'POST /api/meetings/{meetingId}/reschedule': async ({ side }) => ({
      method: 'POST',
      url: `/api/meetings/${await scheduledMeeting(side)}/reschedule`,
      body: { ...scheduleBody(3 * DAY, 20), reason: '大きな部屋へ' },
    }),
    'POST /api/meetings/{meetingId}/cancel': async ({ side }) => ({
      method: 'POST',
      url: `/api/meetings/${await scheduledMeeting(side)}/cancel`,
      body: { reason: '台風接近のため' },
    }),
    'POST /api/meetings/{meetingId}/close': async ({ side }) => ({
      method: 'POST',
      url: `/api/meetings/${await scheduledMeeting(side, -HOUR / 2)}/close`,
      body: closeBody(),
    }),
    'POST /api/meetings/{meetingId}/registrations': async ({ side }) => ({
      method: 'POST',
      url: `/api/meetings/${await scheduledMeeting(side)}/registrations`,
      body: { personId: world.people.base[side] },
    }),
    'POST /api/meetings/{meetingId}/registrations #themself': async ({ side }) => ({
      method: 'POST',
      url: `/api/meetings/${await scheduledMeeting(side)}/registrations`,
      body: {},
    }),
    'POST /api/meetings/{meetingId}/registrations #person nobody registered': async ({ side }) => ({
      method: 'POST',
      url: `/api/meetings/${await scheduledMeeting(side)}/registrations`,
      body: { personId: newId() },
    }),
    'DELETE /api/meetings/{meetingId}/registrations/{personId}': async ({ side }) => {
      const meetingId = await scheduledMeeting(side);
      const personId = world.people.base[side];
      await send('POST', `/api/meetings/${meetingId}/registrations`, { personId });
      return { method: 'DELETE', url: `/api/meetings/${meetingId}/registrations/${personId}` };
    },
    'POST /api/meetings/{meetingId}/check-ins': async ({ side }) => ({
      method: 'POST',
      url: `/api/meetings/${await scheduledMeeting(side, -HOUR / 2)}/check-ins`,
      body: { personId: world.people.base[side] },
    }),

    // Spin-offs.
    'POST /api/spinoffs': async ({ side }) => ({ method: 'POST', url: '/api/spinoffs', body: spinOffBody(side, [world.people.base[side]]) }),
    'POST /api/spinoffs/{spinOffId}/acknowledge': async ({ side }) => ({ method: 'POST', url: `/api/spinoffs/${await spinOffIn(side, 'proposed')}/acknowledge`, body: {} }),
    'POST /api/spinoffs/{spinOffId}/launch': async ({ side }) => ({ method: 'POST', url: `/api/spinoffs/${await spinOffIn(side, 'acknowledged')}/launch`, body: {} }),
    'POST /api/spinoffs/{spinOffId}/launch #initiator who left': async ({ side }) => {
      const spinOffId = await spinOffIn(side, 'acknowledged', [world.people.base[side], world.bystanders[side]]);
      await send('DELETE', `/api/spinoffs/${spinOffId}/members/${world.people.base[side]}`);
      return { method: 'POST', url: `/api/spinoffs/${spinOffId}/launch`, body: {} };
    },
    'POST /api/spinoffs/{spinOffId}/close': async ({ side }) => ({
      method: 'POST',
      url: `/api/spinoffs/${await spinOffIn(side, 'launched')}/close`,
      body: { reason: '担い手不足のため' },
    }),
    'POST /api/spinoffs/{spinOffId}/complete': async ({ side }) => {
      const spinOffId = await spinOffIn(side, 'launched');
      await send('POST', `/api/spinoffs/${spinOffId}/exit-strategy`, { strategy: 'runs_on_its_own' });
      return { method: 'POST', url: `/api/spinoffs/${spinOffId}/complete`, body: { summary: '保護者会の自主運営に移行した' } };
    },
    'POST /api/spinoffs/{spinOffId}/milestones': async ({ side }) => ({
      method: 'POST',
      url: `/api/spinoffs/${await spinOffIn(side, 'launched')}/milestones`,
      body: { title: '会場を決める', dueOn: '2026-06-30' },
    }),
    'POST /api/spinoffs/{spinOffId}/milestones #organiser who left': async ({ side }) => {
      const spinOffId = await spinOffIn(side, 'launched', [world.people.base[side], world.bystanders[side]]);
      await send('DELETE', `/api/spinoffs/${spinOffId}/members/${world.people.base[side]}`);
      return { method: 'POST', url: `/api/spinoffs/${spinOffId}/milestones`, body: { title: '会場を決める' } };
    },
    'POST /api/spinoffs/{spinOffId}/milestones/{milestoneId}/reach': async ({ side }) => {
      const spinOffId = await spinOffIn(side, 'launched');
      const { milestoneId } = await send('POST', `/api/spinoffs/${spinOffId}/milestones`, { title: '会場を決める' });
      return { method: 'POST', url: `/api/spinoffs/${spinOffId}/milestones/${milestoneId}/reach`, body: {} };
    },
    'POST /api/spinoffs/{spinOffId}/exit-strategy': async ({ side }) => ({
      method: 'POST',
      url: `/api/spinoffs/${await spinOffIn(side, 'launched')}/exit-strategy`,
      body: { strategy: 'becomes_policy', note: '区の事業として続ける' },
    }),
    'POST /api/spinoffs/{spinOffId}/roles': async ({ side }) => ({ method: 'POST', url: `/api/spinoffs/${await spinOffIn(side, 'launched')}/roles`, body: roleBody() }),
    'POST /api/spinoffs/{spinOffId}/roles/{roleId}/close': async ({ side }) => {
      const spinOffId = await spinOffIn(side, 'launched');
      const { roleId } = await send('POST', `/api/spinoffs/${spinOffId}/roles`, roleBody());
      return { method: 'POST', url: `/api/spinoffs/${spinOffId}/roles/${roleId}/close`, body: {} };
    },
    ...Object.fromEntries(
      (
        [
          ['', (side: Side) => ({ personIds: [world.people.open[side]] })],
          [' #top', () => ({ top: 3 })],
          [' #person nobody registered', () => ({ personIds: [newId()] })],
        ] as const
      ).map(([variant, body]) => [
        `POST /api/spinoffs/{spinOffId}/roles/{roleId}/invitations${variant}`,
        async ({ side }: Cell): Promise<Prepared> => {
          const spinOffId = await spinOffIn(side, 'launched');
          const { roleId } = await send('POST', `/api/spinoffs/${spinOffId}/roles`, roleBody());
          return { method: 'POST', url: `/api/spinoffs/${spinOffId}/roles/${roleId}/invitations`, body: body(side) };
        },
      ]),
    ),
    ...Object.fromEntries(
      (['supporter', 'organiser'] as const).map((role) => [
        `POST /api/spinoffs/{spinOffId}/members${role === 'organiser' ? ' #as organiser' : ''}`,
        async ({ side }: Cell): Promise<Prepared> => ({
          method: 'POST',
          url: `/api/spinoffs/${await spinOffIn(side, 'launched', [world.bystanders[side]])}/members`,
          body: { personId: world.people.base[side], role },
        }),
      ]),
    ),
    'DELETE /api/spinoffs/{spinOffId}/members/{personId}': async ({ side }) => {
      const spinOffId = await spinOffIn(side, 'launched', [world.bystanders[side]]);
      const personId = world.people.base[side];
      await send('POST', `/api/spinoffs/${spinOffId}/members`, { personId, role: 'staff' });
      return { method: 'DELETE', url: `/api/spinoffs/${spinOffId}/members/${personId}` };
    },
    'POST /api/spinoffs/{spinOffId}/members #by an organiser': async ({ side }) => ({
      method: 'POST',
      url: `/api/spinoffs/${await spinOffIn(side, 'launched')}/members`,
      body: { personId: world.bystanders[side], role: 'staff' },
    }),
    'DELETE /api/spinoffs/{spinOffId}/members/{personId} #by an organiser': async ({ side }) => {
      const spinOffId = await spinOffIn(side, 'launched');
      const personId = world.bystanders[side];
      await send('POST', `/api/spinoffs/${spinOffId}/members`, { personId, role: 'staff' });
      return { method: 'DELETE', url: `/api/spinoffs/${spinOffId}/members/${personId}` };
    },
    'POST /api/spinoffs/{spinOffId}/members #person nobody registered': async ({ side }) => ({
      method: 'POST',
      url: `/api/spinoffs/${await spinOffIn(side, 'launched')}/members`,
      body: { personId: newId(), role: 'staff' },
    }),

    // Inbox.
    ...Object.fromEntries(
      INBOX_RECIPIENTS.flatMap((kind) => {
        const suffix = kind === 'person' ? '' : ` #to ${kind === 'organisation' || kind === 'admin' ? 'an' : 'a'} ${kind}`;
        return [
          [`GET /api/inbox${suffix}`, async ({ side }: Cell): Promise<Prepared> => inboxListed(world.notifications[kind][side])],
          [
            `POST /api/inbox/{notificationId}/read${suffix}`,
            async ({ side }: Cell): Promise<Prepared> => ({ method: 'POST', url: `/api/inbox/${await deliver(recipientOf(kind, side))}/read`, body: {} }),
          ],
        ];
      }),
    ),
    'GET /api/inbox/unread-count': async () => ({ method: 'GET', url: `/api/inbox/unread-count?${read()}` }),
    'POST /api/inbox/{notificationId}/read #notification nobody delivered': async ({ side }) => ({
      method: 'POST',
      url: `/api/inbox/${notificationIdFor(newId(), recipientOf('person', side), 'inbox')}/read`,
      body: {},
    }),
    'POST /api/inbox/{notificationId}/read #e-mail': async ({ side }) => ({
      method: 'POST',
      url: `/api/inbox/${await deliver(recipientOf('person', side), 'email')}/read`,
      body: {},
    }),
    'POST /api/inbox/read-all': async () => ({ method: 'POST', url: '/api/inbox/read-all', body: {} }),

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
      world.bystanders[side] = await registerPerson(side, CONSENTS.base[side]);
      world.meetings[side] = await closedMeeting(side);
      world.spinoffs[side] = await spinOffIn(side, 'launched');
      await roleMatch(side);
      world.proposals[side] = await proposeMeeting(side, representativeOf(side));
    }
    for (const kind of INBOX_RECIPIENTS) world.notifications[kind] = { own: await deliver(recipientOf(kind, 'own')), other: await deliver(recipientOf(kind, 'other')) };
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

  it('its leak detector sees a meeting’s proposer, registrations or someone else’s registration, and lineage people, where they are not for the caller', () => {
    const [own, other] = [world.people.base.own, world.people.base.other];
    const meeting = { meetingId: 'm', sdc: 'nakahara', proposer: { subject: own, personId: own } };
    const lists = { registrations: { registered: [own] }, attendance: { checkedIn: [] } };
    const as = (who: Who) => tokenRequestFor(who, baseScope());
    expect(leaksIn({ items: [meeting] }, as('volunteer:own'), facts)).toEqual([]);
    expect(leaksIn({ items: [meeting] }, as('coordinator:nakahara'), facts)).toEqual([]);
    expect(leaksIn({ items: [meeting] }, as('volunteer:other'), facts)).toEqual(['items[0]: the proposer of meeting m is not for this caller']);
    expect(leaksIn({ ...meeting, ...lists }, as('admin'), facts)).toEqual([]);
    expect(leaksIn({ ...meeting, ...lists }, as('coordinator:asao'), facts)).toEqual([
      '(body): the proposer of meeting m is not for this caller',
      '(body): the registrations of meeting m are not for this caller',
      '(body): the attendance of meeting m are not for this caller',
    ]);
    const { proposer: _, ...anonymous } = meeting;
    expect(leaksIn({ ...anonymous, myRegistration: { personId: own } }, as('volunteer:own'), facts)).toEqual([]);
    expect(leaksIn({ ...anonymous, myRegistration: null }, as('volunteer:other'), facts)).toEqual([]);
    expect(leaksIn({ ...anonymous, myRegistration: { personId: own } }, as('volunteer:other'), facts)).toEqual([`(body): the registration of ${own} on meeting m is not the caller's own`]);
    const lineage = { meetingId: 'm', spinOffs: [{ spinOffId: 's', roles: [{ roleId: 'r', matches: [{ matchId: 'x', status: 'accepted', personId: other }] }], peopleWhoSteppedUp: [other] }] };
    expect(leaksIn(lineage, as('coordinator:asao'), facts)).toEqual([]);
    expect(leaksIn(lineage, as('analyst'), facts)).toEqual([
      'spinOffs[0]: the people who stepped up for spin-off s are not for this caller',
      'spinOffs[0].roles[0].matches[0]: the person of match x is not for this caller',
    ]);
    const counted = { meetingId: 'm', spinOffs: [{ spinOffId: 's', roles: [{ roleId: 'r', matches: [{ matchId: 'x', status: 'accepted' }] }], peopleWhoSteppedUp: 1 }] };
    expect(leaksIn(counted, as('volunteer:own'), facts)).toEqual([]);
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
