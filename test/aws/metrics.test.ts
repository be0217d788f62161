/**
 * Metrics in AWS: what an invocation counted is written to stdout as CloudWatch EMF by Powertools, the
 * way the functions write it; the lines are read back and checked as CloudWatch would read them.
 */
import { METRICS_NAMESPACE, MetricsTally } from '../../src/observability/metrics';
import { emfWriter, metrics, observer, publishMetrics } from '../../src/aws/metrics';
import { emfWrittenBy } from '../helpers/emf';

// The suite's setup silences EMF (test/helpers/env.ts); here it is what is read.
process.env.POWERTOOLS_METRICS_DISABLED = 'false';

const ENV = { POWERTOOLS_SERVICE_NAME: process.env.POWERTOOLS_SERVICE_NAME };

beforeAll(() => {
  process.env.POWERTOOLS_SERVICE_NAME = 'hivewire';
});
afterAll(() => {
  if (ENV.POWERTOOLS_SERVICE_NAME === undefined) delete process.env.POWERTOOLS_SERVICE_NAME;
  else process.env.POWERTOOLS_SERVICE_NAME = ENV.POWERTOOLS_SERVICE_NAME;
});

describe('publishMetrics', () => {
  it('writes in the namespace the function’s environment names, the one serverless.yml sets', async () => {
    const tally = new MetricsTally();
    tally.count('EscalationsOpened');
    const [line] = await emfWrittenBy(() =>
      publishMetrics(tally, emfWriter({ POWERTOOLS_METRICS_NAMESPACE: 'Hivewire-staging' })),
    );
    expect(line!._aws.CloudWatchMetrics[0]!.Namespace).toBe('Hivewire-staging');
  });

  it('writes one EMF line per dimension set in the Hivewire namespace: findings by source, the rest by service', async () => {
    const tally = new MetricsTally();
    tally.count('FindingsReceived', 'guardduty');
    tally.count('FindingsReceived', 'guardduty');
    tally.count('FindingsPosted', 'guardduty');
    tally.count('FindingsRejected', 'unknown');
    tally.count('DeadLettersWritten');
    tally.latency('SlackCallLatency', 120);
    tally.latency('SlackCallLatency', 80);

    const lines = await emfWrittenBy(() => publishMetrics(tally, emfWriter({})));

    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line._aws.CloudWatchMetrics[0]!.Namespace).toBe(METRICS_NAMESPACE);
    const service = lines.find((line) => line.source === undefined)!;
    expect(service._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service']]);
    expect(service).toMatchObject({
      service: 'hivewire',
      DeadLettersWritten: 1,
      SlackCallLatency: [120, 80],
    });
    expect(service._aws.CloudWatchMetrics[0]!.Metrics).toEqual([
      { Name: 'DeadLettersWritten', Unit: 'Count' },
      { Name: 'SlackCallLatency', Unit: 'Milliseconds' },
    ]);
    const bySource = lines.filter((line) => line.source !== undefined);
    expect(
      bySource.map(({ source, FindingsReceived, FindingsPosted, FindingsRejected }) => ({
        source,
        FindingsReceived,
        FindingsPosted,
        FindingsRejected,
      })),
    ).toEqual([
      { source: 'guardduty', FindingsReceived: 2, FindingsPosted: 1, FindingsRejected: undefined },
      { source: 'unknown', FindingsReceived: undefined, FindingsPosted: undefined, FindingsRejected: 1 },
    ]);
    for (const line of bySource)
      expect(line._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service', 'source']]);
  });

  it('empties the tally: the next invocation starts from nothing and an idle one writes nothing', async () => {
    const tally = new MetricsTally();
    tally.count('EscalationsOpened');
    expect(await emfWrittenBy(() => publishMetrics(tally, emfWriter({})))).toHaveLength(1);
    expect(await emfWrittenBy(() => publishMetrics(tally, emfWriter({})))).toEqual([]);
  });
});

describe('observed', () => {
  const observed = observer({});

  it('writes what the invocation counted when it answers', async () => {
    const handler = observed(async (event: { kind: string }) => {
      metrics.count('EscalationsRequested');
      return event.kind;
    });
    let answer: unknown;
    const lines = await emfWrittenBy(async () => {
      answer = await handler({ kind: 'click' }, {});
    });
    expect(answer).toBe('click');
    expect(lines.map((line) => line.EscalationsRequested)).toEqual([1]);
  });

  it('writes them when it throws too: a failed invocation’s counts matter most', async () => {
    const handler = observed(async () => {
      metrics.count('EscalationsFailed');
      throw new Error('TheHive unreachable');
    });
    let failure: unknown;
    const lines = await emfWrittenBy(() => handler({}, {}).catch((error: unknown) => (failure = error)));
    expect((failure as Error).message).toBe('TheHive unreachable');
    expect(lines.map((line) => line.EscalationsFailed)).toEqual([1]);
  });
});
