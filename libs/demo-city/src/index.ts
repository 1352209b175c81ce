export * from './demo-city.plan';
export * from './demo-city.loader';
