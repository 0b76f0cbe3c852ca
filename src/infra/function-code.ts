import { AssetHashType, type BundlingOptions, type ILocalBundling } from 'aws-cdk-lib'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import { buildFunctionSync, PACKAGE_ROOT } from '../topology/bundle.js'
import { entrySource } from '../topology/entry-source.js'
import type { FunctionDefinition } from '../topology/topologies.js'

/**
 * Bundles a function for the CDK with the very builder the local cloud uses (buildFunctionSync:
 * the shared esbuild options and the generated entry), so the asset CloudFormation deploys is
 * byte for byte the bundle that was tested locally.
 *
 * Its JSON form is part of the CDK's asset cache key: the entry source keeps two functions'
 * bundling apart even though they share one source folder.
 */
class LocalFunctionBundler implements ILocalBundling {
  constructor(private readonly fn: FunctionDefinition) {}

  tryBundle(outputDir: string): boolean {
    buildFunctionSync(this.fn, outputDir)
    // Bundling never falls back to Docker: it succeeded, or buildFunctionSync threw.
    return true
  }

  toJSON() {
    return { functionName: this.fn.name, entry: entrySource(this.fn) }
  }
}

/**
 * The code of one function: an asset bundled locally at synth time and hashed by its output,
 * so only functions whose bundle changed are updated on the next deploy. The Docker image is
 * required by the CDK's types and never used (see LocalFunctionBundler.tryBundle).
 */
export function functionCode(fn: FunctionDefinition): lambda.Code {
  const bundling: BundlingOptions = {
    image: lambda.Runtime.NODEJS_22_X.bundlingImage,
    local: new LocalFunctionBundler(fn),
  }
  return lambda.Code.fromAsset(PACKAGE_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling,
  })
}
