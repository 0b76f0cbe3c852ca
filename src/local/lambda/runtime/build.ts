import { workerScript } from '../../../shared/worker-script.js'

/** The runtime bootstrap as one CommonJS script, for `new Worker(code, { eval: true })`. */
export function bootstrapSource(): Promise<string> {
  return workerScript(import.meta.url, 'bootstrap')
}
