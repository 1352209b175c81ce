export * from './event-store-contract';
export * from './given-when-then';
