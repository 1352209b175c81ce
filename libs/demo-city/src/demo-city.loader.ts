import { v5 as uuidv5 } from 'uuid';
import { DomainError } from '@tsunagi/domain';
import { EventStore, FixedClock } from '@tsunagi/event-store';
import { CommandExecutor } from '@tsunagi/platform';
import { DemoCityOptions, DemoCityPlan, DemoCitySample, planDemoCity } from './demo-city.plan';

/** The stream that says a demo city was loaded into this store, and with which options. */
export const DEMO_CITY_STREAM = 'demo-city';
const DEMO_CITY_NAMESPACE = '5d2e8f41-9c3b-4a7e-b1d6-2f8a0c4e6b13';

export interface DemoCityLoadReport {
  /** Steps written now. */
  written: number;
  /** Steps an earlier, interrupted load had written already. */
  alreadyThere: number;
  /** Steps the domain refused, as it would refuse a person doing the same (a role filled meanwhile…). */
  refused: Record<string, number>;
  counts: DemoCityPlan['counts'];
  sample: DemoCitySample;
}

export interface DemoCityRecord {
  options: DemoCityOptions;
  counts: DemoCityPlan['counts'];
  sample: DemoCitySample;
}

/** What was loaded, when a load finished; undefined before. */
export async function loadedDemoCity(store: EventStore): Promise<DemoCityRecord | undefined> {
  const events = await store.readStream(DEMO_CITY_STREAM);
  const loaded = events.find((e) => e.type === 'DemoCityLoaded');
  return loaded ? (loaded.data as DemoCityRecord) : undefined;
}

/**
 * Writes the planned history through the real deciders, one command at a time at its moment (the clock is set to
 * each step's time), so every event is one the API could have written. Each step's event ids derive from the seed
 * and its place in the plan: a load killed half-way and started again writes only what is missing. Ends with a
 * `DemoCityLoaded` event recording the options and what was made.
 */
export async function loadDemoCity(
  store: EventStore,
  options: DemoCityOptions,
  onProgress?: (done: number, total: number) => void,
): Promise<DemoCityLoadReport> {
  const plan = planDemoCity(options);
  const clock = new FixedClock(new Date(plan.steps[0]?.at ?? Date.now()));
  const executor = new CommandExecutor(store, clock);
  const report: DemoCityLoadReport = { written: 0, alreadyThere: 0, refused: {}, counts: plan.counts, sample: plan.sample };
  const correlationId = `demo-city-${options.seed}`;
  for (const [index, step] of plan.steps.entries()) {
    clock.set(new Date(step.at));
    try {
      const result = await executor.execute(
        step.decider,
        step.streamId,
        {
          principal: { subject: step.by, role: step.role, wards: [], organisationIds: [] },
          correlationId,
          causationId: `${correlationId}:${index}`,
          idempotencyScope: `${correlationId}:${index}`,
        },
        { command: (at) => step.command(at) },
      );
      if (result.replayed) report.alreadyThere++;
      else report.written++;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      report.refused[error.code] = (report.refused[error.code] ?? 0) + 1;
    }
    if (onProgress && (index % 250 === 0 || index === plan.steps.length - 1)) onProgress(index + 1, plan.steps.length);
  }
  const record: DemoCityRecord = { options, counts: plan.counts, sample: plan.sample };
  // One id per seed: the same city is recorded once.
  const id = uuidv5(`${correlationId}|DemoCityLoaded`, DEMO_CITY_NAMESPACE);
  await store.append(DEMO_CITY_STREAM, [{ id, type: 'DemoCityLoaded', data: record }], { expectedRevision: 'any' });
  return report;
}
