import { v5 as uuidv5 } from 'uuid';
import { DomainError, Decider, DomainEvent, Principal, THEMES, Theme, WARDS, WARD_NAMES, Ward, fold, normaliseTag } from '@tsunagi/domain';
import { EventStore } from '@tsunagi/event-store';
import {
  ORGANISATION_TYPES,
  OrganisationCommand,
  OrganisationProfile,
  OrganisationType,
  PersonCommand,
  PersonProfile,
  organisationDecider,
  organisationStreamId,
  personDecider,
  personStreamId,
} from '@tsunagi/participants';
import { CommandExecutor } from '@tsunagi/platform';
import { CsvRow, RowRejected, flagCell, listCell } from './csv-rows';

/** What became of one row. */
export type RowOutcome =
  | { line: number; outcome: 'created'; id: string }
  | { line: number; outcome: 'merged'; id: string; added: string[] }
  | { line: number; outcome: 'unchanged'; id: string }
  | { line: number; outcome: 'rejected'; reason: string; id?: string };

const IMPORT_NAMESPACE = '9a4c2e71-3b5d-4f8a-a6e0-1c7d9b2f4e58';
export const IMPORTER: Principal = { subject: 'import', role: 'admin', wards: [], organisationIds: [] };

export const WARD_WORDS = new Map<string, Ward>(WARDS.flatMap((w) => [[w, w], [WARD_NAMES[w].ja, w], [WARD_NAMES[w].ja.replace(/区$/, ''), w], [WARD_NAMES[w].en.toLowerCase(), w]] as [string, Ward][]));
export const THEME_WORDS = new Map<string, Theme>([
  ...THEMES.map((t) => [t, t] as [string, Theme]),
  ...(
    [
      ['子育て', 'child_rearing'], ['子ども', 'child_rearing'], ['高齢者', 'elderly'], ['防災', 'disaster_prevention'], ['環境', 'environment_green'],
      ['緑化', 'environment_green'], ['みどり', 'environment_green'], ['まちづくり', 'town_making'], ['文化', 'culture'], ['スポーツ', 'sports'],
      ['多文化', 'multicultural'], ['国際交流', 'multicultural'], ['福祉', 'welfare'], ['教育', 'education'], ['学習', 'education'], ['健康', 'health'], ['その他', 'other'],
    ] as [string, Theme][]
  ),
]);
const ORGANISATION_TYPE_WORDS = new Map<string, OrganisationType>([
  ...ORGANISATION_TYPES.map((t) => [t, t] as [string, OrganisationType]),
  ...(
    [
      ['町内会', 'neighbourhood_association'], ['自治会', 'neighbourhood_association'], ['npo', 'npo'], ['npo法人', 'npo'], ['市民活動団体', 'civic_group'],
      ['サークル', 'civic_group'], ['企業', 'company'], ['会社', 'company'], ['大学', 'university'], ['地区社協', 'district_welfare_council'],
      ['地区社会福祉協議会', 'district_welfare_council'], ['商店会', 'shopping_street'], ['商店街', 'shopping_street'], ['まちのひろば', 'machi_no_hiroba_operator'], ['区役所', 'ward_office'],
    ] as [string, OrganisationType][]
  ),
]);

export function word<T>(words: Map<string, T>, value: string | undefined, what: string): T {
  const found = words.get(normaliseTag(value ?? ''));
  if (found === undefined) throw new RowRejected(value?.trim() ? `unknown ${what}` : `${what} is missing`);
  return found;
}
export const words = <T>(map: Map<string, T>, value: string | undefined, what: string) => [...new Set(listCell(value).map((v) => word(map, v, what)))];

/**
 * What an import of one kind needs: how a row becomes a profile, what makes two records the same (normalised
 * name + ward, confirmed by the contact address), and how new facts from a duplicate are merged.
 */
export interface ImportKind<Profile, Command, Context = void> {
  streamPrefix: string;
  decider: Decider<{ profile?: Profile; status: string }, Command, DomainEvent>;
  streamId(id: string): string;
  /** What rows are read against, loaded once per import (for opportunities: the organisations by name). */
  load?(store: EventStore): Promise<Context>;
  toProfile(cells: Record<string, string>, context: Context): Profile;
  identity(profile: Profile): { key: string; contact: string };
  register(id: string, profile: Profile, at: string): Command;
  /** The lists a duplicate may add to (themes, skills…): an update carrying their union, or nothing new. */
  merge(id: string, existing: Profile, incoming: Profile, at: string): { command: Command; added: string[] } | undefined;
}

export const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];
const normalisedEmail = (email: string) => normaliseTag(email);

export const ORGANISATION_IMPORT: ImportKind<OrganisationProfile, OrganisationCommand> = {
  streamPrefix: 'organisation-',
  decider: organisationDecider as never,
  streamId: organisationStreamId,
  toProfile: (c) => {
    const ward = word(WARD_WORDS, c.ward, 'ward');
    return {
      name: c.name ?? '',
      type: word(ORGANISATION_TYPE_WORDS, c.type, 'organisation type'),
      wardsServed: union([ward], words(WARD_WORDS, c.wards_served, 'ward')) as Ward[],
      themes: words(THEME_WORDS, c.themes, 'theme'),
      contactEmail: c.email ?? '',
      description: c.description ?? '',
    };
  },
  identity: (p) => ({ key: `${normaliseTag(p.name)}|${p.wardsServed[0]}`, contact: normalisedEmail(p.contactEmail) }),
  register: (organisationId, profile, at) => ({ type: 'RegisterOrganisation', organisationId, profile, by: IMPORTER.subject, at }),
  merge: (organisationId, existing, incoming, at) => {
    const themes = union(existing.themes, incoming.themes) as Theme[];
    const wardsServed = WARDS.filter((w) => existing.wardsServed.includes(w) || incoming.wardsServed.includes(w));
    const added = [...themes.filter((t) => !existing.themes.includes(t)), ...wardsServed.filter((w) => !existing.wardsServed.includes(w))];
    return added.length ? { command: { type: 'UpdateOrganisation', organisationId, changes: { themes, wardsServed }, by: IMPORTER.subject, at }, added } : undefined;
  },
};

export const PERSON_IMPORT: ImportKind<PersonProfile, PersonCommand> = {
  streamPrefix: 'person-',
  decider: personDecider as never,
  streamId: personStreamId,
  toProfile: (c) => ({
    displayName: c.name ?? '',
    contactEmail: c.email ?? '',
    ward: word(WARD_WORDS, c.ward, 'ward'),
    skills: listCell(c.skills),
    themes: words(THEME_WORDS, c.themes, 'theme'),
    availability: { days: [], timeBands: [], hoursPerMonth: 0 },
    languages: (listCell(c.languages).length ? listCell(c.languages) : ['ja']) as PersonProfile['languages'],
    proBono: { offers: false, professions: [] },
    preferredLanguage: normaliseTag(c.preferred_language ?? '') === 'en' ? 'en' : 'ja',
    // APPI: without a recorded yes, nobody may contact them and other wards do not see them.
    consents: { mayBeContacted: flagCell(c.may_be_contacted, false), visibleToOtherWards: flagCell(c.visible_to_other_wards, false) },
  }),
  identity: (p) => ({ key: `${normaliseTag(p.displayName)}|${p.ward}`, contact: normalisedEmail(p.contactEmail) }),
  register: (personId, profile, at) => ({ type: 'RegisterPerson', personId, profile, by: IMPORTER.subject, at }),
  merge: (personId, existing, incoming, at) => {
    const skills = union(existing.skills, incoming.skills);
    const themes = union(existing.themes, incoming.themes) as Theme[];
    const added = [...skills.filter((s) => !existing.skills.includes(s)), ...themes.filter((t) => !existing.themes.includes(t))];
    return added.length ? { command: { type: 'UpdatePersonProfile', personId, changes: { skills, themes }, by: IMPORTER.subject, at }, added } : undefined;
  },
};

/**
 * Imports rows one command each, so every row is whole or absent and a bad row never stops the good ones. A row
 * whose normalised name and ward match a record (already stored, or earlier in the file) with the same contact
 * address is that record: its new themes or skills are merged in. Same name and ward with another address is
 * refused for a person to decide. New records get ids derived from their identity, so a re-run (or a run after
 * a crash) finds them instead of writing them twice.
 */
export async function importRows<Profile, Command, Context>(
  store: EventStore,
  executor: CommandExecutor,
  kind: ImportKind<Profile, Command, Context>,
  rows: CsvRow[],
  options: { dryRun?: boolean; onProgress?: (done: number, total: number) => void } = {},
): Promise<RowOutcome[]> {
  const known = await knownRecords(store, kind);
  const context = (await kind.load?.(store)) as Context;
  const outcomes: RowOutcome[] = [];
  const commandContext = (line: number) => ({ principal: IMPORTER, correlationId: `import-${kind.streamPrefix}`, causationId: `line-${line}` });
  for (const [index, { line, cells }] of rows.entries()) {
    options.onProgress?.(index, rows.length);
    let profile: Profile;
    try {
      profile = kind.toProfile(cells, context);
    } catch (error) {
      if (!(error instanceof RowRejected)) throw error;
      outcomes.push({ line, outcome: 'rejected', reason: error.message });
      continue;
    }
    const { key, contact } = kind.identity(profile);
    const existing = known.get(key);
    try {
      if (existing) {
        if (existing.contact && contact && existing.contact !== contact) {
          outcomes.push({ line, outcome: 'rejected', id: existing.id, reason: 'same name and ward as an existing record with another contact address: check by hand' });
          continue;
        }
        const merge = kind.merge(existing.id, existing.profile, profile, new Date().toISOString());
        if (!merge) {
          outcomes.push({ line, outcome: 'unchanged', id: existing.id });
          continue;
        }
        if (!options.dryRun) await executor.execute(kind.decider, kind.streamId(existing.id), commandContext(line), { command: (at) => kind.merge(existing.id, existing.profile, profile, at)!.command });
        existing.profile = { ...existing.profile, ...(merge.command as { changes: Partial<Profile> }).changes };
        outcomes.push({ line, outcome: 'merged', id: existing.id, added: merge.added });
        continue;
      }
      const id = uuidv5(`${kind.streamPrefix}${key}|${contact}`, IMPORT_NAMESPACE);
      // The decider validates (and normalises) the profile; a dry run asks it without writing.
      if (options.dryRun) kind.decider.decide(kind.register(id, profile, new Date().toISOString()), kind.decider.initialState());
      else await executor.execute(kind.decider, kind.streamId(id), commandContext(line), { command: (at) => kind.register(id, profile, at) });
      known.set(key, { id, contact, profile, status: 'new' });
      outcomes.push({ line, outcome: 'created', id });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      outcomes.push({ line, outcome: 'rejected', reason: error.params.field ? `invalid ${error.params.field}` : error.code });
    }
  }
  options.onProgress?.(rows.length, rows.length);
  return outcomes;
}

/** Every stored record of this kind by identity (deactivated ones too: re-importing them must not duplicate). */
export async function knownRecords<Profile, Command, Context>(store: EventStore, kind: ImportKind<Profile, Command, Context>) {
  const streams = new Map<string, DomainEvent[]>();
  for (const event of await store.readAll({ filter: { streamPrefixes: [kind.streamPrefix] } })) {
    streams.set(event.streamId, [...(streams.get(event.streamId) ?? []), event as DomainEvent]);
  }
  const known = new Map<string, { id: string; contact: string; profile: Profile; status: string }>();
  for (const [streamId, events] of streams) {
    const state = fold(kind.decider, events);
    if (!state.profile) continue;
    const { key, contact } = kind.identity(state.profile);
    known.set(key, { id: streamId.slice(kind.streamPrefix.length), contact, profile: state.profile, status: state.status });
  }
  return known;
}

/** The canonical columns of each import and the headers accepted for them (Japanese and English). */
export const ORGANISATION_COLUMNS = {
  name: ['名称', '団体名', 'organisation', 'organization'],
  type: ['種別', '団体種別', 'kind'],
  ward: ['区', 'ward code'],
  wards_served: ['活動区', 'wards served', 'wards'],
  themes: ['テーマ', '分野', 'theme'],
  email: ['メール', '連絡先', '連絡先メール', 'contact', 'contact email', 'e-mail'],
  description: ['説明', '活動内容', 'notes'],
} as const;

export const PERSON_COLUMNS = {
  name: ['氏名', '名前', 'display name', 'display_name'],
  email: ['メール', '連絡先', 'contact', 'contact email', 'e-mail'],
  ward: ['区', 'ward code'],
  skills: ['スキル', '特技', 'skill'],
  themes: ['テーマ', '関心', 'theme', 'interests'],
  languages: ['言語', 'language'],
  preferred_language: ['通知言語', 'preferred language'],
  may_be_contacted: ['連絡可', '連絡してよい', 'may be contacted', 'contact ok'],
  visible_to_other_wards: ['他区に公開', 'visible to other wards'],
} as const;

