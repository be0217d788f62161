/**
 * The table definition: one shape for dynalite (ensureTable) and AWS (serverless.yml), and creation that
 * is safe to repeat.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { parse } from 'yaml';
import { startEmbeddedStore, type OpenedStore } from '../../src/store/embedded';
import { createTableInput, ensureTable, GSI1, TABLE_DEFINITION, TTL_ATTRIBUTE } from '../../src/store/table';

describe('the table definition', () => {
  it('is the table serverless.yml declares (keys, index, billing, TTL attribute)', () => {
    const template = parse(readFileSync(join(__dirname, '..', '..', 'serverless.yml'), 'utf8'), {
      logLevel: 'silent',
    }) as { resources: { Resources: { Table: { Properties: Record<string, unknown> } } } };
    const declared = template.resources.Resources.Table.Properties;
    expect({
      BillingMode: declared.BillingMode,
      AttributeDefinitions: declared.AttributeDefinitions,
      KeySchema: declared.KeySchema,
      GlobalSecondaryIndexes: declared.GlobalSecondaryIndexes,
    }).toEqual(TABLE_DEFINITION);
    expect(declared.TimeToLiveSpecification).toEqual({ AttributeName: TTL_ATTRIBUTE, Enabled: true });
  });

  it('builds the CreateTable request from the definition', () => {
    expect(createTableInput('hivewire')).toEqual({ TableName: 'hivewire', ...TABLE_DEFINITION });
  });
});

describe('ensureTable', () => {
  let embedded: OpenedStore;
  let client: DynamoDBClient;

  beforeAll(async () => {
    embedded = await startEmbeddedStore({ inMemory: true, tableName: 'unused' });
    client = new DynamoDBClient({
      endpoint: embedded.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });

  afterAll(async () => {
    client.destroy();
    await embedded.close();
  });

  it('creates a missing table, ACTIVE, with its index', async () => {
    await ensureTable(client, 'created');
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'created' }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual(TABLE_DEFINITION.KeySchema);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual([GSI1]);
  });

  it('leaves an existing table alone, also when called concurrently', async () => {
    await Promise.all([
      ensureTable(client, 'shared'),
      ensureTable(client, 'shared'),
      ensureTable(client, 'shared'),
    ]);
    await ensureTable(client, 'shared');
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'shared' }));
    expect(Table?.TableStatus).toBe('ACTIVE');
  });
});
