/**
 * Bad-input requests for every write route of the API, generated from its own OpenAPI document and a seeded
 * PRNG, so a failing request can be produced again from the seed printed by the test.
 *
 * Each request starts from a body of the route's documented shape and breaks it in one way: a missing or
 * unknown field, a wrong type, a huge string, deep nesting, `__proto__` keys, malformed JSON, a wrong
 * content type, an oversized body… `mustReject` says whether any 2xx answer is wrong whatever the route does.
 */

// ---------------------------------------------------------------------------------------------- randomness

import { seededRandom as mulberry32 } from '@tsunagi/domain';

export class Random {
  private readonly next: () => number;

  constructor(readonly seed: number) {
    this.next = mulberry32(seed);
  }

  float(): number {
    return this.next();
  }

  /** 0 ≤ n < max */
  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)];
  }

  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return entries[entries.length - 1][0];
  }

  /** A v4-shaped UUID from this generator (not crypto-random: reproducible). */
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => this.int(16).toString(16));
    hex[12] = '4';
    hex[16] = ((this.int(4) & 0x3) | 0x8).toString(16);
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}

// ------------------------------------------------------------------------------------------------ OpenAPI

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  example?: unknown;
  minimum?: number;
  maximum?: number;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface WriteRoute {
  method: WriteMethod;
  /** As in the document: `/api/opportunities/{opportunityId}/close`. */
  template: string;
  pathParams: string[];
  /** The JSON request body's schema, when the route documents one. */
  schema?: Schema;
  /** The component the body schema refers to (`ReasonRequestDto`); `Object` means "anything", no DTO. */
  schemaName?: string;
}

const WRITE_METHODS: readonly WriteMethod[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** Every POST/PUT/PATCH/DELETE route of the document, in document order. */
export function writeRoutesOf(doc: OpenApiDocument): WriteRoute[] {
  const routes: WriteRoute[] = [];
  for (const [template, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const upper = method.toUpperCase() as WriteMethod;
      if (!WRITE_METHODS.includes(upper)) continue;
      const documented = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      const inTemplate = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      routes.push({
        method: upper,
        template,
        pathParams: [...new Set([...inTemplate, ...documented])],
        ...(schema ? { schema, schemaName: schema.$ref ? refName(schema.$ref) : undefined } : {}),
      });
    }
  }
  return routes;
}

/** The body is validated against a DTO (anything not documented is refused by the global ValidationPipe). */
export function hasDto(route: WriteRoute): boolean {
  return !!route.schema && route.schemaName !== 'Object';
}

const refName = (ref: string) => ref.split('/').pop() ?? ref;

function deref(doc: OpenApiDocument, schema: Schema | undefined, seen = 0): Schema {
  if (!schema) return {};
  if (schema.$ref && seen < 20) return deref(doc, doc.components?.schemas?.[refName(schema.$ref)], seen + 1);
  if (schema.allOf?.length) {
    const parts = schema.allOf.map((s) => deref(doc, s, seen + 1));
    return {
      ...schema,
      allOf: undefined,
      type: 'object',
      properties: Object.assign({}, ...parts.map((p) => p.properties ?? {}), schema.properties ?? {}),
      required: [...new Set(parts.flatMap((p) => p.required ?? []).concat(schema.required ?? []))],
    };
  }
  return schema;
}

const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

export interface SampleContext {
  random: Random;
  /** An id for a uuid-formatted property: a real one when the test knows it (`organisationId`), or random. */
  idFor(property: string): string;
}

/** A value of the schema's documented shape (a valid body as far as the document can tell). */
export function sampleOf(doc: OpenApiDocument, schema: Schema | undefined, context: SampleContext, property = '', hint = '', depth = 0): unknown {
  const raw = schema ?? {};
  const resolved = deref(doc, raw);
  const name = raw.$ref ? refName(raw.$ref) : hint;
  const { random } = context;
  if (depth > 8) return null;
  const options = resolved.oneOf ?? resolved.anyOf;
  if (options?.length) {
    const option = random.pick(options);
    return sampleOf(doc, option, context, property, option.$ref ? refName(option.$ref) : name, depth + 1);
  }
  if (resolved.enum?.length) {
    // A discriminator of a oneOf member: pick the value its schema is named after (VolunteerRoleDetailsDto → volunteer_role).
    const matching = resolved.enum.filter((v) => typeof v === 'string' && snake(hint).includes(v));
    return matching.length ? matching[0] : random.pick(resolved.enum);
  }
  if (resolved.example !== undefined && resolved.type !== 'object') return structuredClone(resolved.example);
  switch (resolved.type) {
    case 'string':
      if (resolved.format === 'uuid') return context.idFor(property);
      if (resolved.format === 'date-time') return '2026-05-02T10:00:00.000Z';
      if (resolved.format === 'date') return '2026-05-02';
      if (resolved.format === 'email') return 'taro@example.jp';
      return random.pick(['テスト', 'test', '川崎市中原区', 'hello']);
    case 'integer':
      return Math.max(resolved.minimum ?? 1, Math.min(resolved.maximum ?? 1, 1));
    case 'number':
      return Math.max(resolved.minimum ?? 1, Math.min(resolved.maximum ?? 1, 1));
    case 'boolean':
      return random.chance(0.5);
    case 'array': {
      const item = () => sampleOf(doc, resolved.items, context, property, '', depth + 1);
      const items = [item(), ...(random.chance(0.3) ? [item()] : [])];
      return [...new Map(items.map((v) => [JSON.stringify(v), v])).values()];
    }
    default: {
      if (!resolved.properties && resolved.type !== 'object') return 'x';
      const out: Record<string, unknown> = {};
      const required = new Set(resolved.required ?? []);
      for (const [key, child] of Object.entries(resolved.properties ?? {})) {
        if (required.has(key) || random.chance(0.6)) out[key] = sampleOf(doc, child, context, key, name, depth + 1);
      }
      return out;
    }
  }
}

/** A place in a body and what the document says of it. */
interface Slot {
  path: (string | number)[];
  schema: Schema;
  required: boolean;
}

/** Walks a body with its schema (choosing the oneOf member that fits best) and lists every value in it. */
function slotsOf(doc: OpenApiDocument, schema: Schema | undefined, value: unknown): Slot[] {
  const slots: Slot[] = [];
  const walk = (s: Schema | undefined, v: unknown, path: (string | number)[], required: boolean, depth: number) => {
    let resolved = deref(doc, s);
    const options = resolved.oneOf ?? resolved.anyOf;
    if (options?.length) resolved = bestOption(doc, options, v);
    slots.push({ path, schema: resolved, required });
    if (depth > 10) return;
    if (Array.isArray(v)) v.forEach((item, i) => walk(resolved.items, item, [...path, i], true, depth + 1));
    else if (v && typeof v === 'object') {
      const req = new Set(resolved.required ?? []);
      for (const [key, child] of Object.entries(v)) walk(resolved.properties?.[key], child, [...path, key], req.has(key), depth + 1);
    }
  };
  walk(schema, value, [], true, 0);
  return slots;
}

function bestOption(doc: OpenApiDocument, options: Schema[], value: unknown): Schema {
  let best = deref(doc, options[0]);
  let score = -1;
  for (const option of options) {
    const resolved = deref(doc, option);
    if (!value || typeof value !== 'object') return resolved;
    let s = 0;
    for (const [key, v] of Object.entries(value)) {
      const property = deref(doc, resolved.properties?.[key]);
      if (!resolved.properties?.[key]) continue;
      s += property.enum ? (property.enum.includes(v) ? 10 : -10) : 1;
    }
    if (s > score) [best, score] = [resolved, s];
  }
  return best;
}

// ---------------------------------------------------------------------------------------------- the cases

export type AuthKind = 'admin' | 'coordinator' | 'volunteer' | 'organisation' | 'analyst' | 'none' | 'forged' | 'malformed';

export interface BadRequest {
  n: number;
  /** The mutation, e.g. `wrong-type`, `malformed-json:truncated`. */
  kind: string;
  method: WriteMethod;
  route: string;
  path: string;
  auth: AuthKind;
  /** `undefined`: no Content-Type header at all. */
  contentType?: string;
  /** `undefined`: no body. */
  body?: Buffer;
  headers: Record<string, string>;
  /** A 2xx answer is wrong whatever the route does. */
  mustReject: boolean;
  /** The problem `code` the answer must have (unless the router refused the path first). */
  expectCode?: string;
  /** Substrings of what was sent that the answer must not contain (no reflection of input). */
  secrets: string[];
}

export interface GeneratorOptions {
  doc: OpenApiDocument;
  routes: WriteRoute[];
  random: Random;
  bodyLimitBytes: number;
  /** Real ids by path-parameter or property name (`opportunityId`, `matchId`, `name`…), to get past 404s. */
  realIds: Record<string, string[]>;
  /** Known-valid bodies for some routes, keyed `POST /api/opportunities`; others are sampled from the schema. */
  validBodies?: Record<string, () => unknown>;
}

const PLACEHOLDER = '__bad_input_raw_';
const JSON_TYPE = 'application/json';

const WEIGHTS = [
  ['valid', 3],
  ['missing-required', 8],
  ['all-missing', 2],
  ['unknown-field', 8],
  ['wrong-type', 12],
  ['huge-string', 6],
  ['huge-key', 1],
  ['deep-nesting', 4],
  ['proto-key', 8],
  ['nan-like', 5],
  ['bad-number', 6],
  ['bad-enum', 5],
  ['bad-date', 4],
  ['weird-text', 6],
  ['big-array', 0.5],
  ['wrong-root', 4],
  ['malformed-json', 12],
  ['content-type', 8],
  ['oversized', 3],
  ['bad-header', 3],
] as const;

export type MutationKind = (typeof WEIGHTS)[number][0];
export const MUTATION_KINDS: readonly MutationKind[] = WEIGHTS.map(([kind]) => kind);

const UNKNOWN_KEYS = ['evil', 'isAdmin', 'role', 'position', 'by', 'at', 'status', 'opportunityId', '$where', 'a.b', '', ' ', '日本語キー', '🙂', 'toString', 'hasOwnProperty', 'valueOf', 'constructor'];
/**
 * Keys that are dropped before validation rather than refused: Nest's ValidationPipe deletes `__proto__`,
 * `prototype` and `constructor` from the body (at any depth), and class-transformer skips keys naming a method the
 * DTO instance inherits (`toString`…), so the whitelist never sees them. Accepting such a request is tolerated;
 * storing the key is not (the test checks what accepted requests stored).
 */
export const DROPPED_KEYS: readonly string[] = ['constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
const NAN_LIKE = ['NaN', 'Infinity', '-Infinity', '1e309', '0x1F', '', ' ', 'null', 'undefined', 'true', '[object Object]', '-0', '１２', '1,5', '٣'];
const BAD_ENUMS = (valid: unknown) => [
  String(valid).toUpperCase(),
  ` ${String(valid)}`,
  `${String(valid)} `,
  `${String(valid)}\u0000`,
  String(valid).replace(/a/, '\u0430'), // Cyrillic а
  '中原区',
  '',
  'other_unknown_value',
  String(valid).normalize('NFD') + '\u0301',
];
const BAD_DATES = ['2026-13-01', '2026-00-10', '2026-05-00', '2026-05-32', '20260502', '2026/05/02', '２０２６-０５-０２', '2026-05-02T00:00:00Z', '+275760-09-13', '2026-5-2', '', 'yesterday', '0000-00-00', '9999-99-99', '2026-05-02\n'];
/** Match the documented pattern but are no calendar day: accepted or not, they must never cause a 5xx. */
const IMPOSSIBLE_DATES = ['2026-02-30', '2026-04-31', '2025-02-29'];
const WEIRD_TEXT = [
  '👨‍👩‍👧‍👦🏳️‍🌈',
  'a\u0000b',
  '\u0007\u0008\u001b[31mred\u001b[0m',
  '\u202eevil\u202c',
  '\uFEFF\uFFFE\uFFFF',
  'line\r\nbreak',
  'a' + '\u0301'.repeat(1000),
  '𠮷野家',
  '\t',
  "'; DROP TABLE events; --",
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  '%s%s%s%n',
  '../../../../etc/passwd',
];
/** Raw JSON values (placed as text, so JSON.stringify cannot normalise them). */
const RAW_WEIRD_TEXT = ['"\\ud800"', '"\\udc00x"', '"\\u0000"', '"\\ud83d\\ude00"'];
const BAD_NUMBERS: (number | { raw: string })[] = [
  -1,
  0,
  -0.5,
  1.5,
  0.1 + 0.2,
  1e308,
  -1e308,
  9007199254740993,
  1e-300,
  0.001,
  24.000001,
  { raw: '1e400' },
  { raw: '-1e400' },
  { raw: '-0' },
  { raw: '123456789012345678901234567890' },
  { raw: '1E2' },
  { raw: '0.1e1' },
];
const BAD_PATH_VALUES = ['not-a-uuid', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '%00', '..%2F..%2Fadmin', '%E5%B7%9D', 'x'.repeat(2000), '1', '-1', '%F0%9F%98%80', 'NaN', '__proto__', 'constructor'];

/** Malformed-looking variants that are still JSON (or decode to it): refused, if at all, for their content. */
const VALID_JSON_VARIANTS = ['huge-number-literal', 'invalid-utf8', 'duplicate-keys', 'bom-then-json'];

const TEXT_CONTENT_TYPES: readonly [string | undefined, boolean][] = [
  // [content type, whether it is still JSON to the server]
  ['text/plain', false],
  ['application/x-www-form-urlencoded', false],
  ['multipart/form-data; boundary=----x', false],
  [undefined, false],
  ['application/xml', false],
  ['application/octet-stream', false],
  ['text/html; charset=utf-8', false],
  ['application/json; charset=utf-16', true],
  ['application/json; charset=iso-8859-1', true],
  ['application/json;;;', true],
  ['APPLICATION/JSON', true],
  ['application/vnd.api+json', false],
  ['application/problem+json', false],
  ['application/jsonx', false],
  ['', false],
];

export class BadInputGenerator {
  private n = 0;

  constructor(private readonly options: GeneratorOptions) {}

  private get random() {
    return this.options.random;
  }

  /** `count` requests, spread round-robin over the routes. */
  generate(count: number): BadRequest[] {
    const out: BadRequest[] = [];
    for (let i = 0; i < count; i++) {
      const route = this.options.routes[i % this.options.routes.length];
      out.push(this.one(route, this.random.weighted(WEIGHTS)));
    }
    return out;
  }

  one(route: WriteRoute, kind: MutationKind): BadRequest {
    const random = this.random;
    const base = this.baseBody(route);
    const request: BadRequest = {
      n: ++this.n,
      kind,
      method: route.method,
      route: `${route.method} ${route.template}`,
      path: this.fillPath(route),
      auth: random.weighted<AuthKind>([
        ['admin', 85],
        ['coordinator', 3],
        ['volunteer', 3],
        ['organisation', 3],
        ['analyst', 2],
        ['none', 2],
        ['forged', 1],
        ['malformed', 1],
      ]),
      contentType: JSON_TYPE,
      headers: {},
      mustReject: false,
      secrets: [],
    };
    const dto = hasDto(route);
    const slots = slotsOf(this.options.doc, route.schema, base);
    const raws = new Map<string, string>();
    const raw = (text: string) => {
      const key = `${PLACEHOLDER}${raws.size}__`;
      raws.set(key, text);
      return key;
    };
    const json = (value: unknown) => Buffer.from(withRaws(JSON.stringify(value) ?? 'null', raws), 'utf8');
    let body: unknown = base;
    const nonRoot = slots.filter((s) => s.path.length > 0);
    const set = (path: (string | number)[], value: unknown) => {
      body = setAt(body, path, value);
    };
    const objectSlots = slots.filter((s) => isRecord(valueAt(base, s.path)));

    switch (kind) {
      case 'valid':
        break;
      case 'missing-required': {
        const candidates = nonRoot.filter((s) => s.required && typeof s.path[s.path.length - 1] === 'string');
        if (candidates.length) {
          const slot = random.pick(candidates);
          body = deleteAt(body, slot.path);
          request.kind += `:${slot.path.join('.')}`;
          request.mustReject = dto;
        } else {
          request.kind += ':none-required';
        }
        break;
      }
      case 'all-missing':
        body = {};
        request.mustReject = dto && (deref(this.options.doc, route.schema).required ?? []).length > 0;
        break;
      case 'unknown-field': {
        const target = objectSlots.length ? random.pick(objectSlots) : { path: [] as (string | number)[] };
        const key = random.pick(UNKNOWN_KEYS);
        set([...target.path, key], random.pick<unknown>([true, 1, 'x', null, {}, [], { nested: { deeper: 1 } }]));
        request.kind += `:${[...target.path, key].join('.')}`;
        request.mustReject = dto && !DROPPED_KEYS.includes(key);
        break;
      }
      case 'wrong-type': {
        const slot = nonRoot.length ? random.pick(nonRoot) : slots[0];
        const current = valueAt(base, slot.path);
        const choices = [42, -7.5, 'a string', [], [1, 'two'], {}, { a: 1 }, null, true, false].filter((v) => jsonType(v) !== jsonType(current));
        const replacement = random.pick(choices);
        if (slot.path.length) set(slot.path, replacement);
        else body = replacement;
        request.kind += `:${slot.path.join('.') || '(root)'}=${jsonType(replacement)}`;
        // A `null` body is no body to the ValidationPipe: refused only where something is required.
        const rootNull = slot.path.length === 0 && replacement === null;
        request.mustReject = dto && (rootNull ? (deref(this.options.doc, route.schema).required ?? []).length > 0 : replacement !== null || slot.required);
        break;
      }
      case 'huge-string': {
        const huge = this.hugeString();
        const strings = nonRoot.filter((s) => typeof valueAt(base, s.path) === 'string');
        const slot = strings.length ? random.pick(strings) : nonRoot.length ? random.pick(nonRoot) : undefined;
        if (slot) set(slot.path, huge.value);
        else set([random.pick(UNKNOWN_KEYS) || 'evil'], huge.value);
        request.kind += `:${huge.flavour}:${slot?.path.join('.') ?? 'unknown'}`;
        request.secrets.push(...huge.secrets);
        break;
      }
      case 'huge-key': {
        const huge = this.hugeString(50_000);
        const target = objectSlots.length ? random.pick(objectSlots) : { path: [] as (string | number)[] };
        set([...target.path, huge.value], 1);
        request.kind += `:${huge.flavour}`;
        request.mustReject = dto;
        // An unknown key's name is reported back, shortened: no more than its first 100 characters.
        request.secrets.push(huge.value.slice(100, 300));
        break;
      }
      case 'deep-nesting': {
        const depth = random.pick([64, 1_000, 10_000, 40_000]);
        const arrays = random.chance(0.5);
        const text = arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
        const inUnknown = random.chance(0.4) || nonRoot.length === 0;
        if (inUnknown) set(['nested'], raw(text));
        else set(random.pick(nonRoot).path, raw(text));
        if (random.chance(0.4)) request.headers['Idempotency-Key'] = `deep-${random.uuid()}`;
        request.kind += `:${arrays ? 'arrays' : 'objects'}:${depth}${inUnknown ? ':unknown-key' : ''}${request.headers['Idempotency-Key'] ? ':idempotent' : ''}`;
        request.mustReject = dto;
        break;
      }
      case 'proto-key': {
        const target = objectSlots.length && random.chance(0.5) ? random.pick(objectSlots) : { path: [] as (string | number)[] };
        const variant = random.pick(['__proto__', '__proto__:array', 'constructor.prototype', 'constructor', 'prototype', '__proto__:escaped', '__proto__:nested'] as const);
        const keyText: Record<typeof variant, [string, string]> = {
          __proto__: ['"__proto__"', '{"polluted":"yes","isAdmin":true}'],
          '__proto__:array': ['"__proto__"', '[{"polluted":"yes"}]'],
          'constructor.prototype': ['"constructor"', '{"prototype":{"polluted":"yes"}}'],
          constructor: ['"constructor"', '"polluted"'],
          prototype: ['"prototype"', '{"polluted":"yes"}'],
          '__proto__:escaped': ['"\\u005f_proto__"', '{"polluted":"yes"}'],
          '__proto__:nested': ['"x"', '{"__proto__":{"polluted":"yes"}}'],
        };
        const [k, v] = keyText[variant];
        const placeholderKey = raw(k);
        set([...target.path, placeholderKey], raw(v));
        request.kind += `:${variant}@${target.path.join('.') || '(root)'}`;
        // The JSON parser refuses __proto__ and constructor.prototype on every route; `constructor` and `prototype`
        // alone are deleted by the ValidationPipe (see DROPPED_KEYS).
        request.mustReject = variant.startsWith('__proto__') || variant === 'constructor.prototype';
        if (variant.startsWith('__proto__') || variant === 'constructor.prototype') request.expectCode = 'request.malformed_json';
        break;
      }
      case 'nan-like': {
        const slot = nonRoot.length ? random.pick(nonRoot) : undefined;
        const value = random.pick(NAN_LIKE);
        if (slot) set(slot.path, value);
        else set(['evil'], value);
        request.kind += `:${slot?.path.join('.') ?? 'evil'}=${JSON.stringify(value)}`;
        request.mustReject = dto && (!slot || slot.schema.type !== 'string' || !!slot.schema.enum || slot.schema.format === 'uuid');
        break;
      }
      case 'bad-number': {
        const numeric = nonRoot.filter((s) => s.schema.type === 'number' || s.schema.type === 'integer');
        const slot = numeric.length && random.chance(0.8) ? random.pick(numeric) : nonRoot.length ? random.pick(nonRoot) : undefined;
        const value = random.pick(BAD_NUMBERS);
        const n = typeof value === 'number' ? value : Number(value.raw);
        if (slot) set(slot.path, typeof value === 'number' ? value : raw(value.raw));
        else set(['evil'], typeof value === 'number' ? value : raw(value.raw));
        request.kind += `:${slot?.path.join('.') ?? 'evil'}=${typeof value === 'number' ? value : value.raw}`;
        const s = slot?.schema;
        const numericSlot = s && (s.type === 'number' || s.type === 'integer');
        request.mustReject =
          dto &&
          (!slot ||
            !numericSlot ||
            !Number.isFinite(n) ||
            (s.type === 'integer' && !Number.isInteger(n)) ||
            (s.minimum !== undefined && n < s.minimum) ||
            (s.maximum !== undefined && n > s.maximum));
        break;
      }
      case 'bad-enum': {
        const enums = nonRoot.filter((s) => s.schema.enum?.length);
        if (enums.length) {
          const slot = random.pick(enums);
          const bad = random.pick(BAD_ENUMS(valueAt(base, slot.path)).filter((v) => !slot.schema.enum!.includes(v)));
          set(slot.path, bad);
          request.kind += `:${slot.path.join('.')}=${JSON.stringify(bad)}`;
          request.mustReject = dto;
        } else {
          request.kind += ':no-enum';
        }
        break;
      }
      case 'bad-date': {
        const dates = nonRoot.filter((s) => /^\d{4}-\d{2}-\d{2}$/.test(String(valueAt(base, s.path))));
        const impossible = random.chance(0.25);
        const value = impossible ? random.pick(IMPOSSIBLE_DATES) : random.pick(BAD_DATES);
        if (dates.length) {
          const slot = random.pick(dates);
          set(slot.path, value);
          request.kind += `:${impossible ? 'impossible' : 'malformed'}:${slot.path.join('.')}=${JSON.stringify(value)}`;
          request.mustReject = dto && !impossible;
        } else {
          request.kind += ':no-date';
        }
        break;
      }
      case 'weird-text': {
        const strings = nonRoot.filter((s) => typeof valueAt(base, s.path) === 'string');
        const slot = strings.length ? random.pick(strings) : nonRoot.length ? random.pick(nonRoot) : undefined;
        const useRaw = random.chance(0.3);
        const value = useRaw ? raw(random.pick(RAW_WEIRD_TEXT)) : random.pick(WEIRD_TEXT);
        if (slot) set(slot.path, value);
        else set(['evil'], value);
        request.kind += `:${slot?.path.join('.') ?? 'evil'}${useRaw ? `=${raws.get(value as string)}` : ''}`;
        request.mustReject = dto && !slot;
        break;
      }
      case 'big-array': {
        const arrays = nonRoot.filter((s) => Array.isArray(valueAt(base, s.path)));
        const slot = arrays.length && random.chance(0.8) ? random.pick(arrays) : nonRoot.length ? random.pick(nonRoot) : undefined;
        const flavour = random.pick(['zeros', 'strings', 'enum'] as const);
        const enumValue = slot?.schema.items ? deref(this.options.doc, slot.schema.items).enum?.[0] : undefined;
        const item = flavour === 'zeros' ? '0' : flavour === 'strings' ? '"a"' : JSON.stringify(enumValue ?? 'x');
        const count = Math.min(100_000, Math.floor((this.options.bodyLimitBytes - 4_000) / (item.length + 1)));
        const text = `[${Array(count).fill(item).join(',')}]`;
        if (slot) set(slot.path, raw(text));
        else set(['evil'], raw(text));
        request.kind += `:${flavour}x${count}:${slot?.path.join('.') ?? 'evil'}`;
        request.mustReject = dto && (!slot || !Array.isArray(valueAt(base, slot.path)) || flavour !== 'enum');
        break;
      }
      case 'wrong-root': {
        const roots: [string, unknown][] = [
          ['array', []],
          ['array-of-body', [base]],
          ['null', null],
          ['string', 'body'],
          ['number', 123],
          ['true', true],
          ['false', false],
        ];
        const [label, value] = random.pick(roots);
        body = value;
        request.kind += `:${label}`;
        request.mustReject = dto && (value !== null || (deref(this.options.doc, route.schema).required ?? []).length > 0);
        break;
      }
      case 'malformed-json': {
        const text = JSON.stringify(base) ?? '{}';
        const variants: [string, string | Buffer, boolean][] = [
          ['truncated', text.slice(0, Math.max(1, random.int(text.length - 1))), true],
          ['trailing-comma', text.length > 2 ? text.replace(/}$/, ',}') : '{"a":1,}', true],
          ['single-quotes', text.replace(/"/g, "'"), text.includes('"')],
          ['unquoted-keys', text.replace(/"([A-Za-z_]+)":/g, '$1:'), /"[A-Za-z_]+":/.test(text)],
          ['comment', `/* hi */${text}`, true],
          ['nan-literal', '{"a":NaN}', true],
          ['undefined', 'undefined', true],
          ['empty', '', true],
          ['whitespace', '   \n\t ', true],
          ['open-brace', '{', true],
          ['close-brace', '}', true],
          ['extra-brace', `${text}}`, true],
          ['two-documents', `${text}{"b":2}`, true],
          ['bad-escape', '{"a":"\\x41"}', true],
          ['raw-control', '{"a":"x\u0001y"}', true],
          ['unterminated', '{"a":"abc', true],
          ['huge-number-literal', `{"a":${'9'.repeat(100_000)}}`, dto],
          ['bom-then-json', `\uFEFF${text}`, false],
          ['bom-only', '\uFEFF', true],
          ['invalid-utf8', Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82]), Buffer.from('"}')]), dto],
          ['utf16', Buffer.from(`\uFEFF${text}`, 'utf16le'), true],
          ['duplicate-keys', text.length > 2 ? text.replace(/^{/, '{"a":1,"a":2,') : '{"a":1,"a":2}', dto],
          ['null-bytes', '\u0000\u0000\u0000', true],
          ['xml', '<?xml version="1.0"?><a>1</a>', true],
        ];
        const [label, content, mustReject] = random.pick(variants);
        request.kind += `:${label}`;
        request.body = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
        request.mustReject = mustReject;
        if (!VALID_JSON_VARIANTS.includes(label) && mustReject) request.expectCode = 'request.malformed_json';
        return request;
      }
      case 'content-type': {
        const [contentType, stillJson] = random.pick(TEXT_CONTENT_TYPES);
        const asForm = contentType === 'application/x-www-form-urlencoded' && random.chance(0.5);
        request.kind += `:${contentType ?? '(none)'}${asForm ? ':form-body' : ''}`;
        request.contentType = contentType;
        request.body = asForm ? Buffer.from('title=x&evil=1&__proto__[polluted]=yes&constructor[prototype][polluted]=yes') : json(body);
        request.mustReject = dto && !stillJson;
        return request;
      }
      case 'oversized': {
        const limit = this.options.bodyLimitBytes;
        const target = random.pick([limit + 1, limit + 1_000, 2 * limit, 1024 * 1024, 4 * 1024 * 1024]);
        const prefix = JSON.stringify({ ...(isRecord(base) ? base : {}), padding: '' });
        const pad = Math.max(0, target - Buffer.byteLength(prefix));
        const text = prefix.replace(/""}$/, `"${'x'.repeat(pad)}"}`);
        const useText = random.chance(0.2);
        request.kind += `:${Buffer.byteLength(text)}${useText ? ':text/plain' : ''}`;
        if (useText) request.contentType = 'text/plain';
        request.body = Buffer.from(text, 'utf8');
        request.mustReject = true;
        request.expectCode = 'request.body_too_large';
        return request;
      }
      case 'bad-header': {
        const variant = random.pick(['idempotency-empty', 'idempotency-space', 'idempotency-unicode', 'idempotency-long', 'idempotency-reuse', 'accept-language', 'accept-language-long'] as const);
        request.kind += `:${variant}`;
        switch (variant) {
          case 'idempotency-empty':
            request.headers['Idempotency-Key'] = '';
            request.mustReject = true;
            break;
          case 'idempotency-space':
            request.headers['Idempotency-Key'] = 'a key with spaces';
            request.mustReject = true;
            break;
          case 'idempotency-unicode':
            request.headers['Idempotency-Key'] = encodeURIComponent('キー') + '\u00e9';
            request.mustReject = true;
            break;
          case 'idempotency-long':
            request.headers['Idempotency-Key'] = 'k'.repeat(256);
            request.mustReject = true;
            break;
          case 'idempotency-reuse': {
            // The same key as an earlier request of this run (likely with another body): 422 or a replay, never a 5xx.
            request.headers['Idempotency-Key'] = `reuse-${random.int(5)}`;
            break;
          }
          case 'accept-language':
            request.headers['Accept-Language'] = random.pick(['zz', '*;q=abc', 'ja;q=2, en;q=-1', ',,,', 'ja-JP-x-very-long-tag', '\u00e9']);
            break;
          case 'accept-language-long':
            request.headers['Accept-Language'] = Array.from({ length: 500 }, (_, i) => `x${i};q=0.${i % 10}`).join(',');
            break;
        }
        // Mostly an otherwise-broken body, so the header is what is under test alongside it.
        if (random.chance(0.5) && dto) {
          set(['evil'], 1);
          request.mustReject = true;
        }
        break;
      }
    }
    if (request.body === undefined) request.body = json(body);
    return request;
  }

  private baseBody(route: WriteRoute): unknown {
    const known = this.options.validBodies?.[`${route.method} ${route.template}`];
    if (known && this.random.chance(0.7)) return known();
    if (!route.schema) return {};
    return sampleOf(this.options.doc, route.schema, {
      random: this.random,
      idFor: (property) => {
        const real = this.options.realIds[property];
        return real?.length && this.random.chance(0.7) ? this.random.pick(real) : this.random.uuid();
      },
    });
  }

  private fillPath(route: WriteRoute): string {
    return route.template.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const real = this.options.realIds[name];
      const roll = this.random.float();
      if (real?.length && roll < 0.55) return encodeURIComponent(this.random.pick(real));
      if (roll < 0.88) return this.random.uuid();
      return this.random.pick(BAD_PATH_VALUES);
    });
  }

  private hugeString(chars = 100_000): { value: string; secrets: string[]; flavour: string } {
    const tag = `SECRET${this.n}X${this.random.int(1e9)}`;
    const flavour = this.random.pick(['ascii', 'japanese', 'emoji', 'mixed'] as const);
    // Bodies stay under the limit, so the server has to read them: JSON escapes and multi-byte characters are counted.
    const budget = this.options.bodyLimitBytes - 8_000;
    let value: string;
    switch (flavour) {
      case 'ascii':
        value = tag + 'A'.repeat(Math.min(chars, budget) - tag.length);
        break;
      case 'japanese':
        value = tag + '川崎市中原区つなぎ'.repeat(Math.floor(Math.min(chars, budget / 3) / 9));
        break;
      case 'emoji':
        value = tag + '🌸'.repeat(Math.floor(Math.min(chars, budget / 4) / 2));
        break;
      default:
        value = tag + 'aあ🌸\u00e9'.repeat(Math.floor(Math.min(chars, budget / 10) / 5));
    }
    // The tag, and a stretch of the repetitive tail long enough not to appear by chance.
    return { value, secrets: [tag, value.slice(tag.length, tag.length + 200)], flavour };
  }
}

// ------------------------------------------------------------------------------------------ JSON helpers

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function valueAt(value: unknown, path: (string | number)[]): unknown {
  let v = value;
  for (const key of path) v = v && typeof v === 'object' ? (v as Record<string | number, unknown>)[key] : undefined;
  return v;
}

/** A copy of `value` with `path` set (own properties only: a key named `__proto__` never reaches a prototype). */
function setAt(value: unknown, path: (string | number)[], next: unknown): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path;
  const container = (Array.isArray(value) ? [...value] : isRecord(value) ? { ...value } : {}) as Record<string | number, unknown>;
  Object.defineProperty(container, head, { value: setAt(container[head], rest, next), enumerable: true, writable: true, configurable: true });
  return container;
}

function deleteAt(value: unknown, path: (string | number)[]): unknown {
  if (path.length === 0) return undefined;
  const [head, ...rest] = path;
  if (!value || typeof value !== 'object') return value;
  const copy = (Array.isArray(value) ? [...value] : { ...value }) as Record<string | number, unknown>;
  if (rest.length === 0) delete copy[head];
  else copy[head] = deleteAt(copy[head], rest);
  return copy;
}

/** Replaces placeholder keys and values (`"__bad_input_raw_N__"`) with their raw JSON text. */
function withRaws(text: string, raws: Map<string, string>): string {
  if (raws.size === 0) return text;
  return text.replace(new RegExp(`"(${PLACEHOLDER}\\d+__)"`, 'g'), (whole, key: string) => raws.get(key) ?? whole);
}

// ------------------------------------------------------------------------------------------- the answers

/** Counts by key, printed sorted. */
export class Histogram {
  private readonly counts = new Map<string, number>();

  add(key: string | number): void {
    this.counts.set(String(key), (this.counts.get(String(key)) ?? 0) + 1);
  }

  get(key: string | number): number {
    return this.counts.get(String(key)) ?? 0;
  }

  entries(): [string, number][] {
    return [...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b));
  }

  toString(): string {
    return this.entries()
      .map(([k, v]) => `${k}:${v}`)
      .join(' ');
  }
}
