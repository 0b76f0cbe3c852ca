import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests start real servers (dynalite, the local cloud) on port 0; a few take seconds.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests run on Node 20; the SDK's notice that its 2027 releases need Node 22 is known.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
})
