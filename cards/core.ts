/**
 * Adaptive Card elements, typed, for any card version: Webex renders 1.3, Teams 1.5, and both build
 * on these. The builders take Hivewire's own words or text already escaped by `cards/escape.ts`; they
 * never escape anything themselves, and they never write Markdown.
 */

/** The Adaptive Card schema versions Hivewire writes. */
export type CardVersion = '1.3' | '1.5';

export type TextColor = 'Default' | 'Accent' | 'Good' | 'Warning' | 'Attention';
export type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap: true;
  weight?: 'Bolder';
  size?: 'Small' | 'Medium' | 'Large';
  color?: TextColor;
  isSubtle?: true;
  spacing?: 'None' | 'Small' | 'Medium';
}

export interface FactSet {
  type: 'FactSet';
  facts: { title: string; value: string }[];
}

export interface Container {
  type: 'Container';
  style?: ContainerStyle;
  items: CardElement[];
}

export interface ActionSet {
  type: 'ActionSet';
  actions: CardAction[];
}

export interface ChoiceSetInput {
  type: 'Input.ChoiceSet';
  id: string;
  label: string;
  isRequired: boolean;
  errorMessage?: string;
  placeholder?: string;
  choices: { title: string; value: string }[];
}

export interface TextInput {
  type: 'Input.Text';
  id: string;
  label: string;
  isMultiline: boolean;
  maxLength: number;
  placeholder?: string;
}

export type CardElement = TextBlock | FactSet | Container | ActionSet | ChoiceSetInput | TextInput;

/** What every Hivewire button submits: the same action ids and fingerprint as a Slack button. */
export interface SubmitData {
  action: string;
  fingerprint: string;
}

/**
 * What a "was this you?" answer button submits: the answer's action id (Slack's) and the question's
 * id, as the Slack button's value carries it. The question may be a SIEM's, with no alert.
 */
export interface TriageSubmitData {
  action: string;
  id: string;
}

export interface SubmitAction {
  type: 'Action.Submit';
  title: string;
  data: SubmitData | TriageSubmitData;
  style?: 'positive' | 'destructive';
}

export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}

/** A card shown under its button: a nested card takes its version from the card holding it. */
export interface ShowCardAction {
  type: 'Action.ShowCard';
  title: string;
  card: { type: 'AdaptiveCard'; body: CardElement[]; actions: CardAction[] };
}

export type CardAction = SubmitAction | OpenUrlAction | ShowCardAction;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: CardVersion;
  /** What a screen reader or a client that cannot draw the card says instead. */
  fallbackText?: string;
  body: CardElement[];
  actions?: CardAction[];
}

/** The MIME type of an Adaptive Card attachment (Webex `attachments`, Bot Framework activities). */
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export function adaptiveCard(
  version: CardVersion,
  body: CardElement[],
  actions: CardAction[] = [],
  fallbackText?: string,
): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version,
    ...(fallbackText === undefined ? {} : { fallbackText }),
    body,
    ...(actions.length === 0 ? {} : { actions }),
  };
}

/** A wrapping TextBlock; `text` is Hivewire's words or escaped text. */
export function textBlock(text: string, style: Omit<TextBlock, 'type' | 'text' | 'wrap'> = {}): TextBlock {
  return { type: 'TextBlock', text, wrap: true, ...style };
}

export function factSet(facts: { title: string; value: string }[]): FactSet {
  return { type: 'FactSet', facts };
}

export function submit(
  title: string,
  data: SubmitAction['data'],
  style?: SubmitAction['style'],
): SubmitAction {
  return { type: 'Action.Submit', title, data, ...(style ? { style } : {}) };
}

export function showCard(title: string, body: CardElement[], actions: CardAction[]): ShowCardAction {
  return { type: 'Action.ShowCard', title, card: { type: 'AdaptiveCard', body, actions } };
}

/** A link button, for a URL that passed `webUrlHost` (blocks/elements.ts). */
export function openUrl(title: string, url: string): OpenUrlAction {
  return { type: 'Action.OpenUrl', title, url };
}
