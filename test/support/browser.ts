import { execFileSync } from 'node:child_process'
import { type Browser, chromium } from 'playwright-core'

/** Debian's Chromium, which .ci/run installs; playwright cannot download browsers here. */
export function chromiumPath(): string | undefined {
  try {
    return (
      execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim() || undefined
    )
  } catch {
    return undefined
  }
}

/** Starts headless Chromium as it works on these machines: no sandbox, no network chatter, a fresh profile. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/**
 * Whether browser tests can run. CI sets APLUS_REQUIRE_BROWSER so a missing Chromium fails there
 * instead of skipping; elsewhere the tests are skipped with the install command in their name.
 */
export function browserAvailability(): {
  executablePath: string | undefined
  skipReason: string | undefined
} {
  const executablePath = chromiumPath()
  if (executablePath) return { executablePath, skipReason: undefined }
  if (process.env.APLUS_REQUIRE_BROWSER) {
    throw new Error(
      'APLUS_REQUIRE_BROWSER is set but chromium is not installed: apt-get install -y chromium',
    )
  }
  return { executablePath, skipReason: 'chromium is not installed (apt-get install -y chromium)' }
}
