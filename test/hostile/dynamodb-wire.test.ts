import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SUPPORTED_OPERATIONS } from '../../src/local/dynamodb/engine.js'
import { type LocalDynamoDb, startLocalDynamoDb } from '../../src/local/dynamodb/index.js'
import { createProjectTable } from '../../src/local/table-setup.js'
import { DEFAULT_CAPACITY } from '../../src/store/capacity.js'
import {
  deeplyNested,
  edgeNumber,
  hostileJson,
  hostileString,
  invalidUtf8,
  notJson,
  PROTOTYPE_KEYS,
  pathsOf,
  spoil,
} from '../support/hostile.js'
import { assertProperty, PropertyTally } from '../support/property-runs.js'
import { type RawRequest, rawRequest } from '../support/raw-http.js'

const TABLE_NAME = 'aplus-hostile'
const SIGNED = 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request'
const TARGET_PREFIX = 'DynamoDB_20120810.'

/** Operations that only change data or tables: never sent with the real table's exact name. */
const DESTRUCTIVE = new Set(['DeleteTable'])

const tableName = fc.oneof(
  { weight: 4, arbitrary: fc.constant(TABLE_NAME) },
  fc.constantFrom('other-table', '', 'a'.repeat(256), 'has space', TABLE_NAME.toUpperCase()),
  hostileString,
  edgeNumber,
)

const attributeValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.record({ S: fc.oneof(hostileString, edgeNumber) }),
    fc.record({ N: fc.oneof(hostileString, edgeNumber.map(String), edgeNumber) }),
    fc.record({ B: fc.oneof(fc.base64String(), hostileString) }),
    fc.record({ BOOL: fc.oneof(fc.boolean(), hostileString) }),
    fc.record({ NULL: fc.oneof(fc.boolean(), hostileString) }),
    fc.record({ SS: fc.array(hostileString, { maxLength: 3 }) }),
    fc.record({ NS: fc.array(fc.oneof(hostileString, edgeNumber.map(String)), { maxLength: 3 }) }),
    fc.record({ L: fc.array(tie('value'), { maxLength: 3 }) }),
    fc.record({ M: fc.dictionary(hostileString, tie('value'), { maxKeys: 3 }) }),
    fc.dictionary(fc.constantFrom('S', 'N', 'X', ...PROTOTYPE_KEYS), hostileJson, { maxKeys: 2 }),
    hostileJson,
  ),
})).value

const keyName = fc.oneof(
  fc.constantFrom('pk', 'sk', 'gsi1pk', 'gsi1sk', ...PROTOTYPE_KEYS),
  hostileString,
)
const attributes = fc.oneof(
  fc.dictionary(keyName, attributeValue, { maxKeys: 4 }),
  fc.record({ pk: attributeValue, sk: attributeValue }),
  hostileJson,
)

const expressionToken = fc.constantFrom(
  '#n',
  ':v',
  '=',
  '<>',
  'AND',
  'OR',
  'NOT',
  'BETWEEN',
  'IN',
  '(',
  ')',
  ',',
  '.',
  '[0]',
  'pk',
  'SET',
  'REMOVE',
  'ADD',
  'DELETE',
  '+',
  '-',
  'attribute_exists(',
  'attribute_not_exists(',
  'begins_with(',
  'size(',
  'if_not_exists(',
  'list_append(',
  'contains(',
  '#',
  ':',
)
const expression = fc.oneof(
  fc
    .array(fc.oneof(expressionToken, hostileString), { maxLength: 8 })
    .map((parts) => parts.join(' ')),
  hostileString,
  edgeNumber,
)

/** Fields of every data and table operation, each with hostile values, any subset present. */
const requestFields = fc.record(
  {
    TableName: tableName,
    Key: attributes,
    Item: attributes,
    ExclusiveStartKey: attributes,
    ExpressionAttributeNames: fc.oneof(
      fc.dictionary(fc.constantFrom('#n', '#', 'n', ...PROTOTYPE_KEYS), hostileString),
      hostileJson,
    ),
    ExpressionAttributeValues: fc.oneof(
      fc.dictionary(fc.constantFrom(':v', ':', 'v'), attributeValue),
      hostileJson,
    ),
    KeyConditionExpression: expression,
    FilterExpression: expression,
    UpdateExpression: expression,
    ConditionExpression: expression,
    ProjectionExpression: expression,
    Limit: fc.oneof(edgeNumber, hostileString),
    Segment: edgeNumber,
    TotalSegments: edgeNumber,
    ConsistentRead: hostileJson,
    IndexName: fc.oneof(fc.constant('gsi1'), hostileString),
    Select: fc.oneof(
      fc.constantFrom('COUNT', 'ALL_ATTRIBUTES', 'SPECIFIC_ATTRIBUTES'),
      hostileString,
    ),
    ReturnValues: fc.oneof(fc.constantFrom('ALL_OLD', 'ALL_NEW', 'NONE'), hostileString),
    ReturnConsumedCapacity: fc.oneof(
      fc.constantFrom('NONE', 'TOTAL', 'INDEXES'),
      hostileString,
      edgeNumber,
    ),
    RequestItems: fc.oneof(
      fc.dictionary(
        tableName.map(String),
        fc.oneof(
          fc.record({ Keys: fc.array(attributes, { maxLength: 3 }) }),
          fc.array(
            fc.oneof(
              fc.record({ PutRequest: fc.record({ Item: attributes }) }),
              fc.record({ DeleteRequest: fc.record({ Key: attributes }) }),
              hostileJson,
            ),
            { maxLength: 3 },
          ),
          hostileJson,
        ),
        { maxKeys: 2 },
      ),
      hostileJson,
    ),
    TransactItems: fc.oneof(
      fc.array(
        fc.oneof(
          fc.record({
            Put: fc.record(
              { TableName: tableName, Item: attributes, ConditionExpression: expression },
              { requiredKeys: [] },
            ),
          }),
          fc.record({
            Update: fc.record(
              { TableName: tableName, Key: attributes, UpdateExpression: expression },
              { requiredKeys: [] },
            ),
          }),
          fc.record({
            Delete: fc.record({ TableName: tableName, Key: attributes }, { requiredKeys: [] }),
          }),
          fc.record({
            ConditionCheck: fc.record(
              { TableName: tableName, Key: attributes, ConditionExpression: expression },
              { requiredKeys: [] },
            ),
          }),
          fc.record({
            Get: fc.record({ TableName: tableName, Key: attributes }, { requiredKeys: [] }),
          }),
          hostileJson,
        ),
        { maxLength: 4 },
      ),
      hostileJson,
    ),
    ClientRequestToken: hostileString,
    AttributeDefinitions: hostileJson,
    KeySchema: fc.oneof(fc.constant([{ AttributeName: 'pk', KeyType: 'HASH' }]), hostileJson),
    ProvisionedThroughput: fc.oneof(
      fc.record({ ReadCapacityUnits: edgeNumber, WriteCapacityUnits: edgeNumber }),
      hostileJson,
    ),
    BillingMode: fc.oneof(fc.constantFrom('PROVISIONED', 'PAY_PER_REQUEST'), hostileString),
    OnDemandThroughput: fc.oneof(
      fc.record({ MaxReadRequestUnits: edgeNumber, MaxWriteRequestUnits: edgeNumber }),
      hostileJson,
    ),
    GlobalSecondaryIndexUpdates: hostileJson,
  },
  { requiredKeys: [] },
)

const KEY = { pk: { S: 'a' }, sk: { S: 'b' } }
const ITEM = { ...KEY, gsi1pk: { S: 'G' }, gsi1sk: { S: 'g' }, data: { M: { n: { N: '1' } } } }

/** A valid request of each operation on the real table, to be spoiled in one place. */
const TEMPLATES: Record<string, Record<string, unknown>> = {
  GetItem: {
    TableName: TABLE_NAME,
    Key: KEY,
    ProjectionExpression: '#d',
    ExpressionAttributeNames: { '#d': 'data' },
  },
  PutItem: {
    TableName: TABLE_NAME,
    Item: ITEM,
    ConditionExpression: 'attribute_not_exists(pk)',
    ReturnValues: 'ALL_OLD',
  },
  UpdateItem: {
    TableName: TABLE_NAME,
    Key: KEY,
    UpdateExpression:
      'SET #d.n = if_not_exists(#d.n, :z) + :one, #l = list_append(if_not_exists(#l, :e), :l)',
    ExpressionAttributeNames: { '#d': 'data', '#l': 'list' },
    ExpressionAttributeValues: {
      ':z': { N: '0' },
      ':one': { N: '1' },
      ':e': { L: [] },
      ':l': { L: [{ S: 'x' }] },
    },
    ReturnValues: 'ALL_NEW',
    ReturnConsumedCapacity: 'INDEXES',
  },
  DeleteItem: { TableName: TABLE_NAME, Key: KEY, ConditionExpression: 'attribute_exists(pk)' },
  Query: {
    TableName: TABLE_NAME,
    KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
    FilterExpression: 'size(#d) > :zero',
    ExpressionAttributeNames: { '#d': 'data' },
    ExpressionAttributeValues: { ':p': { S: 'a' }, ':s': { S: 'b' }, ':zero': { N: '0' } },
    ExclusiveStartKey: KEY,
    Limit: 5,
  },
  QueryIndex: {
    TableName: TABLE_NAME,
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :p',
    ExpressionAttributeValues: { ':p': { S: 'G' } },
    ExclusiveStartKey: { ...KEY, gsi1pk: { S: 'G' }, gsi1sk: { S: 'g' } },
    ScanIndexForward: false,
  },
  Scan: { TableName: TABLE_NAME, Limit: 5, Segment: 0, TotalSegments: 2, Select: 'COUNT' },
  BatchGetItem: { RequestItems: { [TABLE_NAME]: { Keys: [KEY], ConsistentRead: true } } },
  BatchWriteItem: {
    RequestItems: {
      [TABLE_NAME]: [
        { PutRequest: { Item: ITEM } },
        { DeleteRequest: { Key: { pk: { S: 'c' }, sk: { S: 'd' } } } },
      ],
    },
  },
  TransactWriteItems: {
    TransactItems: [
      { Put: { TableName: TABLE_NAME, Item: { ...ITEM, sk: { S: 't' } } } },
      {
        Update: {
          TableName: TABLE_NAME,
          Key: KEY,
          UpdateExpression: 'ADD #c :one',
          ExpressionAttributeNames: { '#c': 'count' },
          ExpressionAttributeValues: { ':one': { N: '1' } },
        },
      },
      {
        ConditionCheck: {
          TableName: TABLE_NAME,
          Key: { pk: { S: 'z' }, sk: { S: 'z' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ],
    ClientRequestToken: 'token-1',
  },
  TransactGetItems: {
    TransactItems: [
      { Get: { TableName: TABLE_NAME, Key: KEY } },
      { Get: { TableName: TABLE_NAME, Key: { pk: { S: 'c' }, sk: { S: 'd' } } } },
    ],
  },
  DescribeTable: { TableName: TABLE_NAME },
  UpdateTable: {
    TableName: TABLE_NAME,
    ProvisionedThroughput: { ReadCapacityUnits: 30, WriteCapacityUnits: 30 },
  },
}

const spoiler = fc.oneof(
  attributeValue,
  hostileJson,
  hostileString,
  edgeNumber,
  fc.constant(null),
  fc.constantFrom([], {}, [null], { __proto__: null }),
)

/** A valid request with one member replaced by something hostile, removed, or joined by a stranger. */
const nearValid = fc
  .tuple(
    fc.constantFrom(...Object.keys(TEMPLATES)),
    fc.nat(),
    spoiler,
    fc.nat({ max: 9 }),
    fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), hostileString),
  )
  .map(([name, pick, replacement, how, strangerKey]) => {
    const template = TEMPLATES[name] ?? {}
    const paths = pathsOf(template)
    const path = paths[pick % paths.length] ?? ['TableName']
    const spoiled =
      how === 0
        ? spoil(template, path, undefined)
        : how === 1
          ? spoil(template, [...path.slice(0, -1), strangerKey], { value: replacement })
          : spoil(template, path, { value: replacement })
    return { operation: name === 'QueryIndex' ? 'Query' : name, body: spoiled }
  })

interface WireCase {
  operation: string
  request: RawRequest
}

const operation = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...SUPPORTED_OPERATIONS) },
  fc.constantFrom('ExecuteStatement', 'getitem', 'GetItem ', 'DescribeEndpoints'),
  hostileString,
)

const body: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 6, arbitrary: requestFields.map((fields) => Buffer.from(JSON.stringify(fields))) },
  hostileJson.map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
  notJson.map((text) => Buffer.from(text)),
  deeplyNested.map((text) => Buffer.from(text)),
  deeplyNested.map((text) =>
    Buffer.from(
      `{"TableName":"${TABLE_NAME}","Item":{"pk":{"S":"a"},"sk":{"S":"b"},"x":${text.replaceAll('{"a":', '{"M":{"a":').replaceAll('1}', '{"N":"1"}}')}}}`,
    ),
  ),
  fc
    .tuple(fc.string({ maxLength: 10 }), invalidUtf8)
    .map(([text, bytes]) =>
      Buffer.concat([Buffer.from(`{"TableName":"${text}`), bytes, Buffer.from('"}')]),
    ),
  fc.constant(Buffer.alloc(0)),
)

/** The operation named in X-Amz-Target and the bytes of the body. */
const payload = fc.oneof(
  nearValid.map(({ operation: name, body: value }) => ({
    operation: name,
    body: Buffer.from(JSON.stringify(value)),
  })),
  fc.record({ operation, body }),
)

const wireCase: fc.Arbitrary<WireCase> = fc
  .record({
    payload,
    method: fc.oneof(
      { weight: 8, arbitrary: fc.constant('POST') },
      fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'FOO', 'CONNECT'),
    ),
    contentType: fc.oneof(
      { weight: 8, arbitrary: fc.constant('application/x-amz-json-1.0') },
      fc.constantFrom(
        'application/json',
        'text/plain',
        'application/x-amz-json-1.1',
        'application/x-amz-json-1.0; charset=utf-8',
        '',
      ),
    ),
    authorization: fc.oneof(
      { weight: 8, arbitrary: fc.constant(SIGNED) },
      fc.constantFrom('', 'Bearer x', 'AWS4-'),
    ),
    extraHeaders: fc.array(
      fc.tuple(
        fc.constantFrom('X-Amz-Target', 'Content-Type', 'X-Amz-Date', 'Accept-Encoding'),
        fc.string({ unit: 'grapheme-ascii', maxLength: 20 }),
      ),
      { maxLength: 2 },
    ),
  })
  .filter(
    ({ payload: { operation: name, body: bytes } }) =>
      !(DESTRUCTIVE.has(name) && bytes.includes(TABLE_NAME)),
  )
  .map(
    ({
      payload: { operation: name, body: bytes },
      method,
      contentType,
      authorization,
      extraHeaders,
    }) => ({
      operation: name,
      request: {
        method,
        target: '/',
        headers: [
          ['Content-Type', contentType],
          // Header values are Latin-1 on the wire; anything else is sent as its UTF-8 bytes.
          ['X-Amz-Target', Buffer.from(`${TARGET_PREFIX}${name}`).toString('latin1')],
          ['Authorization', authorization],
          ...extraHeaders.map(([header, value]) => [header, value.replace(/[\r\n]/g, '')] as const),
        ],
        body: bytes,
      },
    }),
  )

describe('the local DynamoDB endpoint under hostile requests', () => {
  let dynamodb: LocalDynamoDb
  const internalErrors: unknown[] = []
  const tally = new PropertyTally('dynamodb-wire')

  beforeAll(async () => {
    dynamodb = await startLocalDynamoDb({ onInternalError: (error) => internalErrors.push(error) })
    await createProjectTable(dynamodb.url, TABLE_NAME, DEFAULT_CAPACITY)
  })
  afterAll(async () => {
    tally.write()
    await dynamodb?.close()
  })

  it('answers every generated request with success or a DynamoDB error, never a 5xx or a hang', async () => {
    await assertProperty(
      wireCase,
      async ({ operation: name, request }) => {
        const response = await rawRequest(dynamodb.url, request, 10_000)
        tally.record(
          SUPPORTED_OPERATIONS.includes(name) ? name : '(unknown target)',
          response.status,
        )
        expect(response.status, response.text).toBeLessThan(500)
        expect(response.headers['x-amzn-requestid']).toMatch(/^[A-Z0-9]{52}$/)
        if (response.status !== 200) {
          expect(response.json).toMatchObject({
            __type: expect.stringMatching(/^com\.amazon[\w.]*#\w+$/),
          })
        }
      },
      400,
    )
    expect(internalErrors).toEqual([])
  })

  it('still serves an ordinary request afterwards and holds no connection open', async () => {
    const response = await rawRequest(dynamodb.url, {
      method: 'POST',
      target: '/',
      headers: [
        ['Content-Type', 'application/x-amz-json-1.0'],
        ['X-Amz-Target', `${TARGET_PREFIX}DescribeTable`],
        ['Authorization', SIGNED],
      ],
      body: JSON.stringify({ TableName: TABLE_NAME }),
    })
    expect(response.status).toBe(200)
    expect(response.json).toMatchObject({ Table: { TableName: TABLE_NAME } })
    await expect.poll(() => dynamodb.server.connections.open, { timeout: 2_000 }).toBe(0)
  })
})
