export * from './queue-connection';
export * from './queues';
