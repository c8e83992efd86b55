export * from './catalog-fixtures';
export * from './http-client';
export * from './test-app';
export * from './test-database';
export * from './test-environment';
export * from './manual-clock';
export * from './app-process';
export * from './test-smtp-server';
