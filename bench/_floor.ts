import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startEmbeddedStore, LOCAL_TABLE_NAME } from '../src/store/embedded';
import { startSlackStandIn } from './ingest';
(async () => {
  const s = await startSlackStandIn();
  const e = await startEmbeddedStore({ inMemory: true });
  const c = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: e.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }));
  const one = async (i: number, post: boolean, upd: boolean) => {
    await c.send(new PutCommand({ TableName: LOCAL_TABLE_NAME, Item: { pk: `ALERT#f${i}`, sk: 'ALERT', v: 1, body: 'x'.repeat(2000) }, ConditionExpression: 'attribute_not_exists(pk)' }));
    if (post) await fetch(s.url + 'chat.postMessage', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer x' }, body: JSON.stringify({ channel: 'C', text: 'x'.repeat(3000) }) }).then((r) => r.json());
    if (upd) await c.send(new UpdateCommand({ TableName: LOCAL_TABLE_NAME, Key: { pk: `ALERT#f${i}`, sk: 'ALERT' }, UpdateExpression: 'SET ts = :t, v = :v2', ConditionExpression: 'v = :v', ExpressionAttributeValues: { ':t': '1.2', ':v': 1, ':v2': 2 } }));
  };
  for (const [name, post, upd] of [['put', false, false], ['put+post', true, false], ['put+post+update', true, true]] as const) {
    for (let i = 0; i < 200; i++) await one(-i - 1 - (name.length * 1000), post, upd);
    const n = 2000; const t = performance.now(); const cpu = process.cpuUsage();
    for (let i = 0; i < n; i++) await one(i + name.length * 100000, post, upd);
    const u = process.cpuUsage(cpu);
    console.log(name, (n / ((performance.now() - t) / 1000)).toFixed(0), '/s  cpu ms', ((u.user + u.system) / 1000 / n).toFixed(2));
  }
  c.destroy(); await e.close(); s.server.closeAllConnections(); s.server.close();
})();
