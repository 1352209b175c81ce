export * from './meeting/meeting.types';
export * from './meeting/meeting.events';
export * from './meeting/meeting.commands';
export * from './meeting/meeting.decider';
export * from './meeting/meeting.policy';
export * from './sdc/sdc-catalogue';
export * from './sdc/sdc.decider';
