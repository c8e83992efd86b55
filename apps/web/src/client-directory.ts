import { resolve } from 'node:path';

/** Where `vite build` writes the browser app: dist/web-client, beside this file's dist/apps/web/src. */
export const CLIENT_DIRECTORY = resolve(__dirname, '..', '..', '..', 'web-client');
