/** Themes of interest and of activities (DOMAIN.md), as stable codes; labels are for the UI. */
export const THEMES = [
  'child_rearing',
  'elderly',
  'disaster_prevention',
  'environment_green',
  'town_making',
  'culture',
  'sports',
  'multicultural',
  'welfare',
  'education',
  'health',
  'other',
] as const;
export type Theme = (typeof THEMES)[number];
