export * from './policy';
export * from './components';
export * from './ladder';
export * from './explanation';
export * from './suggestion-index';
export * from './generated-world';
export * from './replay/policy-replay';
