import type { Identity } from '../auth/roles.js'
import type { Store } from '../store/index.js'
import type { Logger } from './logger.js'

/** A request as the handlers see it: no API Gateway event, no AWS types. */
export interface ApiRequest {
  /** The route that matched, e.g. `GET /courses/{courseId}`, or `$default`. */
  routeKey: string
  method: string
  path: string
  pathParameters: Readonly<Record<string, string>>
  query: Readonly<Record<string, string>>
  /** Header names in lower case; repeated headers joined with commas, as API Gateway does. */
  headers: Readonly<Record<string, string>>
  /** The body as text (base64 already decoded), or undefined when there is none. */
  body: string | undefined
  requestId: string
  /**
   * Who is asking, from the claims API Gateway's JWT authorizer verified; absent on public
   * routes and whenever no authorizer ran. The token itself never reaches a handler.
   */
  identity?: Identity
}

export interface ApiResponse {
  statusCode: number
  headers?: Record<string, string>
  /** Serialized as JSON by the adapter; absent for an empty body. */
  body?: unknown
}

/** What a handler may use besides the request; one per execution environment. */
export interface HandlerContext {
  readonly store: Store
  readonly log: Logger
  now(): Date
  /** A new random id with the given prefix, e.g. `stu_` + 16 base32 characters. */
  newId(prefix: IdPrefix): string
}

export type IdPrefix = 'stu' | 'crs'

export type Handler = (request: ApiRequest, context: HandlerContext) => Promise<ApiResponse>
