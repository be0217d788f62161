/**
 * Tenancy at Slack's door: before any listener runs, a click or form that names an alert (by its
 * fingerprint) is checked against the workspace it came from. An alert of a customer with a workspace
 * of its own can only be acted on from there, and any other alert only from the provider's workspace:
 * a fingerprint alone, guessed or copied, opens nothing in another customer's workspace. The refusal
 * is answered privately and audited on the alert.
 */
import type { AnyMiddlewareArgs, App, SlackAction, SlackViewAction } from '@slack/bolt';
import { ASK_USER, CREATE_CASE, ENRICH, IGNORE, IGNORE_MODAL } from '../../../blocks/actions';
import { RESPONSE_ACTION_PATTERN } from '../../../blocks/analyst/actions';
import { notice } from '../../../blocks/replies';
import { workspaceMayActOn } from '../../enrich/tenancy';
import type { SlackAppDeps } from '../../wiring/deps';
import { answerPrivately, type ClickPlace } from './private-answer';

/** Buttons whose `value` is an alert's fingerprint. */
const ALERT_BUTTONS = new Set<string>([CREATE_CASE, IGNORE, ENRICH, ASK_USER]);

/** The workspace a request came from: the team, or for an org-wide install the user's own team. */
export function teamOf(body: {
  team?: { id?: string } | null;
  user?: { team_id?: string };
}): string | undefined {
  return body.team?.id ?? body.user?.team_id;
}

/** The fingerprint a click or form names, if it names one. */
function fingerprintOf(body: AnyMiddlewareArgs['body']): string | undefined {
  if (body.type === 'block_actions') {
    const action = (body as SlackAction & { actions?: { action_id: string; value?: string }[] }).actions?.[0];
    if (!action?.value) return undefined;
    return ALERT_BUTTONS.has(action.action_id) || RESPONSE_ACTION_PATTERN.test(action.action_id)
      ? action.value
      : undefined;
  }
  if (body.type === 'view_submission') {
    const view = (body as SlackViewAction).view;
    return view.callback_id === IGNORE_MODAL ? view.private_metadata : undefined;
  }
  return undefined;
}

/** Registers the check as global middleware (it runs before every listener). */
export function registerTenancy(app: App, deps: SlackAppDeps): void {
  app.use(async (args) => {
    const fingerprint = fingerprintOf(args.body);
    const alert = fingerprint ? await deps.store.getAlert(fingerprint) : undefined;
    if (!alert) {
      await args.next();
      return;
    }
    const body = args.body as unknown as Parameters<typeof teamOf>[0] & ClickPlace;
    const team = teamOf(body);
    if (workspaceMayActOn(deps.config, alert.finding.customer, team)) {
      await args.next();
      return;
    }
    if ('ack' in args) await (args.ack as () => Promise<void>)();
    deps.logger.warn('click from another workspace refused', { fingerprint, team });
    await deps.store.appendAudit({
      fingerprint: alert.fingerprint,
      actor: { kind: 'slack', id: body.user.id },
      action: 'refused-other-workspace',
      details: { team },
    });
    await answerPrivately(
      args.client,
      body,
      notice('This alert belongs to another workspace: nothing was done.'),
      deps.logger,
    );
  });
}
