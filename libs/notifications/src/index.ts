export * from './notification.events';
