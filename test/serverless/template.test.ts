/**
 * Reads `osls package`'s output (test/helpers/packaged-stack.ts: offline, no AWS credentials; as
 * deployed by default, and with tracing on) and checks the CloudFormation it generates: functions,
 * routes, rules, queues, alarms, metrics, the table, least-privilege roles, what `osls remove` keeps,
 * that no secret value reaches the template — and that cfn-lint finds no error in it.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { METRICS_NAMESPACE } from '../../src/observability/metrics';
import { INSTALLATION_KMS_CONTEXT } from '../../src/slack/installations';
import { TABLE_DEFINITION, TTL_ATTRIBUTE } from '../../src/store/table';
import {
  packagedStack,
  PACKAGE_STAGE as STAGE,
  PACKAGE_WAIT_MS,
  PACKAGING_ENV_SECRETS as ENV_SECRETS,
} from '../helpers/packaged-stack';
import { zipEntries, zipFile } from '../helpers/zip';

type Json = Record<string, unknown>;
interface Resource {
  Type: string;
  Properties: Json;
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

/** Function → its handler file, logical role and the secrets (SSM parameter suffixes) it may read. */
const FUNCTIONS = {
  ingest: { logicalId: 'Ingest', file: 'ingest', role: 'IngestRole', secrets: ['slack-bot-token'] },
  ingestHttp: {
    logicalId: 'IngestHttp',
    file: 'ingest-http',
    role: 'IngestHttpRole',
    secrets: ['ingest-secret'],
  },
  slack: {
    logicalId: 'Slack',
    file: 'slack',
    role: 'SlackRole',
    secrets: ['slack-bot-token', 'slack-signing-secret'],
  },
  teams: { logicalId: 'Teams', file: 'teams', role: 'TeamsRole', secrets: ['teams-app-password'] },
  webex: { logicalId: 'Webex', file: 'webex', role: 'WebexRole', secrets: [] },
  thehiveWebhook: {
    logicalId: 'ThehiveWebhook',
    file: 'thehive-webhook',
    role: 'TheHiveWebhookRole',
    secrets: ['thehive-webhook-secret'],
  },
  worker: {
    logicalId: 'Worker',
    file: 'worker',
    role: 'WorkerRole',
    secrets: ['slack-bot-token', 'thehive-api-key'],
  },
  triage: { logicalId: 'Triage', file: 'triage', role: 'TriageRole', secrets: ['ingest-secret'] },
  reconcile: { logicalId: 'Reconcile', file: 'reconcile', role: 'ReconcileRole', secrets: [] },
  healthz: { logicalId: 'Healthz', file: 'healthz', role: 'HealthzRole', secrets: [] },
} as const;

/** The OAuth install's SSM parameters each function is given when the stage has a slackClientId. */
const OAUTH_SECRETS: Partial<Record<string, string[]>> = {
  slack: ['slack-client-secret', 'slack-state-secret'],
};
/** The functions that read or write installations: given the KMS key of their data keys, with a slackClientId. */
const INSTALLATION_READERS = ['ingest', 'slack', 'worker'];

/** Webex's SSM parameters each function is given when the stage has Webex (`webex=true`). */
const WEBEX_SECRETS: Partial<Record<string, string[]>> = {
  ingest: ['webex-bot-token'],
  webex: ['webex-webhook-secret'],
  worker: ['webex-bot-token'],
};

let dir: string;
let tracedDir: string;
let templateText: string;
let stateText: string;
let resources: Record<string, Resource>;
/** The template of a stack deployed with `--param="tracing=true"`. */
let traced: { Resources: Record<string, Resource>; Conditions: Json };

function ofType(type: string): [string, Resource][] {
  return Object.entries(resources).filter(([, resource]) => resource.Type === type);
}

function lambda(name: keyof typeof FUNCTIONS): Resource {
  return resources[`${FUNCTIONS[name].logicalId}LambdaFunction`]!;
}

/** The statements of a role's inline policy, with `Fn::If` (condition, statement, NoValue) unwrapped. */
function statements(role: string): { statement: Json; condition?: string }[] {
  const policies = resources[role]!.Properties.Policies as { PolicyDocument: { Statement: Json[] } }[];
  expect(policies).toHaveLength(1);
  return policies[0]!.PolicyDocument.Statement.map((statement) => {
    const conditional = statement['Fn::If'] as [string, Json, Json] | undefined;
    return conditional ? { statement: conditional[1], condition: conditional[0] } : { statement };
  });
}

/** The statement of a role granting `action`. */
function grant(role: string, action: string): { statement: Json; condition?: string } {
  const found = statements(role).find(({ statement }) => [statement.Action].flat().includes(action));
  if (!found) throw new Error(`${role} does not grant ${action}`);
  return found;
}

function actions(role: string, withConditional = true): string[] {
  return statements(role)
    .filter(({ condition }) => withConditional || !condition)
    .flatMap(({ statement }) => [statement.Action as string | string[]].flat())
    .sort();
}

/** The queue policy `policyId` lets EventBridge send to `queue` for the two finding rules, and nobody else. */
function expectOnlyFindingRulesSendTo(policyId: string, queue: string): void {
  const policy = resources[policyId]!.Properties as unknown as {
    Queues: unknown[];
    PolicyDocument: { Statement: Json[] };
  };
  expect(policy.Queues).toEqual([{ Ref: queue }]);
  expect(policy.PolicyDocument.Statement).toEqual([
    {
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: { 'Fn::GetAtt': [queue, 'Arn'] },
      Condition: {
        ArnEquals: {
          'aws:SourceArn': [
            { 'Fn::GetAtt': ['GuardDutyFindingRule', 'Arn'] },
            { 'Fn::GetAtt': ['SecurityHubFindingRule', 'Arn'] },
          ],
        },
      },
    },
  ]);
}

function ssmParameterArn(suffix: string): Json {
  return {
    'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/hivewire/${STAGE}/${suffix}`,
  };
}

beforeAll(async () => {
  dir = await packagedStack();
  tracedDir = await packagedStack('traced');
  templateText = readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8');
  stateText = readFileSync(join(dir, 'serverless-state.json'), 'utf8');
  resources = (JSON.parse(templateText) as { Resources: Record<string, Resource> }).Resources;
  traced = JSON.parse(readFileSync(join(tracedDir, 'cloudformation-template-update-stack.json'), 'utf8'));
}, PACKAGE_WAIT_MS);

describe('osls package', () => {
  it('writes one zip per function holding only its bundle (no source map, no node_modules)', () => {
    const zips = readdirSync(dir)
      .filter((file) => file.endsWith('.zip'))
      .sort();
    expect(zips).toEqual(
      Object.keys(FUNCTIONS)
        .map((name) => `${name}.zip`)
        .sort(),
    );
    for (const [name, { file }] of Object.entries(FUNCTIONS)) {
      const listing = zipEntries(readFileSync(join(dir, `${name}.zip`)));
      expect(listing).toEqual([`src/handlers/${file}.js`]);
    }
  });
});

describe('functions', () => {
  it.each(Object.entries(FUNCTIONS))(
    '%s: its handler file, Node.js 22 on arm64, its own role',
    (name, expected) => {
      const { Properties } = lambda(name as keyof typeof FUNCTIONS);
      expect(Properties.Handler).toBe(`src/handlers/${expected.file}.handler`);
      expect(Properties.Runtime).toBe('nodejs22.x');
      expect(Properties.Architectures).toEqual(['arm64']);
      expect(Properties.Role).toEqual({ 'Fn::GetAtt': [expected.role, 'Arn'] });
    },
  );

  it('creates no shared execution role', () => {
    expect(resources.IamRoleLambdaExecution).toBeUndefined();
    expect(
      ofType('AWS::IAM::Role')
        .map(([id]) => id)
        .sort(),
    ).toEqual(
      Object.values(FUNCTIONS)
        .map(({ role }) => role)
        .sort(),
    );
  });

  it('gives each function the names of exactly the secrets its role may read', () => {
    for (const [name, { secrets }] of Object.entries(FUNCTIONS)) {
      const variables = (
        lambda(name as keyof typeof FUNCTIONS).Properties.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
      const params = Object.entries(variables)
        // Optional parameters (the config file, threat-intel keys) are '' unless deployed with them; the
        // OAuth install's are '' unless the stage has a slackClientId (a CloudFormation condition).
        .filter(([key, value]) => key.endsWith('_PARAM') && value !== '' && typeof value === 'string')
        .map(([, value]) => value)
        .sort();
      expect(params).toEqual(secrets.map((suffix) => `/hivewire/${STAGE}/${suffix}`).sort());
      const conditional = Object.entries(variables)
        .filter(([key, value]) => key.endsWith('_PARAM') && typeof value === 'object')
        .map(([key, value]) => [key, value]);
      const given = (condition: string, suffixes: string[] = []) =>
        suffixes.map((suffix) => [
          `${suffix.replace(/-/g, '_').toUpperCase()}_PARAM`,
          { 'Fn::If': [condition, `/hivewire/${STAGE}/${suffix}`, ''] },
        ]);
      expect(conditional).toEqual([
        ...given('HasSlackOAuth', OAUTH_SECRETS[name]),
        ...given('HasWebex', WEBEX_SECRETS[name]),
        // The worker posts in Teams only when the stage has a teamsAppId.
        ...(name === 'worker' ? given('HasTeams', ['teams-app-password']) : []),
      ]);
      expect(variables.SLACK_INSTALLATION_KMS_KEY).toEqual(
        INSTALLATION_READERS.includes(name)
          ? { 'Fn::If': ['HasSlackOAuth', { 'Fn::GetAtt': ['InstallationsKey', 'Arn'] }, ''] }
          : undefined,
      );
    }
  });

  it('keeps a KMS key for the installations only on a stage with a slackClientId, and keeps it when the stack goes', () => {
    const key = resources.InstallationsKey!;
    expect(key).toMatchObject({
      Type: 'AWS::KMS::Key',
      Condition: 'HasSlackOAuth',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { EnableKeyRotation: true },
    });
  });
});

describe('HTTP API', () => {
  it('routes exactly the product routes, each to its function', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, route]) => {
      const target = route.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
      const integration = resources[target['Fn::Join'][1][1].Ref]!;
      const uri = integration.Properties.IntegrationUri as { 'Fn::GetAtt': [string, string] };
      return [route.Properties.RouteKey, uri['Fn::GetAtt'][0]];
    });
    expect(Object.fromEntries(routes)).toEqual({
      'GET /healthz': 'HealthzLambdaFunction',
      'GET /slack/install': 'SlackLambdaFunction',
      'GET /slack/oauth_redirect': 'SlackLambdaFunction',
      'POST /ingest': 'IngestHttpLambdaFunction',
      'POST /slack/events': 'SlackLambdaFunction',
      'POST /teams/messages': 'TeamsLambdaFunction',
      'POST /thehive/webhook': 'ThehiveWebhookLambdaFunction',
      'POST /triage': 'TriageLambdaFunction',
      'POST /webex/events': 'WebexLambdaFunction',
    });
    for (const [, integration] of ofType('AWS::ApiGatewayV2::Integration'))
      expect(integration.Properties.PayloadFormatVersion).toBe('2.0');
  });
});

describe('EventBridge', () => {
  it('sends GuardDuty findings, filtered on detail-type, to the findings queue', () => {
    const rule = resources.GuardDutyFindingRule!.Properties;
    expect(rule.EventBusName).toBe('default');
    expect(rule.EventPattern).toEqual({ source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'] });
    // Its retry policy and dead-letter queue: 'EventBridge delivery' below.
    expect(rule.Targets).toEqual([
      expect.objectContaining({ Id: 'findings-queue', Arn: { 'Fn::GetAtt': ['FindingsQueue', 'Arn'] } }),
    ]);
  });

  it('sends imported Security Hub findings above INFORMATIONAL, filtered on detail-type, to the findings queue', () => {
    const rule = resources.SecurityHubFindingRule!.Properties;
    expect(rule.EventPattern).toEqual({
      source: ['aws.securityhub'],
      'detail-type': ['Security Hub Findings - Imported'],
      detail: { findings: { Severity: { Label: [{ 'anything-but': 'INFORMATIONAL' }] } } },
    });
    // Its retry policy and dead-letter queue: 'EventBridge delivery' below.
    expect(rule.Targets).toEqual([
      expect.objectContaining({ Id: 'findings-queue', Arn: { 'Fn::GetAtt': ['FindingsQueue', 'Arn'] } }),
    ]);
  });

  it('lets only those two rules send to the findings queue', () => {
    expectOnlyFindingRulesSendTo('FindingsQueuePolicy', 'FindingsQueue');
  });

  it('opens the bus to an organisation only when allowedOrgId is given', () => {
    const policy = resources.CrossAccountBusPolicy!;
    expect(policy.Condition).toBe('HasAllowedOrg');
    expect(policy.Properties.Statement).toEqual({
      Effect: 'Allow',
      Principal: '*',
      Action: 'events:PutEvents',
      Resource: {
        'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default',
      },
      Condition: { StringEquals: { 'aws:PrincipalOrgID': '' } },
    });
    expect(JSON.parse(templateText).Conditions.HasAllowedOrg).toEqual({
      'Fn::Not': [{ 'Fn::Equals': ['', ''] }],
    });
  });

  it('queues a reconcile every 5 minutes', () => {
    const [, rule] = ofType('AWS::Events::Rule').find(([, r]) => r.Properties.ScheduleExpression)!;
    expect(rule.Properties.ScheduleExpression).toBe('rate(5 minutes)');
    expect(rule.Properties.Targets).toEqual([
      { Arn: { 'Fn::GetAtt': ['ReconcileLambdaFunction', 'Arn'] }, Id: 'reconcileSchedule' },
    ]);
  });
});

describe('queues', () => {
  const CONSUMERS = { FindingsQueue: 'ingest', JobsQueue: 'worker' } as const;

  it.each(Object.entries(CONSUMERS))(
    '%s: a DLQ after as many receives as the worker attempts, visibility ≥ 6× its consumer’s timeout',
    (queue, consumer) => {
      const properties = resources[queue]!.Properties;
      const attempts = (lambda(consumer).Properties.Environment as { Variables: Json }).Variables
        .JOB_MAX_ATTEMPTS;
      expect(properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [queue.replace('Queue', 'DeadLetterQueue'), 'Arn'] },
        maxReceiveCount: Number(attempts),
      });
      expect(attempts).toBe('5');
      expect(properties.VisibilityTimeout).toBeGreaterThanOrEqual(
        6 * (lambda(consumer).Properties.Timeout as number),
      );
      expect(properties.SqsManagedSseEnabled).toBe(true);
    },
  );

  it.each(Object.entries(CONSUMERS))(
    '%s feeds %s, which reports failed records one by one',
    (queue, consumer) => {
      const mappings = ofType('AWS::Lambda::EventSourceMapping').filter(
        ([, mapping]) =>
          (mapping.Properties.EventSourceArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] === queue,
      );
      expect(mappings).toHaveLength(1);
      const [, mapping] = mappings[0]!;
      expect(mapping.Properties.FunctionName).toEqual({
        'Fn::GetAtt': [`${FUNCTIONS[consumer].logicalId}LambdaFunction`, 'Arn'],
      });
      expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    },
  );

  it.each(['FindingsDeadLetterQueue', 'JobsDeadLetterQueue'])(
    '%s has an alarm as soon as it holds a message',
    (dlq) => {
      const alarms = ofType('AWS::CloudWatch::Alarm').filter(([, alarm]) =>
        (alarm.Properties.Dimensions as Json[]).some(
          (dimension) =>
            JSON.stringify(dimension.Value) === JSON.stringify({ 'Fn::GetAtt': [dlq, 'QueueName'] }),
        ),
      );
      expect(alarms).toHaveLength(1);
      const [, alarm] = alarms[0]!;
      expect(alarm.Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq, 'QueueName'] } }],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [{ Ref: 'AlarmTopic' }],
      });
    },
  );
});

describe('table', () => {
  it('is the one table src/store/table.ts defines: keys, index, on-demand billing', () => {
    expect(ofType('AWS::DynamoDB::Table').map(([id]) => id)).toEqual(['Table']);
    const table = resources.Table!.Properties;
    expect(table.TableName).toBe(`hivewire-${STAGE}`);
    expect(table.BillingMode).toBe(TABLE_DEFINITION.BillingMode);
    expect(table.KeySchema).toEqual(TABLE_DEFINITION.KeySchema);
    expect(table.AttributeDefinitions).toEqual(TABLE_DEFINITION.AttributeDefinitions);
    expect(table.GlobalSecondaryIndexes).toEqual(TABLE_DEFINITION.GlobalSecondaryIndexes);
  });

  it('expires items by the store’s TTL attribute, keeps point-in-time recovery, encrypts, survives stack removal', () => {
    const table = resources.Table!;
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: TTL_ATTRIBUTE, Enabled: true });
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true });
    expect(table.DeletionPolicy).toBe('Retain');
  });

  it('tells every function its name', () => {
    for (const name of Object.keys(FUNCTIONS).filter((fn) => fn !== 'healthz'))
      expect(
        (lambda(name as keyof typeof FUNCTIONS).Properties.Environment as { Variables: Json }).Variables
          .TABLE_NAME,
      ).toEqual({
        Ref: 'Table',
      });
  });
});

describe('IAM, least privilege per function', () => {
  const TABLE = [{ 'Fn::GetAtt': ['Table', 'Arn'] }, { 'Fn::Sub': '${Table.Arn}/index/*' }];
  const JOBS_QUEUE = { 'Fn::GetAtt': ['JobsQueue', 'Arn'] };
  const TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'];
  const LOGS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
  const CONSUME = [
    'sqs:ChangeMessageVisibility',
    'sqs:DeleteMessage',
    'sqs:GetQueueAttributes',
    'sqs:ReceiveMessage',
  ];

  it('lets each function write only its own log group', () => {
    for (const [name, { role }] of Object.entries(FUNCTIONS)) {
      expect(statements(role)[0]!.statement).toEqual({
        Effect: 'Allow',
        Action: LOGS,
        Resource: {
          'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/hivewire-${STAGE}-${name}:*`,
        },
      });
    }
  });

  it('lets each function read exactly its own secrets, and the optional parameters only when given', () => {
    for (const { role, secrets } of Object.values(FUNCTIONS)) {
      const reads = statements(role).filter(({ statement }) => statement.Action === 'ssm:GetParameter');
      const unconditional = reads
        .filter(({ condition }) => !condition)
        .map(({ statement }) => statement.Resource);
      expect(unconditional.flat()).toEqual(secrets.map(ssmParameterArn));
      const optional = reads.filter(({ condition }) => condition).map(({ condition }) => condition);
      expect(optional).toEqual(
        role === 'WorkerRole'
          ? // the config file, the Webex token, the Teams app password, customers' TheHive keys, threat-intel keys
            [
              'HasConfigParam',
              'HasWebex',
              'HasTeams',
              'HasConfigParam',
              'HasVirusTotalKey',
              'HasAbuseIpDbKey',
              'HasUrlhausKey',
            ]
          : role === 'HealthzRole'
            ? []
            : role === 'SlackRole'
              ? ['HasConfigParam', 'HasSlackOAuth']
              : role === 'IngestRole' || role === 'WebexRole'
                ? ['HasConfigParam', 'HasWebex']
                : ['HasConfigParam'],
      );
    }
  });

  it('lets a stage with a slackClientId read the OAuth secrets where they are used, and customers’ keys under their path', () => {
    const resources = (role: string, condition: string) =>
      statements(role)
        .filter((read) => read.statement.Action === 'ssm:GetParameter' && read.condition === condition)
        .map(({ statement }) => statement.Resource);
    expect(resources('SlackRole', 'HasSlackOAuth')).toEqual([
      ['slack-client-secret', 'slack-state-secret'].map(ssmParameterArn),
    ]);
    expect(resources('WorkerRole', 'HasConfigParam')).toContainEqual(ssmParameterArn('thehive/*'));
    // Webex: the bot token where Hivewire posts, the webhook secret where deliveries are verified.
    for (const role of ['IngestRole', 'WorkerRole'])
      expect(resources(role, 'HasWebex')).toEqual([ssmParameterArn('webex-bot-token')]);
    expect(resources('WebexRole', 'HasWebex')).toEqual([ssmParameterArn('webex-webhook-secret')]);
    // The worker posts in Teams only in a stage with a teamsAppId.
    expect(resources('WorkerRole', 'HasTeams')).toEqual([ssmParameterArn('teams-app-password')]);
  });

  it('lets only the functions that read or write installations use the KMS key, only for installations', () => {
    for (const [name, { role }] of Object.entries(FUNCTIONS)) {
      const uses = statements(role).filter(({ statement }) =>
        [statement.Action].flat().some((action) => String(action).startsWith('kms:')),
      );
      expect(uses).toEqual(
        INSTALLATION_READERS.includes(name)
          ? [
              {
                condition: 'HasSlackOAuth',
                statement: {
                  Effect: 'Allow',
                  Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
                  Resource: { 'Fn::GetAtt': ['InstallationsKey', 'Arn'] },
                  Condition: {
                    StringEquals: { 'kms:EncryptionContext:purpose': INSTALLATION_KMS_CONTEXT.purpose },
                  },
                },
              },
            ]
          : [],
      );
    }
  });

  it('slack: the table and enqueueing jobs; no Security Hub, no Organizations, no TheHive secret', () => {
    expect(actions('SlackRole')).toEqual(
      [
        ...LOGS,
        ...TABLE_ACTIONS,
        'sqs:SendMessage',
        'ssm:GetParameter',
        'ssm:GetParameter',
        'ssm:GetParameter',
        'kms:GenerateDataKey',
        'kms:Decrypt',
      ].sort(),
    );
    expect(grant('SlackRole', 'dynamodb:GetItem').statement.Resource).toEqual(TABLE);
    expect(grant('SlackRole', 'sqs:SendMessage').statement.Resource).toEqual(JOBS_QUEUE);
  });

  it('worker: consumes jobs, the table and its indexes, Security Hub updates, Organizations when enabled', () => {
    expect(actions('WorkerRole', false)).toEqual(
      [
        ...LOGS,
        ...CONSUME,
        'sqs:SendMessage',
        ...TABLE_ACTIONS,
        'ssm:GetParameter',
        'securityhub:BatchUpdateFindings',
      ].sort(),
    );
    expect(grant('WorkerRole', 'dynamodb:GetItem').statement.Resource).toEqual(TABLE);
    expect(grant('WorkerRole', 'sqs:ReceiveMessage').statement.Resource).toEqual(JOBS_QUEUE);
    expect(grant('WorkerRole', 'organizations:DescribeAccount').condition).toBe('OrganizationsLookup');
  });

  it('ingest: consumes findings, the table, the jobs queue, Organizations when enabled; no Security Hub', () => {
    expect(actions('IngestRole', false)).toEqual(
      [...LOGS, ...CONSUME, ...TABLE_ACTIONS, 'sqs:SendMessage', 'ssm:GetParameter'].sort(),
    );
    expect(grant('IngestRole', 'sqs:SendMessage').statement.Resource).toEqual(JOBS_QUEUE);
    expect(grant('IngestRole', 'sqs:ReceiveMessage').statement.Resource).toEqual({
      'Fn::GetAtt': ['FindingsQueue', 'Arn'],
    });
    expect(grant('IngestRole', 'dynamodb:Query').statement.Resource).toEqual(TABLE);
    expect(grant('IngestRole', 'organizations:DescribeAccount').condition).toBe('OrganizationsLookup');
  });

  it('worker: response actions and SIEM answers only on the ARNs given at deploy time', () => {
    expect(grant('WorkerRole', 'lambda:InvokeFunction')).toEqual({
      condition: 'HasResponseLambdas',
      statement: { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::Split': [',', ''] } },
    });
    expect(grant('WorkerRole', 'ssm:StartAutomationExecution')).toEqual({
      condition: 'HasResponseAutomations',
      statement: {
        Effect: 'Allow',
        Action: 'ssm:StartAutomationExecution',
        Resource: { 'Fn::Split': [',', ''] },
      },
    });
    const sends = statements('WorkerRole').filter(({ statement }) => statement.Action === 'sqs:SendMessage');
    expect(sends).toEqual([
      { statement: { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: JOBS_QUEUE } },
      {
        condition: 'HasSiemQueues',
        statement: { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::Split': [',', ''] } },
      },
    ]);
    const conditions = JSON.parse(templateText).Conditions;
    for (const name of ['HasResponseLambdas', 'HasResponseAutomations', 'HasSiemQueues'])
      expect(conditions[name]).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
  });

  it('triage: the table, enqueueing jobs and the ingest secret', () => {
    expect(actions('TriageRole')).toEqual(
      [...LOGS, ...TABLE_ACTIONS, 'sqs:SendMessage', 'ssm:GetParameter', 'ssm:GetParameter'].sort(),
    );
    expect(grant('TriageRole', 'dynamodb:PutItem').statement.Resource).toEqual(TABLE);
  });

  it.each([
    ['IngestHttpRole', ['dynamodb:GetItem']],
    ['TheHiveWebhookRole', []],
    ['WebexRole', []],
  ])('%s: enqueue jobs and keep dead letters, read items by key (%j), nothing else', (role, reads) => {
    expect(actions(role)).toEqual(
      [
        ...LOGS,
        ...reads,
        'dynamodb:PutItem',
        'sqs:SendMessage',
        'ssm:GetParameter',
        'ssm:GetParameter',
      ].sort(),
    );
    expect(grant(role, 'dynamodb:PutItem').statement.Resource).toEqual({ 'Fn::GetAtt': ['Table', 'Arn'] });
    for (const read of reads)
      expect(grant(role, read).statement.Resource).toEqual({ 'Fn::GetAtt': ['Table', 'Arn'] });
    expect(grant(role, 'sqs:SendMessage').statement.Resource).toEqual(JOBS_QUEUE);
  });

  it('reconcile may only enqueue; healthz may only log', () => {
    expect(actions('ReconcileRole', false)).toEqual([...LOGS, 'sqs:SendMessage'].sort());
    expect(actions('HealthzRole')).toEqual(LOGS);
  });

  it('grants Security Hub updates to the worker alone', () => {
    const holders = Object.values(FUNCTIONS)
      .filter(({ role }) => actions(role).some((action) => action.startsWith('securityhub:')))
      .map(({ role }) => role);
    expect(holders).toEqual(['WorkerRole']);
  });
});

describe('secrets', () => {
  it('puts no secret value in the template or the packaging state', () => {
    for (const text of [templateText, stateText]) {
      for (const value of Object.values(ENV_SECRETS)) expect(text).not.toContain(value);
      expect(text).not.toContain('xoxb-');
      expect(text).not.toContain('xapp-');
    }
  });

  it('passes parameter names, never values, to the functions', () => {
    const variables = (lambda('slack').Properties.Environment as { Variables: Json }).Variables;
    expect(variables.SLACK_BOT_TOKEN_PARAM).toBe(`/hivewire/${STAGE}/slack-bot-token`);
    for (const key of Object.keys(ENV_SECRETS)) expect(variables[key]).toBeUndefined();
  });
});

describe('metrics and alarms', () => {
  const ALARM_TOPIC = [{ Ref: 'AlarmTopic' }];

  /** The alarms watching `metric` of `namespace`, by logical id. */
  function alarmsOn(namespace: string, metric: string): [string, Json][] {
    return ofType('AWS::CloudWatch::Alarm')
      .filter(
        ([, alarm]) => alarm.Properties.Namespace === namespace && alarm.Properties.MetricName === metric,
      )
      .map(([id, alarm]) => [id, alarm.Properties]);
  }

  it('tells every function the namespace its EMF metrics go to, the one src/observability/metrics.ts names', () => {
    for (const name of Object.keys(FUNCTIONS)) {
      const variables = (lambda(name as keyof typeof FUNCTIONS).Properties.Environment as { Variables: Json })
        .Variables;
      expect(variables.POWERTOOLS_METRICS_NAMESPACE).toBe(METRICS_NAMESPACE);
      expect(variables.POWERTOOLS_SERVICE_NAME).toBe('hivewire');
    }
  });

  it.each(['Errors', 'Throttles'])('alarms on %s of every function, each on its own', (metric) => {
    const alarms = alarmsOn('AWS/Lambda', metric);
    expect(
      alarms.map(([, alarm]) => (alarm.Dimensions as { Value: { Ref: string } }[])[0]!.Value.Ref).sort(),
    ).toEqual(
      Object.values(FUNCTIONS)
        .map(({ logicalId }) => `${logicalId}LambdaFunction`)
        .sort(),
    );
    for (const [, alarm] of alarms) expect(alarm.Dimensions).toHaveLength(1);
    for (const [, alarm] of alarms)
      expect(alarm).toMatchObject({
        Statistic: 'Sum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: ALARM_TOPIC,
        OKActions: ALARM_TOPIC,
      });
  });

  it('alarms when the oldest finding has waited more than 15 minutes in the findings queue', () => {
    expect(alarmsOn('AWS/SQS', 'ApproximateAgeOfOldestMessage').map(([, alarm]) => alarm)).toEqual([
      expect.objectContaining({
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['FindingsQueue', 'QueueName'] } }],
        Statistic: 'Maximum',
        Threshold: 900,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: ALARM_TOPIC,
      }),
    ]);
  });

  it('alarms on any 5xx the HTTP API answers', () => {
    expect(resources.HttpApi?.Type).toBe('AWS::ApiGatewayV2::Api');
    expect(alarmsOn('AWS/ApiGateway', '5xx').map(([, alarm]) => alarm)).toEqual([
      expect.objectContaining({
        Dimensions: [{ Name: 'ApiId', Value: { Ref: 'HttpApi' } }],
        Statistic: 'Sum',
        Threshold: 0,
        AlarmActions: ALARM_TOPIC,
      }),
    ]);
  });

  it('alarms on dead letters written to the table, from the metric the functions publish', () => {
    expect(alarmsOn(METRICS_NAMESPACE, 'DeadLettersWritten').map(([, alarm]) => alarm)).toEqual([
      expect.objectContaining({
        // Powertools adds the service dimension to every metric; a dead letter has no other.
        Dimensions: [{ Name: 'service', Value: 'hivewire' }],
        Statistic: 'Sum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: ALARM_TOPIC,
      }),
    ]);
  });

  it('alarms on failed invocations of every EventBridge rule, named as the rules are', () => {
    const rules = ofType('AWS::Events::Rule').map(([, rule]) => rule.Properties.Name);
    expect(rules.sort()).toEqual(
      ['guardduty-findings', 'securityhub-findings', 'reconcile']
        .map((rule) => `hivewire-${STAGE}-${rule}`)
        .sort(),
    );
    const watched = alarmsOn('AWS/Events', 'FailedInvocations').map(([, alarm]) => {
      expect(alarm.AlarmActions).toEqual(ALARM_TOPIC);
      return (alarm.Dimensions as { Name: string; Value: string }[]).map(
        ({ Name, Value }) => `${Name}=${Value}`,
      );
    });
    expect(watched.sort()).toEqual(rules.map((rule) => [`RuleName=${rule}`]).sort());
  });

  it('sends every alarm to the alarm topic', () => {
    for (const [, alarm] of ofType('AWS::CloudWatch::Alarm'))
      expect(alarm.Properties.AlarmActions).toEqual(ALARM_TOPIC);
  });
});

describe('EventBridge delivery', () => {
  it.each(['GuardDutyFindingRule', 'SecurityHubFindingRule'])(
    '%s retries for a day, then keeps what it could not deliver in the events dead-letter queue',
    (rule) => {
      const targets = resources[rule]!.Properties.Targets as Json[];
      expect(targets).toEqual([
        {
          Id: 'findings-queue',
          Arn: { 'Fn::GetAtt': ['FindingsQueue', 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['EventsDeadLetterQueue', 'Arn'] } },
        },
      ]);
    },
  );

  it('lets only those two rules write to the events dead-letter queue, which has its alarm', () => {
    expectOnlyFindingRulesSendTo('EventsDeadLetterQueuePolicy', 'EventsDeadLetterQueue');
    const alarms = ofType('AWS::CloudWatch::Alarm').filter(
      ([, alarm]) =>
        JSON.stringify(alarm.Properties.Dimensions) ===
        JSON.stringify([
          { Name: 'QueueName', Value: { 'Fn::GetAtt': ['EventsDeadLetterQueue', 'QueueName'] } },
        ]),
    );
    expect(alarms.map(([, alarm]) => alarm.Properties.MetricName)).toEqual([
      'ApproximateNumberOfMessagesVisible',
    ]);
  });
});

describe('what `osls remove` keeps', () => {
  it('keeps the table, the installations’ KMS key, every dead-letter queue and every function’s log group', () => {
    const kept = Object.entries(resources)
      .filter(([, resource]) => resource.DeletionPolicy === 'Retain')
      .map(([id, resource]) => {
        expect(resource.UpdateReplacePolicy).toBe('Retain');
        return id;
      })
      .sort();
    expect(kept).toEqual(
      [
        'Table',
        // Without it the installations kept in the table could not be read again.
        'InstallationsKey',
        'FindingsDeadLetterQueue',
        'JobsDeadLetterQueue',
        'EventsDeadLetterQueue',
        ...Object.values(FUNCTIONS).map(({ logicalId }) => `${logicalId}LogGroup`),
      ].sort(),
    );
    for (const { logicalId } of Object.values(FUNCTIONS))
      expect(resources[`${logicalId}LogGroup`]!.Properties.RetentionInDays).toBe(30);
  });
});

describe('IAM resources', () => {
  it('scopes Security Hub updates to the account’s hub and account descriptions to account ARNs', () => {
    expect(grant('WorkerRole', 'securityhub:BatchUpdateFindings').statement.Resource).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:hub/default',
    });
    for (const role of ['WorkerRole', 'IngestRole'])
      expect(grant(role, 'organizations:DescribeAccount').statement.Resource).toEqual({
        'Fn::Sub': 'arn:${AWS::Partition}:organizations::*:account/o-*/*',
      });
  });

  it('grants nothing on every resource ("*") to any function', () => {
    for (const { role } of Object.values(FUNCTIONS))
      for (const { statement } of statements(role)) expect([statement.Resource].flat()).not.toContain('*');
  });
});

describe('tracing', () => {
  const XRAY_WRITE = {
    'Fn::If': [
      'Tracing',
      [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/AWSXRayDaemonWriteAccess' }],
      { Ref: 'AWS::NoValue' },
    ],
  };

  it('is off by default: no active tracing, Powertools Tracer disabled, no X-Ray grant', () => {
    const conditions = JSON.parse(templateText).Conditions as Json;
    expect(conditions.Tracing).toEqual({ 'Fn::Equals': ['false', 'true'] });
    for (const name of Object.keys(FUNCTIONS)) {
      const { Properties } = lambda(name as keyof typeof FUNCTIONS);
      expect(Properties.TracingConfig).toBeUndefined();
      expect((Properties.Environment as { Variables: Json }).Variables.POWERTOOLS_TRACE_DISABLED).toBe(
        'true',
      );
    }
    for (const { role } of Object.values(FUNCTIONS))
      expect(resources[role]!.Properties.ManagedPolicyArns).toEqual(XRAY_WRITE);
  });

  it('with tracing=true: every function traced actively, Powertools Tracer on, each role may write to X-Ray', () => {
    expect(traced.Conditions.Tracing).toEqual({ 'Fn::Equals': ['true', 'true'] });
    for (const { logicalId, role } of Object.values(FUNCTIONS)) {
      const { Properties } = traced.Resources[`${logicalId}LambdaFunction`]!;
      expect(Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect((Properties.Environment as { Variables: Json }).Variables.POWERTOOLS_TRACE_DISABLED).toBe(
        'false',
      );
      expect(traced.Resources[role]!.Properties.ManagedPolicyArns).toEqual(XRAY_WRITE);
    }
  });

  it('bundles Powertools Tracer and the X-Ray SDK only into a stack deployed with tracing on', () => {
    // A string of the X-Ray SDK's own, which minifying keeps.
    const carriesXRay = (packaged: string, name: string, file: string) =>
      zipFile(readFileSync(join(packaged, `${name}.zip`)), `src/handlers/${file}.js`)
        .toString('utf8')
        .includes('AWS_XRAY_DAEMON_ADDRESS');
    for (const [name, { file }] of Object.entries(FUNCTIONS)) {
      if (name === 'healthz') continue; // answers without the handler wrapper that starts tracing
      expect({ name, carries: carriesXRay(dir, name, file) }).toEqual({ name, carries: false });
      expect({ name, carries: carriesXRay(tracedDir, name, file) }).toEqual({ name, carries: true });
    }
  });
});

describe('cfn-lint', () => {
  interface LintFinding {
    Level: string;
    Message: string;
    Rule: { Id: string };
    Location: { Path: (string | number)[] };
  }

  /** cfn-lint's findings on a template (JSON output); a missing cfn-lint fails with how to install it. */
  async function lint(template: string): Promise<LintFinding[]> {
    try {
      const { stdout } = await promisify(execFile)('cfn-lint', ['--format', 'json', template], {
        maxBuffer: 16 * 1024 * 1024,
      });
      return JSON.parse(stdout || '[]') as LintFinding[];
    } catch (error) {
      const failure = error as NodeJS.ErrnoException & { stdout?: string };
      if (failure.code === 'ENOENT')
        throw new Error(
          'cfn-lint is not installed: `pip install cfn-lint` (Python 3), then run the tests again',
        );
      // cfn-lint exits non-zero when it reports anything, warnings included: its findings are on stdout.
      if (failure.stdout) return JSON.parse(failure.stdout) as LintFinding[];
      throw error;
    }
  }

  const errorsOf = (findings: LintFinding[]) =>
    findings
      .filter((finding) => finding.Level === 'Error')
      .map((finding) => `${finding.Rule.Id} ${finding.Location.Path.join('/')}: ${finding.Message}`);

  it.each([
    ['as deployed by default', () => dir],
    ['with tracing on', () => tracedDir],
  ])(
    'finds no error in the template %s',
    async (_name, packaged) => {
      const findings = await lint(join(packaged(), 'cloudformation-template-update-stack.json'));
      expect(errorsOf(findings)).toEqual([]);
    },
    120_000,
  );
});
