export * from './decider';
export * from './text';
export * from './wards';
export * from './principal';
export * from './themes';
export * from './skills';
export * from './seeded-random';
export * from './notification-kinds';
