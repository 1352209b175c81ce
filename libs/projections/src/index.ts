export * from './runner/projection';
export * from './runner/projection-runner';
export * from './runner/read-model-database';
export * from './stream-catalogue/stream-catalogue.projection';
export * from './matching/matching.projection';
export * from './matching/matching.queries';
export * from './participants/participants.projection';
export * from './participants/participants.queries';
