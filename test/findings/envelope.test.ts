/**
 * Envelopes: SNS (HTTP and Lambda), SQS records, EventBridge events that are not findings,
 * arrays and partial envelopes, and the index each entry gets.
 */
import { unwrap } from '../../src/findings/envelope';
import { parseEvent } from '../../src/findings/parse';
import { loadFixture, loadFixtureObject, onlyFinding } from './load-fixture';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures are edited freely in tests

const GUARDDUTY_EVENT = 'derived/guardduty-event-impact-s3-maliciousipcaller.json';
const EXPECTED_FINGERPRINT = 'gd-b0a3a5992a56fc05d45e4f1f04b8c030';

function snsNotification(message: string): Json {
  return { ...loadFixtureObject('derived/sns-http-notification-guardduty-event.json'), Message: message };
}

describe('SNS deliveries', () => {
  it('reads the event inside an SNS HTTP notification and names fields through Message', () => {
    expect(
      onlyFinding(parseEvent(loadFixture('derived/sns-http-notification-guardduty-event.json'))).fingerprint,
    ).toBe(EXPECTED_FINGERPRINT);
    const event = loadFixtureObject(GUARDDUTY_EVENT) as Json;
    event.detail.accountId = 'x';
    expect(parseEvent(snsNotification(JSON.stringify(event))).rejected).toEqual([
      { index: 0, error: 'Message.detail.accountId: expected 12 digits' },
    ]);
  });

  it('rejects an SNS message that is not JSON', () => {
    const result = parseEvent(snsNotification('{"version": "0",'));
    expect(result.findings).toEqual([]);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]?.error).toMatch(/^Message: not JSON \(/);
    expect(parseEvent(snsNotification('hello')).rejected).toEqual([
      { index: 0, error: 'Message: expected a JSON object, got a string' },
    ]);
  });

  it('reads the Records[].Sns.Message of the event Lambda receives from SNS', () => {
    const finding = onlyFinding(
      parseEvent(loadFixture('derived/sns-lambda-records-securityhub-imported-cis-1-3.json')),
    );
    expect(finding.fingerprint).toBe('sh-e69f38eaaa61ef242fea142e1c34de85');
  });

  it('numbers the findings of several records in order and names a bad record', () => {
    const lambdaEvent = loadFixtureObject(
      'derived/sns-lambda-records-securityhub-imported-cis-1-3.json',
    ) as Json;
    const record = lambdaEvent.Records[0];
    lambdaEvent.Records = [record, { EventSource: 'aws:s3', s3: {} }, record];
    const result = parseEvent(lambdaEvent);
    expect(result.findings).toHaveLength(2);
    expect(result.rejected).toEqual([
      { index: 1, error: 'Records[1]: expected an SNS record (Sns) or an SQS record (body)' },
    ]);
  });

  it('reads the body of SQS records', () => {
    const body = JSON.stringify(loadFixture(GUARDDUTY_EVENT));
    const result = parseEvent({ Records: [{ messageId: 'm-1', eventSource: 'aws:sqs', body }] });
    expect(onlyFinding(result).fingerprint).toBe(EXPECTED_FINGERPRINT);
  });

  it('skips SNS subscription confirmations', () => {
    const confirmation = {
      Type: 'SubscriptionConfirmation',
      MessageId: '165545c9-2a5c-472c-8df2-7ff2be2b3b1b',
      Token: 'EXAMPLE',
      TopicArn: 'arn:aws:sns:us-east-2:973743533182:hivewire-findings',
      Message: 'You have chosen to subscribe to the topic …',
      SubscribeURL: 'https://sns.us-east-2.amazonaws.com/?Action=ConfirmSubscription&Token=EXAMPLE',
    };
    expect(parseEvent(confirmation)).toEqual({
      findings: [],
      skipped: [{ index: 0, reason: 'SNS SubscriptionConfirmation: no finding to ingest' }],
      rejected: [],
    });
  });
});

describe('EventBridge events', () => {
  it.each([
    ['aws/eventbridge-cloudtrail-guardduty-createsamplefindings.json', 'AWS API Call via CloudTrail'],
    ['aws/eventbridge-guardduty-malware-scan-result.json', 'GuardDuty Malware Protection Object Scan Result'],
  ])('skips %s, which is not a finding', (path, detailType) => {
    expect(parseEvent(loadFixture(path))).toEqual({
      findings: [],
      skipped: [{ index: 0, reason: `detail-type "${detailType}" is not a finding event` }],
      rejected: [],
    });
  });

  it('reads the findings of Security Hub\'s 2018 "Security Hub Finding Notification" event as ASFF', () => {
    const finding = loadFixtureObject('aws/asff-guardduty-sshbruteforce.json');
    const event = {
      version: '0',
      id: 'CWE-event-id',
      'detail-type': 'Security Hub Finding Notification',
      source: 'aws.securityhub',
      account: '111122223333',
      time: '2018-11-27T18:43:48Z',
      region: 'us-east-1',
      resources: [],
      detail: {
        'action name': 'Send to Slack',
        'action description': 'Escalate to the SOC',
        'action id': 'arn:aws:securityhub:us-east-1:111122223333:action/custom/slack',
        findings: [finding],
      },
    };
    const parsed = parseEvent(event);
    expect(parsed.skipped).toEqual([]);
    expect(parsed.rejected).toEqual([]);
    expect(parsed.findings.map(({ fingerprint, source }) => ({ fingerprint, source }))).toEqual([
      { fingerprint: onlyFinding(parseEvent(finding)).fingerprint, source: 'securityhub' },
    ]);
  });

  it('skips Security Hub insight results', () => {
    const event = {
      version: '0',
      'detail-type': 'Security Hub Insight Results',
      source: 'aws.securityhub',
      detail: { insightName: 'x', insightResults: [] },
    };
    expect(parseEvent(event).skipped).toEqual([
      { index: 0, reason: 'detail-type "Security Hub Insight Results" is not a finding event' },
    ]);
  });

  it('rejects a GuardDuty event whose detail is null, and a Security Hub event without findings', () => {
    const event = { ...loadFixtureObject(GUARDDUTY_EVENT), detail: null };
    expect(parseEvent(event).rejected).toEqual([{ index: 0, error: 'detail: expected an object, got null' }]);
    const imported = { 'detail-type': 'Security Hub Findings - Imported', detail: {} };
    expect(parseEvent(imported).rejected).toEqual([
      { index: 0, error: 'detail.findings: expected an array, got nothing' },
    ]);
    const empty = { 'detail-type': 'Security Hub Findings - Imported', detail: { findings: [] } };
    expect(parseEvent(empty).rejected).toEqual([
      { index: 0, error: 'detail.findings: empty array: expected at least one finding' },
    ]);
  });

  it('rejects a malformed element of detail.findings by its position', () => {
    const event = loadFixtureObject('aws/securityhub-imported-cis-1-3-warning.json') as Json;
    event.detail.findings.push('not a finding');
    const result = parseEvent(event);
    expect(result.findings).toHaveLength(1);
    expect(result.rejected).toEqual([
      { index: 1, error: 'detail.findings[1]: Invalid input: expected object, received string' },
    ]);
  });

  it('reads the partial envelope that carries only the detail', () => {
    expect(unwrap(loadFixture('aws/guardduty-sshbruteforce-detail-only.json'))).toMatchObject([
      { kind: 'finding', format: 'guardduty', ctx: { path: 'detail' } },
    ]);
    expect(parseEvent({ detail: null }).rejected).toEqual([
      { index: 0, error: 'detail: expected a JSON object, got null' },
    ]);
  });
});

describe('inputs that are not events', () => {
  it.each([
    [42, 'input: expected a JSON object, got a number'],
    [null, 'input: expected a JSON object, got null'],
    [true, 'input: expected a JSON object, got a boolean'],
    ['hello', 'input: expected a JSON object, got a string'],
    [[], 'input: empty array: expected at least one event or finding'],
    [
      { hello: 'world' },
      'input: unrecognised input: expected an EventBridge event, a GuardDuty, ASFF or OCSF finding, a USM Anywhere alarm or a MozDef alert, or an SNS delivery of one',
    ],
  ])('rejects %j naming the input', (input, error) => {
    expect(parseEvent(input)).toEqual({ findings: [], skipped: [], rejected: [{ index: 0, error }] });
  });

  it('reads an event given as a JSON string', () => {
    expect(onlyFinding(parseEvent(JSON.stringify(loadFixture(GUARDDUTY_EVENT)))).fingerprint).toBe(
      EXPECTED_FINGERPRINT,
    );
  });

  it('numbers entries across a mixed array: findings, skips and rejections in order', () => {
    const result = parseEvent([
      loadFixture(GUARDDUTY_EVENT),
      loadFixture('aws/eventbridge-cloudtrail-guardduty-createsamplefindings.json'),
      7,
      loadFixture('siem/usm-anywhere-alarm-windows-scheduled-job.json'),
    ]);
    expect(result.findings.map((finding) => finding.source)).toEqual(['guardduty', 'siem']);
    expect(result.skipped.map((entry) => entry.index)).toEqual([1]);
    expect(result.rejected).toEqual([{ index: 2, error: '[2]: expected a JSON object, got a number' }]);
  });

  it('stops at absurd nesting', () => {
    let input: unknown = loadFixture(GUARDDUTY_EVENT);
    for (let depth = 0; depth < 12; depth += 1) input = [input];
    expect(parseEvent(input).rejected).toEqual([
      { index: 0, error: '[0][0][0][0][0][0][0][0][0]: nested too deeply' },
    ]);
  });
});
