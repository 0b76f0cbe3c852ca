import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import type { RouteDefinition } from '../../api/routes.js'
import { closeServer, LOOPBACK, listenOnLoopback } from '../net.js'
import { buildHttpApiEvent } from './http-api-event.js'
import { fromLambdaResult, type GatewayResponse, gatewayError } from './lambda-response.js'
import { MalformedPathError, RouteMatcher } from './route-matcher.js'

/** HTTP API's payload limit (10 MB): a larger body never reaches a function. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024

/** Runs the function that owns a route; rejects when the invocation itself failed. */
export type Invoke = (functionName: string, event: APIGatewayProxyEventV2) => Promise<unknown>

export interface GatewayOptions {
  routes: readonly RouteDefinition[]
  /** The function that owns each route key. */
  functionOf: (routeKey: string) => string
  invoke: Invoke
  port?: number
  onRequest?: (entry: {
    method: string
    path: string
    statusCode: number
    durationMs: number
  }) => void
}

export interface Gateway {
  readonly url: string
  close(): Promise<void>
}

/**
 * An HTTP API on loopback: matches each request to a route, hands the owning function a payload
 * 2.0 event, and writes back what the function answered, or what API Gateway answers when the
 * function fails (500 `Internal Server Error`).
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const matcher = new RouteMatcher(options.routes)
  const server = createServer((request, response) => {
    const startedMs = performance.now()
    void handle(request, matcher, options).then((answer) => {
      write(response, answer)
      options.onRequest?.({
        method: request.method ?? '',
        path: request.url ?? '',
        statusCode: answer.statusCode,
        durationMs: performance.now() - startedMs,
      })
    })
  })
  const port = await listenOnLoopback(server, options.port ?? 0)
  return {
    url: `http://${LOOPBACK}:${port}`,
    close: () => closeServer(server),
  }
}

async function handle(
  request: IncomingMessage,
  matcher: RouteMatcher,
  options: GatewayOptions,
): Promise<GatewayResponse> {
  const body = await readBody(request)
  if (!body) return gatewayError(413, 'Request Entity Too Large')
  const url = request.url ?? '/'
  const method = request.method ?? 'GET'
  try {
    const match = matcher.match(method, url.split('?')[0] ?? '/')
    if (!match) return gatewayError(404, 'Not Found')
    const event = buildHttpApiEvent(
      {
        method,
        url,
        rawHeaders: request.rawHeaders,
        body,
        sourceIp: request.socket.remoteAddress ?? '',
      },
      match,
    )
    return fromLambdaResult(await options.invoke(options.functionOf(match.routeKey), event))
  } catch (error) {
    if (error instanceof MalformedPathError) return gatewayError(400, 'Bad Request')
    return gatewayError(500, 'Internal Server Error')
  }
}

function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let bytes = 0
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length
      if (bytes > MAX_PAYLOAD_BYTES) {
        request.removeAllListeners('data')
        request.resume()
        resolve(undefined)
      } else {
        chunks.push(chunk)
      }
    })
    request.on('end', () => resolve(Buffer.concat(chunks)))
    request.on('error', reject)
  })
}

function write(response: ServerResponse, answer: GatewayResponse): void {
  response.writeHead(answer.statusCode, { ...answer.headers, 'content-length': answer.body.length })
  response.end(answer.body)
}
