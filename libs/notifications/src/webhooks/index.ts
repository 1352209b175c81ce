export * from './webhook-endpoint';
export * from './address-policy';
export * from './secret-box';
export * from './webhook-signature';
export * from './webhook-sender';
export * from './webhook-endpoint-directory';
export * from './webhook-channel';
