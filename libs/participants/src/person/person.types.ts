import { WARDS, Ward } from '@tsunagi/domain';
import { DAY_KINDS, PROFESSIONS, TIME_BANDS } from '@tsunagi/matching';
import { FieldRules, email, flag, isRecord, oneOf, requiredText, setOf, tags } from '../shared/profile-rules';
import { LANGUAGES, MESSAGE_LANGUAGES, MessageLanguage, SpokenLanguage, THEMES, Theme } from '../shared/vocabulary';

export type DayKind = (typeof DAY_KINDS)[number];
export type TimeBand = (typeof TIME_BANDS)[number];
export type Profession = (typeof PROFESSIONS)[number];

export const MAX_HOURS_PER_MONTH = 200;

export interface Availability {
  days: DayKind[];
  timeBands: TimeBand[];
  hoursPerMonth: number;
}

export interface ProBono {
  offers: boolean;
  professions: Profession[];
}

/** APPI: what the person agreed to. Matching and directories must honour these. */
export interface Consents {
  mayBeContacted: boolean;
  visibleToOtherWards: boolean;
}

export interface PersonProfile {
  displayName: string;
  contactEmail: string;
  ward: Ward;
  skills: string[];
  themes: Theme[];
  availability: Availability;
  languages: SpokenLanguage[];
  proBono: ProBono;
  preferredLanguage: MessageLanguage;
  consents: Consents;
}

export const PERSON_STATUSES = ['none', 'active', 'paused', 'deactivated'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

/** Nested values are replaced whole: an update sends the complete availability, pro-bono offer or consents. */
export const PERSON_PROFILE_RULES: FieldRules<PersonProfile> = {
  displayName: requiredText,
  contactEmail: email,
  ward: oneOf(WARDS),
  skills: tags,
  themes: setOf(THEMES),
  availability: (value, fail) => {
    if (!isRecord(value)) fail();
    const { hoursPerMonth } = value;
    if (typeof hoursPerMonth !== 'number' || !(hoursPerMonth >= 0 && hoursPerMonth <= MAX_HOURS_PER_MONTH)) fail('hoursPerMonth');
    return {
      days: setOf(DAY_KINDS)(value.days, () => fail('days')),
      timeBands: setOf(TIME_BANDS)(value.timeBands, () => fail('timeBands')),
      hoursPerMonth,
    };
  },
  languages: setOf(LANGUAGES),
  proBono: (value, fail) => {
    if (!isRecord(value)) fail();
    const offers = flag(value.offers, () => fail('offers'));
    // An offer with no profession could never be matched to a pro-bono project.
    const professions = setOf(PROFESSIONS, offers ? 1 : 0)(value.professions, () => fail('professions'));
    return { offers, professions };
  },
  preferredLanguage: oneOf(MESSAGE_LANGUAGES),
  consents: (value, fail) => {
    if (!isRecord(value)) fail();
    return {
      mayBeContacted: flag(value.mayBeContacted, () => fail('mayBeContacted')),
      visibleToOtherWards: flag(value.visibleToOtherWards, () => fail('visibleToOtherWards')),
    };
  },
};
