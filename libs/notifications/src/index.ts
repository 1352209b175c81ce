export * from './notification.events';
export * from './notification.rules';
export * from './message-facts';
export * from './templates';
export * from './webhooks';
export * from './follow-ups';
export * from './quiet-hours';
