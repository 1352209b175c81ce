import request from 'supertest';
import type { TestApi } from './test-api';

export const personBody = (overrides: Record<string, unknown> = {}) => ({
  displayName: '川崎 花子',
  contactEmail: `hanako.${Math.random().toString(36).slice(2)}@example.jp`,
  ward: 'nakahara',
  skills: ['調理', 'ＩＴ'],
  themes: ['child_rearing'],
  availability: { days: ['weekend'], timeBands: ['morning'], hoursPerMonth: 8 },
  languages: ['ja'],
  proBono: { offers: false, professions: [] },
  preferredLanguage: 'ja',
  consents: { mayBeContacted: true, visibleToOtherWards: false },
  ...overrides,
});

export const organisationBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'NPO法人 なかはら子ども食堂',
  type: 'npo',
  wardsServed: ['nakahara'],
  themes: ['child_rearing'],
  contactEmail: 'info@nakahara-kodomo.example.jp',
  description: '毎週土曜に子ども食堂を開いています。',
  ...overrides,
});

export const volunteerRoleBody = (organisationId: string, places = 2, overrides: Record<string, unknown> = {}) => ({
  organisationId,
  title: '子ども食堂の調理スタッフ',
  description: '土曜の朝、調理を手伝ってください。',
  ward: 'nakahara',
  themes: ['child_rearing'],
  details: { kind: 'volunteer_role', places, schedule: { days: ['weekend'], timeBands: ['morning'] }, requiredSkills: ['調理'], optionalSkills: ['ＩＴ'] },
  ...overrides,
});

/** Setting up through the API, as an admin would. */
const HOUR = 3600_000;
/** Times relative to now (the API runs on the real clock). */
const fromNow = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

/** A meeting scheduled directly by the SDC's coordinator, which started half an hour ago (so it can be closed now). */
export const heldMeetingBody = () => ({
  title: 'YORIAI 子育てと食',
  themes: ['child_rearing'],
  purpose: '子どもの食について話しましょう',
  preferredDates: [],
  format: { mode: 'in_person', venue: '中原市民館' },
  capacity: 30,
  newcomersWelcome: true,
  schedule: { startsAt: fromNow(-HOUR / 2), endsAt: fromNow(1.5 * HOUR), format: { mode: 'in_person', venue: '中原市民館' }, capacity: 30 },
});

export async function registerPerson(api: TestApi, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await request(api.app.getHttpServer()).post('/api/people').set('Authorization', api.bearer({ role: 'admin' })).send(personBody(overrides));
  if (res.status !== 201) throw new Error(`registerPerson: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.personId;
}

export async function registerOrganisation(api: TestApi, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await request(api.app.getHttpServer()).post('/api/organisations').set('Authorization', api.bearer({ role: 'admin' })).send(organisationBody(overrides));
  if (res.status !== 201) throw new Error(`registerOrganisation: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.organisationId;
}
