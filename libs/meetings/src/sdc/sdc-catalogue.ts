import { v5 as uuidv5 } from 'uuid';
import type { Ward } from '@tsunagi/domain';

export interface SdcRecord {
  ward: Ward;
  name: { ja: string; en: string };
  /** YYYY-MM the SDC began. */
  since: string;
  /** Who runs it and in what style (seed 001, chapter 4). */
  runBy: string;
  style: string;
  signatureActivity: string;
}

/** Kawasaki's seven ward Social Design Centers, all running since 2024 (DOMAIN.md). */
export const SDC_CATALOGUE: readonly SdcRecord[] = [
  { ward: 'kawasaki', name: { ja: 'かわさき区ソーシャルデザインセンター', en: 'Kawasaki Ward SDC' }, since: '2024-04', runBy: 'secretariat', style: 'secretariat with core and partner members', signatureActivity: 'まちのひろば start-up support; mutual-aid consultation matching member groups' },
  { ward: 'saiwai', name: { ja: '幸区ソーシャルデザインセンター', en: 'Saiwai Ward SDC' }, since: '2021-01', runBy: 'company', style: 'run by a company (e-town)', signatureActivity: '「まちのおと」 at a town café: know, learn, consult, discuss, connect' },
  { ward: 'nakahara', name: { ja: '中原区ソーシャルデザインセンター', en: 'Nakahara Ward SDC' }, since: '2022-10', runBy: 'network', style: 'loose bring-your-own network', signatureActivity: 'monthly open meeting 「YORIAI」, themed groups, Slack' },
  { ward: 'takatsu', name: { ja: '高津区ソーシャルデザインセンター', en: 'Takatsu Ward SDC' }, since: '2023-04', runBy: 'several mechanisms', style: 'several mechanisms together', signatureActivity: 'consultation desk, まちづくりカフェたかつ, あすLABO, たかつデザインラボ' },
  { ward: 'miyamae', name: { ja: '宮前区ソーシャルデザインセンター', en: 'Miyamae Ward SDC' }, since: '2023-06', runBy: 'network', style: 'loose bring-your-own network', signatureActivity: '「みやまえBASE」 events, monthly planning meeting' },
  { ward: 'tama', name: { ja: '多摩区ソーシャルデザインセンター', en: 'Tama Ward SDC' }, since: '2020-03', runBy: 'general incorporated association', style: 'general incorporated association', signatureActivity: 'monthly plenary, weekly student café, マルシェ, children’s cafeteria' },
  { ward: 'asao', name: { ja: '麻生区ソーシャルデザインセンター', en: 'Asao Ward SDC' }, since: '2024-04', runBy: 'NPO', style: 'run by an NPO', signatureActivity: 'まちのひろば festival, outreach car 「SDC-Car」, courses' },
];

const SDC_NAMESPACE = '2f6c8f0e-0b7d-4d7b-8c1e-5a3b9d2e7f10';

/** Each SDC is also an organisation (type `sdc`) so it can own opportunities, e.g. a spin-off's roles. Same id everywhere. */
export function sdcOrganisationId(ward: Ward): string {
  return uuidv5(`sdc-organisation:${ward}`, SDC_NAMESPACE);
}

export const sdcStreamId = (ward: Ward) => `sdc-${ward}`;
