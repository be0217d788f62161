/**
 * `POST /slack/events` in AWS. The Bolt app is built once per container, after the secrets are read,
 * and never calls auth.test: Slack wants an answer within 3 s, cold start included.
 */
import { edgeDeps, logger } from '../aws/edge';
import { serveEndpoint } from '../aws/http';
import { createSlackEventsEndpoint } from '../slack/events-endpoint';

export const handler = serveEndpoint(edgeDeps, createSlackEventsEndpoint, logger);
