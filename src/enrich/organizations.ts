/**
 * AWS Organizations `DescribeAccount`, the account directory's source of account names. Callable only
 * from the management account or a delegated administrator (`organizations:DescribeAccount`).
 */
import { DescribeAccountCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import type { AccountNameSource } from './directory';

/** Organizations is a global service whose commercial endpoint lives in us-east-1. */
export const ORGANIZATIONS_REGION = 'us-east-1';

/** A lookup sits in the ingest path: a slow Organizations must not hold a finding for long. */
const REQUEST_TIMEOUT_MS = 3_000;

/** The account directory's name source on the AWS SDK. */
export class OrganizationsAccounts implements AccountNameSource {
  private readonly client: OrganizationsClient;

  constructor(client?: OrganizationsClient) {
    this.client =
      client ??
      new OrganizationsClient({
        region: ORGANIZATIONS_REGION,
        maxAttempts: 2,
        requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, connectionTimeout: REQUEST_TIMEOUT_MS },
      });
  }

  /**
   * The account's name; undefined when the organization has no such account. Other failures
   * (AccessDenied, throttling, network) are thrown for the directory to cache briefly.
   */
  async describeAccount(accountId: string): Promise<{ name?: string } | undefined> {
    try {
      const output = await this.client.send(new DescribeAccountCommand({ AccountId: accountId }));
      if (!output.Account) return undefined;
      return output.Account.Name === undefined ? {} : { name: output.Account.Name };
    } catch (error) {
      if (error instanceof Error && error.name === 'AccountNotFoundException') return undefined;
      throw error;
    }
  }
}
