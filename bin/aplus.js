#!/usr/bin/env node
// The installed command. The TypeScript sources are compiled to dist/ by `npm ci` (prepare) and
// `npm run build`; this file only points there so `npx aplus` works in a checkout.
import { existsSync } from 'node:fs'

const entry = new URL('../dist/cli/main.js', import.meta.url)
if (!existsSync(entry)) {
  process.stderr.write('aplus: dist/ is missing; run `npm run build` (or `npm ci`) first\n')
  process.exit(1)
}
// The functions deploy on nodejs22.x; locally they run on this Node. The SDK's notice that its
// 2027 releases need Node 22 is known and would otherwise open every run's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

const { main } = await import(entry.href)
process.exitCode = await main(process.argv.slice(2))
