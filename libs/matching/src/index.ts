export * from './opportunity/opportunity.types';
export * from './opportunity/opportunity.events';
export * from './opportunity/opportunity.commands';
export * from './opportunity/opportunity.decider';
export * from './opportunity/opportunity.policy';
