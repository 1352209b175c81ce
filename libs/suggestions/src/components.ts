import { THEMES, WARDS, areAdjacentWards, type Ward } from '@tsunagi/domain';

/**
 * Component values as small pure functions over numbers and bit masks, so that the index's inner loop over
 * 100k people and the plain-object scorer (tests, replays) compute exactly the same values.
 */

/** A bit per item of a fixed vocabulary (themes, days, time bands, languages, professions, wards). */
export function maskOf(vocabulary: readonly string[], values: readonly string[] | undefined): number {
  let mask = 0;
  for (const value of values ?? []) {
    const bit = vocabulary.indexOf(value);
    if (bit >= 0) mask |= 1 << bit;
  }
  return mask;
}

export function bitCount(mask: number): number {
  let m = mask - ((mask >>> 1) & 0x55555555);
  m = (m & 0x33333333) + ((m >>> 2) & 0x33333333);
  return (((m + (m >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export const NO_WARD = 255;
export const wardIndex = (ward: string | undefined): number => {
  const index = (WARDS as readonly string[]).indexOf(ward ?? '');
  return index < 0 ? NO_WARD : index;
};
export const themeMask = (themes: readonly string[] | undefined) => maskOf(THEMES, themes);

/** ADJACENT_WARD_MASK[i]: the wards next to ward i, from the domain's adjacency. */
export const ADJACENT_WARD_MASK: readonly number[] = WARDS.map((a) => maskOf(WARDS, WARDS.filter((b) => areAdjacentWards(a as Ward, b as Ward))));

/**
 * Skill coverage: required skills count three times as much as optional ones. With no optional skills the
 * required ones are everything, and the other way round; a role asking for nothing is covered by anyone.
 * Never decreases when a person covers one more skill.
 */
export function skillCoverage(requiredMatched: number, requiredCount: number, optionalMatched: number, optionalCount: number): number {
  if (requiredCount === 0 && optionalCount === 0) return 1;
  if (optionalCount === 0) return requiredMatched / requiredCount;
  if (requiredCount === 0) return optionalMatched / optionalCount;
  return 0.75 * (requiredMatched / requiredCount) + 0.25 * (optionalMatched / optionalCount);
}

/** The share of the opportunity's themes the candidate cares about; 0 when the opportunity names none. */
export function themeOverlap(candidateThemes: number, opportunityThemes: number): number {
  const wanted = bitCount(opportunityThemes);
  return wanted === 0 ? 0 : bitCount(candidateThemes & opportunityThemes) / wanted;
}

/** 1 in the same ward, 0.5 next to it, 0 further away (or unknown). `wards` is a mask: an organisation serves several. */
export function wardProximity(candidateWards: number, opportunityWard: number): number {
  if (opportunityWard === NO_WARD) return 0;
  if (candidateWards & (1 << opportunityWard)) return 1;
  return candidateWards & ADJACENT_WARD_MASK[opportunityWard] ? 0.5 : 0;
}

/**
 * Availability: for a role with a schedule, the shares of its days and time bands the person can do (a schedule
 * that names none needs none), halved for someone who gives no hours at all. For a pro-bono project, the
 * person's monthly hours against what the project asks (hours a week × 52/12), capped at 1.
 */
export function scheduleOverlap(personDays: number, personBands: number, hoursPerMonth: number, roleDays: number, roleBands: number): number {
  const days = roleDays === 0 ? 1 : bitCount(personDays & roleDays) / bitCount(roleDays);
  const bands = roleBands === 0 ? 1 : bitCount(personBands & roleBands) / bitCount(roleBands);
  return ((days + bands) / 2) * (hoursPerMonth > 0 ? 1 : 0.5);
}

export function hoursFit(hoursPerMonth: number, projectHoursPerWeek: number): number {
  const needed = (projectHoursPerWeek * 52) / 12;
  return needed <= 0 ? 1 : Math.min(1, hoursPerMonth / needed);
}

export const JAPANESE_BIT = 1; // bit 0 of LANGUAGES ('ja')

/**
 * Local activities run in Japanese: speaking it is the fit. A multicultural activity also needs another
 * language: half for Japanese, half for any other.
 */
export function languageFit(languages: number, multicultural: boolean): number {
  const japanese = languages & JAPANESE_BIT ? 1 : 0;
  if (!multicultural) return japanese;
  return japanese * 0.5 + (languages & ~JAPANESE_BIT ? 0.5 : 0);
}

/** How busy someone is already: open proposals plus active roles, saturating at the policy's threshold. */
export function loadValue(openProposals: number, activeRoles: number, saturation: number): number {
  return Math.min(1, (openProposals + activeRoles) / saturation);
}

/** An opportunity nobody has accepted yet is lifted, so that attention spreads over roles. */
export function exposureValue(acceptedMatches: number): number {
  return acceptedMatches === 0 ? 1 : 0;
}
