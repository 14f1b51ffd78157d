export * from './ast.js';
export * from './catalog.js';
export * from './evaluate.js';
export * from './time.js';
