import { defineConfig } from "vite";

// Served by `keyservice serve` at /console/ under a strict Content-Security-Policy: nothing may be
// inlined (no inline script, style or data: asset), so every asset is a file of its own.
export default defineConfig({
  base: "/console/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 400,
  },
});
