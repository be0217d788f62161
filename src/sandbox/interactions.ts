/**
 * What Slack sends an app when someone clicks a button or submits a modal: a `block_actions`,
 * `view_submission` or `view_closed` payload, form-encoded (`payload=<JSON>`) and signed with the
 * signing secret (`X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<ts>:<body>">`). The sandbox sends them
 * from the server, never the browser, so the bot's real verification path runs and the secret stays here.
 */
import { createHmac } from 'node:crypto';
import {
  SANDBOX_BOT,
  SANDBOX_TEAM,
  type InteractionTeam,
  type OpenModal,
  type SlackWorkspace,
} from './slack-workspace';

/** Slack gives an app 3 seconds to answer an interaction before it shows the user an error. */
export const INTERACTION_TIMEOUT_MS = 3_000;

/** A console request the sandbox cannot turn into an interaction (no such message, button or user). */
export class InteractionRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InteractionRequestError';
  }
}

/** The app's answer to an interaction, as Slack would judge it. */
export interface InteractionOutcome {
  /** The app's HTTP status; 0 when it did not answer in time or could not be reached. */
  status: number;
  body: string;
  /** What Slack would make of it: `ok`, or the error the user would see. */
  result: 'ok' | 'timeout' | 'unreachable' | 'app_error';
}

export interface ViewSubmissionOutcome extends InteractionOutcome {
  /** Input errors the app answered with (`response_action: errors`), by block id. */
  errors?: Record<string, string>;
}

/** A value the console collected for one input of a modal. */
export interface ModalInputValue {
  /** Text inputs. */
  value?: string;
  /** Selects, radio buttons, checkboxes (option values), user selects (user ids). */
  selected?: string[];
}

/** `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>`: Slack's request signature. */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface InteractionSenderOptions {
  workspace: SlackWorkspace;
  signingSecret: string;
  /** The bot's `/slack/events`. */
  eventsUrl: string;
  /** Where the sandbox is reached: `response_url`s point at it. */
  publicUrl: string;
  now?: () => number;
  /** The workspace a channel is in when it is not the sandbox's own (the second, installed one). */
  workspaceOf?: (channel: string) => InteractionTeam | undefined;
}

type Option = { text: unknown; value: string; description?: unknown };

/** A click on a channel message, kept so it can be sent again from the message as it was then. */
interface RecordedClick {
  /** The `actions[0]` Slack sent, without its `action_ts`. */
  action: Record<string, unknown>;
  /** The message as the user saw it when clicking (Slack's `message` field). */
  message: Record<string, unknown>;
}

/** A click that can be sent again, for the console to offer. */
export interface ReplayableClick {
  channel: string;
  ts: string;
  actionId: string;
  /** What the user clicked: the button's text or the chosen option's. */
  label: string;
}

/** The interactive element `actionId` of block `blockId` in a message, if the message still has it. */
function elementOf(
  message: { blocks?: { block_id?: string; elements?: unknown; accessory?: unknown }[] },
  blockId: string,
  actionId: string,
): Record<string, unknown> | undefined {
  const block = message.blocks?.find((b) => b.block_id === blockId);
  if (!block) return undefined;
  const elements = [...(Array.isArray(block.elements) ? block.elements : []), block.accessory];
  return elements.find((e): e is Record<string, unknown> => isObject(e) && e.action_id === actionId);
}

function textOf(object: unknown): string | undefined {
  return isObject(object) && typeof object.text === 'string' ? object.text : undefined;
}

/** Every option of a select-like element (option groups flattened). */
function optionsOf(element: Record<string, unknown>): Option[] {
  const direct = Array.isArray(element.options) ? element.options : [];
  const grouped = Array.isArray(element.option_groups)
    ? element.option_groups.flatMap((group) =>
        isObject(group) && Array.isArray(group.options) ? group.options : [],
      )
    : [];
  return [...direct, ...grouped].filter((o): o is Option => isObject(o) && typeof o.value === 'string');
}

export class InteractionSender {
  private readonly now: () => number;
  /** The last click on each channel message, by `<channel>/<ts>`. */
  private readonly clicks = new Map<string, RecordedClick>();

  constructor(private readonly options: InteractionSenderOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * A click on a message's button (or a choice in its select): sends `block_actions` for the element
   * `actionId` of block `blockId`, as user `userId`.
   */
  async clickMessageAction(input: {
    channel: string;
    ts: string;
    actionId: string;
    blockId: string;
    userId: string;
    /** The ts of an ephemeral message (shown only to `userId`) instead of a channel message. */
    ephemeral?: boolean;
    /** For selects and overflow menus: the chosen option's value. */
    selectedValue?: string;
  }): Promise<InteractionOutcome> {
    const { workspace } = this.options;
    const user = this.user(input.userId);
    const source = input.ephemeral
      ? workspace.getEphemeral(user.id, input.ts)
      : workspace.getMessage(input.channel, input.ts);
    if (!source || (!input.ephemeral && 'tombstone' in source && source.tombstone))
      throw new InteractionRequestError(`no message ${input.ts} in ${input.channel}`);
    const element = elementOf(source, input.blockId, input.actionId);
    if (!element) throw new InteractionRequestError(`no element ${input.actionId} in block ${input.blockId}`);

    const action: Record<string, unknown> = {
      type: element.type,
      action_id: input.actionId,
      block_id: input.blockId,
    };
    if (element.type === 'button') {
      Object.assign(action, {
        text: element.text,
        ...(element.value !== undefined ? { value: element.value } : {}),
        ...(element.style !== undefined ? { style: element.style } : {}),
        ...(element.url !== undefined ? { url: element.url } : {}),
      });
    } else {
      const option = optionsOf(element).find((o) => o.value === input.selectedValue);
      if (!option)
        throw new InteractionRequestError(`no option ${String(input.selectedValue)} in ${input.actionId}`);
      action.selected_option = option;
    }
    // Slack sends no `message` for an ephemeral message: the app only has the response_url.
    if (input.ephemeral) return this.sendBlockActions({ user, source, ephemeral: true, action });
    const message = workspace.apiMessage(workspace.getMessage(input.channel, input.ts)!, true);
    this.clicks.set(`${source.channel}/${source.ts}`, { action, message });
    return this.sendBlockActions({ user, source, ephemeral: false, action, message });
  }

  /**
   * Sends the last click on a channel message again, with the message as it was when clicked: what
   * Slack sends when someone clicks twice before the message updates, or a second analyst clicks on a
   * screen that has not refreshed yet. By `userId`, who may be someone else than the first clicker.
   */
  async replayClick(input: { channel: string; ts: string; userId: string }): Promise<InteractionOutcome> {
    const user = this.user(input.userId);
    const click = this.clicks.get(`${input.channel}/${input.ts}`);
    const source = this.options.workspace.getMessage(input.channel, input.ts);
    if (!click || !source)
      throw new InteractionRequestError(`no click on ${input.ts} in ${input.channel} to repeat`);
    return this.sendBlockActions({
      user,
      source,
      ephemeral: false,
      action: click.action,
      message: click.message,
    });
  }

  /**
   * The clicks that can be sent again because the message no longer offers what was clicked (a
   * "Create Case" button that became "Open in TheHive").
   */
  replayableClicks(): ReplayableClick[] {
    const { workspace } = this.options;
    const replayable: ReplayableClick[] = [];
    for (const [key, click] of this.clicks) {
      const [channel, ts] = key.split('/') as [string, string];
      const current = workspace.getMessage(channel, ts);
      if (!current || ('tombstone' in current && current.tombstone)) continue;
      if (elementOf(current, String(click.action.block_id), String(click.action.action_id))) continue;
      const label =
        textOf(click.action.text) ?? textOf((click.action.selected_option as Option | undefined)?.text);
      replayable.push({
        channel,
        ts,
        actionId: String(click.action.action_id),
        label: label ?? String(click.action.action_id),
      });
    }
    return replayable;
  }

  /** Signs and sends one `block_actions` payload, with a fresh trigger, `response_url` and `action_ts`. */
  private sendBlockActions(input: {
    user: { id: string; name: string };
    source: { channel: string; ts: string; threadTs?: string };
    ephemeral: boolean;
    action: Record<string, unknown>;
    message?: Record<string, unknown>;
  }): Promise<InteractionOutcome> {
    const { workspace, publicUrl } = this.options;
    const { user, source } = input;
    const threadTs = source.threadTs && source.threadTs !== source.ts ? source.threadTs : undefined;
    const target = workspace.issueResponseTarget({
      userId: user.id,
      channel: source.channel,
      messageTs: source.ts,
      ephemeral: input.ephemeral,
      ...(threadTs ? { threadTs } : {}),
    });
    const conversation = workspace.conversation(source.channel);
    const team = this.teamOf(source.channel);
    const payload = {
      type: 'block_actions',
      user: { id: user.id, username: user.name, name: user.name, team_id: team.id },
      api_app_id: SANDBOX_BOT.appId,
      token: 'sandbox-verification-token',
      container: {
        type: 'message',
        message_ts: source.ts,
        channel_id: source.channel,
        is_ephemeral: input.ephemeral,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      },
      trigger_id: workspace.issueTrigger(user.id, team),
      team: { id: team.id, domain: team.domain },
      enterprise: null,
      is_enterprise_install: false,
      channel: {
        id: conversation.id,
        name: conversation.kind === 'channel' ? conversation.name : 'directmessage',
      },
      ...(input.message ? { message: input.message } : {}),
      state: { values: {} },
      response_url: `${publicUrl.replace(/\/$/, '')}/sandbox/slack/response/${target.id}`,
      actions: [{ ...input.action, action_ts: this.slackTime() }],
    };
    return this.send(payload);
  }

  /**
   * A message shortcut chosen on a message (its "More actions" menu): sends `message_action` with the
   * message as the app sees it, a fresh trigger and a `response_url`, as user `userId`.
   */
  async messageShortcut(input: {
    channel: string;
    ts: string;
    callbackId: string;
    userId: string;
  }): Promise<InteractionOutcome> {
    const { workspace, publicUrl } = this.options;
    const user = this.user(input.userId);
    const source = workspace.getMessage(input.channel, input.ts);
    if (!source || ('tombstone' in source && source.tombstone))
      throw new InteractionRequestError(`no message ${input.ts} in ${input.channel}`);
    const conversation = workspace.conversation(source.channel);
    const team = this.teamOf(source.channel);
    const target = workspace.issueResponseTarget({
      userId: user.id,
      channel: source.channel,
      messageTs: source.ts,
      ephemeral: false,
    });
    return this.send({
      type: 'message_action',
      callback_id: input.callbackId,
      trigger_id: workspace.issueTrigger(user.id, team),
      message_ts: source.ts,
      team: { id: team.id, domain: team.domain },
      user: { id: user.id, username: user.name, name: user.name, team_id: team.id },
      channel: {
        id: conversation.id,
        name: conversation.kind === 'channel' ? conversation.name : 'directmessage',
      },
      message: workspace.apiMessage(source, true),
      response_url: `${publicUrl.replace(/\/$/, '')}/sandbox/slack/response/${target.id}`,
      action_ts: this.slackTime(),
      token: 'sandbox-verification-token',
      is_enterprise_install: false,
      enterprise: null,
    });
  }

  /**
   * Submits a user's open modal with the values the console collected: `view_submission` with
   * `view.state.values` shaped as Slack shapes them. Required inputs left empty are refused here, as the
   * Slack client refuses them before anything is sent.
   */
  async submitModal(input: {
    viewId: string;
    userId: string;
    values: Record<string, Record<string, ModalInputValue>>;
  }): Promise<ViewSubmissionOutcome> {
    const { workspace } = this.options;
    const modal = this.ownModal(input.viewId, input.userId);
    const { values, missing } = stateValues(modal, input.values);
    if (Object.keys(missing).length) return { status: 0, body: '', result: 'ok', errors: missing };
    const user = this.user(input.userId);
    // Submitted from the workspace the modal was opened in.
    const { team } = modal;
    const payload = {
      type: 'view_submission',
      team: { id: team.id, domain: team.domain },
      user: { id: user.id, username: user.name, name: user.name, team_id: team.id },
      api_app_id: SANDBOX_BOT.appId,
      token: 'sandbox-verification-token',
      trigger_id: workspace.issueTrigger(user.id, team),
      view: { ...modal.view, state: { values } },
      response_urls: [],
      enterprise: null,
      is_enterprise_install: false,
    };
    const outcome = await this.send(payload);
    if (outcome.result !== 'ok') return outcome;
    let answer: Record<string, unknown> = {};
    try {
      const parsed = outcome.body.trim() ? (JSON.parse(outcome.body) as unknown) : {};
      if (isObject(parsed)) answer = parsed;
    } catch {
      // A non-JSON answer is an empty acknowledgement to Slack.
    }
    switch (answer.response_action) {
      case 'errors':
        return {
          ...outcome,
          errors: isObject(answer.errors) ? (answer.errors as Record<string, string>) : {},
        };
      case 'update':
      case 'push':
        // The console shows one view at a time: a pushed view takes the place of the current one.
        workspace.updateModal(modal.id, answer.view);
        return outcome;
      default:
        workspace.closeModal(modal.id);
        return outcome;
    }
  }

  /** Closes a user's modal; sends `view_closed` when the app asked for it (`notify_on_close`). */
  async closeModal(input: { viewId: string; userId: string }): Promise<InteractionOutcome | undefined> {
    const { workspace } = this.options;
    const modal = this.ownModal(input.viewId, input.userId);
    workspace.closeModal(modal.id);
    if (!modal.view.notify_on_close) return undefined;
    const user = this.user(input.userId);
    const { team } = modal;
    return this.send({
      type: 'view_closed',
      team: { id: team.id, domain: team.domain },
      user: { id: user.id, username: user.name, name: user.name, team_id: team.id },
      api_app_id: SANDBOX_BOT.appId,
      token: 'sandbox-verification-token',
      view: modal.view,
      is_cleared: false,
      is_enterprise_install: false,
    });
  }

  /** The workspace a channel is in: an interaction there is sent from it, as Slack sends it. */
  private teamOf(channel: string): InteractionTeam {
    return this.options.workspaceOf?.(channel) ?? SANDBOX_TEAM;
  }

  private user(userId: string) {
    const user = this.options.workspace.userById(userId);
    if (!user || user.isBot) throw new InteractionRequestError(`no sandbox user ${userId}`);
    return user;
  }

  private ownModal(viewId: string, userId: string): OpenModal {
    const modal = this.options.workspace.getModal(viewId);
    if (!modal || modal.userId !== userId)
      throw new InteractionRequestError(`no open view ${viewId} for ${userId}`);
    return modal;
  }

  /** Slack's `action_ts` style: seconds with six decimals. */
  private slackTime(): string {
    return (this.now() / 1000).toFixed(6);
  }

  /** Signs and posts a payload to the bot, judging its answer as Slack would. */
  private send(payload: Record<string, unknown>): Promise<InteractionOutcome> {
    return sendSigned({
      url: this.options.eventsUrl,
      signingSecret: this.options.signingSecret,
      // Exactly this type: Bolt's Lambda receiver compares it verbatim.
      contentType: 'application/x-www-form-urlencoded',
      body: `payload=${encodeURIComponent(JSON.stringify(payload))}`,
      nowMs: this.now(),
    });
  }
}

/** Signs a body as Slack does and posts it to the bot, judging the answer as Slack would. */
export async function sendSigned(request: {
  url: string;
  signingSecret: string;
  contentType: 'application/x-www-form-urlencoded' | 'application/json';
  body: string;
  nowMs: number;
}): Promise<InteractionOutcome> {
  const timestamp = Math.floor(request.nowMs / 1000);
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: {
        'content-type': request.contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(request.signingSecret, timestamp, request.body),
        'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      },
      body: request.body,
      signal: AbortSignal.timeout(INTERACTION_TIMEOUT_MS),
    });
    const text = await response.text();
    return { status: response.status, body: text, result: response.ok ? 'ok' : 'app_error' };
  } catch (error) {
    const name = (error as { name?: string } | undefined)?.name;
    return { status: 0, body: '', result: name === 'TimeoutError' ? 'timeout' : 'unreachable' };
  }
}

/** The `view.state.values` Slack would send for what the user entered, and the required inputs left empty. */
function stateValues(
  modal: OpenModal,
  entered: Record<string, Record<string, ModalInputValue>>,
): { values: Record<string, Record<string, unknown>>; missing: Record<string, string> } {
  const values: Record<string, Record<string, unknown>> = {};
  const missing: Record<string, string> = {};
  for (const block of modal.view.blocks) {
    if (block.type !== 'input' || !isObject(block.element)) continue;
    const element = block.element;
    const actionId = String(element.action_id);
    const given = entered[block.block_id]?.[actionId] ?? {};
    const text = given.value?.trim() ? given.value : undefined;
    const chosen = (given.selected ?? []).filter(Boolean);
    const options = optionsOf(element);
    const pick = (value: string) => {
      const option = options.find((o) => o.value === value);
      if (!option) throw new InteractionRequestError(`no option ${value} in ${actionId}`);
      return option;
    };
    let state: Record<string, unknown>;
    let empty: boolean;
    switch (element.type) {
      case 'static_select':
      case 'radio_buttons':
        state = { selected_option: chosen[0] ? pick(chosen[0]) : null };
        empty = !chosen[0];
        break;
      case 'multi_static_select':
      case 'checkboxes':
        state = { selected_options: chosen.map(pick) };
        empty = chosen.length === 0;
        break;
      case 'users_select':
        state = { selected_user: chosen[0] ?? null };
        empty = !chosen[0];
        break;
      case 'multi_users_select':
        state = { selected_users: chosen };
        empty = chosen.length === 0;
        break;
      default:
        state = { value: text ?? null };
        empty = text === undefined;
    }
    values[block.block_id] = { [actionId]: { type: element.type, ...state } };
    if (empty && block.optional !== true) missing[block.block_id] = 'Please complete this required field.';
  }
  return { values, missing };
}
