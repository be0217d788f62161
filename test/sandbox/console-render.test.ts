import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { caseDescription } from '../../src/cases/case-content';
import * as render from '../../src/sandbox/console/render';
import { makeAlertRecord } from '../helpers/alerts';
import type { RenderNode } from '../../src/sandbox/console/render';

const USERS = [
  { id: 'U0ALICE', name: 'alice', realName: 'Alice (SOC analyst)', email: 'alice@example.com' },
  { id: 'U0BOB', name: 'bob', realName: 'Bob (SOC lead)', email: 'bob@example.com' },
];
const ctx = {
  users: USERS,
  currentUser: 'U0ALICE',
  userName: (id: string) => USERS.find((u) => u.id === id)?.name,
  channelName: (id: string) => (id === 'C0SANDBOX' ? 'security-alerts' : undefined),
};

/** A stand-in for the DOM that refuses markup: setting innerHTML/outerHTML throws. */
class FakeElement {
  readonly attributes: Record<string, string> = {};
  readonly children: (FakeElement | FakeText)[] = [];
  className = '';
  style = { borderLeftColor: '' };
  constructor(readonly tag: string) {}
  setAttribute(name: string, value: string) {
    this.attributes[name] = value;
  }
  appendChild(child: FakeElement | FakeText) {
    this.children.push(child);
    return child;
  }
  set innerHTML(_value: string) {
    throw new Error('innerHTML used');
  }
  set outerHTML(_value: string) {
    throw new Error('outerHTML used');
  }
  get textContent(): string {
    return this.children.map((child) => child.textContent).join('');
  }
}
class FakeText {
  constructor(readonly textContent: string) {}
}
const fakeDocument = {
  createElement: (tag: string) => new FakeElement(tag),
  createTextNode: (text: string) => new FakeText(text),
};

function all(element: FakeElement): FakeElement[] {
  return [element, ...element.children.flatMap((child) => (child instanceof FakeElement ? all(child) : []))];
}

function nodes(tree: RenderNode | RenderNode[]): RenderNode[] {
  const list = Array.isArray(tree) ? tree : [tree];
  return list.flatMap((node) => [node, ...nodes(node.children ?? [])]);
}

const testids = (tree: RenderNode | RenderNode[]) =>
  nodes(tree)
    .map((node) => node.attrs?.['data-testid'])
    .filter(Boolean);

/** The text shown, an emoji image standing for its character (its alt text). */
const textOf = (tree: RenderNode | RenderNode[]): string =>
  nodes(tree)
    .map((node) => node.text ?? (node.tag === 'img' ? String(node.attrs?.alt) : ''))
    .join('');

describe('mrkdwn rendering', () => {
  it('renders bold, italic, strike and code', () => {
    expect(render.mrkdwn('*Bold* and _it_ ~gone~ `x &lt; y`')).toEqual([
      { tag: 'strong', children: [{ text: 'Bold' }] },
      { text: ' and ' },
      { tag: 'em', children: [{ text: 'it' }] },
      { text: ' ' },
      { tag: 's', children: [{ text: 'gone' }] },
      { text: ' ' },
      { tag: 'code', cls: 'mk-code', text: 'x < y' },
    ]);
  });

  it('leaves markers inside words alone', () => {
    expect(render.mrkdwn('snake_case_name and 2*3*4')).toEqual([{ text: 'snake_case_name and 2*3*4' }]);
  });

  it('renders links with their text, decoding entities in the URL', () => {
    expect(render.mrkdwn('<https://thehive.example/cases/~1/details?a=1&amp;b=2|Case #1>')).toEqual([
      {
        tag: 'a',
        cls: 'mk-link',
        attrs: {
          href: 'https://thehive.example/cases/~1/details?a=1&b=2',
          target: '_blank',
          rel: 'noopener noreferrer',
          title: 'https://thehive.example/cases/~1/details?a=1&b=2',
        },
        text: 'Case #1',
      },
    ]);
  });

  it('shows a link with an unsafe scheme as its text only', () => {
    expect(render.mrkdwn('<javascript:alert(1)|click me>')).toEqual([{ text: 'click me' }]);
    expect(render.mrkdwn('<data:text/html,x>')).toEqual([{ text: 'data:text/html,x' }]);
  });

  it('shows mentions as @name and special mentions as such', () => {
    expect(render.mrkdwn('<@U0ALICE> <@U0ZED|zed> <!here> <#C0SANDBOX>', ctx)).toEqual([
      { tag: 'span', cls: 'mk-mention', attrs: { 'data-user-id': 'U0ALICE' }, text: '@alice' },
      { text: ' ' },
      { tag: 'span', cls: 'mk-mention', attrs: { 'data-user-id': 'U0ZED' }, text: '@zed' },
      { text: ' ' },
      { tag: 'span', cls: 'mk-mention mk-broadcast', text: '@here' },
      { text: ' ' },
      { tag: 'span', cls: 'mk-channel', text: '#security-alerts' },
    ]);
  });

  it('decodes escaped markup into text, never into elements', () => {
    const tree = render.mrkdwn('&lt;img src=x onerror=alert(1)&gt; &amp;lt; *&lt;b&gt;bold&lt;/b&gt;*');
    expect(tree).toEqual([
      { text: '<img src=x onerror=alert(1)> &lt; ' },
      { tag: 'strong', children: [{ text: '<b>bold</b>' }] },
    ]);
  });

  it('keeps a link whole inside bold text', () => {
    expect(render.mrkdwn('*<https://x.test/1|Case #3> opened*')).toEqual([
      {
        tag: 'strong',
        children: [expect.objectContaining({ tag: 'a', text: 'Case #3' }), { text: ' opened' }],
      },
    ]);
  });

  it('renders quotes, line breaks, code blocks and emoji', () => {
    expect(render.mrkdwn(':rotating_light: first\n> quoted\nlast\n```\n<b>raw</b>\n```')).toEqual([
      {
        tag: 'img',
        cls: 'emoji',
        attrs: {
          src: '/sandbox/console/emoji/1f6a8.svg',
          alt: '🚨',
          title: ':rotating_light:',
          'data-emoji': 'rotating_light',
        },
      },
      { text: ' first' },
      { tag: 'blockquote', cls: 'mk-quote', children: [{ text: 'quoted' }] },
      { text: 'last' },
      { tag: 'br' },
      { tag: 'pre', cls: 'mk-pre', text: '<b>raw</b>\n' },
    ]);
  });
});

describe('emoji', () => {
  const EMOJI_DIR = join(__dirname, '../../src/sandbox/console/emoji');
  const images = (tree: RenderNode[]) => nodes(tree).filter((node) => node.tag === 'img');

  it('shows emoji characters and :shortcodes: as the console’s images, and text symbols as text', () => {
    const tree = render.mrkdwn('🟠 *HIGH* · ✅ closed :white_check_mark: ⚠️ ⚠ → ↗ :no_such_emoji:');
    expect(images(tree).map((image) => image.attrs?.['data-emoji'])).toEqual([
      'large_orange_circle',
      'white_check_mark',
      'white_check_mark',
      'warning',
    ]);
    expect(textOf(tree)).toBe('🟠 HIGH · ✅ closed ✅ ⚠️ ⚠ → ↗ :no_such_emoji:');
  });

  it('shows an emoji it has no drawing for as a neutral image carrying the character', () => {
    expect(render.emojiNodes('a 🦄 b')).toEqual([
      { text: 'a ' },
      {
        tag: 'img',
        cls: 'emoji',
        attrs: { src: '/sandbox/console/emoji/unknown.svg', alt: '🦄', title: '🦄', 'data-emoji': '1f984' },
      },
      { text: ' b' },
    ]);
  });

  it('keeps emoji in plain_text as images unless the text says emoji: false', () => {
    const [header, plainHeader] = render.renderBlocks([
      { type: 'header', text: { type: 'plain_text', text: '🔴 HIGH' } },
      { type: 'header', text: { type: 'plain_text', text: '🔴 HIGH', emoji: false } },
    ]);
    expect(images([header!])).toHaveLength(1);
    expect(plainHeader!.children).toEqual([{ text: '🔴 HIGH' }]);
  });

  it('has a drawing for every emoji Hivewire’s messages use', () => {
    const sources = ['blocks', 'src'].flatMap((dir) =>
      readdirSync(join(__dirname, '../..', dir), { recursive: true, encoding: 'utf8' })
        .filter((file) => /\.(ts|js)$/.test(file))
        .map((file) => readFileSync(join(__dirname, '../..', dir, file), 'utf8')),
    );
    const used = new Set(
      sources.flatMap((source) => images(render.emojiNodes(source)).map((image) => image.attrs?.alt)),
    );
    expect(used.size).toBeGreaterThan(20);
    const undrawn = [...used].filter(
      (emoji) =>
        images(render.emojiNodes(String(emoji)))[0]!.attrs?.src === '/sandbox/console/emoji/unknown.svg',
    );
    expect(undrawn).toEqual([]);
    for (const emoji of Object.values(render.EMOJI)) {
      const src = String(images(render.emojiNodes(emoji))[0]!.attrs?.src);
      expect(existsSync(join(EMOJI_DIR, src.split('/').pop()!))).toBe(true);
    }
  });

  it('allows only the console’s own emoji images in the DOM', () => {
    const image = (src: string) =>
      render.toDom<FakeElement>({ tag: 'img', attrs: { src, alt: 'x' } }, fakeDocument).attributes;
    expect(image('/sandbox/console/emoji/1f534.svg')).toEqual({
      src: '/sandbox/console/emoji/1f534.svg',
      alt: 'x',
    });
    for (const src of ['https://evil.test/a.svg', '/sandbox/console/app.js', 'data:image/svg+xml,<svg/>'])
      expect(image(src)).toEqual({ alt: 'x' });
  });
});

describe('TheHive markdown (the case page)', () => {
  const links = (tree: RenderNode[]) => nodes(tree).filter((node) => node.tag === 'a');

  it('renders a case description as TheHive does: heading, field table, links, description, emphasis', () => {
    const alert = makeAlertRecord({
      permalink: 'http://localhost:3000/#/C0SANDBOX/1700000000.000100',
      finding: {
        title: 'SSH *brute* force',
        description: 'Line one\nline two with `x` & <b>bold</b>',
        consoleUrl: 'https://console.aws.amazon.com/guardduty/home?region=us-east-1#/findings?fId=abc',
      },
    });
    const tree = render.markdown(caseDescription(alert, 'U0ALICE'));

    expect(tree[0]).toEqual({
      tag: 'div',
      cls: 'md-heading md-h3',
      attrs: { role: 'heading', 'aria-level': 3 },
      children: [{ text: 'SSH *brute* force' }],
    });
    const table = tree.find((node) => node.tag === 'table')!;
    const rows = nodes(table).filter((node) => node.tag === 'tr');
    expect(rows.map((row) => row.children!.map((cell) => textOf(cell.children!)))).toContainEqual([
      'Finding id',
      alert.finding.sourceId,
    ]);
    expect(textOf(rows[0]!)).toBe('FieldValue');
    expect(links(tree).map((link) => [textOf(link.children!), link.attrs?.href])).toEqual([
      ['Open in the AWS console', alert.finding.consoleUrl],
      ['Slack alert', alert.permalink],
    ]);
    expect(textOf(tree)).toContain('Line one');
    const description = tree.find((node) => node.tag === 'p' && textOf(node).startsWith('Line one'))!;
    expect(description.children).toEqual([
      { text: 'Line one' },
      { tag: 'br' },
      { text: 'line two with `x` & <b>bold</b>' },
    ]);
    expect(
      nodes(tree).some((node) => node.tag === 'em' && textOf(node).startsWith('Escalated from Slack')),
    ).toBe(true);
  });

  it('keeps finding text inert: no links, images, HTML, headings or rows from it, and bare URLs not clickable', () => {
    const hostile =
      'See [click](https://evil.example/login) ![pixel](https://evil.example/p.png) <img src=x onerror=alert(1)>\n' +
      '| a | b |\n# Heading\n* item\nhttps://evil.example/bare';
    const alert = makeAlertRecord({
      permalink: undefined,
      finding: { description: hostile, consoleUrl: undefined, sourceId: 'id|forged | row' },
    });
    const tree = render.markdown(caseDescription(alert, 'U0ALICE'));

    expect(links(tree)).toEqual([]);
    expect(nodes(tree).filter((node) => ['img', 'table', 'ul', 'div'].includes(node.tag ?? ''))).toHaveLength(
      3, // the title heading, the "Description" heading and the field table
    );
    // The finding's own text reads as written, its URLs and host names defanged (src/cases/markdown.ts).
    expect(textOf(tree)).toContain(
      hostile.replace(/\n/g, '').replace(/https:\/\/evil\.example/g, 'hxxps://evil[.]example'),
    );
    expect(textOf(tree)).toContain('id|forged | row');
  });

  it('renders lists, quotes, code, rules and strong text; unsafe or bare links stay text', () => {
    const tree = render.markdown(
      '- one\n- **two**\n\n1. first\n2. ~~second~~\n\n> quoted\n\n---\n\n```\n<b>code</b>\n```\n' +
        '[bad](javascript:alert(1)) [ok](https://thehive.example/x) https://bare.example &#60;&#x3E;&amp;',
    );
    expect(tree.map((node) => node.tag)).toEqual(['ul', 'ol', 'blockquote', 'hr', 'pre', 'p']);
    expect(nodes(tree[0]!).some((node) => node.tag === 'strong' && textOf(node) === 'two')).toBe(true);
    expect(nodes(tree[1]!).some((node) => node.tag === 's' && textOf(node) === 'second')).toBe(true);
    expect(tree[4]).toEqual({ tag: 'pre', cls: 'mk-pre', text: '<b>code</b>' });
    expect(links(tree).map((link) => link.attrs?.href)).toEqual(['https://thehive.example/x']);
    expect(textOf(tree[5]!)).toBe('bad ok https://bare.example <>&');
  });
});

describe('toDom', () => {
  it('builds elements and text nodes only, dropping attributes outside the allow-list', () => {
    const element = render.toDom<FakeElement>(
      {
        tag: 'div',
        cls: 'x',
        attrs: { 'data-testid': 'message', onclick: 'alert(1)', style: 'color:red', title: '<b>t</b>' },
        children: [{ text: '<script>alert(1)</script>' }],
      },
      fakeDocument,
    );

    expect(element.attributes).toEqual({ 'data-testid': 'message', title: '<b>t</b>' });
    expect(element.textContent).toBe('<script>alert(1)</script>');
    expect(element.children[0]).toBeInstanceOf(FakeText);
  });

  it('refuses unsafe links and tags, and colours that are not colours', () => {
    const link = render.toDom<FakeElement>(
      { tag: 'a', attrs: { href: 'javascript:alert(1)' }, text: 'x' },
      fakeDocument,
    );
    const styled = render.toDom<FakeElement>(
      { tag: 'div', style: { borderLeftColor: 'red;background:url(https://evil.example)' } },
      fakeDocument,
    );

    expect(link.attributes).toEqual({});
    expect(styled.style.borderLeftColor).toBe('');
    expect(() => render.toDom({ tag: 'script', text: 'alert(1)' }, fakeDocument)).toThrow(
      'tag not allowed: script',
    );
    expect(() => render.toDom({ tag: 'iframe' }, fakeDocument)).toThrow('tag not allowed: iframe');
  });
});

const alert = {
  ts: '1732525200.000100',
  type: 'message',
  bot_id: 'B0HIVEWIRE',
  user: 'U0HIVEWIRE',
  text: 'fallback',
  metadata: { event_type: 'hivewire_alert', event_payload: { fingerprint: 'fp-1', state: 'open' } },
  blocks: [
    {
      type: 'header',
      block_id: 'h',
      text: { type: 'plain_text', text: ':red_circle: CRITICAL &lt;img src=x&gt;' },
    },
    {
      type: 'section',
      block_id: 's',
      text: { type: 'mrkdwn', text: '*Account* `111122223333`' },
      fields: [
        { type: 'mrkdwn', text: '*Region*\neu-west-1' },
        { type: 'plain_text', text: 'IP 198.51.100.7' },
      ],
      accessory: {
        type: 'button',
        action_id: 'hivewire.details',
        text: { type: 'plain_text', text: 'Details' },
        value: 'd',
      },
    },
    { type: 'context', block_id: 'c', elements: [{ type: 'mrkdwn', text: 'GuardDuty · <@U0BOB>' }] },
    { type: 'divider', block_id: 'd' },
    {
      type: 'actions',
      block_id: 'alert_actions',
      elements: [
        {
          type: 'button',
          action_id: 'hivewire.create_case',
          style: 'primary',
          value: 'fp-1',
          text: { type: 'plain_text', text: 'Create Case' },
        },
        {
          type: 'button',
          action_id: 'hivewire.ignore',
          style: 'danger',
          value: 'fp-1',
          text: { type: 'plain_text', text: 'Ignore' },
        },
        {
          type: 'button',
          action_id: 'console',
          url: 'https://console.aws.amazon.com/guardduty',
          text: { type: 'plain_text', text: 'AWS console' },
        },
      ],
    },
  ],
};
const replies = [
  {
    ts: '1732525260.000100',
    type: 'message',
    bot_id: 'B0HIVEWIRE',
    user: 'U0HIVEWIRE',
    text: 'Case #1 opened',
  },
  { ts: '1732525320.000100', type: 'message', user: 'U0ALICE', text: 'on it' },
];

describe('message rendering', () => {
  it('renders Block Kit with the hooks a browser test uses', () => {
    const tree = render.renderMessage(alert, ctx, { channel: 'C0SANDBOX', replies });

    expect(tree.attrs).toMatchObject({
      'data-testid': 'message',
      'data-ts': alert.ts,
      'data-channel': 'C0SANDBOX',
    });
    expect(tree.cls).toBe('msg sev-critical');
    expect(testids(tree)).toEqual([
      'message',
      'message-body',
      'action-button',
      'action-button',
      'action-button',
      'link-button',
      'message-metadata',
      'thread-toggle',
    ]);
    const buttons = nodes(tree).filter((n) => n.attrs?.['data-testid'] === 'action-button');
    expect(
      buttons.map((b) => [b.attrs?.['data-action-id'], b.attrs?.['data-block-id'], b.cls, textOf(b)]),
    ).toEqual([
      ['hivewire.details', 's', 'bk-button', 'Details'],
      ['hivewire.create_case', 'alert_actions', 'bk-button bk-primary', 'Create Case'],
      ['hivewire.ignore', 'alert_actions', 'bk-button bk-danger', 'Ignore'],
    ]);
    expect(textOf(tree)).toContain('🔴 CRITICAL <img src=x>');
    expect(textOf(tree)).toContain('@bob');
    expect(nodes(tree).find((n) => n.attrs?.['data-testid'] === 'thread-toggle')?.text).toBe('2 replies');
  });

  it('shows the replies, the reader’s ephemeral messages and a reply box when the thread is expanded', () => {
    const ephemeral = {
      ts: '1732525290.000100',
      channel: 'C0SANDBOX',
      threadTs: alert.ts,
      text: 'Only for you',
    };
    const tree = render.renderMessage(
      alert,
      { ...ctx, expanded: new Set([alert.ts]) },
      {
        channel: 'C0SANDBOX',
        replies,
        ephemerals: [ephemeral],
      },
    );
    const thread = nodes(tree).find((n) => n.attrs?.['data-testid'] === 'thread')!;

    expect(thread.attrs?.['data-thread-ts']).toBe(alert.ts);
    expect((thread.children ?? []).map((n) => [n.attrs?.['data-testid'], n.attrs?.['data-ts']])).toEqual([
      ['thread-reply', '1732525260.000100'],
      ['ephemeral', '1732525290.000100'],
      ['thread-reply', '1732525320.000100'],
      ['thread-composer', undefined],
    ]);
    expect(testids(thread)).toEqual(
      expect.arrayContaining(['ephemeral-dismiss', 'thread-composer-input', 'thread-composer-send']),
    );
  });

  it('places ephemeral messages in the timeline by time', () => {
    const tree = render.renderTimeline(
      'C0SANDBOX',
      [alert, { ...alert, ts: '1732525400.000100', blocks: undefined, text: 'later' }],
      [
        { ts: '1732525300.000100', channel: 'C0SANDBOX', text: 'You already escalated this' },
        { ts: '1732525301.000100', channel: 'D0ALICE', text: 'elsewhere' },
      ],
      ctx,
    );

    expect(tree.map((n) => [n.attrs?.['data-testid'], n.attrs?.['data-ts']])).toEqual([
      ['message', '1732525200.000100'],
      ['ephemeral', '1732525300.000100'],
      ['message', '1732525400.000100'],
    ]);
  });

  it('builds a whole message into DOM without markup', () => {
    const hostile = {
      ...alert,
      blocks: [
        {
          type: 'section',
          block_id: 'x',
          text: { type: 'mrkdwn', text: '&lt;img src=x onerror=alert(1)&gt;' },
        },
        { type: 'header', block_id: 'y', text: { type: 'plain_text', text: '<script>alert(2)</script>' } },
      ],
    };
    const element = render.toDom<FakeElement>(
      render.renderMessage(hostile, ctx, { channel: 'C0SANDBOX' }),
      fakeDocument,
    );

    expect(element.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(element.textContent).toContain('<script>alert(2)</script>');
    expect(all(element).map((e) => e.tag)).not.toEqual(expect.arrayContaining(['img', 'script']));
  });
});

describe('modal and case panel rendering', () => {
  it('renders a modal with its inputs, errors, Close and Submit', () => {
    const modal = {
      id: 'V0ABC',
      view: {
        type: 'modal',
        callback_id: 'hivewire.close_case',
        title: { type: 'plain_text', text: 'Close case' },
        submit: { type: 'plain_text', text: 'Close' },
        blocks: [
          {
            type: 'input',
            block_id: 'summary',
            label: { type: 'plain_text', text: 'Summary' },
            element: { type: 'plain_text_input', action_id: 'summary', multiline: true },
          },
          {
            type: 'input',
            block_id: 'resolution',
            label: { type: 'plain_text', text: 'Resolution' },
            element: {
              type: 'static_select',
              action_id: 'resolution',
              options: [{ text: { type: 'plain_text', text: 'True positive' }, value: 'TruePositive' }],
            },
          },
        ],
      },
    };
    const tree = render.renderModal(modal, ctx, { summary: 'Say more.' });

    expect(testids(tree)).toEqual([
      'modal',
      'modal-title',
      'modal-input',
      'modal-error',
      'modal-input',
      'modal-close',
      'modal-submit',
    ]);
    expect(
      nodes(tree)
        .filter((n) => n.attrs?.['data-testid'] === 'modal-input')
        .map((n) => [n.tag, n.attrs?.['data-block-id'], n.attrs?.['data-action-id']]),
    ).toEqual([
      ['textarea', 'summary', 'summary'],
      ['select', 'resolution', 'resolution'],
    ]);
  });

  it('renders a case with its controls and comment box, and the closing form when a closing status is chosen', () => {
    const theCase = {
      _id: '~41656400',
      number: 3,
      title: 'SSH brute force',
      status: 'InProgress',
      stage: 'InProgress',
      severity: 3,
      assignee: 'alice@example.com',
    };
    const panel = {
      statuses: { New: 'New', InProgress: 'InProgress', TruePositive: 'Closed' },
      impactStatuses: ['NotApplicable', 'NoImpact'],
    };

    const open = render.renderCaseRow(theCase, ctx, panel);
    const closing = render.renderCaseRow(theCase, ctx, {
      ...panel,
      closing: { caseId: theCase._id, status: 'TruePositive' },
    });

    expect(open.attrs).toEqual({
      'data-testid': 'case-row',
      'data-case-id': '~41656400',
      'data-case-number': 3,
    });
    expect(testids(open)).toEqual([
      'case-row',
      'case-link',
      'case-severity-label',
      'case-status-label',
      'case-status',
      'case-assignee',
      'case-severity',
      'case-comment-input',
      'case-comment-add',
    ]);
    expect(testids(closing).slice(-5)).toEqual([
      'case-closing',
      'case-summary',
      'case-impact',
      'case-close-cancel',
      'case-close',
    ]);
    const assignee = nodes(open).find((n) => n.attrs?.['data-testid'] === 'case-assignee')!;
    expect((assignee.children ?? []).map((o) => [o.attrs?.value, o.attrs?.selected])).toEqual([
      ['', false],
      ['alice@example.com', true],
      ['bob@example.com', false],
    ]);
  });
});

describe('sandbox affordances', () => {
  it('offers to send a click again under the message it was made on, named by what was clicked', () => {
    const replayable = [
      { channel: 'C0SANDBOX', ts: alert.ts, actionId: 'hivewire.create_case', label: 'Create Case' },
    ];
    const tree = render.renderMessage(alert, { ...ctx, replayable }, { channel: 'C0SANDBOX' });
    const button = nodes(tree).find((node) => node.attrs?.['data-testid'] === 'replay-click');

    expect(button).toMatchObject({ text: 'Click “Create Case” again', attrs: { 'data-ts': alert.ts } });
    const elsewhere = render.renderMessage(alert, { ...ctx, replayable }, { channel: 'C0OTHER' });
    expect(testids(elsewhere)).not.toContain('replay-click');
  });

  it('shows a skipped finding as a notice naming its source, the reason and its fingerprint', () => {
    const notice = render.renderSkipNotice({
      id: 3,
      source: 'USM Anywhere: password reset attempts',
      index: 0,
      reason: 'severity LOW is below the severity threshold MEDIUM',
      fingerprint: 'usm-1',
      threshold: 'MEDIUM',
    });

    expect(notice.attrs).toMatchObject({
      'data-testid': 'skip-notice',
      'data-notice-id': 3,
      'data-threshold': 'MEDIUM',
    });
    expect(textOf(notice)).toBe(
      '⚠️ USM Anywhere: password reset attempts was not posted: severity LOW is below the severity threshold MEDIUM' +
        'Fingerprint usm-1.Dismiss',
    );
    const parseSkip = render.renderSkipNotice({
      id: 4,
      source: 'Pasted event',
      index: 2,
      reason: 'not a finding',
    });
    expect(textOf(parseSkip)).toBe('⚠️ Pasted event (finding 3) was not posted: not a finding' + 'Dismiss');
  });

  it('lists TheHive cases newest first, each linking to its page', () => {
    const theCase = (number: number, status: string) => ({
      _id: `~${number}`,
      number,
      title: `Case ${number}`,
      status,
      stage: status === 'New' ? 'New' : 'Closed',
      severity: 2,
      _createdAt: Date.UTC(2026, 0, number),
    });
    const table = render.renderCaseList([theCase(1, 'TruePositive'), theCase(2, 'New')]);
    const rows = nodes(table).filter((node) => node.attrs?.['data-testid'] === 'case-list-row');

    expect(rows.map((row) => textOf(row))).toEqual([
      '#2Case 2MEDIUMNewUnassigned2026-01-02 00:00',
      '#1Case 1MEDIUMTruePositiveUnassigned2026-01-01 00:00',
    ]);
    expect(
      nodes(rows[0]!)
        .filter((node) => node.tag === 'a')
        .map((link) => link.attrs?.href),
    ).toEqual(['#/thehive/~2', '#/thehive/~2']);
    expect(render.renderCaseList([])).toMatchObject({ cls: 'empty' });
  });
});
