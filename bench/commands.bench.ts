/**
 * A real command over HTTP against trivial routes on the same Fastify instance, same run, same load.
 *
 * The real API (`createApiApp`, SQLite event store on a fresh DATA_DIR, in-process projections, Redis) listens on
 * 127.0.0.1. A closed-loop load generator in a worker thread (its own core: the server keeps the main thread)
 * drives CONNECTIONS keep-alive connections, each sending its next request as soon as the previous answered,
 * for the same time on each side; rounds interleave the sides.
 *
 * - subject `accept`: POST /api/opportunities/:id/matches/:matchId/accept, each request on a distinct proposed
 *   match, as the volunteer it was proposed to: guard (JWT), validation, CommandBus, CommandExecutor (read and fold
 *   the opportunity stream, authorise, decide) and the append of MatchAccepted with its expected revision. The
 *   in-process projections' catch-up after the last answer counts in the accept side's time, so the rate is one
 *   the API sustains.
 * - baseline `nest noop`: a Nest route of the same shape (same global guard, pipes, interceptor and filter, same
 *   params, body DTO and response) that does nothing. The ratio accept / nest noop is the cost of the command.
 * - baseline `fastify noop`: the same path shape as a plain Fastify route on the same instance: the ceiling of the
 *   HTTP adapter. The ratio accept / fastify noop is the issue's figure: what is left of the server for commands.
 *
 * Both bench routes are added to this process's ApiModule at run time (see `installBenchRoutes`); nothing in the
 * app changes. Setup (organisations, people, opportunities, proposals) is not timed: people and organisations
 * through POST /api/people and /api/organisations when the API has them, otherwise through the participants
 * deciders and CommandExecutor; opportunities and proposals through HTTP as a coordinator of the ward. Proposals
 * are topped up before each accept run, sized on the fastest accept run so far (a run that still runs out ends
 * early and says so).
 *
 * Every comparison runs with durability 'full' (the default) and 'normal'. Goal: accept >= 0.3x of either noop.
 */
import { Body, Controller, HttpCode, Injectable, OnModuleInit, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EVENT_STORE, EventStore, newId } from '@tsunagi/event-store';
import {
  OrganisationProfile,
  PersonProfile,
  organisationDecider,
  organisationStreamId,
  personDecider,
  personStreamId,
} from '@tsunagi/participants';
import { AppConfig, CommandContext, CommandExecutor, Roles, TokenService, loadConfig } from '@tsunagi/platform';
import { ApiModule } from '../apps/api/src/api.module';
import { createApiApp } from '../apps/api/src/create-api-app';
import { NoInputRequestDto } from '../apps/api/src/common/no-input.request.dto';
import { ProjectionsService } from '../apps/api/src/projections/projections.service';
import { BenchContext, Benchmark, Sample, collectGarbage, compare, formatMs, formatRate, interleave, median, scaled } from './harness';

type Durability = 'full' | 'normal';
const DURABILITIES: readonly Durability[] = ['full', 'normal'];

const GOAL = 0.3;
/** Concurrent keep-alive connections of the load generator. */
const CONNECTIONS = 16;
/** How long each side runs per round at scale 1 (`--quick`: the minimum). */
const ROUND_MS = 2_000;
const MIN_ROUND_MS = 500;
const ROUNDS = 5;
/** Proposals (and places) per opportunity: an accept reads and folds a stream of 1 + 10 + accepted-so-far events. */
const PER_OPPORTUNITY = 10;
/** Volunteers the proposals go to (each proposed to many opportunities, never twice to one). */
const PEOPLE = 200;
const ORGANISATIONS = 3;
/** Accept rate assumed before a run measured one; top-ups are sized on the highest rate seen since. */
const INITIAL_ACCEPT_RATE = 1_000;
/** Proposals made beyond the estimate for a run, so that a faster round does not run out. */
const TOP_UP_MARGIN = 1.5;
const SETUP_CONCURRENCY = 16;
const WARD = 'nakahara';

const ROUTES = {
  accept: (o: string, m: string) => `/api/opportunities/${o}/matches/${m}/accept`,
  nest: (o: string, m: string) => `/bench/nest-noop/${o}/matches/${m}/accept`,
  fastify: (o: string, m: string) => `/bench/fastify-noop/${o}/matches/${m}/accept`,
};
type SideName = keyof typeof ROUTES;
const SIDE_LABELS: Record<SideName, string> = {
  accept: 'POST .../matches/:matchId/accept (MatchAccepted appended with expected revision), projections caught up',
  nest: 'Nest route of the same shape (global guard, pipes, interceptor, filter), no command',
  fastify: 'plain Fastify route of the same shape on the same instance',
};

export const benchmark: Benchmark = {
  name: 'commands',
  description: 'HTTP accept-a-proposal command vs trivial Nest and Fastify routes on the same instance',
  async run(ctx) {
    const cases = DURABILITIES.map((durability) => ({ durability, names: caseNames(durability) })).filter(
      (c) => ctx.selected(c.names.nest) || ctx.selected(c.names.fastify),
    );
    if (cases.length === 0) return;
    installBenchRoutes();
    const load = new LoadGenerator();
    try {
      for (const c of cases) await runCase(ctx, load, c.durability, c.names);
    } finally {
      await load.close();
    }
  },
};

function caseNames(durability: Durability) {
  return { nest: `accept/Nest noop route [${durability}]`, fastify: `accept/Fastify noop route [${durability}]` };
}

// ---------------------------------------------------------------------------------------------------------
// The trivial routes, added to ApiModule in this process only

@ApiExcludeController()
@Controller('bench/nest-noop/:opportunityId')
class BenchNoopController {
  /** The accept route's signature and answer, without the command. */
  @Post('matches/:matchId/accept')
  @HttpCode(200)
  @Roles('volunteer', 'organisation', 'admin')
  async accept(@Param('opportunityId', ParseUUIDPipe) opportunityId: string, @Param('matchId', ParseUUIDPipe) matchId: string, @Body() _body: NoInputRequestDto) {
    return { opportunityId, matchId, position: 0, revision: 0 };
  }
}

/** Adds the plain Fastify route while Nest initialises, before createApiApp makes the instance ready. */
@Injectable()
class BenchFastifyRoute implements OnModuleInit {
  constructor(private readonly host: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    fastify.post<{ Params: { opportunityId: string; matchId: string } }>('/bench/fastify-noop/:opportunityId/matches/:matchId/accept', async (request) => ({
      opportunityId: request.params.opportunityId,
      matchId: request.params.matchId,
      position: 0,
      revision: 0,
    }));
  }
}

/**
 * Nest merges a dynamic module's metadata with its class's `@Module` metadata, so adding the bench controller and
 * provider to the ApiModule class adds them to the app createApiApp builds (in this process), under the same
 * global guard, pipes, interceptor and filter as every route.
 */
function installBenchRoutes(): void {
  const add = (key: 'controllers' | 'providers', item: unknown) => {
    const items: unknown[] = Reflect.getMetadata(key, ApiModule) ?? [];
    if (!items.includes(item)) Reflect.defineMetadata(key, [...items, item], ApiModule);
  };
  add('controllers', BenchNoopController);
  add('providers', BenchFastifyRoute);
}

// ---------------------------------------------------------------------------------------------------------
// The load generator: a worker thread with raw keep-alive sockets

interface RunRequest {
  port: number;
  /** Raw HTTP/1.1 requests, sent in order (each connection takes the next). */
  requests: string[];
  /** Start again at the first request when all were sent; otherwise the run ends when they are. */
  cycle: boolean;
  durationMs: number;
  connections: number;
  expectStatus: number;
}

interface RunResult {
  /** Responses received (= requests sent: every connection waits for its answer). */
  completed: number;
  /** Responses with another status than expected; the first one's status and body. */
  unexpected: number;
  firstUnexpected?: string;
  /** From the first request sent to the last answer received. */
  elapsedMs: number;
  /** Per request, from its first byte written to its last byte read. */
  latenciesMs: Float64Array;
  error?: string;
}

/**
 * The worker's code (shipped as source text, so the worker loads node:net and nothing of the app): a closed loop
 * on raw sockets, whose per-request cost (a write, an indexOf, a regexp) is far below the server's, so the server
 * is what saturates. Responses are read by Content-Length (chunked bodies by their terminator).
 */
function loadWorkerMain(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { parentPort } = require('node:worker_threads') as typeof import('node:worker_threads');
  const net = require('node:net') as typeof import('node:net');
  const HEADER_END = Buffer.from('\r\n\r\n');
  const CHUNKED_END = Buffer.from('\r\n0\r\n\r\n');

  function run(job: RunRequest): Promise<RunResult> {
    return new Promise((resolve) => {
      const requests = job.requests.map((r) => Buffer.from(r, 'utf8'));
      const latencies: number[] = [];
      const sockets: import('node:net').Socket[] = [];
      let next = 0;
      let unexpected = 0;
      let firstUnexpected: string | undefined;
      let start = 0;
      let deadline = 0;
      let lastAnswer = 0;
      let connected = 0;
      let active = 0;
      let finished = false;
      const kicks: (() => void)[] = [];

      const finish = (error?: string) => {
        if (finished) return;
        finished = true;
        for (const socket of sockets) socket.destroy();
        resolve({
          completed: latencies.length,
          unexpected,
          firstUnexpected,
          elapsedMs: (lastAnswer || performance.now()) - start,
          latenciesMs: Float64Array.from(latencies),
          ...(error ? { error } : {}),
        });
      };

      for (let i = 0; i < job.connections; i++) {
        const socket = net.connect({ port: job.port, host: '127.0.0.1', noDelay: true });
        sockets.push(socket);
        let buffer: Buffer | undefined;
        let sentAt = 0;
        let busy = false;

        const sendNext = () => {
          const now = performance.now();
          if (now >= deadline || (!job.cycle && next >= requests.length)) {
            busy = false;
            socket.end();
            if (--active === 0) finish();
            return;
          }
          const request = requests[job.cycle ? next % requests.length : next];
          next++;
          busy = true;
          sentAt = now;
          socket.write(request);
        };

        socket.on('connect', () => {
          if (++connected < job.connections) return;
          // Every connection is open: start the clock and the loops together.
          start = performance.now();
          deadline = start + job.durationMs;
          active = job.connections;
          for (const kick of kicks) kick();
        });
        kicks.push(sendNext);

        socket.on('data', (chunk: Buffer) => {
          buffer = buffer ? Buffer.concat([buffer, chunk]) : chunk;
          const headerEnd = buffer.indexOf(HEADER_END);
          if (headerEnd < 0) return;
          const head = buffer.toString('latin1', 0, headerEnd);
          const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
          let total: number;
          if (length) {
            total = headerEnd + 4 + Number(length[1]);
          } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
            const end = buffer.indexOf(CHUNKED_END, headerEnd);
            if (end < 0) return;
            total = end + CHUNKED_END.length;
          } else {
            total = headerEnd + 4;
          }
          if (buffer.length < total) return;
          const now = performance.now();
          latencies.push(now - sentAt);
          lastAnswer = now;
          const status = Number(head.slice(9, 12));
          if (status !== job.expectStatus) {
            unexpected++;
            firstUnexpected ??= `${status} ${buffer.toString('utf8', headerEnd + 4, Math.min(total, headerEnd + 4 + 500))}`;
          }
          buffer = buffer.length > total ? buffer.subarray(total) : undefined;
          sendNext();
        });
        socket.on('error', (error: Error) => finish(`connection error: ${error.message}`));
        socket.on('close', () => {
          if (busy && !finished) finish('the server closed a connection with a request in flight');
        });
      }
    });
  }

  parentPort!.on('message', (job: RunRequest) => {
    void run(job).then((result) => parentPort!.postMessage(result, [result.latenciesMs.buffer as ArrayBuffer]));
  });
}

class LoadGenerator {
  private readonly worker = new Worker(`(${loadWorkerMain.toString()})()`, { eval: true });
  private pending?: { resolve: (result: RunResult) => void; reject: (error: Error) => void };

  constructor() {
    this.worker.on('message', (result: RunResult) => this.settle((p) => p.resolve(result)));
    this.worker.on('error', (error) => this.settle((p) => p.reject(error)));
    this.worker.on('exit', (code) => this.settle((p) => p.reject(new Error(`load generator exited with ${code}`))));
  }

  run(job: RunRequest): Promise<RunResult> {
    if (this.pending) throw new Error('one run at a time');
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private settle(action: (pending: NonNullable<LoadGenerator['pending']>) => void): void {
    const pending = this.pending;
    this.pending = undefined;
    if (pending) action(pending);
  }
}

function rawPost(port: number, path: string, token: string): string {
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`;
}

// ---------------------------------------------------------------------------------------------------------
// The API under test and its data

interface Api {
  app: NestFastifyApplication;
  config: AppConfig;
  port: number;
  tokens: TokenService;
  agent: Agent;
  coordinator: string;
  projections: ProjectionsService;
  store: EventStore;
}

async function startApi(dataDir: string, durability: Durability): Promise<Api> {
  const config = loadConfig({
    DATA_DIR: dataDir,
    EVENT_STORE_DURABILITY: durability,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    LOG_LEVEL: 'error',
    NODE_ENV: 'production',
    AUTH_TOKEN_SECRET: randomBytes(48).toString('base64url'),
    HOST: '127.0.0.1',
    PORT: '0',
  });
  const app = await createApiApp(config);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const tokens = TokenService.fromConfig(config);
  return {
    app,
    config,
    port,
    tokens,
    agent: new Agent({ keepAlive: true, maxSockets: SETUP_CONCURRENCY }),
    coordinator: tokens.issue({ role: 'coordinator', subject: `coordinator-${WARD}`, wards: [WARD] }),
    projections: app.get(ProjectionsService),
    store: app.get<EventStore>(EVENT_STORE),
  };
}

async function stopApi(api: Api): Promise<void> {
  api.agent.destroy();
  await api.app.close();
}

/** Waits until every projection of the API reflects the head of `$all`. */
async function projectionsCaughtUp(api: Api): Promise<void> {
  const head = await api.store.headPosition();
  for (const name of api.projections.runner.names) {
    if (!(await api.projections.runner.waitForPosition(name, head, 60_000))) throw new Error(`projection ${name} did not reach ${head} within 60 s`);
  }
}

async function postJson(api: Api, path: string, token: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: api.port,
        method: 'POST',
        path,
        agent: api.agent,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Record<string, unknown>;
          try {
            parsed = text ? JSON.parse(text) : {};
          } catch {
            parsed = { text };
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function created(api: Api, path: string, token: string, body: unknown, idField: string): Promise<string> {
  const res = await postJson(api, path, token, body);
  const id = res.body[idField];
  if (res.status !== 201 || typeof id !== 'string') throw new Error(`setup: POST ${path} answered ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  return id;
}

async function concurrently<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return results;
}

const personProfile = (n: number): PersonProfile => ({
  displayName: `ボランティア ${n}`,
  contactEmail: `volunteer.${n}@example.jp`,
  ward: WARD,
  skills: ['調理', 'IT'],
  themes: ['child_rearing'],
  availability: { days: ['weekend'], timeBands: ['morning'], hoursPerMonth: 8 },
  languages: ['ja'],
  proBono: { offers: false, professions: [] },
  preferredLanguage: 'ja',
  consents: { mayBeContacted: true, visibleToOtherWards: false },
});

const organisationProfile = (n: number): OrganisationProfile => ({
  name: `NPO法人 なかはら子ども食堂 ${n}`,
  type: 'npo',
  wardsServed: [WARD],
  themes: ['child_rearing'],
  contactEmail: `info.${n}@nakahara-kodomo.example.jp`,
  description: '毎週土曜に子ども食堂を開いています。',
});

interface Participants {
  people: { personId: string; token: string }[];
  organisationIds: string[];
  via: string;
}

/**
 * Organisations and people: through HTTP as an admin when the API has the routes, otherwise decided by the
 * participants deciders and appended by the CommandExecutor (what those routes will do).
 */
async function registerParticipants(api: Api): Promise<Participants> {
  const fastify = api.app.getHttpAdapter().getInstance();
  const overHttp = fastify.hasRoute({ method: 'POST', url: '/api/people' }) && fastify.hasRoute({ method: 'POST', url: '/api/organisations' });
  const admin = api.tokens.issue({ role: 'admin', subject: 'bench-admin' });
  const executor = api.app.get(CommandExecutor);
  const context = (): CommandContext => ({
    principal: { subject: 'bench-admin', role: 'admin', wards: [], organisationIds: [] },
    correlationId: newId(),
    causationId: newId(),
  });
  const organisationIds = await concurrently(Array.from({ length: ORGANISATIONS }, (_, n) => n), SETUP_CONCURRENCY, async (n) => {
    if (overHttp) return created(api, '/api/organisations', admin, organisationProfile(n), 'organisationId');
    const organisationId = newId();
    await executor.execute(organisationDecider, organisationStreamId(organisationId), context(), {
      command: (at) => ({ type: 'RegisterOrganisation' as const, organisationId, profile: organisationProfile(n), by: 'bench-admin', at }),
    });
    return organisationId;
  });
  const personIds = await concurrently(Array.from({ length: PEOPLE }, (_, n) => n), SETUP_CONCURRENCY, async (n) => {
    if (overHttp) return created(api, '/api/people', admin, personProfile(n), 'personId');
    const personId = newId();
    await executor.execute(personDecider, personStreamId(personId), context(), {
      command: (at) => ({ type: 'RegisterPerson' as const, personId, profile: personProfile(n), by: 'bench-admin', at }),
    });
    return personId;
  });
  return {
    organisationIds,
    people: personIds.map((personId) => ({ personId, token: api.tokens.issue({ role: 'volunteer', personId }) })),
    via: overHttp ? 'POST /api/organisations and /api/people' : 'participants deciders + CommandExecutor (no POST /api/people yet)',
  };
}

/** Fails fast, with the API's answer, when the route shape the sides share does not take a `{}` body. */
async function ensureEmptyBodiesPass(api: Api, token: string): Promise<void> {
  const res = await postJson(api, ROUTES.nest(newId(), newId()), token, {});
  if (res.status !== 200) throw new Error(`a {} body is refused: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
}

const opportunityBody = (organisationId: string) => ({
  organisationId,
  title: '子ども食堂の調理スタッフ',
  description: '土曜の朝、調理を手伝ってください。',
  ward: WARD,
  themes: ['child_rearing'],
  details: { kind: 'volunteer_role', places: PER_OPPORTUNITY, schedule: { days: ['weekend'], timeBands: ['morning'] }, requiredSkills: ['調理'], optionalSkills: ['IT'] },
});

/** Proposed matches waiting for their accept, in the order the accept runs take them. */
class ProposalPool {
  private pending: { opportunityId: string; matchId: string; token: string }[] = [];
  private opportunities = 0;
  setupMs = 0;
  proposals = 0;

  constructor(
    private readonly api: Api,
    private readonly participants: Participants,
  ) {}

  get size(): number {
    return this.pending.length;
  }

  /**
   * Opens opportunities and proposes PER_OPPORTUNITY people to each, through HTTP as the ward's coordinator, until
   * `wanted` proposals wait. Requests and the accepts later go round-robin over the opportunities, so concurrent
   * requests rarely meet on one stream.
   */
  async fill(wanted: number): Promise<void> {
    if (this.pending.length >= wanted) return;
    const start = performance.now();
    const count = Math.ceil((wanted - this.pending.length) / PER_OPPORTUNITY);
    const first = this.opportunities;
    this.opportunities += count;
    const { organisationIds, people } = this.participants;
    const opportunityIds = await concurrently(Array.from({ length: count }, (_, i) => first + i), SETUP_CONCURRENCY, (n) =>
      created(this.api, '/api/opportunities', this.api.coordinator, opportunityBody(organisationIds[n % organisationIds.length]), 'opportunityId'),
    );
    const slots = Array.from({ length: PER_OPPORTUNITY * count }, (_, k) => ({ opportunity: k % count, slot: Math.floor(k / count) }));
    const made = await concurrently(slots, SETUP_CONCURRENCY, async ({ opportunity, slot }) => {
      const opportunityId = opportunityIds[opportunity];
      // Distinct people within an opportunity (PEOPLE >= PER_OPPORTUNITY); each person is proposed to many.
      const person = people[((first + opportunity) * PER_OPPORTUNITY + slot) % people.length];
      const matchId = await created(
        this.api,
        `/api/opportunities/${opportunityId}/matches`,
        this.api.coordinator,
        { candidate: { type: 'person', id: person.personId }, message: '土曜の調理をお願いできませんか？' },
        'matchId',
      );
      return { opportunityId, matchId, token: person.token };
    });
    this.pending.push(...made);
    this.proposals += made.length;
    await projectionsCaughtUp(this.api);
    this.setupMs += performance.now() - start;
  }

  /** The raw accept requests of the next `n` proposals (they stay in the pool until `consume`). */
  peek(n: number, port: number): string[] {
    return this.pending.slice(0, n).map((p) => rawPost(port, ROUTES.accept(p.opportunityId, p.matchId), p.token));
  }

  consume(n: number): void {
    this.pending = this.pending.slice(n);
  }
}

// ---------------------------------------------------------------------------------------------------------
// One case: one durability, three sides

interface SideStats {
  latencies: Float64Array[];
  utilisation: number[];
  catchUpMs: number[];
  requests: number[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Above this share of the machine's CPU time used by other processes, the case says its rates are noisy. */
const OTHERS_NOTICEABLE = 0.1;

/** From now on: how much of the machine's CPU time went to other processes (busy time of all CPUs minus ours). */
function machineUsage() {
  const busy = () => cpus().reduce((sum, cpu) => sum + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq, 0);
  const total = () => cpus().reduce((sum, cpu) => sum + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq + cpu.times.idle, 0);
  const [busy0, total0, own0] = [busy(), total(), process.cpuUsage()];
  return {
    othersShare(): number {
      const own = process.cpuUsage(own0);
      const ownMs = (own.user + own.system) / 1000;
      const totalMs = total() - total0;
      return totalMs > 0 ? Math.max(0, (busy() - busy0 - ownMs) / totalMs) : 0;
    },
  };
}

function percentiles(chunks: readonly Float64Array[]): { p50: number; p95: number; p99: number; max: number; samples: number } {
  const all = new Float64Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    all.set(c, offset);
    offset += c.length;
  }
  all.sort();
  const at = (q: number) => (all.length ? all[Math.min(all.length - 1, Math.ceil(q * all.length) - 1)] : NaN);
  return { p50: round2(at(0.5)), p95: round2(at(0.95)), p99: round2(at(0.99)), max: round2(all[all.length - 1] ?? NaN), samples: all.length };
}

async function runCase(ctx: BenchContext, load: LoadGenerator, durability: Durability, names: { nest: string; fastify: string }): Promise<void> {
  const roundMs = scaled(ctx, ROUND_MS, MIN_ROUND_MS);
  const rounds = ctx.rounds ?? ROUNDS;
  const startup = performance.now();
  const machine = machineUsage();
  const api = await startApi(join(ctx.tmpDir, durability), durability);
  try {
    const participants = await registerParticipants(api);
    await ensureEmptyBodiesPass(api, participants.people[0].token);
    const pool = new ProposalPool(api, participants);
    const startupMs = performance.now() - startup;
    ctx.log(
      `[${durability}] API on 127.0.0.1:${api.port}; ${ORGANISATIONS} organisations and ${PEOPLE} people via ${participants.via} (${formatMs(startupMs)}); ` +
        `${CONNECTIONS} connections, ${formatMs(roundMs)} per side and round, ${rounds} rounds + 1 warm-up`,
    );

    // The noop sides reuse the shape of accept requests (valid uuids, a volunteer's token) and cycle through them.
    const noopRequests = (side: 'nest' | 'fastify') =>
      participants.people.map((person) => rawPost(api.port, ROUTES[side](newId(), newId()), person.token));
    const requests = { nest: noopRequests('nest'), fastify: noopRequests('fastify') };
    let acceptRate = INITIAL_ACCEPT_RATE;
    let exhausted = 0;

    const stats: Record<SideName, SideStats> = {
      accept: { latencies: [], utilisation: [], catchUpMs: [], requests: [] },
      nest: { latencies: [], utilisation: [], catchUpMs: [], requests: [] },
      fastify: { latencies: [], utilisation: [], catchUpMs: [], requests: [] },
    };
    const calls: Record<SideName, number> = { accept: 0, nest: 0, fastify: 0 };

    const side = (name: SideName) => async (): Promise<Sample> => {
      let batch: string[];
      if (name === 'accept') {
        const wanted = Math.ceil((acceptRate * roundMs * TOP_UP_MARGIN) / 1000) + CONNECTIONS;
        await pool.fill(wanted);
        batch = pool.peek(wanted, api.port);
      } else {
        batch = requests[name];
      }
      await projectionsCaughtUp(api);
      collectGarbage();
      const before = performance.eventLoopUtilization();
      const result = await load.run({ port: api.port, requests: batch, cycle: name !== 'accept', durationMs: roundMs, connections: CONNECTIONS, expectStatus: 200 });
      const catchUpStart = performance.now();
      await projectionsCaughtUp(api);
      const catchUpMs = performance.now() - catchUpStart;
      const utilisation = performance.eventLoopUtilization(before).utilization;
      if (name === 'accept') pool.consume(result.completed);
      if (result.error) throw new Error(`${name}: ${result.error}`);
      if (result.unexpected) throw new Error(`${name}: ${result.unexpected} of ${result.completed} answers were not 200; the first: ${result.firstUnexpected}`);
      const ms = result.elapsedMs + (name === 'accept' ? catchUpMs : 0);
      const sample = { work: result.completed, ms };
      if (name === 'accept') {
        acceptRate = Math.max(acceptRate, (sample.work / sample.ms) * 1000);
        if (result.completed >= batch.length) exhausted++;
      }
      if (calls[name]++ > 0) {
        // Not the warm-up (each side runs once per round, the first round warms up).
        const s = stats[name];
        s.latencies.push(result.latenciesMs);
        s.utilisation.push(utilisation);
        s.catchUpMs.push(catchUpMs);
        s.requests.push(result.completed);
      }
      return sample;
    };

    const rates = await interleave(
      { fastify: side('fastify'), nest: side('nest'), accept: side('accept') },
      { rounds, log: ctx.log, label: `[${durability}]` },
    );

    const latency = Object.fromEntries((Object.keys(stats) as SideName[]).map((name) => [name, percentiles(stats[name].latencies)])) as Record<
      SideName,
      ReturnType<typeof percentiles>
    >;
    const summary = (name: SideName) => ({
      label: SIDE_LABELS[name],
      rate: Math.round(median(rates[name])),
      latencyMs: latency[name],
      requestsPerRound: stats[name].requests,
      serverEventLoopUtilisation: Math.round(median(stats[name].utilisation) * 1000) / 1000,
      ...(name === 'accept' ? { projectionCatchUpMs: stats[name].catchUpMs.map((ms) => Math.round(ms * 10) / 10) } : {}),
    });
    const details = {
      durability,
      connections: CONNECTIONS,
      roundMs,
      proposalsPerOpportunity: PER_OPPORTUNITY,
      people: PEOPLE,
      participantsVia: participants.via,
      setup: { proposals: pool.proposals, opportunities: Math.ceil(pool.proposals / PER_OPPORTUNITY), ms: Math.round(pool.setupMs) },
      roundsThatRanOutOfProposals: exhausted,
      /** Share of the machine's CPU time (all CPUs) that other processes used during the case. */
      otherProcessesCpuShare: round2(machine.othersShare()),
      cpus: cpus().length,
      sides: { accept: summary('accept'), nest: summary('nest'), fastify: summary('fastify') },
    };
    ctx.detail(`[${durability}]`, details);
    const subject = { label: SIDE_LABELS.accept, rates: rates.accept };
    const brief = (baseline: SideName) => ({
      durability,
      connections: CONNECTIONS,
      roundMs,
      latencyMs: { accept: latency.accept, [baseline]: latency[baseline] },
      otherProcessesCpuShare: details.otherProcessesCpuShare,
    });
    if (ctx.selected(names.nest)) {
      ctx.record(compare({ name: names.nest, unit: 'requests/s', goal: GOAL, subject, baseline: { label: SIDE_LABELS.nest, rates: rates.nest }, details: brief('nest') }));
    }
    if (ctx.selected(names.fastify)) {
      ctx.record(
        compare({ name: names.fastify, unit: 'requests/s', goal: GOAL, subject, baseline: { label: SIDE_LABELS.fastify, rates: rates.fastify }, details: brief('fastify') }),
      );
    }
    const line = (name: SideName) =>
      `${name} ${formatRate(median(rates[name]))} p50/p95/p99 ${latency[name].p50}/${latency[name].p95}/${latency[name].p99} ms (server busy ${Math.round(details.sides[name].serverEventLoopUtilisation * 100)}%)`;
    ctx.note(`[${durability}] ${CONNECTIONS} connections: ${line('accept')}; ${line('nest')}; ${line('fastify')}`);
    if (exhausted) ctx.note(`[${durability}] ${exhausted} accept run(s) ran out of proposals before ${formatMs(roundMs)} (their rate stands, over a shorter run)`);
    if (details.otherProcessesCpuShare > OTHERS_NOTICEABLE) {
      ctx.note(`[${durability}] other processes used ${Math.round(details.otherProcessesCpuShare * 100)}% of the machine's ${details.cpus} CPUs during the case: expect noisy rates`);
    }
    ctx.log(`[${durability}] setup: ${pool.proposals} proposals on ${details.setup.opportunities} opportunities through HTTP in ${formatMs(pool.setupMs)}`);
  } finally {
    await stopApi(api);
  }
}
