import { defineConfig } from 'vite';

// Built into the server's static files by the server's own `dotnet build` (see docs/web.md).
// `npm run dev` serves the app with hot reload and sends the API to a server on :5080.
const outDir = '../ContactCenter.Server/wwwroot'; // relative to this folder (Vite's root)
const api = { target: 'http://127.0.0.1:5080', changeOrigin: false };

export default defineConfig({
  base: '/',
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // bpmn-js is one large lazily loaded chunk, loaded only where a diagram is shown.
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': api, '/health': api, '/openapi': api },
  },
});
