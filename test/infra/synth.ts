import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Template } from 'aws-cdk-lib/assertions'
import { createAplusApp } from '../../src/infra/app.js'
import type { AplusStack } from '../../src/infra/stack.js'

const CDK_JSON = new URL('../../cdk.json', import.meta.url)

/** cdk.json's context (defaults and feature flags): what `cdk synth` gives the app. */
export function cdkJsonContext(): Record<string, unknown> {
  return (JSON.parse(readFileSync(CDK_JSON, 'utf8')) as { context: Record<string, unknown> })
    .context
}

export interface Synthesized {
  stack: AplusStack
  template: Template
  /** The cloud assembly's folder; remove() deletes it. */
  outdir: string
  remove(): void
}

/**
 * Synthesizes the app as `cdk synth -c key=value…` would, into a folder of its own. Bundling and
 * CloudFormation validation are off unless asked for: both are slow, and one test does each.
 */
export function synthesize(
  context: Record<string, unknown> = {},
  options: { bundling?: boolean; validation?: boolean } = {},
): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'aplus-cdk-'))
  const { stack } = createAplusApp({
    outdir,
    builtinCloudFormationValidation: options.validation ?? false,
    context: {
      ...cdkJsonContext(),
      ...context,
      ...(options.bundling ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
  })
  const template = Template.fromStack(stack)
  return { stack, template, outdir, remove: () => rmSync(outdir, { recursive: true, force: true }) }
}

type Resource = { Type: string; Properties: Record<string, unknown> }

/** The template's resources of one type, by logical id. */
export function resourcesOf(template: Template, type: string): Map<string, Resource> {
  const resources = template.toJSON().Resources as Record<string, Resource>
  return new Map(Object.entries(resources).filter(([, resource]) => resource.Type === type))
}

/** Logical id of a `{ Ref }` or `{ Fn::GetAtt: [id, attr] }` value. */
export function referencedId(value: unknown): string | undefined {
  const reference = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] }
  return reference?.Ref ?? reference?.['Fn::GetAtt']?.[0]
}

/** Function logical id → the topology's function name, from the aplus:function tag. */
export function functionNamesById(template: Template): Map<string, string> {
  const names = new Map<string, string>()
  for (const [id, fn] of resourcesOf(template, 'AWS::Lambda::Function')) {
    const tags = fn.Properties.Tags as { Key: string; Value: string }[]
    const name = tags.find((tag) => tag.Key === 'aplus:function')?.Value
    if (name) names.set(id, name)
  }
  return names
}

/**
 * Route key → function name as the template wires it: route → integration → the function in
 * the integration's URI.
 */
export function routeOwnersIn(template: Template): Map<string, string> {
  const functions = functionNamesById(template)
  const integrations = resourcesOf(template, 'AWS::ApiGatewayV2::Integration')
  const owners = new Map<string, string>()
  for (const route of resourcesOf(template, 'AWS::ApiGatewayV2::Route').values()) {
    const target = JSON.stringify(route.Properties.Target)
    const integrationId = [...integrations.keys()].find((id) => target.includes(`"${id}"`))
    const uri = integrationId && integrations.get(integrationId)?.Properties.IntegrationUri
    const functionId = referencedId(uri)
    owners.set(
      String(route.Properties.RouteKey),
      (functionId && functions.get(functionId)) || 'unresolved',
    )
  }
  return owners
}

/**
 * Route key → the scopes its authorizer asks for, as the template wires them; public routes
 * (authorization type NONE) are left out.
 */
export function routeScopesIn(template: Template): Map<string, string[]> {
  const scopes = new Map<string, string[]>()
  for (const route of resourcesOf(template, 'AWS::ApiGatewayV2::Route').values()) {
    const { AuthorizationType, AuthorizationScopes, RouteKey } = route.Properties
    if (AuthorizationType === 'NONE' || AuthorizationType === undefined) continue
    scopes.set(String(RouteKey), (AuthorizationScopes as string[] | undefined) ?? [])
  }
  return scopes
}
