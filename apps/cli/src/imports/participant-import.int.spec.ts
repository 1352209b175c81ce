import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fold } from '@tsunagi/domain';
import { SqliteEventStore, SystemClock } from '@tsunagi/event-store';
import { OrganisationEvent, PersonEvent, organisationDecider, personDecider } from '@tsunagi/participants';
import { CommandExecutor } from '@tsunagi/platform';
import { CsvFileError, readCsv } from './csv-rows';
import { ORGANISATION_COLUMNS, ORGANISATION_IMPORT, PERSON_COLUMNS, PERSON_IMPORT, importRows } from './participant-import';

const csv = (text: string) => Buffer.from(`\uFEFF${text}`, 'utf8');
/** `名称,種別,区,テーマ,メール` and one row, as Excel on a Japanese PC saves it (Shift_JIS, CRLF). */
const SHIFT_JIS = Buffer.from(
  '96bc8fcc2c8eed95ca2c8be62c8365815b837d2c8381815b838b0d0a82c882a982cd82e78e7182c782e0904893b02c4e504f9640906c2c92868cb48be62c8e7188e782c42c696e666f406b6f646f6d6f2e6578616d706c652e6a700d0a',
  'hex',
);

describe('importing the city’s lists (real SQLite store)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagi-import-'));
  let store: SqliteEventStore;
  let executor: CommandExecutor;

  beforeEach(() => {
    store = new SqliteEventStore({ path: join(dir, `events-${Date.now()}-${Math.random()}.sqlite`), durability: 'normal' });
    executor = new CommandExecutor(store, new SystemClock());
  });
  afterEach(() => store.close());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const organisations = async () => {
    const byStream = new Map<string, OrganisationEvent[]>();
    for (const e of await store.readAll({ filter: { streamPrefixes: ['organisation-'] } })) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e as unknown as OrganisationEvent]);
    return [...byStream.values()].map((events) => fold(organisationDecider, events).profile!);
  };

  it('reads Shift_JIS with Japanese headers and UTF-8 with a BOM alike', () => {
    const rows = readCsv(SHIFT_JIS, ORGANISATION_COLUMNS, ['name', 'type', 'ward']);
    expect(rows).toEqual([{ line: 2, cells: { name: 'なかはら子ども食堂', type: 'NPO法人', ward: '中原区', themes: '子育て', email: 'info@kodomo.example.jp' } }]);
    expect(readCsv(csv('Name,Type,Ward\r\nA,npo,tama\r\n'), ORGANISATION_COLUMNS, ['name', 'type', 'ward'])[0].cells).toEqual({ name: 'A', type: 'npo', ward: 'tama' });
    expect(() => readCsv(csv('名称,種別,区,電話\r\nA,npo,tama,044\r\n'), ORGANISATION_COLUMNS, [])).toThrow(new CsvFileError('unknown columns: 電話 (known: name, type, ward, wards_served, themes, email, description)'));
    expect(() => readCsv(csv('名称,区\r\nA,tama\r\n'), ORGANISATION_COLUMNS, ['name', 'type', 'ward'])).toThrow(/missing columns: type/);
  });

  it('de-duplicates by normalised name + ward + contact, merges what a duplicate adds, reports every row, and re-runs without duplicating', async () => {
    const file = csv(
      [
        '名称,種別,区,テーマ,メール',
        'なかはら子ども食堂,NPO法人,中原区,子育て,info@kodomo.example.jp',
        'ＮＰＯ法人 たかつ防災ネット,市民活動団体,高津,防災、まちづくり,bousai@example.jp', // full-width letters in the name
        'なかはら子ども食堂,NPO法人,中原,子育て;福祉,INFO@kodomo.example.jp', // the same group from another list: adds a theme
        'NPO法人 たかつ防災ネット,civic_group,takatsu,防災,bousai@example.jp', // the same, half-width: nothing new
        'なかはら子ども食堂,NPO法人,中原区,子育て,other@example.jp', // same name and ward, another address: for a person to check
        'みやまえ体操クラブ,サークル,宮前区,スポーツ,not-an-address', // invalid e-mail: refused by the decider
        '麻生みどりの会,市民活動団体,横浜市,環境,green@example.jp', // not a Kawasaki ward
        'あさお商店会,商店会,麻生区,まちづくり,shoten@example.jp',
      ].join('\r\n'),
    );
    const rows = readCsv(file, ORGANISATION_COLUMNS, ['name', 'type', 'ward']);
    const outcomes = await importRows(store, executor, ORGANISATION_IMPORT, rows);
    expect(outcomes.map((o) => [o.line, o.outcome])).toEqual([
      [2, 'created'],
      [3, 'created'],
      [4, 'merged'],
      [5, 'unchanged'],
      [6, 'rejected'],
      [7, 'rejected'],
      [8, 'rejected'],
      [9, 'created'],
    ]);
    expect(outcomes[2]).toMatchObject({ id: (outcomes[0] as { id: string }).id, added: ['welfare'] });
    expect(outcomes[4]).toMatchObject({ id: (outcomes[0] as { id: string }).id, reason: expect.stringMatching(/another contact address/) });
    expect(outcomes[5]).toMatchObject({ reason: 'invalid contactEmail' });
    expect(outcomes[6]).toMatchObject({ reason: 'unknown ward' });

    const stored = await organisations();
    expect(stored).toHaveLength(3);
    expect(stored.find((o) => o.name === 'なかはら子ども食堂')).toMatchObject({ type: 'npo', wardsServed: ['nakahara'], themes: ['child_rearing', 'welfare'] });
    expect(stored.find((o) => o.name === 'NPO法人 たかつ防災ネット')).toMatchObject({ type: 'civic_group', themes: ['disaster_prevention', 'town_making'] });

    // The same file again (or after a crash half-way): nothing new is written.
    const head = await store.headPosition();
    const again = await importRows(store, executor, ORGANISATION_IMPORT, rows);
    expect(again.map((o) => o.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged', 'rejected', 'rejected', 'rejected', 'unchanged']);
    expect(await store.headPosition()).toBe(head);
  });

  it('a dry run checks every row and writes nothing', async () => {
    const rows = readCsv(csv('name,type,ward,email\r\nA会,npo,tama,a@example.jp\r\nB会,npo,tama,bad\r\n'), ORGANISATION_COLUMNS, ['name', 'type', 'ward']);
    const outcomes = await importRows(store, executor, ORGANISATION_IMPORT, rows, { dryRun: true });
    expect(outcomes.map((o) => o.outcome)).toEqual(['created', 'rejected']);
    expect(await store.headPosition()).toBe(0);
  });

  it('imports people with consent only where the list records it, merging skills of a duplicate', async () => {
    const rows = readCsv(
      csv(
        [
          '氏名,メール,区,スキル,テーマ,連絡可',
          '川崎 花子,hanako@example.jp,中原区,料理,子育て,はい',
          '幸 太郎,taro@example.jp,幸区,IT,,',
          '川崎　花子,hanako@example.jp,中原区,保育,,はい', // ideographic space: the same person; adds a skill
        ].join('\r\n'),
      ),
      PERSON_COLUMNS,
      ['name', 'email', 'ward'],
    );
    const outcomes = await importRows(store, executor, PERSON_IMPORT, rows);
    expect(outcomes.map((o) => o.outcome)).toEqual(['created', 'created', 'merged']);
    const people = new Map<string, PersonEvent[]>();
    for (const e of await store.readAll({ filter: { streamPrefixes: ['person-'] } })) people.set(e.streamId, [...(people.get(e.streamId) ?? []), e as unknown as PersonEvent]);
    const profiles = [...people.values()].map((events) => fold(personDecider, events).profile!);
    expect(profiles).toHaveLength(2);
    expect(profiles.find((p) => p.contactEmail === 'hanako@example.jp')).toMatchObject({ skills: ['cooking', 'childcare'], consents: { mayBeContacted: true, visibleToOtherWards: false } });
    // No recorded consent: nobody may contact them.
    expect(profiles.find((p) => p.contactEmail === 'taro@example.jp')!.consents.mayBeContacted).toBe(false);
  });
});
