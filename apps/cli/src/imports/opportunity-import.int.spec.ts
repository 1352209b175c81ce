import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fold } from '@tsunagi/domain';
import { SqliteEventStore, SystemClock } from '@tsunagi/event-store';
import { OpportunityEvent, opportunityDecider } from '@tsunagi/matching';
import { CommandExecutor } from '@tsunagi/platform';
import { readCsv } from './csv-rows';
import { OPPORTUNITY_COLUMNS, OPPORTUNITY_IMPORT } from './opportunity-import';
import { ORGANISATION_COLUMNS, ORGANISATION_IMPORT, RowOutcome, importRows } from './participant-import';

const csv = (lines: string[]) => Buffer.from(`\uFEFF${lines.join('\r\n')}`, 'utf8');
const idOf = (outcome: RowOutcome) => (outcome as { id: string }).id;

describe('importing volunteer roles from the city’s lists (real SQLite store)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagi-import-roles-'));
  let store: SqliteEventStore;
  let executor: CommandExecutor;
  let organisations: { kodomo: string; bousaiTakatsu: string; bousaiAsao: string };

  beforeEach(async () => {
    store = new SqliteEventStore({ path: join(dir, `events-${Date.now()}-${Math.random()}.sqlite`), durability: 'normal' });
    executor = new CommandExecutor(store, new SystemClock());
    const rows = readCsv(
      csv([
        '名称,種別,区,テーマ,メール',
        'なかはら子ども食堂,NPO法人,中原区,子育て,info@kodomo.example.jp',
        '防災ネット,市民活動団体,高津区,防災,takatsu@bousai.example.jp',
        '防災ネット,市民活動団体,麻生区,防災,asao@bousai.example.jp', // the same name in another ward: another group
      ]),
      ORGANISATION_COLUMNS,
      ['name', 'type', 'ward'],
    );
    const [kodomo, bousaiTakatsu, bousaiAsao] = (await importRows(store, executor, ORGANISATION_IMPORT, rows)).map(idOf);
    organisations = { kodomo, bousaiTakatsu, bousaiAsao };
  });
  afterEach(() => store.close());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const opportunity = async (id: string) => fold(opportunityDecider, (await store.readStream(`opportunity-${id}`)) as unknown as OpportunityEvent[]);

  it('opens each listed role once, with canonical skills and its schedule, merges what a duplicate adds, refuses bad rows, and re-runs without writing', async () => {
    const rows = readCsv(
      csv([
        '団体,タイトル,内容,区,テーマ,定員,必要なスキル,歓迎スキル,曜日,時間帯,開始日,終了日,備考',
        'なかはら子ども食堂,子ども食堂の調理スタッフ,土曜の昼食づくり,中原区,子育て,3名,料理;ＩＴ,,土日,午前,2026/5/1,2026-09-30,毎週土曜 10時〜13時',
        'なかはら子ども食堂,子ども食堂の調理スタッフ,,中原,子育て;福祉,3,調理,写真,,,,,', // the same role from another list: adds a theme and a skill
        'なかはら子ども食堂,子ども食堂の 調理スタッフ,,中原区,,3,クッキング,,,,,,', // the same again (a synonym, spacing): nothing new
        '防災ネット,防災訓練のサポート,,麻生区,防災,5,,,平日,夜,,,', // two groups share the name: the row's ward picks one
        'みやまえ体操クラブ,体操の補助,,宮前区,スポーツ,2,,,,,,,', // not in tsunagi yet
        'なかはら子ども食堂,配膳,,中原区,,0,,,,,,,', // no places
        'なかはら子ども食堂,片付け,,中原区,,2,,,,,2026-02-30,,', // not a date
        'なかはら子ども食堂,夜の見守り,,中原区,,2,,,毎日,,,,', // an unknown day kind
      ]),
      OPPORTUNITY_COLUMNS,
      ['organisation', 'title', 'ward'],
    );
    const outcomes = await importRows(store, executor, OPPORTUNITY_IMPORT, rows);
    expect(outcomes.map((o) => [o.line, o.outcome, o.outcome === 'rejected' ? o.reason : undefined])).toEqual([
      [2, 'created', undefined],
      [3, 'merged', undefined],
      [4, 'unchanged', undefined],
      [5, 'created', undefined],
      [6, 'rejected', 'unknown organisation: import or register it first'],
      [7, 'rejected', 'places must be a whole number from 1 to 1000'],
      [8, 'rejected', 'starts_on is not a date (YYYY-MM-DD)'],
      [9, 'rejected', 'unknown day kind'],
    ]);
    expect(outcomes[1]).toMatchObject({ id: idOf(outcomes[0]), added: ['welfare', 'photography'] });

    const role = await opportunity(idOf(outcomes[0]));
    expect(role).toMatchObject({
      status: 'open',
      profile: {
        organisationId: organisations.kodomo,
        title: '子ども食堂の調理スタッフ',
        description: '土曜の昼食づくり',
        ward: 'nakahara',
        themes: ['child_rearing', 'welfare'],
        details: {
          kind: 'volunteer_role',
          places: 3,
          schedule: { startsOn: '2026-05-01', endsOn: '2026-09-30', days: ['weekend'], timeBands: ['morning'], note: '毎週土曜 10時〜13時' },
          requiredSkills: ['cooking', 'it'],
          optionalSkills: ['photography'],
        },
      },
    });
    expect((await opportunity(idOf(outcomes[3]))).profile).toMatchObject({ organisationId: organisations.bousaiAsao, details: { schedule: { days: ['weekday'], timeBands: ['evening'] } } });

    // The same file again (or after a crash half-way): nothing new is written.
    const head = await store.headPosition();
    const again = await importRows(store, executor, OPPORTUNITY_IMPORT, rows);
    expect(again.map((o) => o.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged', 'rejected', 'rejected', 'rejected', 'rejected']);
    expect(await store.headPosition()).toBe(head);
  });

  it('imports volunteer roles only, and a dry run writes nothing', async () => {
    const rows = readCsv(
      csv(['organisation,title,ward,type', '防災ネット,Website redesign,takatsu,プロボノ', '防災ネット,Evacuation drill helpers,takatsu,']),
      OPPORTUNITY_COLUMNS,
      ['organisation', 'title', 'ward'],
    );
    const head = await store.headPosition();
    const outcomes = await importRows(store, executor, OPPORTUNITY_IMPORT, rows, { dryRun: true });
    expect(outcomes.map((o) => o.outcome)).toEqual(['rejected', 'created']);
    expect(outcomes[0]).toMatchObject({ reason: expect.stringMatching(/only volunteer roles/) });
    expect(await store.headPosition()).toBe(head);
  });
});
