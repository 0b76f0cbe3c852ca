import { Duration, Stack } from 'aws-cdk-lib'
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2'
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch'
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb'
import type * as lambda from 'aws-cdk-lib/aws-lambda'
import { Construct } from 'constructs'
import { TABLE } from '../store/table.js'

/** Each alarm looks at one-minute sums and fires on the first minute with any event at all. */
export const ALARM_PERIOD = Duration.minutes(1)
export const ALARM_THRESHOLD_EVENTS = 1

/**
 * The alarms that tell what the experiment is about, on AWS: DynamoDB throttling (table and
 * index, reads and writes), Lambda throttling per function, and 5xx answers from the API. They
 * have no actions: they show state in the console; add an SNS action to be paged.
 */
export class AplusAlarms extends Construct {
  constructor(
    scope: Construct,
    id: string,
    resources: {
      table: dynamodb.Table
      functions: ReadonlyMap<string, lambda.Function>
      api: apigwv2.HttpApi
    },
  ) {
    super(scope, id)
    const { table, functions, api } = resources
    const dimensions = {
      table: { TableName: table.tableName },
      index: { TableName: table.tableName, GlobalSecondaryIndexName: TABLE.index.name },
    }
    for (const [part, dimensionsMap] of Object.entries(dimensions)) {
      for (const metricName of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
        this.alarm(
          `${part}-${metricName}`,
          new cloudwatch.Metric({ namespace: 'AWS/DynamoDB', metricName, dimensionsMap }),
          `DynamoDB ${metricName} on the ${part}`,
        )
      }
    }
    for (const [name, fn] of functions) {
      this.alarm(`${name}-Throttles`, fn.metricThrottles(), `Lambda throttled function ${name}`)
    }
    this.alarm('Api-5xx', api.metricServerError(), 'the HTTP API answered 5xx')
  }

  private alarm(id: string, metric: cloudwatch.Metric, what: string): cloudwatch.Alarm {
    return new cloudwatch.Alarm(this, id, {
      metric: metric.with({ period: ALARM_PERIOD, statistic: cloudwatch.Stats.SUM }),
      threshold: ALARM_THRESHOLD_EVENTS,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `${Stack.of(this).stackName}: ${what} in a one-minute period`,
    })
  }
}
