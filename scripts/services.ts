/** The services of the cluster, their ports and schemas, for the scripts that run them all. */
export interface ServiceEntry {
  name: string;
  port: number;
  /** Postgres schema. */
  schema?: string;
}

export const SERVICES: readonly ServiceEntry[] = [
  { name: 'profiles', port: 8081, schema: 'profiles' },
  { name: 'interactions', port: 8082, schema: 'interactions' },
  { name: 'notes-tasks', port: 8083, schema: 'notes_tasks' },
  { name: 'comms', port: 8084, schema: 'comms' },
  { name: 'segments', port: 8085, schema: 'segments' },
  { name: 'automation', port: 8086, schema: 'automation' },
  { name: 'analytics', port: 8087, schema: 'analytics' },
  { name: 'gateway', port: 8080, schema: 'gateway' },
];
