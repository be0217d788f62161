/**
 * The Slack OAuth install in AWS, run for real on moto: the packaged stack deployed into moto as in
 * test/e2e/moto-stack.test.ts, and the `slack` function's bundle from its zip — the function the template
 * routes `GET /slack/install` and `GET /slack/oauth_redirect` to — invoked with HTTP API (payload 2.0)
 * events, as API Gateway hands them over: the request's cookies in `cookies`, the query in
 * `rawQueryString`. Its environment is the stack's, plus what a stage deployed with a slackClientId gets
 * (its OAuth secrets' parameter names, the KMS key of the installations: a key made in moto's KMS here).
 * Slack's authorize page and `oauth.v2.access` are the sandbox's stand-ins. The installation is read back
 * from moto's DynamoDB, its data key unwrapped with moto's KMS.
 */
import { createDecipheriv } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CreateKeyCommand, DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { KmsDataKeys } from '../../clients/kms/data-keys';
import { INSTALLABLE_WORKSPACES } from '../../src/sandbox/slack-oauth';
import { INSTALLATION_KMS_CONTEXT } from '../../src/slack/installations';
import { apiGatewayEvent } from '../handlers/lambda-events';
import {
  deployStack,
  packagedFunctions,
  readTemplate,
  routeFunction,
  startMoto,
  startStandIns,
  type Moto,
  type PackagedFunction,
  type StandIns,
} from '../helpers/moto';
import { packagedStack, PACKAGE_PARAMS, PACKAGE_STAGE } from '../helpers/packaged-stack';

const ROOT = resolve(__dirname, '../..');
const BUNDLES_DIR = join(ROOT, '.test-results', `moto-install-${process.pid}`);
const CLIENT_ID = '1111111111.2222222222';
const PUBLIC_URL = 'https://hivewire.example.com';
const SECOND = INSTALLABLE_WORKSPACES[0];
const SECRETS: Record<string, string> = {
  'slack-bot-token': 'xoxb-moto-install-test',
  'slack-signing-secret': 'moto-install-signing-secret',
  'slack-client-secret': 'moto-install-client-secret',
  'slack-state-secret': 'moto-install-state-secret-of-32-characters',
};

let moto: Moto;
let slack: PackagedFunction;
let tableName: string;
let keyArn: string;
let standIns: StandIns;
let standInsUrl: string;

const parameter = (suffix: string) => `/hivewire/${PACKAGE_STAGE}/${suffix}`;

beforeAll(async () => {
  let packageDir: string;
  [moto, packageDir, standIns] = await Promise.all([
    startMoto(),
    packagedStack(),
    startStandIns({
      signingSecret: SECRETS['slack-signing-secret']!,
      theHiveApiKey: 'unused',
      webhookSecret: 'unused',
      ingestSecret: 'unused',
      alertChannel: PACKAGE_PARAMS.slackAlertChannel,
      samples: [],
      oauth: { clientId: CLIENT_ID, clientSecret: SECRETS['slack-client-secret']! },
    }),
  ]);
  standInsUrl = standIns.url;
  const resources = await deployStack(moto, packageDir);
  tableName = resources.get('Table')!;
  const created = await new KMSClient(moto.client()).send(
    new CreateKeyCommand({ Description: 'Hivewire installations (test)' }),
  );
  keyArn = created.KeyMetadata!.Arn!;
  const ssm = new SSMClient(moto.client());
  for (const [suffix, value] of Object.entries(SECRETS))
    await ssm.send(new PutParameterCommand({ Name: parameter(suffix), Type: 'SecureString', Value: value }));
  const functions = await packagedFunctions(moto, packageDir, BUNDLES_DIR, {
    // What a stage deployed with --param="slackClientId=…" --param="publicUrl=…" gives the function.
    SLACK_CLIENT_ID: CLIENT_ID,
    PUBLIC_URL,
    SLACK_CLIENT_SECRET_PARAM: parameter('slack-client-secret'),
    SLACK_STATE_SECRET_PARAM: parameter('slack-state-secret'),
    SLACK_INSTALLATION_KMS_KEY: keyArn,
    // Slack's authorize page and Web API at the stand-ins.
    SLACK_AUTHORIZATION_URL: `${standInsUrl}/sandbox/slack/oauth/v2/authorize`,
    SLACK_API_URL: `${standInsUrl}/sandbox/slack/api/`,
    THEHIVE_URL: `${standInsUrl}/sandbox/thehive`,
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL,
  });
  const template = readTemplate(packageDir, 'update');
  const served = routeFunction(template, 'GET /slack/install');
  expect(routeFunction(template, 'GET /slack/oauth_redirect')).toBe(served);
  slack = functions.get(served)!;
}, 180_000);

afterAll(async () => {
  await standIns?.close();
  await moto?.stop();
  rmSync(BUNDLES_DIR, { recursive: true, force: true });
});

/** A browser's GET as API Gateway's HTTP API hands it to the function (payload 2.0). */
function browserGet(path: string, query = '', cookies: string[] = []): APIGatewayProxyEventV2 {
  return {
    ...apiGatewayEvent({ method: 'GET', path, headers: { accept: 'text/html' } }),
    rawQueryString: query,
    ...(query ? { queryStringParameters: Object.fromEntries(new URLSearchParams(query)) } : {}),
    ...(cookies.length ? { cookies } : {}),
  };
}

const unescapeHtml = (text: string) =>
  text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

/** The admin's browser from the install page to Slack's redirect back: resolves to that redirect's query. */
async function consent(installPage: APIGatewayProxyStructuredResultV2): Promise<string> {
  const authorizeUrl = unescapeHtml(/id="add-to-slack" href="([^"]+)"/.exec(String(installPage.body))![1]!);
  expect(authorizeUrl.startsWith(`${standInsUrl}/sandbox/slack/oauth/v2/authorize?`)).toBe(true);
  const form = await (await fetch(authorizeUrl)).text();
  const fields = new URLSearchParams();
  for (const [, name, value] of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields.set(name!, unescapeHtml(value!));
  expect(fields.get('redirect_uri')).toBe(`${PUBLIC_URL}/slack/oauth_redirect`);
  fields.set('team', SECOND.id);
  const allowed = await fetch(`${standInsUrl}/sandbox/slack/oauth/v2/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
    redirect: 'manual',
  });
  expect(allowed.status).toBe(302);
  const back = new URL(allowed.headers.get('location')!);
  expect(`${back.origin}${back.pathname}`).toBe(`${PUBLIC_URL}/slack/oauth_redirect`);
  return back.search.slice(1);
}

/** Opens an envelope-encrypted item's ciphertext with its unwrapped data key (AES-256-GCM, the name as AAD). */
function openEnvelope(key: Buffer, name: string, sealed: { iv: string; tag: string; data: string }): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(name, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString(
    'utf8',
  );
}

test('Add to Slack through the packaged function: the installation lands in the table, encrypted under a KMS data key', async () => {
  const installPage = await slack.invoke<APIGatewayProxyStructuredResultV2>(browserGet('/slack/install'));
  expect(installPage.statusCode).toBe(200);
  // The state cookie is set the payload 2.0 way, and the browser sends back its name=value.
  expect(installPage.cookies).toHaveLength(1);
  const cookie = installPage.cookies![0]!.split(';')[0]!;
  const query = await consent(installPage);

  const done = await slack.invoke<APIGatewayProxyStructuredResultV2>(
    browserGet('/slack/oauth_redirect', query, [cookie]),
  );
  expect(done.statusCode).toBe(200);
  expect(done.body).toContain(`Hivewire now posts alerts in ${unescapeHtml(SECOND.name)}`);

  const name = `slackInstallation#team#${SECOND.id}`;
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(moto.client()));
  const { Item } = await documents.send(
    new GetCommand({ TableName: tableName, Key: { pk: `SETTING#${name}`, sk: 'SETTING' } }),
  );
  expect(Item).toBeDefined();
  expect(JSON.stringify(Item)).not.toContain('xoxb');
  const sealed = JSON.parse(String(Item!.value)) as {
    v: number;
    key: string;
    iv: string;
    tag: string;
    data: string;
  };
  expect(sealed.v).toBe(2);

  // The wrapped data key opens with the stack's KMS key and the installations' context, and only so.
  const kms = new KMSClient(moto.client());
  const wrapped = Buffer.from(sealed.key, 'base64');
  const { Plaintext } = await kms.send(
    new DecryptCommand({ CiphertextBlob: wrapped, EncryptionContext: INSTALLATION_KMS_CONTEXT }),
  );
  const installation = JSON.parse(openEnvelope(Buffer.from(Plaintext!), name, sealed)) as {
    team: { id: string };
    bot: { token: string; scopes: string[] };
  };
  expect(installation.team.id).toBe(SECOND.id);
  expect(installation.bot.token).toMatch(new RegExp(`^xoxb-${SECOND.id}-`));
  await expect(kms.send(new DecryptCommand({ CiphertextBlob: wrapped }))).rejects.toThrow();
  // Bound to its workspace: under another workspace's name the ciphertext does not open.
  expect(() => openEnvelope(Buffer.from(Plaintext!), 'slackInstallation#team#T0OTHER', sealed)).toThrow();

  // The same redirect again (a replay, same cookie) is refused, and keeps the installation as it was.
  const replayed = await slack.invoke<APIGatewayProxyStructuredResultV2>(
    browserGet('/slack/oauth_redirect', query, [cookie]),
  );
  expect(replayed.statusCode).toBe(400);
  // And a redirect without the browser's state cookie is refused too.
  const secondPage = await slack.invoke<APIGatewayProxyStructuredResultV2>(browserGet('/slack/install'));
  const cookieless = await slack.invoke<APIGatewayProxyStructuredResultV2>(
    browserGet('/slack/oauth_redirect', await consent(secondPage)),
  );
  expect(cookieless.statusCode).toBe(400);
}, 120_000);

test('data keys: one GenerateDataKey per container for many writes; a wrapped key unwraps in another container, not under another context', async () => {
  const calls: string[] = [];
  const kms = new KMSClient(moto.client());
  kms.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize' },
  );
  const writer = new KmsDataKeys(keyArn, INSTALLATION_KMS_CONTEXT, kms);
  const [first, second] = await Promise.all([writer.dataKey(), writer.dataKey()]);
  expect(second).toBe(first);
  expect(first.plain).toHaveLength(32);
  // The writer reads its own items back without asking KMS.
  expect(await writer.unwrap(first.wrapped)).toEqual(first.plain);
  expect(calls).toEqual(['GenerateDataKeyCommand']);

  const reader = new KmsDataKeys(keyArn, INSTALLATION_KMS_CONTEXT, kms);
  expect(await reader.unwrap(first.wrapped)).toEqual(first.plain);
  expect(await reader.unwrap(first.wrapped)).toEqual(first.plain);
  expect(calls).toEqual(['GenerateDataKeyCommand', 'DecryptCommand']);

  const elsewhere = new KmsDataKeys(keyArn, { purpose: 'something-else' }, kms);
  await expect(elsewhere.unwrap(first.wrapped)).rejects.toThrow();
  // A refusal is not kept: the next read asks KMS again.
  await expect(elsewhere.unwrap(first.wrapped)).rejects.toThrow();
  expect(calls.filter((call) => call === 'DecryptCommand')).toHaveLength(3);
}, 60_000);
