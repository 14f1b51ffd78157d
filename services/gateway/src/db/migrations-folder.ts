import { fileURLToPath } from 'node:url';

/** Next to this file in src/ and, after the build copies them, in dist/. */
export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));
