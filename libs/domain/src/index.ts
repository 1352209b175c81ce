export * from './decider';
export * from './text';
export * from './wards';
export * from './principal';
export * from './themes';
export * from './skills';
export * from './notification-kinds';
