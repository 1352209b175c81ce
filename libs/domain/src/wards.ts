/** Kawasaki's seven wards (DOMAIN.md). */
export const WARDS = ['kawasaki', 'saiwai', 'nakahara', 'takatsu', 'miyamae', 'tama', 'asao'] as const;
export type Ward = (typeof WARDS)[number];

export const WARD_NAMES: Record<Ward, { ja: string; en: string }> = {
  kawasaki: { ja: '川崎区', en: 'Kawasaki' },
  saiwai: { ja: '幸区', en: 'Saiwai' },
  nakahara: { ja: '中原区', en: 'Nakahara' },
  takatsu: { ja: '高津区', en: 'Takatsu' },
  miyamae: { ja: '宮前区', en: 'Miyamae' },
  tama: { ja: '多摩区', en: 'Tama' },
  asao: { ja: '麻生区', en: 'Asao' },
};

const ADJACENT: readonly [Ward, Ward][] = [
  ['kawasaki', 'saiwai'],
  ['saiwai', 'nakahara'],
  ['nakahara', 'takatsu'],
  ['takatsu', 'miyamae'],
  ['takatsu', 'tama'],
  ['miyamae', 'tama'],
  ['miyamae', 'asao'],
  ['tama', 'asao'],
];

export function areAdjacentWards(a: Ward, b: Ward): boolean {
  return ADJACENT.some(([x, y]) => (x === a && y === b) || (x === b && y === a));
}

export function isWard(value: unknown): value is Ward {
  return typeof value === 'string' && (WARDS as readonly string[]).includes(value);
}
