/**
 * Delayed answers to a slash command or a click go to the `response_url` Slack sent with it (valid for
 * 30 minutes, a few uses). The URL travels through the jobs queue, so it is checked again before
 * Hivewire posts anything to it: only Slack's hooks host, or the local sandbox, are accepted.
 */
import axios from 'axios';
import type { Config } from '../config/config';
import { SlackDeliveryError } from './delivery';

/** Slack's host for response URLs. */
const SLACK_HOOKS = 'https://hooks.slack.com';

/** What a response URL accepts: a message, ephemeral unless said otherwise. */
export interface ResponseMessage {
  text: string;
  blocks: unknown[];
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
}

function origin(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** Whether Hivewire may post to this URL: Slack's hooks, or the sandbox stand-in's own origin. */
export function isTrustedResponseUrl(
  url: string,
  config: Pick<Config, 'sandbox' | 'publicUrl' | 'slack'>,
): boolean {
  const target = origin(url);
  if (!target) return false;
  if (target === SLACK_HOOKS) return true;
  if (!config.sandbox) return false;
  return target === origin(config.publicUrl) || target === origin(config.slack.apiUrl);
}

/** Posts the message to the response URL; a refused or expired URL is not retried. */
export async function postToResponseUrl(
  url: string,
  message: ResponseMessage,
  config: Pick<Config, 'sandbox' | 'publicUrl' | 'slack'>,
): Promise<void> {
  if (!isTrustedResponseUrl(url, config))
    throw new SlackDeliveryError('response_url', 'untrusted_response_url', false);
  let status: number;
  try {
    const response = await axios.post(
      url,
      { response_type: 'ephemeral', replace_original: false, ...message },
      { timeout: 10_000, validateStatus: () => true, maxRedirects: 0 },
    );
    status = response.status;
  } catch (error) {
    throw new SlackDeliveryError(
      'response_url',
      axios.isAxiosError(error) ? (error.code ?? 'request_failed') : 'request_failed',
      true,
    );
  }
  if (status >= 200 && status < 300) return;
  // 404/410: the URL expired or was used up; 4xx in general: another try sends the same refused body.
  throw new SlackDeliveryError('response_url', `http_${status}`, status >= 500 || status === 429);
}
