export * from './access.js';
export * from './config.js';
export * from './declaration.js';
export * from './erasure.js';
export * from './merge.js';
export * from './module.js';
export * from './replica.js';
export * from './tables.js';
