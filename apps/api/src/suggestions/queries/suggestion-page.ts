import type { Principal } from '@tsunagi/domain';
import { WARDS } from '@tsunagi/domain';
import { ApiError, Language } from '@tsunagi/platform';
import type { PeopleScope, RankCursor, Ranked, SuggestionPolicy, SuggestionRequest } from '@tsunagi/suggestions';
import type { SuggestionsRequestDto } from './suggestions.request.dto';

/** The cursor of a ranked page: the last item's score and id, so the next page starts right after it. */
export function encodeCursor(score: number, id: string): string {
  return Buffer.from(JSON.stringify([score, id])).toString('base64url');
}

export function decodeCursor(after: string | undefined): RankCursor | undefined {
  if (after === undefined) return undefined;
  try {
    const [score, id] = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as unknown[];
    if (typeof score === 'number' && Number.isFinite(score) && typeof id === 'string' && id.length <= 64) return { score, id };
  } catch {
    // falls through to the 400 below
  }
  throw new ApiError(400, 'validation.failed', {}, { errors: [{ field: 'after', rules: ['isSuggestionCursor'] }] });
}

export function suggestionRequest(q: SuggestionsRequestDto, policy: SuggestionPolicy, language: Language): SuggestionRequest {
  return { policy, language, limit: q.limit + 1, after: decodeCursor(q.after), ward: q.ward, skill: q.skill, theme: q.theme };
}

/** Admins see everyone; a coordinator the people of their wards and those who agreed to be visible to other wards. */
export function peopleScopeOf(principal: Principal): PeopleScope {
  if (principal.role === 'admin') return { all: true };
  return { wardMask: principal.wards.reduce((mask, ward) => ((WARDS as readonly string[]).includes(ward) ? mask | (1 << WARDS.indexOf(ward as never)) : mask), 0) };
}

export interface SuggestionPage<T> {
  policy: string;
  items: (T & { score: number; explanation: Ranked<T>['explanation'] })[];
  nextCursor?: string;
}

/** One page of a ranking fetched with one item more than asked, to know whether there is a next page. */
export function suggestionPage<T>(ranked: Ranked<T>[], limit: number, policy: SuggestionPolicy, idOf: (item: T) => string): SuggestionPage<T> {
  const items = ranked.slice(0, limit).map((r) => ({ ...r.item, score: r.score, explanation: r.explanation }));
  const last = ranked[limit - 1];
  return { policy: policy.id, items, ...(ranked.length > limit ? { nextCursor: encodeCursor(last.score, idOf(last.item)) } : {}) };
}
