/** Types of the console renderer (render.js, a plain script shared by the page and the tests). */

/** A node of the render tree: an element (`tag`) or, without `tag`, a text node. */
export interface RenderNode {
  tag?: string;
  cls?: string;
  attrs?: Record<string, string | number | boolean | undefined | null>;
  style?: { borderLeftColor?: string };
  text?: string;
  children?: RenderNode[];
}

export interface ConsoleUser {
  id: string;
  name: string;
  realName: string;
  email: string;
}

export interface RenderContext {
  userName?: (id: string) => string | undefined;
  channelName?: (id: string) => string | undefined;
  formatTime?: (ts: string) => string;
  users?: ConsoleUser[];
  currentUser?: string;
  /** Thread parents whose replies are shown. */
  expanded?: Set<string>;
  /** The ts of the message a permalink points at. */
  highlight?: string;
  /** Text typed in inputs that a re-render must keep, by draft key. */
  drafts?: Record<string, unknown>;
  /** Buttons waiting for the app's answer, as `<block_id>/<action_id>`. */
  busy?: Set<string>;
  /** Clicks the sandbox can send again (their message no longer offers what was clicked). */
  replayable?: { channel: string; ts: string; actionId: string; label: string }[];
  /** The app's message shortcuts, offered on every message as Slack's "More actions" menu does. */
  shortcuts?: { name: string; callbackId: string }[];
}

export type ConsoleMessage = Record<string, unknown> & { ts: string; replies?: ConsoleMessage[] };
export type ConsoleEphemeral = Record<string, unknown> & { ts: string; channel: string; threadTs?: string };

export interface CasePanelState {
  statuses: Record<string, string>;
  impactStatuses: string[];
  /** A case whose closing form is open, with the closing status chosen. */
  closing?: { caseId: string; status: string; impactStatus?: string } | null;
}

export function decodeEntities(text: string): string;
export function emojify(text: string): string;
export function emojiNodes(text: string): RenderNode[];
/** Slack shortcode → emoji character, for every emoji the console has an image of. */
export const EMOJI: Record<string, string>;
export function safeUrl(url: string): string | null;
export function mrkdwn(text: string | undefined, ctx?: RenderContext): RenderNode[];
/** TheHive Markdown (descriptions, comments) → nodes; raw HTML stays text, only explicit safe links link. */
export function markdown(text: string | undefined): RenderNode[];
export function renderBlocks(
  blocks: unknown[] | undefined,
  ctx?: RenderContext,
  surface?: 'message' | 'modal',
  errors?: Record<string, string>,
): RenderNode[];
export function renderMessageBody(message: Record<string, unknown>, ctx?: RenderContext): RenderNode[];
export function renderMessage(
  message: ConsoleMessage,
  ctx?: RenderContext,
  options?: {
    channel?: string;
    isReply?: boolean;
    replies?: ConsoleMessage[];
    ephemerals?: ConsoleEphemeral[];
  },
): RenderNode;
export function renderEphemeral(ephemeral: ConsoleEphemeral, ctx?: RenderContext): RenderNode;
export function renderTimeline(
  channel: string,
  messages: ConsoleMessage[],
  ephemerals: ConsoleEphemeral[],
  ctx?: RenderContext,
): RenderNode[];
export function renderModal(
  modal: { id: string; view: Record<string, unknown> },
  ctx?: RenderContext,
  errors?: Record<string, string>,
): RenderNode;
export function renderConfirm(confirm: Record<string, unknown>): RenderNode;
export function renderCaseRow(
  theCase: Record<string, unknown>,
  ctx: RenderContext,
  panel: CasePanelState,
): RenderNode;
export function renderSkipNotice(notice: {
  id: number;
  source: string;
  index: number;
  reason: string;
  fingerprint?: string;
  threshold?: string;
}): RenderNode;
export function renderCaseList(cases: Record<string, unknown>[]): RenderNode;
export function renderCaseDetail(detail: {
  case: Record<string, unknown>;
  observables: Record<string, unknown>[];
  comments: Record<string, unknown>[];
}): RenderNode;
export function messageSeverity(message: Record<string, unknown>): string | undefined;
export function compareTs(a: string, b: string): number;

/** The subset of `Document` the renderer uses. */
export interface DocumentLike {
  createElement(tag: string): {
    className: string;
    style: { borderLeftColor: string };
    setAttribute(name: string, value: string): void;
    appendChild(child: unknown): unknown;
  };
  createTextNode(text: string): unknown;
}
export function toDom<T>(node: RenderNode, doc: DocumentLike): T;
