import { UpcasterRegistry } from './upcaster-registry';

describe('UpcasterRegistry', () => {
  const registry = new UpcasterRegistry()
    .register('PersonRegistered', 1, (d: { name: string }) => ({ displayName: d.name }))
    .register('PersonRegistered', 2, (d: { displayName: string }) => ({ ...d, languages: ['ja'] }));

  it('chains steps from a stored version to the current one', () => {
    expect(registry.upcast({ type: 'PersonRegistered', schemaVersion: 1, data: { name: '佐藤' } })).toEqual({
      type: 'PersonRegistered',
      schemaVersion: 3,
      data: { displayName: '佐藤', languages: ['ja'] },
    });
    expect(registry.upcast({ type: 'PersonRegistered', schemaVersion: 2, data: { displayName: 'Sato' } }).data).toEqual({
      displayName: 'Sato',
      languages: ['ja'],
    });
  });

  it('leaves current versions and other types untouched (same object)', () => {
    const current = { type: 'PersonRegistered', schemaVersion: 3, data: {} };
    expect(registry.upcast(current)).toBe(current);
    const other = { type: 'MatchProposed', schemaVersion: 1, data: {} };
    expect(registry.upcast(other)).toBe(other);
  });

  it('knows the version to write new events with, and refuses a second step for the same version', () => {
    expect(registry.currentVersion('PersonRegistered')).toBe(3);
    expect(registry.currentVersion('MatchProposed')).toBe(1);
    expect(() => registry.register('PersonRegistered', 1, (d) => d)).toThrow(/already registered/);
  });
});
