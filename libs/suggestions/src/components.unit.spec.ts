import { WARDS } from '@tsunagi/domain';
import { languageFit, maskOf, scheduleOverlap, themeOverlap, wardIndex, wardProximity } from './components';
import { STAGE, stepUpValue } from './ladder';
import { POLICY_IDS, SUGGESTION_POLICIES, UnknownPolicyError, policyById } from './policy';

const wards = (...names: string[]) => maskOf(WARDS, names);

describe('suggestion components', () => {
  it('ward: same 1, adjacent 0.5 (Kawasaki’s adjacency), other 0; an organisation serving several wards takes the best', () => {
    expect(wardProximity(wards('nakahara'), wardIndex('nakahara'))).toBe(1);
    expect(wardProximity(wards('takatsu'), wardIndex('nakahara'))).toBe(0.5);
    expect(wardProximity(wards('tama'), wardIndex('asao'))).toBe(0.5);
    expect(wardProximity(wards('kawasaki'), wardIndex('asao'))).toBe(0);
    expect(wardProximity(wards('kawasaki', 'miyamae'), wardIndex('asao'))).toBe(0.5);
    expect(wardProximity(wards('kawasaki', 'asao'), wardIndex('asao'))).toBe(1);
  });

  it('themes, schedule and language', () => {
    expect(themeOverlap(maskOf(['a', 'b', 'c'], ['a']), maskOf(['a', 'b', 'c'], ['a', 'b']))).toBe(0.5);
    expect(themeOverlap(1, 0)).toBe(0);
    // weekend mornings against a Saturday-morning role; a role with no schedule needs nothing; no hours halves it
    expect(scheduleOverlap(0b10, 0b001, 8, 0b10, 0b001)).toBe(1);
    expect(scheduleOverlap(0b01, 0b001, 8, 0b10, 0b001)).toBe(0.5);
    expect(scheduleOverlap(0b01, 0b100, 8, 0, 0)).toBe(1);
    expect(scheduleOverlap(0b10, 0b001, 0, 0b10, 0b001)).toBe(0.5);
    const languages = (...codes: string[]) => maskOf(['ja', 'en', 'zh'], codes);
    expect([languageFit(languages('ja'), false), languageFit(languages('en'), false), languageFit(languages('ja', 'zh'), true), languageFit(languages('ja'), true)]).toEqual([1, 0, 1, 0.5]);
  });

  it('step-up: regulars most, participants some, bearers none unless pro-bono alumni; nobody while a role is held', () => {
    expect([stepUpValue(STAGE.regular, false, 0), stepUpValue(STAGE.participant, false, 0), stepUpValue(STAGE.bearer, false, 0), stepUpValue(STAGE.bearer, true, 0), stepUpValue(STAGE.regular, false, 1)]).toEqual([1, 0.6, 0, 1, 0]);
  });

  it('policies are named and versioned, frozen, and an unknown name says which exist', () => {
    expect(POLICY_IDS).toEqual(['default@1', 'spread@1', 'relevance@1']);
    for (const policy of Object.values(SUGGESTION_POLICIES)) {
      expect(Object.isFrozen(policy.weights)).toBe(true);
      expect(policy.weights.load).toBeLessThanOrEqual(0);
    }
    expect(() => policyById('default@2')).toThrow(UnknownPolicyError);
    expect(() => policyById('default@2')).toThrow('known: default@1, spread@1, relevance@1');
  });
});
