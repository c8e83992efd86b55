import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The browser app. Vite 8 (Rolldown, Oxc) compiles TSX itself with React's automatic runtime, so no
 * framework plugin is needed for the production build. In development (`npm run web:dev`) the API
 * paths are proxied to the services, as the web server does in production.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: '../../../dist/web-client',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      // react-router marks its modules 'use client' for server components; a browser bundle has no use for it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    port: 3000,
    proxy: {
      '/api/catalog': { target: 'http://localhost:3001', rewrite: (path) => path.replace(/^\/api\/catalog/, '') },
      '/api/booking': { target: 'http://localhost:3002', rewrite: (path) => path.replace(/^\/api\/booking/, '') },
      '/api/worker': { target: 'http://localhost:3003', rewrite: (path) => path.replace(/^\/api\/worker/, '') },
    },
  },
});
