import { ANALYTICS_EVENT_TYPES, LadderRuleSet, PersonLadders, ruleSetInForce, tokyoDay } from '@tsunagi/analytics';
import { SKILL_TAXONOMY, THEMES, canonicalSkill, normaliseSkills } from '@tsunagi/domain';
import { DAY_KINDS, MATCH_STATUS_AFTER, OPPORTUNITY_EVENT_TYPES, PROFESSIONS, TIME_BANDS, type MatchStatus, type OpportunityDetails } from '@tsunagi/matching';
import { ORGANISATION_EVENT_TYPES, PERSON_EVENT_TYPES } from '@tsunagi/participants';
import {
  NO_WARD,
  bitCount,
  exposureValue,
  hoursFit,
  languageFit,
  loadValue,
  maskOf,
  scheduleOverlap,
  skillCoverage,
  themeMask,
  themeOverlap,
  wardIndex,
  wardProximity,
} from './components';
import { Explanation, ExplanationLanguage, explain } from './explanation';
import { STAGE, Stage, stepUpValue } from './ladder';
import { COMPONENT_COUNT, SuggestionPolicy, weightVector } from './policy';

// scoreOf below spells out the eight components; a ninth must be added there too.
if (COMPONENT_COUNT !== 8) throw new Error('scoreOf sums eight components');

/**
 * The events the index reads: people, organisations, opportunities and their matches, and every event the analytics
 * ladder reads (meetings, spin-offs, hours), for each person's stage.
 */
export const SUGGESTION_EVENT_TYPES: readonly string[] = [
  ...new Set([
    ...PERSON_EVENT_TYPES,
    ...ORGANISATION_EVENT_TYPES.filter((type) => !type.startsWith('Representative')),
    ...OPPORTUNITY_EVENT_TYPES.filter((type) => !type.startsWith('Hours')),
    ...ANALYTICS_EVENT_TYPES,
  ]),
];

/** An event as the index needs it (a RecordedEvent has these fields). */
export interface IndexedEvent {
  type: string;
  data: unknown;
  position: number;
  /** The event's id and store time: the ladder's facts keep them (absent in hand-made histories). */
  id?: string;
  recordedAt?: string;
}

const LANGUAGES = ['ja', 'en', 'zh', 'ko', 'vi', 'tl', 'pt', 'es', 'ne', 'other'] as const;
const KIND = { volunteer_role: 0, pro_bono_project: 1, collaboration: 2 } as const;
const KIND_NAMES = ['volunteer_role', 'pro_bono_project', 'collaboration'] as const;

/** Person flags. */
const REGISTERED = 1;
const ACTIVE = 2;
const CONTACTABLE = 4;
const VISIBLE_TO_OTHER_WARDS = 8;

/** A match's status after an event: the decider's own table, plus the two events that open a match. */
const matchStatusAfter = (type: string): MatchStatus | undefined =>
  type === 'MatchProposed' ? 'proposed' : type === 'InterestExpressed' ? 'interested' : MATCH_STATUS_AFTER[type as keyof typeof MATCH_STATUS_AFTER];
const isOpenProposal = (status: MatchStatus | undefined) => status === 'proposed';
const isActiveRole = (status: MatchStatus | undefined) => status === 'accepted' || status === 'confirmed' || status === 'started';
const holdsPlace = (status: MatchStatus | undefined) => isActiveRole(status) || status === 'completed';

interface IndexedMatch {
  opportunity: number;
  candidateType: 'person' | 'organisation';
  candidate: number;
  status: MatchStatus;
}

/** Who may be suggested to the caller: everyone (admins), or the people of some wards plus those visible to other wards. */
export type PeopleScope = { all: true } | { wardMask: number };

export interface SuggestionRequest {
  policy: SuggestionPolicy;
  language: ExplanationLanguage;
  limit: number;
  /** Rank after this cursor (from a previous page). */
  after?: RankCursor;
  /** Filters: the candidate's (or, for a person, the opportunity's) ward, a skill it has (or asks for), a theme. */
  ward?: string;
  skill?: string;
  theme?: string;
}

export interface RankCursor {
  score: number;
  id: string;
}

export interface Ranked<T> {
  item: T;
  score: number;
  explanation: Explanation;
}

export interface SuggestedPerson {
  type: 'person';
  personId: string;
  displayName: string;
  ward: string;
  skills: string[];
  themes: string[];
}
export interface SuggestedOrganisation {
  type: 'organisation';
  organisationId: string;
  name: string;
  wardsServed: string[];
  themes: string[];
}
export interface SuggestedOpportunity {
  type: 'opportunity';
  opportunityId: string;
  organisationId: string;
  kind: (typeof KIND_NAMES)[number];
  title: string;
  ward: string;
  themes: string[];
}

export interface OpportunitySummary {
  opportunityId: string;
  kind: (typeof KIND_NAMES)[number];
  ward: string;
  open: boolean;
}

/** Grows typed columns by doubling; slots are never reused (people and opportunities are never deleted). */
class Columns {
  capacity = 1024;
  grow<T extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>(column: T, make: (n: number) => T): T {
    const next = make(this.capacity);
    next.set(column);
    return next;
  }
}

const decode = (list: readonly string[] | undefined) => list ?? [];

const MULTICULTURAL = themeMask(['multicultural']);
const WARD_COUNT = 7;
/** Scratch marks per person during a query. */
const EXCLUDED = 1;
const HAS_SKILL = 2;
/** Taxonomy skills are bits of one mask per person (there are fewer than 32); free tags go through posting lists. */
const TAXONOMY_BIT = new Map(SKILL_TAXONOMY.map((entry, bit) => [entry.code, bit]));
const taxonomyMask = (skills: readonly string[]) => skills.reduce((mask, skill) => (TAXONOMY_BIT.has(skill) ? mask | (1 << TAXONOMY_BIT.get(skill)!) : mask), 0);
/** Days (2 bits), time bands (3 bits) and whether any hours are given (1 bit): everything scheduleOverlap reads of a person. */
const availabilityKey = (days: number, bands: number, hoursPerMonth: number) => days | (bands << 2) | (hoursPerMonth > 0 ? 32 : 0);
/** Japanese (bit 0) and any other language (bit 1): everything languageFit reads of a person. */
const languageKey = (languages: number) => (languages & 1) | (languages & ~1 ? 2 : 0);

/**
 * The suggestion index: every person, organisation and opportunity in typed columns (bit masks for themes, days,
 * bands, languages, professions, wards; counters for load and exposure) plus posting lists per skill, so one query
 * scores 100k people in a few milliseconds. It is fed event by event (a projection) and is idempotent: an event at
 * or below the last applied position is ignored, so a batch replayed after a failure changes nothing twice.
 */
export class SuggestionIndex {
  appliedPosition = 0;
  /** Each person's highest stage under the ladder rules, from the same facts as the analytics read model. */
  private readonly ladders: PersonLadders;

  constructor(rules: LadderRuleSet = ruleSetInForce(tokyoDay(Date.now()))) {
    this.ladders = new PersonLadders(rules);
  }

  // ---- people
  private readonly personSlots = new Map<string, number>();
  private personIds: string[] = [];
  private displayNames: string[] = [];
  private personSkills: string[][] = [];
  private personThemes: string[][] = [];
  private personSkillSets: Set<string>[] = [];
  private personCols = new Columns();
  private pFlags = new Uint8Array(1024);
  private pWard = new Uint8Array(1024);
  private pWardMask = new Uint16Array(1024);
  private pThemes = new Uint16Array(1024);
  private pDays = new Uint8Array(1024);
  private pBands = new Uint8Array(1024);
  private pLanguages = new Uint16Array(1024);
  private pHours = new Uint16Array(1024);
  /** Professions offered pro bono, and skills that name a profession. */
  private pProfessions = new Uint16Array(1024);
  private pSkillMask = new Uint32Array(1024);
  private pAvailability = new Uint8Array(1024);
  private pLanguageKey = new Uint8Array(1024);
  private pProposals = new Uint16Array(1024);
  private pRoles = new Uint16Array(1024);
  private pAlumni = new Uint8Array(1024);
  private pStage = new Uint8Array(1024);
  private readonly skillPostings = new Map<string, Set<number>>();

  // ---- organisations
  private readonly organisationSlots = new Map<string, number>();
  private organisationIds: string[] = [];
  private organisationNames: string[] = [];
  private organisationWards: string[][] = [];
  private organisationThemes: string[][] = [];
  private organisationCols = new Columns();
  private gActive = new Uint8Array(1024);
  private gWardMask = new Uint16Array(1024);
  private gThemes = new Uint16Array(1024);
  private gProposals = new Uint16Array(1024);
  private gRoles = new Uint16Array(1024);

  // ---- opportunities
  private readonly opportunitySlots = new Map<string, number>();
  private opportunityIds: string[] = [];
  private opportunityOrganisations: string[] = [];
  private opportunityTitles: string[] = [];
  private opportunityThemes: string[][] = [];
  private required: string[][] = [];
  private optional: string[][] = [];
  /** Candidate slots with any match on the opportunity (person or organisation, by its kind): never suggested again. */
  private matchedCandidates: Set<number>[] = [];
  private opportunityCols = new Columns();
  private oKind = new Uint8Array(1024);
  private oOpen = new Uint8Array(1024);
  private oWard = new Uint8Array(1024);
  private oThemes = new Uint16Array(1024);
  private oDays = new Uint8Array(1024);
  private oBands = new Uint8Array(1024);
  private oProfessions = new Uint16Array(1024);
  private oHoursPerWeek = new Float64Array(1024);
  private oPlaces = new Uint16Array(1024);
  private oTaken = new Uint16Array(1024);
  private oRequiredMask = new Uint32Array(1024);
  private oOptionalMask = new Uint32Array(1024);
  /** Whether a role asks for a skill outside the taxonomy (then its coverage is counted skill by skill). */
  private oFreeSkills = new Uint8Array(1024);
  private opportunityMarks = new Uint8Array(1024);
  /** Opportunity slots each person has a match on. */
  private personMatchedOpportunities: Set<number>[] = [];

  private readonly matches = new Map<string, IndexedMatch>();

  // ---- scratch space for queries
  private requiredHits = new Uint8Array(1024);
  private optionalHits = new Uint8Array(1024);
  private marks = new Uint8Array(1024);
  private readonly themeTable = new Float64Array(1 << THEMES.length);
  private readonly wardTable = new Float64Array(256);
  private readonly availabilityTable = new Float64Array(64);

  get peopleCount(): number {
    return this.personIds.length;
  }
  get opportunityCount(): number {
    return this.opportunityIds.length;
  }

  /** Applies one event; events at or below the last applied position are ignored (idempotent replay). */
  apply(event: IndexedEvent): void {
    if (event.position <= this.appliedPosition) return;
    this.applyData(event.type, event.data as Record<string, any>);
    // Step-up reads stages up to bearer: planners and connectors are bearers too.
    for (const personId of this.ladders.apply(event.id === undefined ? { ...event, id: '' } : (event as IndexedEvent & { id: string }))) {
      this.pStage[this.personSlot(personId)] = Math.min(STAGE.bearer, this.ladders.highestStage(personId));
    }
    this.appliedPosition = event.position;
  }

  clear(): void {
    Object.assign(this, new SuggestionIndex(this.ladders.rules));
  }

  // ------------------------------------------------------------------------------------------ applying events

  private applyData(type: string, d: Record<string, any>): void {
    switch (type) {
      case 'PersonRegistered':
        return this.setPerson(this.personSlot(d.personId), d.profile, true);
      case 'PersonProfileUpdated':
        return this.setPerson(this.personSlot(d.personId), d.changes, false);
      case 'PersonPaused':
      case 'PersonDeactivated':
        this.pFlags[this.personSlot(d.personId)] &= ~ACTIVE;
        return;
      case 'PersonResumed': {
        const slot = this.personSlot(d.personId);
        if (this.pFlags[slot] & REGISTERED) this.pFlags[slot] |= ACTIVE;
        return;
      }
      case 'OrganisationRegistered':
        return this.setOrganisation(this.organisationSlot(d.organisationId), d.profile, true);
      case 'OrganisationUpdated':
        return this.setOrganisation(this.organisationSlot(d.organisationId), d.changes, false);
      case 'OrganisationDeactivated':
        this.gActive[this.organisationSlot(d.organisationId)] = 0;
        return;
      case 'OpportunityOpened':
        return this.setOpportunity(this.opportunitySlot(d.opportunityId), d, true);
      case 'OpportunityUpdated':
        return this.setOpportunity(this.opportunitySlot(d.opportunityId), d.changes, false);
      case 'OpportunityClosed':
        this.oOpen[this.opportunitySlot(d.opportunityId)] = 0;
        return;
      case 'OpportunityReopened':
        this.oOpen[this.opportunitySlot(d.opportunityId)] = 1;
        return;
      default: {
        const status = matchStatusAfter(type);
        if (status) this.changeMatch(d, status);
      }
    }
  }

  private setPerson(slot: number, p: Record<string, any>, registered: boolean): void {
    if (registered) this.pFlags[slot] |= REGISTERED | ACTIVE;
    if (p.displayName !== undefined) this.displayNames[slot] = p.displayName;
    if (p.ward !== undefined) {
      this.pWard[slot] = wardIndex(p.ward);
      this.pWardMask[slot] = this.pWard[slot] === NO_WARD ? 0 : 1 << this.pWard[slot];
    }
    if (p.themes !== undefined) {
      this.personThemes[slot] = [...p.themes];
      this.pThemes[slot] = themeMask(p.themes);
    }
    if (p.availability !== undefined) {
      this.pDays[slot] = maskOf(DAY_KINDS, p.availability.days);
      this.pBands[slot] = maskOf(TIME_BANDS, p.availability.timeBands);
      this.pHours[slot] = Math.min(65535, Math.max(0, Math.round(p.availability.hoursPerMonth ?? 0)));
      this.pAvailability[slot] = availabilityKey(this.pDays[slot], this.pBands[slot], this.pHours[slot]);
    }
    if (p.languages !== undefined) {
      this.pLanguages[slot] = maskOf(LANGUAGES, p.languages);
      this.pLanguageKey[slot] = languageKey(this.pLanguages[slot]);
    }
    if (p.consents !== undefined) {
      this.pFlags[slot] = (this.pFlags[slot] & ~(CONTACTABLE | VISIBLE_TO_OTHER_WARDS)) | (p.consents.mayBeContacted ? CONTACTABLE : 0) | (p.consents.visibleToOtherWards ? VISIBLE_TO_OTHER_WARDS : 0);
    }
    if (p.skills !== undefined) this.setSkills(slot, normaliseSkills(p.skills));
    if (p.proBono !== undefined || p.skills !== undefined) {
      const offered = p.proBono !== undefined ? (p.proBono.offers ? p.proBono.professions : []) : this.offeredProfessions[slot] ?? [];
      this.offeredProfessions[slot] = offered;
      this.pProfessions[slot] = maskOf(PROFESSIONS, offered) | maskOf(PROFESSIONS, this.personSkills[slot] ?? []);
    }
  }
  private offeredProfessions: string[][] = [];

  private setSkills(slot: number, skills: string[]): void {
    for (const old of this.personSkills[slot] ?? []) this.skillPostings.get(old)?.delete(slot);
    this.personSkills[slot] = skills;
    this.personSkillSets[slot] = new Set(skills);
    this.pSkillMask[slot] = taxonomyMask(skills);
    for (const skill of skills) {
      let posting = this.skillPostings.get(skill);
      if (!posting) this.skillPostings.set(skill, (posting = new Set()));
      posting.add(slot);
    }
  }

  private setOrganisation(slot: number, p: Record<string, any>, registered: boolean): void {
    if (registered) this.gActive[slot] = 1;
    if (p.name !== undefined) this.organisationNames[slot] = p.name;
    if (p.wardsServed !== undefined) {
      this.organisationWards[slot] = [...p.wardsServed];
      this.gWardMask[slot] = (p.wardsServed as string[]).reduce((mask, w) => (wardIndex(w) === NO_WARD ? mask : mask | (1 << wardIndex(w))), 0);
    }
    if (p.themes !== undefined) {
      this.organisationThemes[slot] = [...p.themes];
      this.gThemes[slot] = themeMask(p.themes);
    }
  }

  private setOpportunity(slot: number, p: Record<string, any>, opened: boolean): void {
    if (opened) {
      this.oOpen[slot] = 1;
      this.opportunityOrganisations[slot] = p.organisationId;
    }
    if (p.title !== undefined) this.opportunityTitles[slot] = p.title;
    if (p.ward !== undefined) this.oWard[slot] = wardIndex(p.ward);
    if (p.themes !== undefined) {
      this.opportunityThemes[slot] = [...p.themes];
      this.oThemes[slot] = themeMask(p.themes);
    }
    const details = p.details as OpportunityDetails | undefined;
    if (!details) return;
    this.oKind[slot] = KIND[details.kind];
    this.required[slot] = [];
    this.optional[slot] = [];
    this.oDays[slot] = 0;
    this.oBands[slot] = 0;
    this.oProfessions[slot] = 0;
    this.oHoursPerWeek[slot] = 0;
    if (details.kind === 'volunteer_role') {
      this.required[slot] = normaliseSkills(details.requiredSkills);
      this.optional[slot] = normaliseSkills(details.optionalSkills).filter((s) => !this.required[slot].includes(s));
      this.oDays[slot] = maskOf(DAY_KINDS, decode(details.schedule?.days));
      this.oBands[slot] = maskOf(TIME_BANDS, decode(details.schedule?.timeBands));
      this.oPlaces[slot] = details.places;
      this.oRequiredMask[slot] = taxonomyMask(this.required[slot]);
      this.oOptionalMask[slot] = taxonomyMask(this.optional[slot]);
      this.oFreeSkills[slot] = [...this.required[slot], ...this.optional[slot]].some((skill) => !TAXONOMY_BIT.has(skill)) ? 1 : 0;
    } else if (details.kind === 'pro_bono_project') {
      this.oProfessions[slot] = maskOf(PROFESSIONS, details.professions);
      this.oHoursPerWeek[slot] = details.hoursPerWeek;
      this.oPlaces[slot] = details.teamSize;
    } else {
      this.oPlaces[slot] = details.places;
    }
  }

  private changeMatch(d: Record<string, any>, status: MatchStatus): void {
    let match = this.matches.get(d.matchId);
    if (!match) {
      if (!d.candidate) return; // a transition of a match never opened here cannot happen in a valid history
      const opportunity = this.opportunitySlot(d.opportunityId);
      const isPerson = d.candidate.type === 'person';
      match = { opportunity, candidateType: d.candidate.type, candidate: isPerson ? this.personSlot(d.candidate.id) : this.organisationSlot(d.candidate.id), status };
      this.matches.set(d.matchId, match);
      this.matchedCandidates[opportunity].add(match.candidate);
      if (isPerson) this.personMatchedOpportunities[match.candidate].add(opportunity);
      this.count(match, undefined, status);
    } else {
      const before = match.status;
      match.status = status;
      this.count(match, before, status);
    }
    if (match.candidateType !== 'person') return;
    if (status === 'completed' && this.oKind[match.opportunity] === KIND.pro_bono_project) this.pAlumni[match.candidate] = 1;
  }

  /** Keeps load (open proposals, active roles) and exposure (places held) in step with a match's status. */
  private count(match: IndexedMatch, before: MatchStatus | undefined, after: MatchStatus): void {
    const proposals = match.candidateType === 'person' ? this.pProposals : this.gProposals;
    const roles = match.candidateType === 'person' ? this.pRoles : this.gRoles;
    const c = match.candidate;
    proposals[c] += (isOpenProposal(after) ? 1 : 0) - (isOpenProposal(before) ? 1 : 0);
    roles[c] += (isActiveRole(after) ? 1 : 0) - (isActiveRole(before) ? 1 : 0);
    this.oTaken[match.opportunity] += (holdsPlace(after) ? 1 : 0) - (holdsPlace(before) ? 1 : 0);
  }

  // ------------------------------------------------------------------------------------------ slots

  private personSlot(personId: string): number {
    let slot = this.personSlots.get(personId);
    if (slot !== undefined) return slot;
    slot = this.personIds.length;
    if (slot >= this.personCols.capacity) this.growPeople();
    this.personSlots.set(personId, slot);
    this.personIds.push(personId);
    this.displayNames.push('');
    this.personSkills.push([]);
    this.personThemes.push([]);
    this.personSkillSets.push(new Set());
    this.offeredProfessions.push([]);
    this.personMatchedOpportunities.push(new Set());
    this.pWard[slot] = NO_WARD;
    return slot;
  }

  private growPeople(): void {
    const c = this.personCols;
    c.capacity *= 2;
    const u8 = (n: number) => new Uint8Array(n);
    const u16 = (n: number) => new Uint16Array(n);
    this.pFlags = c.grow(this.pFlags, u8);
    this.pWard = c.grow(this.pWard, u8);
    this.pWardMask = c.grow(this.pWardMask, u16);
    this.pThemes = c.grow(this.pThemes, u16);
    this.pDays = c.grow(this.pDays, u8);
    this.pBands = c.grow(this.pBands, u8);
    this.pLanguages = c.grow(this.pLanguages, u16);
    this.pHours = c.grow(this.pHours, u16);
    this.pProfessions = c.grow(this.pProfessions, u16);
    this.pProposals = c.grow(this.pProposals, u16);
    this.pRoles = c.grow(this.pRoles, u16);
    this.pAlumni = c.grow(this.pAlumni, u8);
    this.pStage = c.grow(this.pStage, u8);
    this.pSkillMask = c.grow(this.pSkillMask, (n) => new Uint32Array(n));
    this.pAvailability = c.grow(this.pAvailability, u8);
    this.pLanguageKey = c.grow(this.pLanguageKey, u8);
    this.requiredHits = new Uint8Array(c.capacity);
    this.optionalHits = new Uint8Array(c.capacity);
    this.marks = new Uint8Array(c.capacity);
  }

  private organisationSlot(organisationId: string): number {
    let slot = this.organisationSlots.get(organisationId);
    if (slot !== undefined) return slot;
    slot = this.organisationIds.length;
    const c = this.organisationCols;
    if (slot >= c.capacity) {
      c.capacity *= 2;
      this.gActive = c.grow(this.gActive, (n) => new Uint8Array(n));
      this.gWardMask = c.grow(this.gWardMask, (n) => new Uint16Array(n));
      this.gThemes = c.grow(this.gThemes, (n) => new Uint16Array(n));
      this.gProposals = c.grow(this.gProposals, (n) => new Uint16Array(n));
      this.gRoles = c.grow(this.gRoles, (n) => new Uint16Array(n));
    }
    this.organisationSlots.set(organisationId, slot);
    this.organisationIds.push(organisationId);
    this.organisationNames.push('');
    this.organisationWards.push([]);
    this.organisationThemes.push([]);
    return slot;
  }

  private opportunitySlot(opportunityId: string): number {
    let slot = this.opportunitySlots.get(opportunityId);
    if (slot !== undefined) return slot;
    slot = this.opportunityIds.length;
    const c = this.opportunityCols;
    if (slot >= c.capacity) {
      c.capacity *= 2;
      const u8 = (n: number) => new Uint8Array(n);
      const u16 = (n: number) => new Uint16Array(n);
      this.oKind = c.grow(this.oKind, u8);
      this.oOpen = c.grow(this.oOpen, u8);
      this.oWard = c.grow(this.oWard, u8);
      this.oThemes = c.grow(this.oThemes, u16);
      this.oDays = c.grow(this.oDays, u8);
      this.oBands = c.grow(this.oBands, u8);
      this.oProfessions = c.grow(this.oProfessions, u16);
      this.oHoursPerWeek = c.grow(this.oHoursPerWeek, (n) => new Float64Array(n));
      this.oPlaces = c.grow(this.oPlaces, u16);
      this.oTaken = c.grow(this.oTaken, u16);
      this.oRequiredMask = c.grow(this.oRequiredMask, (n) => new Uint32Array(n));
      this.oOptionalMask = c.grow(this.oOptionalMask, (n) => new Uint32Array(n));
      this.oFreeSkills = c.grow(this.oFreeSkills, u8);
      this.opportunityMarks = new Uint8Array(c.capacity);
    }
    this.opportunitySlots.set(opportunityId, slot);
    this.opportunityIds.push(opportunityId);
    this.opportunityOrganisations.push('');
    this.opportunityTitles.push('');
    this.opportunityThemes.push([]);
    this.required.push([]);
    this.optional.push([]);
    this.matchedCandidates.push(new Set());
    this.oWard[slot] = NO_WARD;
    return slot;
  }

  // ------------------------------------------------------------------------------------------ facts for callers

  opportunity(opportunityId: string): OpportunitySummary | undefined {
    const slot = this.opportunitySlots.get(opportunityId);
    if (slot === undefined || !this.opportunityOrganisations[slot]) return undefined;
    return { opportunityId, kind: KIND_NAMES[this.oKind[slot]], ward: this.wardName(this.oWard[slot]), open: this.oOpen[slot] === 1 };
  }

  /** Places of an opportunity not held by an accepted, confirmed, started or completed match. */
  placesLeft(opportunityId: string): number {
    const slot = this.opportunitySlots.get(opportunityId);
    return slot === undefined ? 0 : Math.max(0, this.oPlaces[slot] - this.oTaken[slot]);
  }

  /** Whether a person exists and may be asked by someone: registered, not paused or deactivated, consented to contact. */
  person(personId: string): { ward: string; active: boolean; contactable: boolean; visibleToOtherWards: boolean } | undefined {
    const slot = this.personSlots.get(personId);
    if (slot === undefined || !(this.pFlags[slot] & REGISTERED)) return undefined;
    const flags = this.pFlags[slot];
    return { ward: this.wardName(this.pWard[slot]), active: !!(flags & ACTIVE), contactable: !!(flags & CONTACTABLE), visibleToOtherWards: !!(flags & VISIBLE_TO_OTHER_WARDS) };
  }

  /** A person's load, for replays and tests. */
  loadOf(personId: string): { openProposals: number; activeRoles: number; stage: Stage; proBonoAlumni: boolean } | undefined {
    const slot = this.personSlots.get(personId);
    if (slot === undefined) return undefined;
    return { openProposals: this.pProposals[slot], activeRoles: this.pRoles[slot], stage: this.pStage[slot] as Stage, proBonoAlumni: this.pAlumni[slot] === 1 };
  }

  private wardName(index: number): string {
    return index === NO_WARD ? '' : (['kawasaki', 'saiwai', 'nakahara', 'takatsu', 'miyamae', 'tama', 'asao'] as const)[index];
  }

  // ------------------------------------------------------------------------------------------ queries

  /**
   * People for a volunteer role or pro-bono project, best first: active, consented to be contacted, within the
   * caller's scope, never anyone with a match on this opportunity already (proposed, accepted, declined,
   * withdrawn, expired…). One pass over the columns; each component comes from a small table the same component
   * functions fill for this opportunity (every theme mask, availability key, ward, language key, skill count), so
   * the loop only looks values up and the explanation shows exactly the values ranked by.
   */
  peopleFor(opportunityId: string, scope: PeopleScope, request: SuggestionRequest): Ranked<SuggestedPerson>[] {
    const o = this.opportunitySlots.get(opportunityId);
    if (o === undefined || this.oKind[o] === KIND.collaboration) return [];
    const weights = weightVector(request.policy);
    const n = this.personIds.length;
    const proBono = this.oKind[o] === KIND.pro_bono_project;
    const oThemes = this.oThemes[o];
    const multicultural = (oThemes & MULTICULTURAL) !== 0;

    // Skills: taxonomy skills by mask, free tags by posting list; coverage by (required matched, optional matched).
    const required = proBono ? [] : this.required[o];
    const optional = proBono ? [] : this.optional[o];
    const requiredMask = proBono ? this.oProfessions[o] : taxonomyMask(required);
    const optionalMask = taxonomyMask(optional);
    const requiredCount = proBono ? bitCount(requiredMask) : required.length;
    const optionalCount = optional.length;
    const freeRequired = required.filter((s) => !TAXONOMY_BIT.has(s));
    const freeOptional = optional.filter((s) => !TAXONOMY_BIT.has(s));
    for (const skill of freeRequired) for (const slot of this.skillPostings.get(skill) ?? []) this.requiredHits[slot]++;
    for (const skill of freeOptional) for (const slot of this.skillPostings.get(skill) ?? []) this.optionalHits[slot]++;
    const coverage = new Float64Array((requiredCount + 1) * (optionalCount + 1));
    for (let r = 0; r <= requiredCount; r++) for (let op = 0; op <= optionalCount; op++) coverage[r * (optionalCount + 1) + op] = skillCoverage(r, requiredCount, op, optionalCount);
    const themeValues = this.themeTable;
    for (let mask = 0; mask < themeValues.length; mask++) themeValues[mask] = themeOverlap(mask, oThemes);
    const wardValues = this.wardTable;
    for (let ward = 0; ward < WARD_COUNT; ward++) wardValues[ward] = wardProximity(1 << ward, this.oWard[o]);
    const availabilityValues = this.availabilityTable;
    for (let key = 0; key < availabilityValues.length; key++) availabilityValues[key] = scheduleOverlap(key & 3, (key >> 2) & 7, key >> 5, this.oDays[o], this.oBands[o]);
    const languageValues = [0, 1, 2, 3].map((key) => languageFit(key, multicultural));
    const hoursPerWeek = this.oHoursPerWeek[o];
    const exposure = exposureValue(this.oTaken[o]);
    const saturation = request.policy.loadSaturation;

    // Exclusions and the skill filter as marks in scratch columns: a look-up per person, not a hash.
    const excluded = this.matchedCandidates[o];
    const marks = this.marks;
    for (const slot of excluded) marks[slot] |= EXCLUDED;
    const skillFilter = request.skill === undefined ? undefined : this.skillPostings.get(canonicalSkill(request.skill)) ?? new Set<number>();
    if (skillFilter) for (const slot of skillFilter) marks[slot] |= HAS_SKILL;
    const wardFilter = request.ward === undefined ? -1 : wardIndex(request.ward);
    const themeFilter = request.theme === undefined ? 0 : themeMask([request.theme]);
    const scopeWards = 'all' in scope ? -1 : scope.wardMask;

    const { pFlags, pWard, pWardMask, pThemes, pSkillMask, pProfessions, pAvailability, pLanguageKey, pHours, pProposals, pRoles, pStage, pAlumni, requiredHits, optionalHits } = this;
    const top = new TopK(request.limit, request.after, this.personIds);
    try {
      for (let p = 0; p < n; p++) {
        const flags = pFlags[p];
        if ((flags & (ACTIVE | CONTACTABLE)) !== (ACTIVE | CONTACTABLE)) continue;
        if (marks[p] & EXCLUDED) continue;
        if (scopeWards >= 0 && !(pWardMask[p] & scopeWards) && !(flags & VISIBLE_TO_OTHER_WARDS)) continue;
        if (wardFilter >= 0 && pWard[p] !== wardFilter) continue;
        if (themeFilter && !(pThemes[p] & themeFilter)) continue;
        if (skillFilter && !(marks[p] & HAS_SKILL)) continue;
        const v0 = proBono
          ? coverage[bitCount(pProfessions[p] & requiredMask) * (optionalCount + 1)]
          : coverage[(bitCount(pSkillMask[p] & requiredMask) + requiredHits[p]) * (optionalCount + 1) + bitCount(pSkillMask[p] & optionalMask) + optionalHits[p]];
        const v1 = themeValues[pThemes[p]];
        const v2 = wardValues[pWard[p]];
        const v3 = proBono ? hoursFit(pHours[p], hoursPerWeek) : availabilityValues[pAvailability[p]];
        const v4 = languageValues[pLanguageKey[p]];
        const v5 = loadValue(pProposals[p], pRoles[p], saturation);
        const v7 = stepUpValue(pStage[p] as Stage, pAlumni[p] === 1, pRoles[p]);
        const score = scoreOf(weights, v0, v1, v2, v3, v4, v5, exposure, v7);
        if (score >= top.threshold) top.offer(p, score, v0, v1, v2, v3, v4, v5, exposure, v7);
      }
    } finally {
      for (const skill of freeRequired) for (const slot of this.skillPostings.get(skill) ?? []) requiredHits[slot] = 0;
      for (const skill of freeOptional) for (const slot of this.skillPostings.get(skill) ?? []) optionalHits[slot] = 0;
      for (const slot of excluded) marks[slot] = 0;
      if (skillFilter) for (const slot of skillFilter) marks[slot] = 0;
    }
    return top.ranked(request, (slot) => ({
      type: 'person',
      personId: this.personIds[slot],
      displayName: this.displayNames[slot],
      ward: this.wardName(this.pWard[slot]),
      skills: [...this.personSkills[slot]],
      themes: [...this.personThemes[slot]],
    }));
  }

  /** Organisations for a collaboration: active, not the one that posted it, none already matched to it. */
  organisationsFor(opportunityId: string, request: SuggestionRequest): Ranked<SuggestedOrganisation>[] {
    const o = this.opportunitySlots.get(opportunityId);
    if (o === undefined || this.oKind[o] !== KIND.collaboration) return [];
    const weights = weightVector(request.policy);
    const owner = this.organisationSlots.get(this.opportunityOrganisations[o]);
    const excluded = this.matchedCandidates[o];
    const wardFilter = request.ward === undefined ? 0 : 1 << wardIndex(request.ward);
    const themeFilter = request.theme === undefined ? 0 : themeMask([request.theme]);
    const exposure = exposureValue(this.oTaken[o]);
    const top = new TopK(request.limit, request.after, this.organisationIds);
    for (let g = 0; g < this.organisationIds.length; g++) {
      if (!this.gActive[g] || g === owner || excluded.has(g)) continue;
      if (wardFilter && !(this.gWardMask[g] & wardFilter)) continue;
      if (themeFilter && !(this.gThemes[g] & themeFilter)) continue;
      // Organisations declare no skills, availability or languages: those components are 0 for every one of them.
      const themes = themeOverlap(this.gThemes[g], this.oThemes[o]);
      const ward = wardProximity(this.gWardMask[g], this.oWard[o]);
      const load = loadValue(this.gProposals[g], this.gRoles[g], request.policy.loadSaturation);
      const score = scoreOf(weights, 0, themes, ward, 0, 0, load, exposure, 0);
      if (score >= top.threshold) top.offer(g, score, 0, themes, ward, 0, 0, load, exposure, 0);
    }
    return top.ranked(request, (slot) => ({
      type: 'organisation',
      organisationId: this.organisationIds[slot],
      name: this.organisationNames[slot],
      wardsServed: [...this.organisationWards[slot]],
      themes: [...this.organisationThemes[slot]],
    }));
  }

  /**
   * Open volunteer roles and pro-bono projects with a place left for a person, best first; never one they already
   * have a match on. Empty for someone paused, deactivated or unknown.
   */
  opportunitiesFor(personId: string, request: SuggestionRequest): Ranked<SuggestedOpportunity>[] {
    const p = this.personSlots.get(personId);
    if (p === undefined || !(this.pFlags[p] & ACTIVE)) return [];
    const weights = weightVector(request.policy);
    const skills = this.personSkillSets[p];
    const skillMask = this.pSkillMask[p];
    const professions = this.pProfessions[p];
    const hours = this.pHours[p];
    const wardFilter = request.ward === undefined ? -1 : wardIndex(request.ward);
    const themeFilter = request.theme === undefined ? 0 : themeMask([request.theme]);
    const skillFilter = request.skill === undefined ? undefined : canonicalSkill(request.skill);
    const skillFilterProfession = skillFilter === undefined ? 0 : maskOf(PROFESSIONS, [skillFilter]);
    // The person is fixed: each component becomes a table over what varies between opportunities.
    const themeValues = this.themeTable;
    for (let mask = 0; mask < themeValues.length; mask++) themeValues[mask] = themeOverlap(this.pThemes[p], mask);
    const wardValues = this.wardTable;
    for (let ward = 0; ward < WARD_COUNT; ward++) wardValues[ward] = wardProximity(this.pWardMask[p], ward);
    wardValues[NO_WARD] = wardProximity(this.pWardMask[p], NO_WARD);
    const scheduleValues = this.availabilityTable;
    for (let key = 0; key < 32; key++) scheduleValues[key] = scheduleOverlap(this.pDays[p], this.pBands[p], hours, key & 3, key >> 2);
    const languageValues = [languageFit(this.pLanguages[p], false), languageFit(this.pLanguages[p], true)];
    const v5 = loadValue(this.pProposals[p], this.pRoles[p], request.policy.loadSaturation);
    const v7 = stepUpValue(this.pStage[p] as Stage, this.pAlumni[p] === 1, this.pRoles[p]);
    const matched = this.personMatchedOpportunities[p];
    const marks = this.opportunityMarks;
    for (const o of matched) marks[o] = 1;
    const { oKind, oOpen, oTaken, oPlaces, oWard, oThemes, oDays, oBands, oProfessions, oHoursPerWeek, oRequiredMask, oOptionalMask, oFreeSkills } = this;
    const top = new TopK(request.limit, request.after, this.opportunityIds);
    try {
      for (let o = 0; o < this.opportunityIds.length; o++) {
        const kind = oKind[o];
        if (!oOpen[o] || kind === KIND.collaboration || oTaken[o] >= oPlaces[o] || marks[o]) continue;
        if (wardFilter >= 0 && oWard[o] !== wardFilter) continue;
        if (themeFilter && !(oThemes[o] & themeFilter)) continue;
        if (skillFilter !== undefined && !this.required[o].includes(skillFilter) && !this.optional[o].includes(skillFilter) && !(oProfessions[o] & skillFilterProfession)) continue;
        const proBono = kind === KIND.pro_bono_project;
        let v0: number;
        let v3: number;
        if (proBono) {
          v0 = skillCoverage(bitCount(professions & oProfessions[o]), bitCount(oProfessions[o]), 0, 0);
          v3 = hoursFit(hours, oHoursPerWeek[o]);
        } else {
          const required = this.required[o];
          const optional = this.optional[o];
          v0 = oFreeSkills[o]
            ? skillCoverage(countIn(required, skills), required.length, countIn(optional, skills), optional.length)
            : skillCoverage(bitCount(skillMask & oRequiredMask[o]), required.length, bitCount(skillMask & oOptionalMask[o]), optional.length);
          v3 = scheduleValues[oDays[o] | (oBands[o] << 2)];
        }
        const v1 = themeValues[oThemes[o]];
        const v2 = wardValues[oWard[o]];
        const v4 = languageValues[oThemes[o] & MULTICULTURAL ? 1 : 0];
        const v6 = exposureValue(oTaken[o]);
        const score = scoreOf(weights, v0, v1, v2, v3, v4, v5, v6, v7);
        if (score >= top.threshold) top.offer(o, score, v0, v1, v2, v3, v4, v5, v6, v7);
      }
    } finally {
      for (const o of matched) marks[o] = 0;
    }
    return top.ranked(request, (slot) => ({
      type: 'opportunity',
      opportunityId: this.opportunityIds[slot],
      organisationId: this.opportunityOrganisations[slot],
      kind: KIND_NAMES[this.oKind[slot]],
      title: this.opportunityTitles[slot],
      ward: this.wardName(this.oWard[slot]),
      themes: [...this.opportunityThemes[slot]],
    }));
  }

  /** Every theme code, for callers validating filters. */
  static readonly themes = THEMES;
}

/**
 * The score from the eight component values as the scans hold them (locals): value × weight summed in COMPONENTS
 * order, the order explain() sums the contributions in, so the score ranked by equals the explanation's to the bit.
 */
function scoreOf(w: Float64Array, v0: number, v1: number, v2: number, v3: number, v4: number, v5: number, v6: number, v7: number): number {
  let score = 0;
  score += v0 * w[0];
  score += v1 * w[1];
  score += v2 * w[2];
  score += v3 * w[3];
  score += v4 * w[4];
  score += v5 * w[5];
  score += v6 * w[6];
  score += v7 * w[7];
  return score;
}

function countIn(wanted: readonly string[], have: Set<string>): number {
  let count = 0;
  for (const skill of wanted) if (have.has(skill)) count++;
  return count;
}

interface TopEntry {
  slot: number;
  score: number;
  values: Float64Array;
}

/**
 * The best `limit` entries by score (ties: by id, ascending), after a cursor. Kept sorted; an entry is copied
 * only when it gets in, so a pass over 100k candidates allocates almost nothing.
 */
class TopK {
  private readonly entries: TopEntry[] = [];
  /** Below this score nothing gets in (the last entry's score once full): the scan skips offering. */
  threshold = -Infinity;
  constructor(
    private readonly limit: number,
    private readonly after: RankCursor | undefined,
    private readonly ids: readonly string[],
  ) {}

  /** Whether a ranks before b. */
  private before(aScore: number, aId: string, bScore: number, bId: string): boolean {
    return aScore > bScore || (aScore === bScore && aId < bId);
  }

  /** Offers a candidate with its component values (in COMPONENTS order); kept only if it ranks among the best. */
  offer(slot: number, score: number, ...values: number[]): void {
    const after = this.after;
    if (after && !this.before(after.score, after.id, score, this.ids[slot])) return;
    const entries = this.entries;
    if (entries.length === this.limit) {
      const last = entries[entries.length - 1];
      if (score < last.score || !this.before(score, this.ids[slot], last.score, this.ids[last.slot])) return;
      entries.pop();
    }
    let i = entries.length;
    while (i > 0 && this.before(score, this.ids[slot], entries[i - 1].score, this.ids[entries[i - 1].slot])) i--;
    entries.splice(i, 0, { slot, score, values: Float64Array.from(values) });
    if (entries.length === this.limit) this.threshold = entries[entries.length - 1].score;
  }

  /** The entries best first, each with its explanation and the item the caller shows. */
  ranked<T>(request: SuggestionRequest, itemOf: (slot: number) => T): Ranked<T>[] {
    return this.entries.map(({ slot, score, values }) => ({ score, explanation: explain(values, request.policy, request.language), item: itemOf(slot) }));
  }
}
