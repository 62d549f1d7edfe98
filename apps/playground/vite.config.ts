import { defineConfig } from 'vite';

export default defineConfig({
  // The worker is an ES module (the core's kernel loader uses modern syntax; Vite's default is iife).
  worker: { format: 'es' },
  build: { target: 'es2022' },
});
