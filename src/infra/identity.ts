import { Aws, CfnOutput, RemovalPolicy } from 'aws-cdk-lib'
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers'
import * as cognito from 'aws-cdk-lib/aws-cognito'
import { Construct } from 'constructs'
import { ROLES } from '../auth/roles.js'
import type { Topology } from '../topology/topologies.js'
import {
  COGNITO_RESOURCE_SERVER,
  type IdentitySettings,
  scopePrefixOf,
} from './identity-settings.js'

/** Where a user pool client sends students after signing in, unless the deployer says otherwise. */
const DEFAULT_CALLBACK_URL = 'http://localhost:3000/callback'

/** The API's JWT authorizer and the scope prefix its routes and functions use. */
export interface ApiIdentity {
  readonly authorizer: HttpJwtAuthorizer
  readonly scopePrefix: string
}

/**
 * The identity side of a deployment: a JWT authorizer for the HTTP API, trusting the stack's own
 * Cognito user pool or the OIDC issuer the settings name. Nothing here holds a secret: Cognito
 * generates the instructors' client secret and keeps it (read it with
 * `aws cognito-idp describe-user-pool-client`).
 */
export function createApiIdentity(
  scope: Construct,
  identity: IdentitySettings,
  topology: Topology,
): ApiIdentity {
  const scopePrefix = scopePrefixOf(identity)
  if (identity.provider === 'oidc') {
    return {
      scopePrefix,
      authorizer: new HttpJwtAuthorizer('JwtAuthorizer', identity.issuer, {
        jwtAudience: [...identity.audiences],
      }),
    }
  }
  const pool = new AplusUserPool(scope, 'Identity', { topology })
  return {
    scopePrefix,
    authorizer: new HttpJwtAuthorizer('JwtAuthorizer', pool.userPool.userPoolProviderUrl, {
      jwtAudience: [pool.instructorClient.userPoolClientId, pool.studentClient.userPoolClientId],
    }),
  }
}

/**
 * A Cognito user pool for the API: a resource server `aplus` with one scope per role, and one
 * app client per role so a role cannot be asked for by whoever signs in.
 *
 * - Instructors (and tools such as the load tester) use the client-credentials flow of the
 *   instructors' client: its tokens carry `aplus/instructor`, and `sub` is the client id.
 * - Students sign in through the hosted pages (authorization-code flow) of the students'
 *   client: their tokens carry `aplus/student`. Known gap: a student's `sub` is Cognito's user
 *   id, not a `stu_…` id, so the self-rules only match once student records are created under
 *   that id or a pre-token-generation trigger adds it; neither is deployed here.
 */
export class AplusUserPool extends Construct {
  readonly userPool: cognito.UserPool
  readonly instructorClient: cognito.UserPoolClient
  readonly studentClient: cognito.UserPoolClient

  constructor(scope: Construct, id: string, props: { topology: Topology }) {
    super(scope, id)
    this.userPool = new cognito.UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Essentials allows access-token customization, the way to add a student's id to tokens.
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      // A lab deployment: destroying the stack deletes its users, as it deletes the table.
      removalPolicy: RemovalPolicy.DESTROY,
    })
    const roleScopes = Object.fromEntries(
      ROLES.map((role) => [
        role,
        new cognito.ResourceServerScope({ scopeName: role, scopeDescription: `act as ${role}` }),
      ]),
    ) as Record<(typeof ROLES)[number], cognito.ResourceServerScope>
    const server = this.userPool.addResourceServer('Api', {
      identifier: COGNITO_RESOURCE_SERVER,
      scopes: Object.values(roleScopes),
    })
    // The hosted domain serves the token endpoint; the account id keeps the prefix unique.
    const domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: `aplus-${props.topology}-${Aws.ACCOUNT_ID}` },
    })
    this.instructorClient = this.userPool.addClient('Instructors', {
      generateSecret: true,
      oAuth: {
        flows: { clientCredentials: true },
        scopes: [cognito.OAuthScope.resourceServer(server, roleScopes.instructor)],
      },
    })
    this.studentClient = this.userPool.addClient('Students', {
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [
          cognito.OAuthScope.OPENID,
          cognito.OAuthScope.resourceServer(server, roleScopes.student),
        ],
        callbackUrls: [DEFAULT_CALLBACK_URL],
      },
    })

    new CfnOutput(scope, 'TokenUrl', {
      value: `${domain.baseUrl()}/oauth2/token`,
      description:
        'OAuth token endpoint: client credentials of InstructorClientId give instructor tokens',
    })
    new CfnOutput(scope, 'InstructorClientId', { value: this.instructorClient.userPoolClientId })
    new CfnOutput(scope, 'StudentClientId', { value: this.studentClient.userPoolClientId })
    new CfnOutput(scope, 'UserPoolId', { value: this.userPool.userPoolId })
  }
}
