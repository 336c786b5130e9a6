import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const server = process.env.HARBOURWATCH_URL ?? 'http://127.0.0.1:3000';

// The console: built to dist/web and served by the server at `/`; `npm run dev` serves it with hot
// reload and proxies the API (HTTP and graphql-ws) to a running server.
export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    // Inline nothing: every asset is a file the policy admits ('self'), none a data: script or style.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 400,
  },
  server: {
    fs: { allow: ['..'] },
    proxy: {
      '/graphql': { target: server, ws: true, changeOrigin: false },
      '/stix': server,
    },
  },
});
