import { defineConfig } from "vite";

// Built into the Python package: gongjian serves index.html at / and the SPA routes,
// the assets under /static/workbench/ (see app/workbench.py).
export default defineConfig({
  base: "/static/workbench/",
  build: {
    outDir: "../app/static/workbench",
    emptyOutDir: true,
    target: "es2022",
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: false,
  },
});
