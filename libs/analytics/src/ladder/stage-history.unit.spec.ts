import type { AnalyticsFact, FactKind } from '../facts/analytics-fact';
import { DEFAULT_LADDER_RULES, LadderRuleSet, ruleSetInForce } from './ladder-rules';
import { stageAsOf, stageHistory } from './stage-history';

const DAY = 86_400_000;
const T0 = Date.parse('2026-04-01T10:00:00+09:00');
let position = 0;
/** A fact about person p on day `day` after T0. */
const on = (day: number, kind: FactKind, rest: Partial<AnalyticsFact> = {}): AnalyticsFact => ({
  position: ++position,
  eventId: `e${position}`,
  atMs: T0 + day * DAY,
  kind,
  personId: 'p',
  ...rest,
});
const registered = () => on(0, 'person_registered', { ward: 'nakahara' });
/** Given these facts, then the person reached these stages on these days. */
const stagesOf = (facts: AnalyticsFact[], rules: LadderRuleSet = DEFAULT_LADDER_RULES) =>
  Object.fromEntries(stageHistory(facts, rules).map((r) => [r.stage, (r.atMs - T0) / DAY]));

describe('the ladder, default rule set (DOMAIN.md)', () => {
  it('a registered person is at stage 0 from registration', () => {
    expect(stagesOf([registered()])).toEqual({ 0: 0 });
  });

  it('attending a meeting makes a participant, through that event', () => {
    const attended = on(5, 'attended', { subjectId: 'm1', ward: 'nakahara' });
    const history = stageHistory([registered(), attended], DEFAULT_LADDER_RULES);
    expect(history.map((r) => [r.stage, r.eventId, r.via])).toEqual([
      [0, expect.any(String), 'person_registered'],
      [1, attended.eventId, 'attended'],
    ]);
  });

  it('accepting a role makes a participant', () => {
    expect(stagesOf([registered(), on(3, 'role_accepted', { subjectId: 'x' })])).toEqual({ 0: 0, 1: 3 });
  });

  it('three distinct days within 180 days make a regular, on the third day', () => {
    const facts = [registered(), on(1, 'attended', { subjectId: 'm1' }), on(100, 'hours_logged', { subjectId: 'x' }), on(170, 'attended', { subjectId: 'm3' })];
    expect(stagesOf(facts)).toEqual({ 0: 0, 1: 1, 2: 170 });
  });

  it('two check-ins on the same Tokyo day are one occasion', () => {
    const facts = [registered(), on(1, 'attended', { subjectId: 'm1' }), on(1.1, 'attended', { subjectId: 'm2' }), on(2, 'attended', { subjectId: 'm3' })];
    expect(stagesOf(facts)).toEqual({ 0: 0, 1: 1 });
  });

  it('three occasions spread over more than 180 days do not make a regular; a fourth inside the window does', () => {
    const spread = [registered(), on(1, 'attended', { subjectId: 'm1' }), on(100, 'attended', { subjectId: 'm2' }), on(200, 'attended', { subjectId: 'm3' })];
    expect(stagesOf(spread)).toEqual({ 0: 0, 1: 1 });
    expect(stagesOf([...spread, on(210, 'attended', { subjectId: 'm4' })])).toEqual({ 0: 0, 1: 1, 2: 210 });
  });

  it('a started role makes a bearer, and the lower stages are reached with it when they were not yet', () => {
    expect(stagesOf([registered(), on(4, 'role_accepted'), on(9, 'role_started', { groupId: 'org:a' })])).toEqual({ 0: 0, 1: 4, 2: 9, 3: 9 });
  });

  it('a named spin-off role makes a bearer; a role not named by the rules does not', () => {
    expect(stagesOf([registered(), on(2, 'spinoff_role', { detail: 'staff', groupId: 'spinoff:s' })])).toEqual({ 0: 0, 1: 2, 2: 2, 3: 2 });
    const narrower = { ...DEFAULT_LADDER_RULES, bearer: { matchStarted: true, spinOffRoles: ['organiser'] } };
    expect(stagesOf([registered(), on(2, 'spinoff_role', { detail: 'supporter', groupId: 'spinoff:s' })], narrower)).toEqual({ 0: 0 });
  });

  it('a held meeting one proposed, or a launched spin-off one initiated, makes a planner', () => {
    expect(stagesOf([registered(), on(1, 'attended'), on(30, 'meeting_held_by_proposer', { subjectId: 'm9' })])).toMatchObject({ 1: 1, 4: 30 });
    expect(stagesOf([registered(), on(40, 'spinoff_launched_by_initiator', { subjectId: 's' })])).toMatchObject({ 3: 40, 4: 40 });
  });

  it('roles in two different organisations or projects make a connector; two roles in one do not', () => {
    const sameOrg = [registered(), on(1, 'role_started', { groupId: 'org:a' }), on(5, 'role_started', { groupId: 'org:a' })];
    expect(stagesOf(sameOrg)[5]).toBeUndefined();
    expect(stagesOf([...sameOrg, on(8, 'spinoff_role', { detail: 'staff', groupId: 'spinoff:s' })])[5]).toBe(8);
  });

  it('representing an organisation makes a connector (it coordinates)', () => {
    expect(stagesOf([registered(), on(3, 'coordinates', { groupId: 'org:a' })])).toEqual({ 0: 0, 1: 3, 2: 3, 3: 3, 4: 3, 5: 3 });
  });

  it('the history does not depend on the order the facts are given in', () => {
    const facts = [registered(), on(1, 'attended'), on(50, 'attended'), on(60, 'hours_logged'), on(70, 'role_started', { groupId: 'org:a' })];
    expect(stageHistory([...facts].reverse(), DEFAULT_LADDER_RULES)).toEqual(stageHistory(facts, DEFAULT_LADDER_RULES));
  });

  it('as of a date, the person is at the highest stage reached by then', () => {
    const history = stageHistory([registered(), on(1, 'attended'), on(70, 'role_started', { groupId: 'org:a' })], DEFAULT_LADDER_RULES);
    expect(stageAsOf(history, T0 - 1)).toBe(-1);
    expect(stageAsOf(history, T0 + 69 * DAY)).toBe(1);
    expect(stageAsOf(history, T0 + 70 * DAY)).toBe(3);
  });

  it('changing the rules re-evaluates the same history', () => {
    const facts = [registered(), on(1, 'attended'), on(2, 'attended'), on(3, 'attended')];
    expect(stagesOf(facts)[2]).toBe(3);
    expect(stagesOf(facts, { ...DEFAULT_LADDER_RULES, id: 'stricter', regular: { occasions: 4, withinDays: 180 } })[2]).toBeUndefined();
  });

  it('the rule set in force on a day is the latest adopted by then', () => {
    const later = { ...DEFAULT_LADDER_RULES, id: 'later', effectiveFrom: '2027-04-01' };
    expect(ruleSetInForce('2027-03-31', [DEFAULT_LADDER_RULES, later]).id).toBe(DEFAULT_LADDER_RULES.id);
    expect(ruleSetInForce('2027-04-01', [DEFAULT_LADDER_RULES, later]).id).toBe('later');
  });
});
