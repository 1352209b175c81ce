export * from './time';
export * from './facts/analytics-fact';
export * from './facts/fact-extractor';
export * from './ladder/ladder-rules';
export * from './ladder/stage-history';
export * from './indicators/indicators';
export * from './export/indicator-rows';
export * from './generated/generated-history';
