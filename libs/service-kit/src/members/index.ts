export * from './config.js';
export * from './module.js';
export * from './replica.js';
export * from './tables.js';
