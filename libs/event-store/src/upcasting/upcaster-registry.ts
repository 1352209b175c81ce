/**
 * Stored events are immutable; when an event's data shape changes, its schema version is bumped and an
 * upcaster turns the old shape into the new one as the event is read. Upcasters chain: v1→v2→v3.
 */
export interface StoredEventShape {
  type: string;
  schemaVersion: number;
  data: unknown;
}

export type Upcaster = (data: any) => unknown;

export class UpcasterRegistry {
  private readonly upcasters = new Map<string, Upcaster>();
  private readonly currentVersions = new Map<string, number>();

  /** Registers the step from `fromVersion` to `fromVersion + 1` for an event type. */
  register(type: string, fromVersion: number, upcast: Upcaster): this {
    const key = `${type}@${fromVersion}`;
    if (this.upcasters.has(key)) throw new Error(`An upcaster for ${key} is already registered`);
    this.upcasters.set(key, upcast);
    this.currentVersions.set(type, Math.max(this.currentVersion(type), fromVersion + 1));
    return this;
  }

  /** The version new events of this type are written with. */
  currentVersion(type: string): number {
    return this.currentVersions.get(type) ?? 1;
  }

  get isEmpty(): boolean {
    return this.upcasters.size === 0;
  }

  upcast<E extends StoredEventShape>(event: E): E {
    let { schemaVersion, data } = event;
    for (let step = this.upcasters.get(`${event.type}@${schemaVersion}`); step; ) {
      data = step(data);
      schemaVersion += 1;
      step = this.upcasters.get(`${event.type}@${schemaVersion}`);
    }
    return schemaVersion === event.schemaVersion ? event : { ...event, schemaVersion, data };
  }
}
