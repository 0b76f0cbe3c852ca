import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests start real servers (dynalite, the local cloud) on port 0; a few take seconds.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
