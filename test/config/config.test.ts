/**
 * The configuration: the config file's rules with the messages a user sees, the environment's, and
 * the local loader that reads YAML or JSON from `HIVEWIRE_CONFIG`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkConfigFile,
  ConfigError,
  defaultConfigFile,
  resolveConfig,
  SANDBOX_DEFAULTS,
} from '../../src/config/config';
import { loadConfig, parseConfigFile } from '../../src/config/config-file';

const LAMBDA = 'arn:aws:lambda:us-east-1:111122223333:function:isolate-instance';

function refusal(data: unknown): string {
  try {
    checkConfigFile(data, 'hivewire.yml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('accepted');
}

describe('the config file', () => {
  it('fills every default when empty', () => {
    expect(defaultConfigFile()).toEqual({
      accounts: {},
      customers: {},
      defaults: { tlp: 2, pap: 2, customer: 'internal' },
      slack: { admins: [], adminGroups: [] },
      users: {},
      storms: { enabled: true, threshold: 20, digestMinutes: 60 },
      responseActions: [],
    });
  });

  it('refuses a storm threshold that is not a whole number of messages', () => {
    expect(() => checkConfigFile({ storms: { threshold: 0 } }, 'hivewire.yml')).toThrow(
      'hivewire.yml: storms.threshold: Too small: expected number to be >=1',
    );
  });

  it.each([
    [
      { accounts: { '1234': {} } },
      'hivewire.yml: accounts.1234: not an account id: expected a 12-digit AWS account id, quoted ("012345678901")',
    ],
    [{ defaults: { tlp: 7 } }, 'hivewire.yml: defaults.tlp: Too big: expected number to be <=4'],
    [{ defaults: { pap: 1.5 } }, 'hivewire.yml: defaults.pap: Invalid input: expected int, received number'],
    [{ slack: { admins: ['alice'] } }, 'hivewire.yml: slack.admins.0: must be a Slack user id (U…)'],
    [{ slack: { onCall: 'U0ALICE' } }, 'hivewire.yml: slack.onCall: must be a Slack user group id (S…)'],
    [{ users: { jdoe: 'jdoe' } }, 'hivewire.yml: users.jdoe: Invalid email address'],
    [{ triage: { siemQueueUrl: 'http://sqs.example' } }, 'hivewire.yml: triage.siemQueueUrl: Invalid URL'],
    [
      { customers: { acme: { chanel: 'C0ACME' } } },
      'hivewire.yml: customers.acme.chanel: unknown key (did you mean "channel"?)',
    ],
    [{ custmers: {} }, 'hivewire.yml: custmers: unknown key (did you mean "customers"?)'],
    [
      { defaults: { colour: 'red' } },
      'hivewire.yml: defaults.colour: unknown key (expected one of channel, tlp, pap, severityThreshold, customer, caseTemplate, webex, teams)',
    ],
    [[], 'hivewire.yml: top level: Invalid input: expected object, received array'],
    [
      { responseActions: [{ id: 'isolate', label: 'Isolate', findingTypes: ['*'] }] },
      'hivewire.yml: responseActions.0: give exactly one of lambda or ssmDocument',
    ],
    [
      {
        responseActions: [
          { id: 'isolate', label: 'Isolate', findingTypes: ['*'], lambda: LAMBDA },
          { id: 'isolate', label: 'Isolate again', findingTypes: ['*'], ssmDocument: 'AWS-StopEC2Instance' },
        ],
      },
      'hivewire.yml: responseActions: ids must be unique',
    ],
    [
      { responseActions: [{ id: 'Isolate', label: 'Isolate', findingTypes: ['*'], lambda: 'isolate' }] },
      'hivewire.yml: responseActions.0.id: lowercase letters, digits, - and _ (at most 40); ' +
        'responseActions.0.lambda: must be a Lambda function ARN',
    ],
  ])('refuses %j naming the key', (data, message) => {
    expect(refusal(data)).toBe(message);
  });

  it('keeps what it accepts and fills the rest', () => {
    const file = checkConfigFile({
      defaults: { channel: 'C0SECOPS', tlp: 3 },
      triage: { autoAsk: ['UnauthorizedAccess:IAMUser/*'] },
      responseActions: [{ id: 'isolate', label: 'Isolate', findingTypes: ['*'], lambda: LAMBDA }],
    });
    expect(file.defaults).toEqual({ channel: 'C0SECOPS', tlp: 3, pap: 2, customer: 'internal' });
    expect(file.triage).toEqual({ autoAsk: ['UnauthorizedAccess:IAMUser/*'], timeoutMinutes: 60 });
    expect(file.responseActions).toEqual([
      { id: 'isolate', label: 'Isolate', findingTypes: ['*'], lambda: LAMBDA },
    ]);
  });
});

describe('the environment', () => {
  it.each([
    [{ PORT: '70000' }, 'environment: PORT: Too big: expected number to be <=65535'],
    [{ PORT: 'http' }, 'environment: PORT: Invalid input: expected number, received NaN'],
    [{ SLACK_APP_TOKEN: 'xoxb-1' }, 'environment: SLACK_APP_TOKEN: Invalid string: must start with "xapp-"'],
    [{ THEHIVE_URL: 'thehive.example.com' }, 'environment: THEHIVE_URL: Invalid URL'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set'],
    [
      { INGEST_SNS_TOPIC_ARNS: 'arn:aws:sns:eu-west-1:111122223333:ok,hivewire-findings' },
      'environment: INGEST_SNS_TOPIC_ARNS.1: must be SNS topic ARNs, separated by commas',
    ],
  ])('refuses %j naming the key', (env, message) => {
    expect(() => resolveConfig(env, defaultConfigFile())).toThrow(new ConfigError(message));
  });

  it('reads the port as a number and lets the environment’s threshold win over the file’s', () => {
    const config = resolveConfig(
      { PORT: '8080', SEVERITY_THRESHOLD: 'HIGH' },
      checkConfigFile({ defaults: { severityThreshold: 'LOW', channel: 'C0SECOPS' } }),
    );
    expect(config.port).toBe(8080);
    expect(config.severityThreshold).toBe('HIGH');
    expect(config.slack.alertChannel).toBe('C0SECOPS');
    expect(config.sandbox).toBe(true);
  });

  it('routes the sandbox’s alerts to its Teams channel when the file routes Teams nowhere, as to its Webex space', () => {
    const sandboxTeams = { team: SANDBOX_DEFAULTS.teamsTeam, channel: SANDBOX_DEFAULTS.teamsChannel };
    expect(resolveConfig({}, defaultConfigFile()).file.defaults.teams).toEqual(sandboxTeams);
    const own = { team: '19:soc@thread.tacv2', channel: '19:soc-alerts@thread.tacv2' };
    const routed = checkConfigFile({ defaults: { teams: own } });
    expect(resolveConfig({}, routed).file.defaults.teams).toEqual(own);
    // A real Teams app, or a real Slack workspace: the sandbox's channel does not exist there.
    const appId = { TEAMS_APP_ID: '6e0a5d5c-0000-4000-8000-000000000001' };
    expect(resolveConfig(appId, defaultConfigFile()).file.defaults.teams).toBeUndefined();
    const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', THEHIVE_API_KEY: 'k' };
    const real = { ...slack, THEHIVE_WEBHOOK_SECRET: 'w', INGEST_SECRET: 'i', SLACK_ALERT_CHANNEL: 'C0SOC' };
    expect(resolveConfig(real, defaultConfigFile()).file.defaults.teams).toBeUndefined();
  });

  it('reads the SNS topics POST /ingest accepts as a comma-separated list, none by default', () => {
    expect(resolveConfig({}, defaultConfigFile()).ingestSnsTopicArns).toEqual([]);
    expect(
      resolveConfig(
        {
          INGEST_SNS_TOPIC_ARNS:
            ' arn:aws:sns:eu-west-1:111122223333:a , ,arn:aws-us-gov:sns:us-gov-west-1:111122223333:b',
        },
        defaultConfigFile(),
      ).ingestSnsTopicArns,
    ).toEqual(['arn:aws:sns:eu-west-1:111122223333:a', 'arn:aws-us-gov:sns:us-gov-west-1:111122223333:b']);
  });
});

describe('loadConfig', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hivewire-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads YAML and JSON alike from HIVEWIRE_CONFIG', () => {
    writeFileSync(join(dir, 'a.yml'), 'defaults:\n  channel: C0SECOPS\n  tlp: 3\n');
    writeFileSync(join(dir, 'a.json'), '{"defaults":{"channel":"C0SECOPS","tlp":3}}');
    const fromYaml = loadConfig({ HIVEWIRE_CONFIG: join(dir, 'a.yml') });
    const fromJson = loadConfig({ HIVEWIRE_CONFIG: join(dir, 'a.json') });
    expect(fromYaml.file.defaults).toEqual({
      channel: 'C0SECOPS',
      tlp: 3,
      pap: 2,
      customer: 'internal',
      // The sandbox's own Teams channel (no Slack token here).
      teams: { team: SANDBOX_DEFAULTS.teamsTeam, channel: SANDBOX_DEFAULTS.teamsChannel },
    });
    expect(fromJson).toEqual(fromYaml);
  });

  it('names the file when it cannot be read or parsed', () => {
    expect(() => loadConfig({ HIVEWIRE_CONFIG: join(dir, 'absent.yml') })).toThrow(
      /^HIVEWIRE_CONFIG: cannot read .*absent\.yml: ENOENT/,
    );
    expect(() => parseConfigFile('defaults: [unclosed', 'x.yml')).toThrow(
      /^x\.yml: not valid YAML or JSON: /,
    );
  });
});
