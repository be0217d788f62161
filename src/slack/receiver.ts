/**
 * Bolt's receiver for Hivewire's own HTTP request type: the `POST /slack/events` endpoint hands it an
 * authenticated request and the body it parsed, and gets the answer to send back. It is the same in
 * Lambda and in the local server, so neither has to dress a request up as an API Gateway event.
 *
 * It follows Bolt's Receiver contract (init/start/stop, `app.processEvent` with an `ack`): there is
 * nothing to listen on, so start and stop have nothing to do. Like Bolt's Lambda receiver it answers
 * once every listener has finished, with what `ack` was given (JSON for an object), and 404 when no
 * listener acknowledged the request.
 */
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { ReceiverMultipleAckError } from '@slack/bolt';
import { headerOf, jsonResponse, type HttpRequest, type HttpResponse } from '../http/request';
import { errorMessage, type Logger } from '../observability/logger';

/** A Slack request body once read: the event envelope, the interaction payload or the command's fields. */
export type SlackBody = Record<string, unknown>;

/** `X-Slack-Retry-Num` as a number (Bolt's listeners read `context.retryNum`); absent on a first try. */
function retryNumOf(request: HttpRequest): number | undefined {
  const header = headerOf(request.headers, 'x-slack-retry-num');
  const retryNum = header === undefined ? Number.NaN : Number(header);
  return Number.isInteger(retryNum) ? retryNum : undefined;
}

export class HttpRequestReceiver implements Receiver {
  private app: App | undefined;

  constructor(private readonly logger: Logger) {}

  init(app: App): void {
    this.app = app;
  }

  /** Nothing to start: requests arrive through `handle`. */
  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /**
   * Runs an authenticated request through the app. Slack's own checks are answered here, as Bolt's
   * receivers do: `ssl_check` with 200, `url_verification` with its challenge.
   */
  async handle(request: HttpRequest, body: SlackBody): Promise<HttpResponse> {
    if (body.ssl_check !== undefined) return { status: 200, body: '' };
    if (body.type === 'url_verification') return jsonResponse(200, { challenge: body.challenge });
    if (!this.app) throw new Error('HttpRequestReceiver: no Bolt app was built on this receiver');

    let answer: HttpResponse | undefined;
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => {
        if (answer) throw new ReceiverMultipleAckError();
        answer =
          response === undefined || response === null
            ? { status: 200, body: '' }
            : typeof response === 'string'
              ? { status: 200, body: response }
              : jsonResponse(200, response);
      },
      retryNum: retryNumOf(request),
      retryReason: headerOf(request.headers, 'x-slack-retry-reason'),
    };
    try {
      await this.app.processEvent(event);
    } catch (error) {
      this.logger.error('a Slack listener failed', { error: errorMessage(error) });
      return { status: 500, body: 'Internal server error' };
    }
    return answer ?? { status: 404, body: '' };
  }
}
