/**
 * Response actions backed by a Systems Manager Automation runbook: `StartAutomationExecution` in the
 * finding's region. The finding reaches the runbook as one `Finding` parameter holding JSON, so a
 * runbook declares `Finding` (String or StringMap) and reads what it needs from it.
 */
import { SSMClient, StartAutomationExecutionCommand } from '@aws-sdk/client-ssm';
import { AwsActionError, fromSdkError } from './errors';

/** A started runbook execution. */
export interface AutomationExecution {
  executionId: string;
  region: string;
  /** The execution's page in the AWS console. */
  consoleUrl: string;
}

const DOCUMENT_NAME = /^[a-zA-Z0-9_\-.:/]{3,128}$/;

export class AutomationStarter {
  private readonly clients = new Map<string, SSMClient>();

  constructor(private readonly defaultRegion = 'us-east-1') {}

  /** Starts the runbook with the given parameters; resolves once AWS has accepted the execution. */
  async start(
    documentName: string,
    parameters: Record<string, string[]>,
    region = this.defaultRegion,
  ): Promise<AutomationExecution> {
    if (!DOCUMENT_NAME.test(documentName))
      throw new AwsActionError('bad-target', `"${documentName.slice(0, 60)}" is not an SSM document name`);
    let response;
    try {
      response = await this.client(region).send(
        new StartAutomationExecutionCommand({ DocumentName: documentName, Parameters: parameters }),
      );
    } catch (error) {
      throw fromSdkError(`SSM Automation ${documentName}`, error);
    }
    const executionId = response.AutomationExecutionId;
    if (!executionId)
      throw new AwsActionError('aws-error', `SSM Automation ${documentName}: no execution id returned`);
    return {
      executionId,
      region,
      consoleUrl: `https://${region}.console.aws.amazon.com/systems-manager/automation/execution/${encodeURIComponent(executionId)}?region=${region}`,
    };
  }

  private client(region: string): SSMClient {
    let client = this.clients.get(region);
    if (!client) {
      client = new SSMClient({ region, maxAttempts: 2 });
      this.clients.set(region, client);
    }
    return client;
  }
}
