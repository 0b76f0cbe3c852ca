import { describeApiContract } from './api-contract.js'
import { useLocalCloudHarness } from './local-cloud-harness.js'

describeApiContract(
  'through the local cloud, monolith topology bundles',
  useLocalCloudHarness('monolith'),
)
