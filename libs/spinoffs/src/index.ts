export * from './spinoff/spinoff.types';
export * from './spinoff/spinoff.events';
export * from './spinoff/spinoff.commands';
export * from './spinoff/spinoff.decider';
export * from './spinoff/spinoff.policy';
