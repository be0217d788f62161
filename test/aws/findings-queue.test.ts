import { ingestFindingsBatch } from '../../src/aws/findings-queue';
import type { Deps } from '../../src/wiring/deps';
import { createLogger } from '../../src/observability/logger';
import { sqsEvent } from '../handlers/lambda-events';

describe('ingestFindingsBatch', () => {
  it('asks SQS to deliver again a message whose dead letter could not be kept, so the DLQ gets it at last', async () => {
    const deps = {
      logger: createLogger(),
      store: {
        async putDeadLetter() {
          throw new Error('ProvisionedThroughputExceededException');
        },
      },
    } as unknown as Deps;
    const response = await ingestFindingsBatch(
      sqsEvent('findings', [{ messageId: 'unreadable', body: '<xml/>' }]),
      deps,
      { maxAttempts: 5 },
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'unreadable' }] });
  });
});
