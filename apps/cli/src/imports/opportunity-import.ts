import { Theme, Ward, normaliseSkills, normaliseTag, normaliseText } from '@tsunagi/domain';
import { EventStore } from '@tsunagi/event-store';
import { DAY_KINDS, OpportunityCommand, OpportunityProfile, TIME_BANDS, VolunteerRoleDetails, opportunityDecider, opportunityStreamId } from '@tsunagi/matching';
import { RowRejected, listCell } from './csv-rows';
import { IMPORTER, ImportKind, ORGANISATION_IMPORT, THEME_WORDS, WARD_WORDS, knownRecords, union, word, words } from './participant-import';

/** The organisations a row may name, by normalised name: several when two groups share a name in other wards. */
type OrganisationsByName = Map<string, { id: string; status: string; wardsServed: readonly string[] }[]>;

const KIND_WORDS = new Map<string, 'volunteer_role' | 'other'>([
  ...['volunteer_role', 'volunteer', 'ボランティア', 'ボランティア募集', '募集'].map((w) => [normaliseTag(w), 'volunteer_role'] as [string, 'volunteer_role']),
  ...['pro_bono_project', 'プロボノ', 'collaboration', '協働', '連携'].map((w) => [normaliseTag(w), 'other'] as [string, 'other']),
]);
const DAY_WORDS = new Map<string, (typeof DAY_KINDS)[number]>([
  ...DAY_KINDS.map((d) => [d, d] as [string, (typeof DAY_KINDS)[number]]),
  ...(
    [
      ['平日', 'weekday'], ['月〜金', 'weekday'], ['土日', 'weekend'], ['土日祝', 'weekend'], ['週末', 'weekend'], ['休日', 'weekend'], ['土曜', 'weekend'], ['日曜', 'weekend'],
    ] as [string, (typeof DAY_KINDS)[number]][]
  ),
]);
const BAND_WORDS = new Map<string, (typeof TIME_BANDS)[number]>([
  ...TIME_BANDS.map((b) => [b, b] as [string, (typeof TIME_BANDS)[number]]),
  ...(
    [
      ['午前', 'morning'], ['朝', 'morning'], ['午後', 'afternoon'], ['昼', 'afternoon'], ['夕方', 'evening'], ['夜', 'evening'], ['夜間', 'evening'],
    ] as [string, (typeof TIME_BANDS)[number]][]
  ),
]);

/** A text cell within the API's limits (after NFKC and collapsing spaces for one-line texts). */
function text(value: string | undefined, what: string, max: number, required: boolean, oneLine = true): string {
  const normalised = oneLine ? normaliseText(value ?? '') : (value ?? '').normalize('NFKC').trim();
  if (required && !normalised) throw new RowRejected(`${what} is missing`);
  if (normalised.length > max) throw new RowRejected(`${what} is longer than ${max} characters`);
  return normalised;
}

/** A day as Excel writes it (2026-05-01, 2026/5/1), checked against the calendar. */
function day(value: string | undefined, what: string): string | undefined {
  const v = normaliseText(value ?? '');
  if (!v) return undefined;
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(v);
  const iso = m && `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  if (!iso || new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) !== iso) throw new RowRejected(`${what} is not a date (YYYY-MM-DD)`);
  return iso;
}

function places(value: string | undefined): number {
  const v = normaliseText(value ?? '').replace(/[名人]$/, '');
  if (!v) return 1;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new RowRejected('places must be a whole number from 1 to 1000');
  return n;
}

function skills(value: string | undefined, what: string): string[] {
  const list = listCell(value);
  if (list.length > 30 || list.some((s) => s.length > 50)) throw new RowRejected(`${what}: at most 30, each at most 50 characters`);
  return list;
}

/** The organisation a row names: by normalised name, and by the row's ward when two groups share the name. */
function organisationFor(organisations: OrganisationsByName, name: string | undefined, ward: Ward): string {
  const named = organisations.get(normaliseTag(name ?? '')) ?? [];
  const candidates = named.length > 1 ? named.filter((o) => o.wardsServed.includes(ward)) : named;
  if (candidates.length === 0) throw new RowRejected(name?.trim() ? 'unknown organisation: import or register it first' : 'organisation is missing');
  if (candidates.length > 1) throw new RowRejected('several organisations have this name in this ward: check by hand');
  if (candidates[0].status !== 'active') throw new RowRejected('the organisation is deactivated');
  return candidates[0].id;
}

/**
 * Volunteer roles from the lists SDCs and the city keep (応援ナビ's listings, a ward's spreadsheet): each row is
 * a role of an organisation already in tsunagi, named as it is there. The same organisation, title (spaces aside)
 * and ward is the same role: a second row adds its themes and skills. Skills are made canonical by the decider, as over the API.
 */
export const OPPORTUNITY_IMPORT: ImportKind<OpportunityProfile, OpportunityCommand, OrganisationsByName> = {
  streamPrefix: 'opportunity-',
  decider: opportunityDecider as never,
  streamId: opportunityStreamId,
  async load(store: EventStore) {
    const organisations: OrganisationsByName = new Map();
    for (const { id, status, profile } of (await knownRecords(store, ORGANISATION_IMPORT)).values()) {
      const key = normaliseTag(profile.name);
      organisations.set(key, [...(organisations.get(key) ?? []), { id, status, wardsServed: profile.wardsServed }]);
    }
    return organisations;
  },
  toProfile: (c, organisations) => {
    const kind = c.kind?.trim() ? word(KIND_WORDS, c.kind, 'kind') : 'volunteer_role';
    if (kind !== 'volunteer_role') throw new RowRejected('only volunteer roles are imported; open pro-bono projects and collaborations through the API');
    const ward = word(WARD_WORDS, c.ward, 'ward');
    const startsOn = day(c.starts_on, 'starts_on');
    const endsOn = day(c.ends_on, 'ends_on');
    if (startsOn && endsOn && endsOn < startsOn) throw new RowRejected('ends_on is before starts_on');
    const note = text(c.note, 'note', 500, false);
    const details: VolunteerRoleDetails = {
      kind: 'volunteer_role',
      places: places(c.places),
      schedule: {
        ...(startsOn ? { startsOn } : {}),
        ...(endsOn ? { endsOn } : {}),
        ...(c.days?.trim() ? { days: words(DAY_WORDS, c.days, 'day kind') } : {}),
        ...(c.time_bands?.trim() ? { timeBands: words(BAND_WORDS, c.time_bands, 'time band') } : {}),
        ...(note ? { note } : {}),
      },
      requiredSkills: skills(c.required_skills, 'required_skills'),
      optionalSkills: skills(c.optional_skills, 'optional_skills'),
    };
    return {
      organisationId: organisationFor(organisations, c.organisation, ward),
      title: text(c.title, 'title', 200, true),
      description: text(c.description, 'description', 5000, false, false),
      ward,
      themes: words(THEME_WORDS, c.themes, 'theme'),
      details,
    };
  },
  // Titles compared without spaces: Japanese lists space words as they please.
  identity: (p) => ({ key: `${p.organisationId}|${normaliseTag(p.title).replace(/\s/g, '')}|${p.ward}`, contact: '' }),
  register: (opportunityId, profile, at) => ({ type: 'OpenOpportunity', opportunityId, ...profile, by: IMPORTER.subject, at }),
  merge: (opportunityId, existing, incoming, at) => {
    if (existing.details.kind !== 'volunteer_role' || incoming.details.kind !== 'volunteer_role') return undefined;
    const themes = union(existing.themes, incoming.themes) as Theme[];
    const details = {
      ...existing.details,
      requiredSkills: union(existing.details.requiredSkills, incoming.details.requiredSkills),
      optionalSkills: union(existing.details.optionalSkills, incoming.details.optionalSkills),
    };
    // Compared as the decider stores them (canonical), so a synonym of a stored skill adds nothing.
    const stored = new Set(normaliseSkills([...existing.details.requiredSkills, ...existing.details.optionalSkills]));
    const added = [...themes.filter((t) => !existing.themes.includes(t)), ...normaliseSkills([...details.requiredSkills, ...details.optionalSkills]).filter((s) => !stored.has(s))];
    return added.length ? { command: { type: 'UpdateOpportunity', opportunityId, changes: { themes, details }, by: IMPORTER.subject, at }, added } : undefined;
  },
};

/** The canonical columns of the opportunity import and the headers accepted for them (Japanese and English). */
export const OPPORTUNITY_COLUMNS = {
  organisation: ['団体', '団体名', '募集団体', 'organization', 'organisation name'],
  title: ['タイトル', '募集名', '活動名', 'name'],
  description: ['内容', '説明', '活動内容', 'details'],
  ward: ['区', '活動区', 'ward code'],
  themes: ['テーマ', '分野', 'theme'],
  kind: ['種類', '募集種別', 'type'],
  places: ['定員', '募集人数', '人数', 'positions'],
  required_skills: ['必要なスキル', '必須スキル', 'required skills', 'skills'],
  optional_skills: ['歓迎スキル', 'あれば尚可', 'optional skills', 'nice to have'],
  days: ['曜日', '活動日', 'day'],
  time_bands: ['時間帯', 'time band', 'time'],
  starts_on: ['開始日', '期間開始', 'start', 'starts'],
  ends_on: ['終了日', '期間終了', 'end', 'ends'],
  note: ['備考', '日時', 'schedule note', 'notes'],
} as const;

