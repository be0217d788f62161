/**
 * Counts the DynamoDB requests a piece of code sends, at the HTTP layer: a loopback proxy in front of a
 * DynamoDB endpoint (dynalite here) that records each request's operation (`X-Amz-Target`) and
 * forwards it unchanged. Point the code's client at `url` (`AWS_ENDPOINT_URL_DYNAMODB` or `endpoint`).
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoStore } from '../../src/store/dynamo';
import { LOCAL_TABLE_NAME, startEmbeddedStore, type OpenedStore } from '../../src/store/embedded';

export interface DynamoRequestCounter {
  url: string;
  /**
   * Operations received, in order (`GetItem`, `PutItem`, …; a storm count's update, on a `STORM#` key, as
   * `UpdateItem STORM`); clear it with `operations.length = 0`.
   */
  operations: string[];
  close(): Promise<void>;
}

/** Starts the counting proxy on 127.0.0.1 in front of `target` (for example an embedded store's endpoint). */
export function countDynamoRequests(target: string): Promise<DynamoRequestCounter> {
  const upstream = new URL(target);
  const operations: string[] = [];
  const server = createServer((incoming, outgoing) => {
    const operation = String(incoming.headers['x-amz-target'] ?? '').split('.')[1];
    const body: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => body.push(chunk));
    incoming.on('end', () => {
      if (!operation) return;
      const storm = operation === 'UpdateItem' && Buffer.concat(body).includes('"STORM#');
      operations.push(storm ? 'UpdateItem STORM' : operation);
    });
    const forwarded = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        operations,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    }),
  );
}

/** dynalite in memory, the counting proxy in front of it, and a DynamoStore whose client goes through the proxy. */
export interface CountedStore {
  /** The embedded store itself: reads and writes through it are not counted. */
  opened: OpenedStore;
  counter: DynamoRequestCounter;
  /** The store under count. */
  store: DynamoStore;
  close(): Promise<void>;
}

/** Starts a {@link CountedStore}; close it in afterAll/afterEach. */
export async function startCountedStore(): Promise<CountedStore> {
  const opened = await startEmbeddedStore({ inMemory: true });
  const counter = await countDynamoRequests(opened.endpoint);
  const client = new DynamoDBClient({
    endpoint: counter.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return {
    opened,
    counter,
    store: new DynamoStore({ client, tableName: LOCAL_TABLE_NAME }),
    async close() {
      client.destroy();
      await counter.close();
      await opened.close();
    },
  };
}
