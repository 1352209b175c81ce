export * from './event-store.port';
export * from './errors';
export * from './clock';
export * from './ids';
export * from './upcasting/upcaster-registry';
export * from './sqlite/sqlite-event-store';
export * from './create-event-store';
