/**
 * The one DynamoDB table behind the Store (single-table design, described under "The table" in the
 * README): its keys, its one global secondary index and its billing mode. `ensureTable` creates it locally (dynalite); in AWS the same shape
 * is declared in serverless.yml, and a test compares the two.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

/** The global secondary index: alert listings (newest first) and followed cases. */
export const GSI1 = 'gsi1';

/**
 * The attribute DynamoDB deletes items by (epoch seconds). Only CloudFormation switches TTL on:
 * dynalite has no UpdateTimeToLive, so the store never relies on expiry for correctness.
 */
export const TTL_ATTRIBUTE = 'expiresAt';

/** Everything CreateTable needs except the table's name. */
export const TABLE_DEFINITION = {
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
    { AttributeName: 'gsi1pk', AttributeType: 'S' },
    { AttributeName: 'gsi1sk', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: GSI1,
      KeySchema: [
        { AttributeName: 'gsi1pk', KeyType: 'HASH' },
        { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
} as const satisfies Omit<CreateTableCommandInput, 'TableName'>;

/** The CreateTable request for a table named `tableName`. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: TABLE_DEFINITION.BillingMode,
    AttributeDefinitions: TABLE_DEFINITION.AttributeDefinitions.map((attribute) => ({ ...attribute })),
    KeySchema: TABLE_DEFINITION.KeySchema.map((key) => ({ ...key })),
    GlobalSecondaryIndexes: TABLE_DEFINITION.GlobalSecondaryIndexes.map((index) => ({
      IndexName: index.IndexName,
      KeySchema: index.KeySchema.map((key) => ({ ...key })),
      Projection: { ...index.Projection },
    })),
  };
}

/** Longest wait for a new table to become ACTIVE (dynalite with `createTableMs: 0` takes milliseconds). */
const TABLE_ACTIVE_TIMEOUT_SECONDS = 60;

/**
 * Creates the table when it is missing and waits until it is ACTIVE. Safe to call concurrently and
 * on every start: an existing table is left as it is.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
    } catch (createError) {
      // Another process created it between our DescribeTable and CreateTable.
      if (!(createError instanceof ResourceInUseException)) throw createError;
    }
  }
  // Poll from 50 ms: dynalite activates a table a moment after CreateTable, AWS within seconds.
  await waitUntilTableExists(
    { client, minDelay: 0.05, maxDelay: 2, maxWaitTime: TABLE_ACTIVE_TIMEOUT_SECONDS },
    { TableName: tableName },
  );
}
