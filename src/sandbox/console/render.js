/*
 * Hivewire sandbox console: renders Slack messages (Block Kit and mrkdwn), threads, ephemeral messages,
 * modals and TheHive cases as a small tree of plain objects ({tag, cls, attrs, text, children}), and turns
 * that tree into DOM with createElement/textContent only. Nothing here ever parses HTML: every string a
 * message carries is attacker-controlled (finding titles, descriptions) and can only ever become text.
 *
 * A plain script: the page loads it with <script> (window.HivewireRender), the tests with require().
 */
/* global URL -- in browsers and in Node */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.HivewireRender = factory();
})(globalThis, function () {
  'use strict';

  /** Slack escapes exactly these three characters in text; the console shows them decoded. */
  const ENTITIES = { lt: '<', gt: '>', amp: '&' };

  function decodeEntities(text) {
    return String(text).replace(/&(lt|gt|amp);/g, (_match, name) => ENTITIES[name]);
  }

  /**
   * Slack's emoji, by shortcode: those Hivewire's messages use and a few common ones. The console shows
   * each as an image it serves (`emoji/<code points>.svg`, drawn for the console), as Slack does, so
   * nothing depends on the viewer's fonts. An unknown `:name:` stays text, as in Slack.
   */
  const EMOJI_PATH = '/sandbox/console/emoji/';
  const EMOJI = {
    rotating_light: '🚨',
    red_circle: '🔴',
    large_orange_circle: '🟠',
    orange_circle: '🟠',
    large_yellow_circle: '🟡',
    yellow_circle: '🟡',
    large_blue_circle: '🔵',
    blue_circle: '🔵',
    large_green_circle: '🟢',
    green_circle: '🟢',
    white_circle: '⚪',
    black_circle: '⚫',
    warning: '⚠️',
    white_check_mark: '✅',
    heavy_check_mark: '✔️',
    x: '❌',
    no_entry: '⛔',
    question: '❓',
    mag: '🔍',
    mag_right: '🔎',
    new: '🆕',
    file_folder: '📁',
    wastebasket: '🗑️',
    twisted_rightwards_arrows: '🔀',
    arrows_counterclockwise: '🔄',
    repeat: '🔁',
    arrow_forward: '▶️',
    arrow_right: '➡️',
    arrow_up: '⬆️',
    hourglass: '⌛',
    hourglass_flowing_sand: '⏳',
    see_no_evil: '🙈',
    wave: '👋',
    speech_balloon: '💬',
    bust_in_silhouette: '👤',
    level_slider: '🎚️',
    pencil2: '✏️',
    label: '🏷️',
    information_source: 'ℹ️',
    eye: '👁️',
    eyes: '👀',
    frame_with_picture: '🖼️',
    thumbsup: '👍',
    '+1': '👍',
    thumbsdown: '👎',
    '-1': '👎',
  };

  /** An emoji's image name: its code points in hex, without the emoji presentation selector (U+FE0F). */
  function emojiCode(emoji) {
    return Array.from(emoji)
      .map((char) => char.codePointAt(0))
      .filter((point) => point !== 0xfe0f)
      .map((point) => point.toString(16))
      .join('-');
  }

  const EMOJI_NAMES = {};
  for (const [name, emoji] of Object.entries(EMOJI))
    if (!EMOJI_NAMES[emojiCode(emoji)]) EMOJI_NAMES[emojiCode(emoji)] = name;

  /**
   * What shows as an emoji: characters drawn as emoji by default, others followed by U+FE0F (`⚠️`;
   * a bare `↗` or `⚠` is text), with skin tones and ZWJ sequences, and flags.
   */
  const EMOJI_SEQUENCE =
    /[\u{1F1E6}-\u{1F1FF}]{2}|(?:\p{Emoji_Presentation}\uFE0F?|\p{Extended_Pictographic}\uFE0F)[\u{1F3FB}-\u{1F3FF}]?(?:\u200D\p{Extended_Pictographic}\uFE0F?[\u{1F3FB}-\u{1F3FF}]?)*/gu;

  /** Where the console serves an emoji's image; one it has no drawing for gets a neutral tile. */
  function emojiImage(emoji) {
    const code = emojiCode(emoji);
    const name = EMOJI_NAMES[code];
    return {
      tag: 'img',
      cls: 'emoji',
      attrs: {
        src: `${EMOJI_PATH}${name ? code : 'unknown'}.svg`,
        alt: emoji,
        title: name ? `:${name}:` : emoji,
        'data-emoji': name || code,
      },
    };
  }

  /** `:name:` shortcodes as their emoji characters (for places that hold only text: options, titles). */
  function emojify(text) {
    return String(text).replace(/:([a-z0-9_+-]+):/g, (match, name) => EMOJI[name] || match);
  }

  /** Text with its emoji (characters and shortcodes) as images. */
  function emojiNodes(value) {
    const source = emojify(value);
    const out = [];
    let last = 0;
    for (const match of source.matchAll(EMOJI_SEQUENCE)) {
      if (match.index > last) out.push(text(source.slice(last, match.index)));
      out.push(emojiImage(match[0]));
      last = match.index + match[0].length;
    }
    if (last < source.length) out.push(text(source.slice(last)));
    return out;
  }

  /**
   * A URL the console may link to: http(s) and mailto, or a path/fragment of the console itself.
   * Anything else (javascript:, data:, …) is refused and shown as text.
   */
  function safeUrl(url) {
    const value = String(url).trim();
    if (/^#/.test(value) || /^\/(?!\/)/.test(value)) return value;
    let parsed;
    try {
      parsed = new URL(value);
    } catch {
      return null;
    }
    return ['http:', 'https:', 'mailto:'].includes(parsed.protocol) ? parsed.href : null;
  }

  const text = (value) => ({ text: String(value) });
  const WORD = /[\p{L}\p{N}]/u;
  const SPACE = /\s/;
  const MARKERS = { '*': 'strong', _: 'em', '~': 's' };

  function defaultContext(ctx) {
    const c = ctx || {};
    return {
      userName: c.userName || (() => undefined),
      channelName: c.channelName || (() => undefined),
      formatTime: c.formatTime || formatTimeUtc,
      users: c.users || [],
      currentUser: c.currentUser,
      expanded: c.expanded || new Set(),
      highlight: c.highlight,
      drafts: c.drafts || {},
      busy: c.busy || new Set(),
      replayable: c.replayable || [],
      shortcuts: c.shortcuts || [],
    };
  }

  function formatTimeUtc(ts) {
    const date = new Date(Number(String(ts).split('.')[0]) * 1000);
    return `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
  }

  /** An `<…>` token of mrkdwn: a link, a mention, a channel, a special mention or a date. */
  function angleToken(inner, ctx) {
    const bar = inner.indexOf('|');
    const target = bar >= 0 ? inner.slice(0, bar) : inner;
    const label = bar >= 0 ? decodeEntities(inner.slice(bar + 1)) : '';
    if (target[0] === '@') {
      const id = target.slice(1);
      return {
        tag: 'span',
        cls: 'mk-mention',
        attrs: { 'data-user-id': id },
        text: `@${ctx.userName(id) || label || id}`,
      };
    }
    if (target[0] === '#') {
      const id = target.slice(1);
      return { tag: 'span', cls: 'mk-channel', text: `#${label || ctx.channelName(id) || id}` };
    }
    if (target[0] === '!') {
      const [command, argument] = target.slice(1).split('^');
      if (['here', 'channel', 'everyone', 'group'].includes(command))
        return {
          tag: 'span',
          cls: 'mk-mention mk-broadcast',
          text: `@${command === 'group' ? 'channel' : command}`,
        };
      if (command === 'subteam')
        return { tag: 'span', cls: 'mk-mention', text: label || `@${argument || 'group'}` };
      if (command === 'date') {
        const when = Number(argument);
        return text(label || (Number.isFinite(when) ? new Date(when * 1000).toISOString() : target));
      }
      return text(label || `<${decodeEntities(target)}>`);
    }
    const url = decodeEntities(target);
    const href = safeUrl(url);
    const shown = label || url;
    if (!href) return text(shown);
    return {
      tag: 'a',
      cls: 'mk-link',
      attrs: { href, target: '_blank', rel: 'noopener noreferrer', title: href },
      text: shown,
    };
  }

  function opensAt(s, i) {
    const before = s[i - 1];
    const after = s[i + 1];
    return (before === undefined || !WORD.test(before)) && after !== undefined && !SPACE.test(after);
  }

  /** Where a `*`, `_` or `~` opened at `from - 1` closes; links and code spans are skipped whole. */
  function closingAt(s, from, marker) {
    for (let j = from; j < s.length; j += 1) {
      const c = s[j];
      if (c === '<' || c === '`') {
        const end = s.indexOf(c === '<' ? '>' : '`', j + 1);
        if (end > j) {
          j = end;
          continue;
        }
      }
      if (c === marker && j > from && !SPACE.test(s[j - 1]) && (j + 1 >= s.length || !WORD.test(s[j + 1])))
        return j;
    }
    return -1;
  }

  function inline(s, ctx) {
    const out = [];
    let buffer = '';
    const flush = () => {
      if (buffer) out.push(...emojiNodes(decodeEntities(buffer)));
      buffer = '';
    };
    let i = 0;
    while (i < s.length) {
      const c = s[i];
      if (c === '<') {
        const end = s.indexOf('>', i + 1);
        if (end > i + 1) {
          flush();
          out.push(angleToken(s.slice(i + 1, end), ctx));
          i = end + 1;
          continue;
        }
      } else if (c === '`') {
        const end = s.indexOf('`', i + 1);
        if (end > i + 1) {
          flush();
          out.push({ tag: 'code', cls: 'mk-code', text: decodeEntities(s.slice(i + 1, end)) });
          i = end + 1;
          continue;
        }
      } else if (MARKERS[c] && opensAt(s, i)) {
        const end = closingAt(s, i + 1, c);
        if (end > i + 1) {
          flush();
          out.push({ tag: MARKERS[c], children: inline(s.slice(i + 1, end), ctx) });
          i = end + 1;
          continue;
        }
      }
      buffer += c;
      i += 1;
    }
    flush();
    return out;
  }

  function lines(s, ctx) {
    const out = [];
    let quote = null;
    s.split('\n').forEach((line, index) => {
      const quoted = line.startsWith('>');
      const content = quoted ? line.slice(1).replace(/^ /, '') : line;
      if (quoted) {
        if (quote) quote.children.push({ tag: 'br' });
        else {
          quote = { tag: 'blockquote', cls: 'mk-quote', children: [] };
          out.push(quote);
        }
        quote.children.push(...inline(content, ctx));
      } else {
        if (index > 0 && !quote) out.push({ tag: 'br' });
        quote = null;
        out.push(...inline(content, ctx));
      }
    });
    return out;
  }

  /**
   * Slack mrkdwn → nodes: *bold*, _italic_, ~strike~, `code`, ```blocks```, > quotes, <url|text> links,
   * <@U…> mentions (shown as @name), <#C…> channels, <!here>; entities decoded for display.
   */
  function mrkdwn(source, context) {
    const ctx = defaultContext(context);
    const parts = String(source == null ? '' : source).split('```');
    const out = [];
    parts.forEach((part, index) => {
      const isCode = index % 2 === 1 && index < parts.length - 1;
      if (isCode) out.push({ tag: 'pre', cls: 'mk-pre', text: decodeEntities(part.replace(/^\n/, '')) });
      else out.push(...lines(index % 2 === 1 ? `\`\`\`${part}` : part, ctx));
    });
    return out;
  }

  /** A Block Kit text object (mrkdwn or plain_text). */
  function textObject(object, ctx) {
    if (!object || typeof object.text !== 'string') return [];
    if (object.type === 'mrkdwn') return mrkdwn(object.text, ctx);
    return plainNodes(object);
  }

  /** A plain_text object's text, for places that hold only text (options, placeholders, titles). */
  function plain(object) {
    return object && typeof object.text === 'string' ? emojify(decodeEntities(object.text)) : '';
  }

  /** A plain_text object's text with its emoji as images (unless it says `emoji: false`). */
  function plainNodes(object) {
    if (!object || typeof object.text !== 'string') return [];
    return object.emoji === false
      ? [text(decodeEntities(object.text))]
      : emojiNodes(decodeEntities(object.text));
  }

  /** Images are not fetched (the console loads nothing from elsewhere): their alt text stands in. */
  function imageAlt(alt) {
    return { tag: 'span', cls: 'bk-image-alt', children: emojiNodes(`🖼️ ${alt || 'image'}`) };
  }

  const BUTTON_STYLES = { primary: 'bk-primary', danger: 'bk-danger' };

  function optionNodes(element, selectedValues, placeholder) {
    const options = (element.options || []).concat(
      ...(element.option_groups || []).map((group) => group.options || []),
    );
    const nodes = [
      {
        tag: 'option',
        attrs: { value: '', disabled: true, selected: selectedValues.length === 0 },
        text: placeholder,
      },
    ];
    for (const option of options)
      nodes.push({
        tag: 'option',
        attrs: { value: option.value, selected: selectedValues.includes(option.value) },
        text: plain(option.text),
      });
    return nodes;
  }

  /** An interactive element of a message (button, link button, select, overflow). */
  function messageElement(element, blockId, ctx) {
    const ids = { 'data-action-id': element.action_id, 'data-block-id': blockId };
    if (element.type === 'button') {
      const cls = `bk-button ${BUTTON_STYLES[element.style] || ''}`.trim();
      const busy = ctx.busy.has(`${blockId}/${element.action_id}`);
      const href = element.url ? safeUrl(element.url) : null;
      if (href)
        return {
          tag: 'a',
          cls: `${cls} bk-link-button`,
          attrs: {
            ...ids,
            href,
            target: '_blank',
            rel: 'noopener noreferrer',
            'data-testid': 'link-button',
            'data-value': element.value,
          },
          children: [...plainNodes(element.text), text(' ↗')],
        };
      return {
        tag: 'button',
        cls: busy ? `${cls} bk-busy` : cls,
        attrs: {
          ...ids,
          type: 'button',
          disabled: busy,
          'data-testid': 'action-button',
          'data-value': element.value,
          'data-style': element.style,
        },
        children: plainNodes(element.text),
      };
    }
    if (['static_select', 'overflow'].includes(element.type)) {
      const placeholder = element.type === 'overflow' ? '⋯' : plain(element.placeholder) || 'Select…';
      const initial = element.initial_option ? [element.initial_option.value] : [];
      return {
        tag: 'select',
        cls: 'bk-select',
        attrs: { ...ids, 'data-testid': 'action-select' },
        children: optionNodes(element, initial, placeholder),
      };
    }
    if (element.type === 'image') return imageAlt(element.alt_text);
    return { tag: 'span', cls: 'bk-unsupported', text: `[${element.type}]` };
  }

  function richTextElements(elements, ctx) {
    return (elements || []).map((element) => {
      switch (element.type) {
        case 'text': {
          const style = element.style || {};
          let node = text(element.text);
          if (style.code) node = { tag: 'code', cls: 'mk-code', text: element.text };
          for (const [flag, tag] of [
            ['bold', 'strong'],
            ['italic', 'em'],
            ['strike', 's'],
          ])
            if (style[flag]) node = { tag, children: [node] };
          return node;
        }
        case 'link': {
          const href = safeUrl(element.url);
          return href
            ? {
                tag: 'a',
                cls: 'mk-link',
                attrs: { href, target: '_blank', rel: 'noopener noreferrer' },
                text: element.text || element.url,
              }
            : text(element.text || element.url);
        }
        case 'user':
          return {
            tag: 'span',
            cls: 'mk-mention',
            text: `@${ctx.userName(element.user_id) || element.user_id}`,
          };
        case 'channel':
          return {
            tag: 'span',
            cls: 'mk-channel',
            text: `#${ctx.channelName(element.channel_id) || element.channel_id}`,
          };
        case 'broadcast':
          return { tag: 'span', cls: 'mk-mention mk-broadcast', text: `@${element.range}` };
        case 'emoji':
          return EMOJI[element.name] ? emojiImage(EMOJI[element.name]) : text(`:${element.name}:`);
        default:
          return text('');
      }
    });
  }

  function richText(block, ctx) {
    return (block.elements || []).map((part) => {
      switch (part.type) {
        case 'rich_text_list':
          return {
            tag: part.style === 'ordered' ? 'ol' : 'ul',
            children: (part.elements || []).map((item) => ({
              tag: 'li',
              children: richTextElements(item.elements, ctx),
            })),
          };
        case 'rich_text_preformatted':
          return { tag: 'pre', cls: 'mk-pre', children: richTextElements(part.elements, ctx) };
        case 'rich_text_quote':
          return { tag: 'blockquote', cls: 'mk-quote', children: richTextElements(part.elements, ctx) };
        default:
          return { tag: 'div', children: richTextElements(part.elements, ctx) };
      }
    });
  }

  /** A modal's input block: the control carries its block and action id for the submission. */
  function inputControl(block, ctx) {
    const element = block.element || {};
    const key = `modal/${block.block_id}/${element.action_id}`;
    const draft = ctx.drafts[key];
    const attrs = {
      'data-testid': 'modal-input',
      'data-block-id': block.block_id,
      'data-action-id': element.action_id,
      'data-type': element.type,
    };
    switch (element.type) {
      case 'plain_text_input':
      case 'number_input':
      case 'email_text_input':
      case 'url_text_input': {
        const value = draft !== undefined ? draft : element.initial_value || '';
        if (element.multiline)
          return {
            tag: 'textarea',
            cls: 'bk-input',
            attrs: { ...attrs, rows: 4, placeholder: plain(element.placeholder) },
            text: value,
          };
        return {
          tag: 'input',
          cls: 'bk-input',
          attrs: { ...attrs, type: 'text', value, placeholder: plain(element.placeholder) },
        };
      }
      case 'static_select':
      case 'multi_static_select': {
        const initial =
          draft ||
          (element.initial_options || (element.initial_option ? [element.initial_option] : [])).map(
            (o) => o.value,
          );
        return {
          tag: 'select',
          cls: 'bk-select',
          attrs: { ...attrs, multiple: element.type === 'multi_static_select' },
          children: optionNodes(element, initial, plain(element.placeholder) || 'Select an option'),
        };
      }
      case 'users_select': {
        const initial = draft || (element.initial_user ? [element.initial_user] : []);
        return {
          tag: 'select',
          cls: 'bk-select',
          attrs,
          children: optionNodes(
            {
              options: ctx.users.map((u) => ({
                value: u.id,
                text: { type: 'plain_text', text: u.realName },
              })),
            },
            initial,
            plain(element.placeholder) || 'Select a person',
          ),
        };
      }
      case 'radio_buttons':
      case 'checkboxes': {
        const initial =
          draft ||
          (element.initial_options || (element.initial_option ? [element.initial_option] : [])).map(
            (o) => o.value,
          );
        return {
          tag: 'div',
          cls: 'bk-choices',
          attrs,
          children: (element.options || []).map((option) => ({
            tag: 'label',
            cls: 'bk-choice',
            children: [
              {
                tag: 'input',
                attrs: {
                  type: element.type === 'radio_buttons' ? 'radio' : 'checkbox',
                  name: key,
                  value: option.value,
                  checked: initial.includes(option.value),
                },
              },
              text(' '),
              ...plainNodes(option.text),
            ],
          })),
        };
      }
      default:
        return { tag: 'div', cls: 'bk-unsupported', text: `Unsupported input: ${element.type}` };
    }
  }

  /** One Block Kit block. */
  function renderBlock(block, ctx, surface, errors) {
    const blockAttrs = { 'data-block-id': block.block_id, 'data-block-type': block.type };
    switch (block.type) {
      case 'header':
        return { tag: 'div', cls: 'bk-header', attrs: blockAttrs, children: plainNodes(block.text) };
      case 'section': {
        const main = [];
        if (block.text) main.push({ tag: 'div', cls: 'bk-text', children: textObject(block.text, ctx) });
        if (Array.isArray(block.fields) && block.fields.length)
          main.push({
            tag: 'div',
            cls: 'bk-fields',
            children: block.fields.map((field) => ({
              tag: 'div',
              cls: 'bk-field',
              children: textObject(field, ctx),
            })),
          });
        const children = [{ tag: 'div', cls: 'bk-section-main', children: main }];
        if (block.accessory)
          children.push({
            tag: 'div',
            cls: 'bk-accessory',
            children: [messageElement(block.accessory, block.block_id, ctx)],
          });
        return { tag: 'div', cls: 'bk-section', attrs: blockAttrs, children };
      }
      case 'context':
        return {
          tag: 'div',
          cls: 'bk-context',
          attrs: blockAttrs,
          children: (block.elements || []).map((element) =>
            element.type === 'image'
              ? imageAlt(element.alt_text)
              : { tag: 'span', cls: 'bk-context-item', children: textObject(element, ctx) },
          ),
        };
      case 'actions':
        return {
          tag: 'div',
          cls: 'bk-actions',
          attrs: blockAttrs,
          children: (block.elements || []).map((element) => messageElement(element, block.block_id, ctx)),
        };
      case 'divider':
        return { tag: 'hr', cls: 'bk-divider', attrs: blockAttrs };
      case 'image':
        return {
          tag: 'div',
          cls: 'bk-image',
          attrs: blockAttrs,
          children: [imageAlt(plain(block.title) || block.alt_text)],
        };
      case 'rich_text':
        return { tag: 'div', cls: 'bk-rich-text', attrs: blockAttrs, children: richText(block, ctx) };
      case 'markdown':
        return { tag: 'div', cls: 'bk-markdown', attrs: blockAttrs, text: block.text || '' };
      case 'input': {
        if (surface !== 'modal') break;
        const error = errors && errors[block.block_id];
        return {
          tag: 'div',
          cls: error ? 'bk-input-block bk-has-error' : 'bk-input-block',
          attrs: blockAttrs,
          children: [
            {
              tag: 'label',
              cls: 'bk-label',
              children: [
                ...plainNodes(block.label),
                ...(block.optional ? [{ tag: 'span', cls: 'bk-optional', text: ' (optional)' }] : []),
              ],
            },
            inputControl(block, ctx),
            ...(block.hint ? [{ tag: 'div', cls: 'bk-hint', children: plainNodes(block.hint) }] : []),
            ...(error
              ? [
                  {
                    tag: 'div',
                    cls: 'bk-error',
                    attrs: { 'data-testid': 'modal-error', 'data-block-id': block.block_id },
                    text: error,
                  },
                ]
              : []),
          ],
        };
      }
      default:
        break;
    }
    return { tag: 'div', cls: 'bk-unsupported', attrs: blockAttrs, text: `Unsupported block: ${block.type}` };
  }

  /** Blocks of a message or a modal. */
  function renderBlocks(blocks, context, surface, errors) {
    const ctx = defaultContext(context);
    return (blocks || []).map((block) => renderBlock(block, ctx, surface || 'message', errors));
  }

  const ATTACHMENT_COLOURS = { good: '#2eb67d', warning: '#ecb22e', danger: '#e01e5a' };

  function renderAttachments(attachments, ctx) {
    return (attachments || []).map((attachment) => {
      const colour =
        ATTACHMENT_COLOURS[attachment.color] ||
        (/^#?[0-9a-f]{3,6}$/i.test(attachment.color || '')
          ? `#${attachment.color.replace('#', '')}`
          : undefined);
      const children = [];
      if (attachment.pretext)
        children.push({ tag: 'div', cls: 'bk-text', children: mrkdwn(attachment.pretext, ctx) });
      if (attachment.title)
        children.push({ tag: 'div', cls: 'att-title', text: decodeEntities(attachment.title) });
      if (attachment.text)
        children.push({ tag: 'div', cls: 'bk-text', children: mrkdwn(attachment.text, ctx) });
      if (Array.isArray(attachment.fields) && attachment.fields.length)
        children.push({
          tag: 'div',
          cls: 'bk-fields',
          children: attachment.fields.map((field) => ({
            tag: 'div',
            cls: 'bk-field',
            children: [
              { tag: 'strong', text: decodeEntities(field.title || '') },
              { tag: 'br' },
              ...mrkdwn(field.value || '', ctx),
            ],
          })),
        });
      if (Array.isArray(attachment.blocks))
        children.push(...attachment.blocks.map((block) => renderBlock(block, ctx, 'message')));
      return {
        tag: 'div',
        cls: 'bk-attachment',
        style: colour ? { borderLeftColor: colour } : undefined,
        children,
      };
    });
  }

  /** A message's body: its blocks, or its text when it has none, then any attachments. */
  function renderMessageBody(message, context) {
    const ctx = defaultContext(context);
    const body =
      message.blocks && message.blocks.length
        ? renderBlocks(message.blocks, ctx, 'message')
        : [{ tag: 'div', cls: 'bk-text', children: mrkdwn(message.text, ctx) }];
    return body.concat(renderAttachments(message.attachments, ctx));
  }

  const SEVERITY_WORDS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'];

  /** The severity an alert message announces (header, first texts), for its colour bar. */
  function messageSeverity(message) {
    const texts = [];
    for (const block of (message.blocks || []).slice(0, 4)) {
      if (block.text && typeof block.text.text === 'string') texts.push(block.text.text);
      for (const field of block.fields || []) texts.push(field.text || '');
      for (const element of block.type === 'context' ? block.elements || [] : [])
        texts.push(element.text || '');
    }
    const joined = texts.join(' ');
    const found = SEVERITY_WORDS.find((word) => new RegExp(`\\b${word}\\b`).test(joined));
    return found ? found.toLowerCase() : undefined;
  }

  function initials(name) {
    return String(name)
      .replace(/\(.*\)/, '')
      .trim()
      .split(/\s+/)
      .map((word) => word[0] || '')
      .join('')
      .slice(0, 2)
      .toUpperCase();
  }

  function authorOf(message, ctx) {
    if (message.bot_id) return { name: 'Hivewire', bot: true };
    const user = ctx.users.find((u) => u.id === message.user);
    return { name: user ? user.realName : message.user, bot: false };
  }

  function messageMeta(author, ts, ctx, extra) {
    return {
      tag: 'div',
      cls: 'msg-meta',
      children: [
        { tag: 'span', cls: 'msg-author', text: author.name },
        ...(author.bot ? [{ tag: 'span', cls: 'msg-badge', text: 'APP' }] : []),
        { tag: 'time', cls: 'msg-time', attrs: { title: ts, 'data-ts': ts }, text: ctx.formatTime(ts) },
        ...(extra || []),
      ],
    };
  }

  /** An ephemeral message ("Only visible to you"), with its Dismiss button. */
  function renderEphemeral(ephemeral, context) {
    const ctx = defaultContext(context);
    const author = { name: 'Hivewire', bot: true };
    return {
      tag: 'div',
      cls: 'msg msg-ephemeral',
      attrs: {
        'data-testid': 'ephemeral',
        'data-ts': ephemeral.ts,
        'data-channel': ephemeral.channel,
        'data-ephemeral': 'true',
      },
      children: [
        { tag: 'div', cls: 'msg-avatar msg-avatar-bot', text: 'HW' },
        {
          tag: 'div',
          cls: 'msg-main',
          children: [
            messageMeta(author, ephemeral.ts, ctx, [
              { tag: 'span', cls: 'msg-note', children: emojiNodes('👁️ Only visible to you') },
              {
                tag: 'button',
                cls: 'link-button',
                attrs: { type: 'button', 'data-testid': 'ephemeral-dismiss', 'data-ts': ephemeral.ts },
                text: 'Dismiss',
              },
            ]),
            {
              tag: 'div',
              cls: 'msg-body',
              attrs: { 'data-testid': 'message-body' },
              children: renderMessageBody(ephemeral, ctx),
            },
          ],
        },
      ],
    };
  }

  /**
   * A channel message with its thread: replies (and the user's ephemeral messages in the thread) when
   * expanded, and a reply box.
   */
  function renderMessage(message, context, options) {
    const ctx = defaultContext(context);
    const opts = options || {};
    const isReply = Boolean(opts.isReply);
    const author = authorOf(message, ctx);
    const severity = !isReply && author.bot ? messageSeverity(message) : undefined;
    const cls = [
      'msg',
      severity ? `sev-${severity}` : '',
      ctx.highlight === message.ts ? 'msg-highlight' : '',
      message.subtype === 'tombstone' ? 'msg-tombstone' : '',
    ]
      .filter(Boolean)
      .join(' ');
    const extra = [];
    if (message.subtype === 'thread_broadcast')
      extra.push({
        tag: 'span',
        cls: 'msg-note',
        text: isReply ? 'also sent to the channel' : 'replied to a thread',
      });
    const main = [
      messageMeta(author, message.ts, ctx, extra),
      {
        tag: 'div',
        cls: 'msg-body',
        attrs: { 'data-testid': 'message-body' },
        children: renderMessageBody(message, ctx),
      },
    ];
    const replay = ctx.replayable.find((r) => r.ts === message.ts && r.channel === opts.channel);
    if (replay && !isReply)
      main.push({
        tag: 'div',
        cls: 'msg-replay',
        children: [
          {
            tag: 'button',
            cls: 'link-button',
            attrs: {
              type: 'button',
              'data-testid': 'replay-click',
              'data-ts': message.ts,
              'data-action-id': replay.actionId,
            },
            text: `Click “${replay.label}” again`,
          },
          {
            tag: 'span',
            cls: 'msg-replay-help',
            text: 'Sandbox: sends the click as it was, like a double-click or a colleague whose screen had not updated yet.',
          },
        ],
      });
    if (ctx.shortcuts.length && message.subtype !== 'tombstone')
      main.push({
        tag: 'div',
        cls: 'msg-shortcuts',
        children: ctx.shortcuts.map((shortcut) => ({
          tag: 'button',
          cls: 'link-button',
          attrs: {
            type: 'button',
            'data-testid': 'message-shortcut',
            'data-ts': message.ts,
            'data-callback-id': shortcut.callbackId,
            title: 'A message shortcut of the app (Slack: the message’s More actions menu)',
          },
          text: `⋯ ${shortcut.name}`,
        })),
      });
    if (message.metadata && message.metadata.event_type)
      main.push({
        tag: 'div',
        cls: 'msg-metadata',
        attrs: {
          'data-testid': 'message-metadata',
          title: JSON.stringify(message.metadata.event_payload || {}),
        },
        text: `metadata · ${message.metadata.event_type}`,
      });
    const replies = opts.replies || [];
    const threadEphemerals = opts.ephemerals || [];
    if (!isReply && (replies.length || threadEphemerals.length)) {
      const expanded = ctx.expanded.has(message.ts);
      const count = replies.length;
      main.push({
        tag: 'button',
        cls: 'thread-toggle',
        attrs: {
          type: 'button',
          'data-testid': 'thread-toggle',
          'data-ts': message.ts,
          'aria-expanded': expanded ? 'true' : 'false',
        },
        text: expanded ? 'Hide thread' : `${count} ${count === 1 ? 'reply' : 'replies'}`,
      });
      if (expanded) {
        const items = replies
          .map((reply) => ({ ts: reply.ts, node: renderMessage(reply, ctx, { isReply: true }) }))
          .concat(threadEphemerals.map((e) => ({ ts: e.ts, node: renderEphemeral(e, ctx) })))
          .sort((a, b) => compareTs(a.ts, b.ts))
          .map((item) => item.node);
        items.push(renderComposer(message.ts, ctx));
        main.push({
          tag: 'div',
          cls: 'thread',
          attrs: { 'data-testid': 'thread', 'data-thread-ts': message.ts },
          children: items,
        });
      }
    } else if (!isReply && message.subtype !== 'tombstone') {
      main.push({
        tag: 'button',
        cls: 'thread-toggle thread-start',
        attrs: { type: 'button', 'data-testid': 'thread-start', 'data-ts': message.ts },
        text: 'Reply in thread',
      });
      if (ctx.expanded.has(message.ts))
        main.push({
          tag: 'div',
          cls: 'thread',
          attrs: { 'data-testid': 'thread', 'data-thread-ts': message.ts },
          children: [renderComposer(message.ts, ctx)],
        });
    }
    return {
      tag: 'div',
      cls,
      attrs: {
        'data-testid': isReply ? 'thread-reply' : 'message',
        'data-ts': message.ts,
        'data-channel': opts.channel,
        id: `msg-${String(message.ts).replace('.', '-')}`,
      },
      children: [
        {
          tag: 'div',
          cls: author.bot ? 'msg-avatar msg-avatar-bot' : 'msg-avatar',
          text: author.bot ? 'HW' : initials(author.name),
        },
        { tag: 'div', cls: 'msg-main', children: main },
      ],
    };
  }

  function renderComposer(threadTs, ctx) {
    const user = ctx.users.find((u) => u.id === ctx.currentUser);
    const key = `reply/${threadTs}`;
    return {
      tag: 'div',
      cls: 'composer',
      attrs: { 'data-testid': 'thread-composer', 'data-thread-ts': threadTs },
      children: [
        {
          tag: 'input',
          cls: 'composer-input',
          attrs: {
            type: 'text',
            'data-testid': 'thread-composer-input',
            'data-draft': key,
            value: ctx.drafts[key] || '',
            placeholder: `Reply as ${user ? user.realName : 'you'}…`,
          },
        },
        {
          tag: 'button',
          cls: 'bk-button',
          attrs: { type: 'button', 'data-testid': 'thread-composer-send', 'data-thread-ts': threadTs },
          text: 'Send',
        },
      ],
    };
  }

  /** Orders Slack timestamps (seconds, then the sequence part). */
  function compareTs(a, b) {
    const [aSec, aSeq] = String(a).split('.');
    const [bSec, bSeq] = String(b).split('.');
    return (
      Number(aSec) - Number(bSec) || Number((aSeq || '').padEnd(6, '0')) - Number((bSeq || '').padEnd(6, '0'))
    );
  }

  /** The channel timeline: messages oldest first with their threads, and the user's ephemeral messages in place. */
  function renderTimeline(channel, messages, ephemerals, context) {
    const ctx = defaultContext(context);
    const inChannel = (ephemerals || []).filter((e) => e.channel === channel);
    const items = messages.map((message) => ({
      ts: message.ts,
      node: renderMessage(message, ctx, {
        channel,
        replies: message.replies || [],
        ephemerals: inChannel.filter((e) => e.threadTs === message.ts),
      }),
    }));
    for (const ephemeral of inChannel)
      if (!ephemeral.threadTs || !messages.some((m) => m.ts === ephemeral.threadTs))
        items.push({ ts: ephemeral.ts, node: renderEphemeral(ephemeral, ctx) });
    items.sort((a, b) => compareTs(a.ts, b.ts));
    if (items.length === 0)
      return [
        {
          tag: 'div',
          cls: 'empty',
          attrs: { 'data-testid': 'timeline-empty' },
          text: 'No messages yet. Inject a sample finding to see an alert.',
        },
      ];
    return items.map((item) => item.node);
  }

  /** A modal opened with views.open: title, blocks with their inputs, input errors, Close and Submit. */
  function renderModal(modal, context, errors) {
    const ctx = defaultContext(context);
    const view = modal.view;
    return {
      tag: 'div',
      cls: 'overlay',
      children: [
        {
          tag: 'div',
          cls: 'modal',
          attrs: {
            'data-testid': 'modal',
            'data-view-id': modal.id,
            'data-callback-id': view.callback_id,
            role: 'dialog',
            'aria-modal': 'true',
          },
          children: [
            {
              tag: 'div',
              cls: 'modal-title',
              attrs: { 'data-testid': 'modal-title' },
              children: plainNodes(view.title),
            },
            { tag: 'div', cls: 'modal-body', children: renderBlocks(view.blocks, ctx, 'modal', errors) },
            {
              tag: 'div',
              cls: 'modal-actions',
              children: [
                {
                  tag: 'button',
                  cls: 'bk-button',
                  attrs: { type: 'button', 'data-testid': 'modal-close' },
                  text: plain(view.close) || 'Cancel',
                },
                ...(view.submit
                  ? [
                      {
                        tag: 'button',
                        cls: 'bk-button bk-primary',
                        attrs: { type: 'button', 'data-testid': 'modal-submit' },
                        text: plain(view.submit),
                      },
                    ]
                  : []),
              ],
            },
          ],
        },
      ],
    };
  }

  /** A button's confirmation dialog (its `confirm` object). */
  function renderConfirm(confirm) {
    return {
      tag: 'div',
      cls: 'overlay',
      children: [
        {
          tag: 'div',
          cls: 'modal modal-confirm',
          attrs: { 'data-testid': 'confirm-dialog', role: 'alertdialog', 'aria-modal': 'true' },
          children: [
            {
              tag: 'div',
              cls: 'modal-title',
              children: confirm.title ? plainNodes(confirm.title) : [text('Are you sure?')],
            },
            { tag: 'div', cls: 'modal-body', children: textObject(confirm.text, {}) },
            {
              tag: 'div',
              cls: 'modal-actions',
              children: [
                {
                  tag: 'button',
                  cls: 'bk-button',
                  attrs: { type: 'button', 'data-testid': 'confirm-cancel' },
                  text: plain(confirm.deny) || 'Cancel',
                },
                {
                  tag: 'button',
                  cls: `bk-button ${confirm.style === 'danger' ? 'bk-danger' : 'bk-primary'}`,
                  attrs: { type: 'button', 'data-testid': 'confirm-ok' },
                  text: plain(confirm.confirm) || 'Yes',
                },
              ],
            },
          ],
        },
      ],
    };
  }

  const SEVERITY_LABELS = { 1: 'LOW', 2: 'MEDIUM', 3: 'HIGH', 4: 'CRITICAL' };

  /**
   * One TheHive case in the panel: number (a link to its page), title, severity and status, and the
   * controls that change it (status with closing summary and impact, assignee, severity) or comment on it.
   */
  function renderCaseRow(theCase, context, panel) {
    const ctx = defaultContext(context);
    const statuses = panel.statuses;
    const closing = panel.closing && panel.closing.caseId === theCase._id ? panel.closing : null;
    const chosenStatus = closing ? closing.status : theCase.status;
    const select = (testid, options, selected) => ({
      tag: 'select',
      cls: 'case-select',
      attrs: { 'data-testid': testid, 'data-case-id': theCase._id },
      children: options.map(([value, label]) => ({
        tag: 'option',
        attrs: { value, selected: String(value) === String(selected) },
        text: label,
      })),
    });
    const labelled = (label, control) => ({
      tag: 'label',
      cls: 'case-control',
      children: [{ tag: 'span', cls: 'case-control-label', text: label }, control],
    });
    const controls = [
      labelled(
        'Status',
        select(
          'case-status',
          Object.keys(statuses).map((s) => [s, statuses[s] === 'Closed' ? `Close: ${s}` : s]),
          chosenStatus,
        ),
      ),
      labelled(
        'Assignee',
        select(
          'case-assignee',
          [['', 'Unassigned'], ...ctx.users.map((u) => [u.email, u.email])],
          theCase.assignee || '',
        ),
      ),
      labelled(
        'Severity',
        select(
          'case-severity',
          [1, 2, 3, 4].map((n) => [String(n), SEVERITY_LABELS[n]]),
          theCase.severity,
        ),
      ),
    ];
    // A comment added here is a person's comment in TheHive: its webhook threads it under the alert.
    controls.push({
      tag: 'div',
      cls: 'case-comment',
      children: [
        {
          tag: 'input',
          cls: 'case-comment-input',
          attrs: {
            type: 'text',
            'data-testid': 'case-comment-input',
            'data-case-id': theCase._id,
            'data-draft': `comment/${theCase._id}`,
            value: ctx.drafts[`comment/${theCase._id}`] || '',
            placeholder: 'Add a comment in TheHive',
            'aria-label': `Comment on case #${theCase.number}`,
          },
        },
        {
          tag: 'button',
          cls: 'bk-button',
          attrs: { type: 'button', 'data-testid': 'case-comment-add', 'data-case-id': theCase._id },
          text: 'Comment',
        },
      ],
    });
    if (closing)
      controls.push({
        tag: 'div',
        cls: 'case-closing',
        attrs: { 'data-testid': 'case-closing', 'data-case-id': theCase._id },
        children: [
          labelled('Summary', {
            tag: 'input',
            cls: 'case-summary',
            attrs: {
              type: 'text',
              'data-testid': 'case-summary',
              'data-case-id': theCase._id,
              'data-draft': `summary/${theCase._id}`,
              value: ctx.drafts[`summary/${theCase._id}`] || '',
              placeholder: 'What was found and done',
            },
          }),
          labelled(
            'Impact',
            select(
              'case-impact',
              panel.impactStatuses.map((s) => [s, s]),
              closing.impactStatus || 'NotApplicable',
            ),
          ),
          {
            tag: 'div',
            cls: 'case-closing-actions',
            children: [
              {
                tag: 'button',
                cls: 'link-button',
                attrs: { type: 'button', 'data-testid': 'case-close-cancel', 'data-case-id': theCase._id },
                text: 'Cancel',
              },
              {
                tag: 'button',
                cls: 'bk-button bk-danger',
                attrs: { type: 'button', 'data-testid': 'case-close', 'data-case-id': theCase._id },
                text: `Close as ${closing.status}`,
              },
            ],
          },
        ],
      });
    const severityLabel = SEVERITY_LABELS[theCase.severity] || String(theCase.severity);
    return {
      tag: 'div',
      cls: `case-row stage-${String(theCase.stage).toLowerCase()}`,
      attrs: { 'data-testid': 'case-row', 'data-case-id': theCase._id, 'data-case-number': theCase.number },
      children: [
        {
          tag: 'div',
          cls: 'case-head',
          children: [
            {
              tag: 'a',
              cls: 'case-number',
              attrs: { href: `#/thehive/${theCase._id}`, 'data-testid': 'case-link' },
              text: `#${theCase.number}`,
            },
            { tag: 'span', cls: 'case-title', attrs: { title: theCase.title }, text: theCase.title },
          ],
        },
        {
          tag: 'div',
          cls: 'case-badges',
          children: [
            {
              tag: 'span',
              cls: `pill sev-pill sev-${severityLabel.toLowerCase()}`,
              attrs: { 'data-testid': 'case-severity-label' },
              text: severityLabel,
            },
            {
              tag: 'span',
              cls: `pill stage-pill stage-${String(theCase.stage).toLowerCase()}`,
              attrs: { 'data-testid': 'case-status-label' },
              text: theCase.status,
            },
            {
              tag: 'span',
              cls: 'case-assignee-label',
              children: theCase.assignee ? emojiNodes(`👤 ${theCase.assignee}`) : [text('Unassigned')],
            },
          ],
        },
        ...(theCase.summary
          ? [
              {
                tag: 'div',
                cls: 'case-summary-label',
                attrs: { 'data-testid': 'case-summary-label' },
                text: theCase.summary,
              },
            ]
          : []),
        { tag: 'div', cls: 'case-controls', children: controls },
      ],
    };
  }

  /*
   * TheHive renders case descriptions and comments as Markdown; so does the case page, with a small
   * renderer for what Hivewire writes (headings, tables, lists, quotes, code, emphasis, links, escapes)
   * that builds nodes, never HTML: raw HTML stays text, and only an explicit `[label](url)` with a safe
   * URL becomes a link (bare URLs stay text, so a URL in finding text is never clickable).
   */
  const MD_PUNCTUATION = /[!-/:-@[-`{-~]/;
  const MD_ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0' };

  /** `&lt;`, `&#39;`, `&#x2F;`: the character, or undefined for an entity this renderer does not know. */
  function mdEntity(name) {
    if (name[0] !== '#') return MD_ENTITIES[name.toLowerCase()];
    const point =
      name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return point > 0 && point <= 0x10ffff && !(point >= 0xd800 && point <= 0xdfff)
      ? String.fromCodePoint(point)
      : undefined;
  }

  /** The index just past the closing `close` matching the `open` at `from`, skipping escapes; -1 if none. */
  function mdMatching(s, from, open, close) {
    let depth = 0;
    for (let i = from; i < s.length; i += 1) {
      if (s[i] === '\\') i += 1;
      else if (s[i] === open) depth += 1;
      else if (s[i] === close && (depth -= 1) === 0) return i + 1;
    }
    return -1;
  }

  /** `[label](url "title")` at `i`: its parts and where it ends, or undefined. */
  function mdLink(s, i) {
    const labelEnd = mdMatching(s, i, '[', ']');
    if (labelEnd < 0 || s[labelEnd] !== '(') return undefined;
    const end = mdMatching(s, labelEnd, '(', ')');
    if (end < 0) return undefined;
    const target = s
      .slice(labelEnd + 1, end - 1)
      .trim()
      .replace(/\s+("[^"]*"|'[^']*')$/, '');
    if (/\s/.test(target.replace(/^<(.*)>$/, ''))) return undefined;
    return {
      label: s.slice(i + 1, labelEnd - 1),
      url: target.replace(/^<(.*)>$/, '$1').replace(/\\([!-/:-@[-`{-~])/g, '$1'),
      end,
    };
  }

  /** Where an emphasis run of `run` opened before `from` closes, or -1 (escapes and code spans skipped). */
  function mdEmphasisEnd(s, from, run) {
    const marker = run[0];
    for (let j = from; j < s.length; j += 1) {
      if (s[j] === '\\') {
        j += 1;
        continue;
      }
      if (s[j] === '`') {
        const close = s.indexOf('`', j + 1);
        if (close > j) j = close;
        continue;
      }
      if (
        s.startsWith(run, j) &&
        j > from &&
        !SPACE.test(s[j - 1]) &&
        s[j + run.length] !== marker &&
        (marker !== '_' || !WORD.test(s[j + run.length] || ''))
      )
        return j;
    }
    return -1;
  }

  const MD_EMPHASIS = { '*': ['em', 'strong'], _: ['em', 'strong'], '~': [undefined, 's'] };

  /** Inline Markdown → nodes. */
  function mdInline(s) {
    const out = [];
    let buffer = '';
    const flush = () => {
      if (buffer) out.push(...emojiNodes(buffer));
      buffer = '';
    };
    let i = 0;
    while (i < s.length) {
      const c = s[i];
      if (c === '\\' && MD_PUNCTUATION.test(s[i + 1] || '')) {
        buffer += s[i + 1];
        i += 2;
        continue;
      }
      if (c === '&') {
        const entity = /^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);/.exec(s.slice(i));
        const decoded = entity && mdEntity(entity[1]);
        if (decoded) {
          buffer += decoded;
          i += entity[0].length;
          continue;
        }
      }
      if (c === '`') {
        const run = /^`+/.exec(s.slice(i))[0];
        const close = s.indexOf(run, i + run.length);
        if (close > 0 && s[close + run.length] !== '`') {
          flush();
          const code = s.slice(i + run.length, close).replace(/\n/g, ' ');
          out.push({ tag: 'code', cls: 'mk-code', text: /^ .* $/.test(code) ? code.slice(1, -1) : code });
          i = close + run.length;
          continue;
        }
        buffer += run;
        i += run.length;
        continue;
      }
      const image = c === '!' && s[i + 1] === '[';
      if (c === '[' || image) {
        const link = mdLink(s, image ? i + 1 : i);
        if (link) {
          flush();
          const href = image ? null : safeUrl(link.url);
          // Images are not fetched: their alt text stands in, as for Block Kit images.
          if (image) out.push(imageAlt(link.label));
          else if (href)
            out.push({
              tag: 'a',
              cls: 'mk-link',
              attrs: { href, target: '_blank', rel: 'noopener noreferrer', title: href },
              children: mdInline(link.label),
            });
          else out.push(...mdInline(link.label));
          i = link.end;
          continue;
        }
      }
      if (MD_EMPHASIS[c]) {
        const run = s.startsWith(c + c, i) ? c + c : c;
        const tag = MD_EMPHASIS[c][run.length - 1];
        const opens =
          tag && !SPACE.test(s[i + run.length] || ' ') && (c !== '_' || !WORD.test(s[i - 1] || ''));
        const end = opens ? mdEmphasisEnd(s, i + run.length, run) : -1;
        if (end > 0) {
          flush();
          out.push({ tag, children: mdInline(s.slice(i + run.length, end)) });
          i = end + run.length;
          continue;
        }
        buffer += run;
        i += run.length;
        continue;
      }
      buffer += c;
      i += 1;
    }
    flush();
    return out;
  }

  const MD_FENCE = /^ {0,3}(`{3,}|~{3,})/;
  const MD_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
  const MD_RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
  const MD_QUOTE = /^ {0,3}> ?/;
  const MD_ITEM = /^ {0,3}([-*+]|\d{1,9}[.)])[ \t]+/;
  const MD_TABLE_SEPARATOR = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

  /** A table row's cells: split on `|` that are not escaped, outer pipes dropped. */
  function mdCells(line) {
    const cells = [];
    let cell = '';
    const row = line.trim().replace(/^\|/, '');
    for (let i = 0; i < row.length; i += 1) {
      if (row[i] === '\\' && row[i + 1] === '|') {
        cell += '\\|';
        i += 1;
      } else if (row[i] === '|') {
        cells.push(cell.trim());
        cell = '';
      } else cell += row[i];
    }
    if (cell.trim() || !/\|\s*$/.test(row)) cells.push(cell.trim());
    return cells;
  }

  function mdTableAt(lines, i) {
    if (i + 1 >= lines.length || !lines[i].includes('|') || !MD_TABLE_SEPARATOR.test(lines[i + 1]))
      return false;
    return mdCells(lines[i]).length === mdCells(lines[i + 1]).length;
  }

  function mdStartsBlock(lines, i) {
    const line = lines[i];
    return (
      MD_FENCE.test(line) ||
      MD_HEADING.test(line) ||
      MD_RULE.test(line) ||
      MD_QUOTE.test(line) ||
      MD_ITEM.test(line) ||
      mdTableAt(lines, i)
    );
  }

  /** Block Markdown → nodes. */
  function markdown(source) {
    const lines = String(source == null ? '' : source)
      .replace(/\r\n?/g, '\n')
      .split('\n');
    const out = [];
    let i = 0;
    while (i < lines.length) {
      const line = lines[i];
      if (!line.trim()) {
        i += 1;
        continue;
      }
      const fence = MD_FENCE.exec(line);
      if (fence) {
        const body = [];
        i += 1;
        while (i < lines.length && !lines[i].trim().startsWith(fence[1])) body.push(lines[i++]);
        i += 1;
        out.push({ tag: 'pre', cls: 'mk-pre', text: body.join('\n') });
        continue;
      }
      const heading = MD_HEADING.exec(line);
      if (heading) {
        const level = heading[1].length;
        out.push({
          tag: 'div',
          cls: `md-heading md-h${level}`,
          attrs: { role: 'heading', 'aria-level': level },
          children: mdInline(heading[2] || ''),
        });
        i += 1;
        continue;
      }
      if (MD_RULE.test(line)) {
        out.push({ tag: 'hr', cls: 'md-rule' });
        i += 1;
        continue;
      }
      if (mdTableAt(lines, i)) {
        const header = mdCells(lines[i]);
        const rows = [];
        i += 2;
        while (i < lines.length && lines[i].trim() && lines[i].includes('|')) rows.push(mdCells(lines[i++]));
        const row = (cells, tag) => ({
          tag: 'tr',
          children: header.map((_, n) => ({ tag, children: mdInline(cells[n] || '') })),
        });
        out.push({
          tag: 'table',
          cls: 'md-table',
          children: [
            { tag: 'thead', children: [row(header, 'th')] },
            { tag: 'tbody', children: rows.map((cells) => row(cells, 'td')) },
          ],
        });
        continue;
      }
      if (MD_QUOTE.test(line)) {
        const quoted = [];
        while (i < lines.length && MD_QUOTE.test(lines[i])) quoted.push(lines[i++].replace(MD_QUOTE, ''));
        out.push({ tag: 'blockquote', cls: 'mk-quote', children: markdown(quoted.join('\n')) });
        continue;
      }
      const item = MD_ITEM.exec(line);
      if (item) {
        const ordered = /\d/.test(item[1]);
        const items = [];
        while (i < lines.length) {
          const next = MD_ITEM.exec(lines[i]);
          if (next && /\d/.test(next[1]) === ordered) items.push([lines[i++].slice(next[0].length)]);
          else if (lines[i].trim() && /^\s/.test(lines[i]) && items.length)
            items[items.length - 1].push(lines[i++].trim());
          else break;
        }
        out.push({
          tag: ordered ? 'ol' : 'ul',
          cls: 'md-list',
          children: items.map((parts) => ({ tag: 'li', children: mdInline(parts.join(' ')) })),
        });
        continue;
      }
      const paragraph = [line];
      i += 1;
      while (i < lines.length && lines[i].trim() && !mdStartsBlock(lines, i)) paragraph.push(lines[i++]);
      // A line break is kept as one, as Hivewire's escaping expects ("newlines kept as line breaks").
      const children = [];
      paragraph.forEach((text_, n) => {
        if (n > 0) children.push({ tag: 'br' });
        children.push(...mdInline(text_.trim()));
      });
      out.push({ tag: 'p', cls: 'md-p', children });
    }
    return out;
  }

  /** A finding the console sent that Hivewire did not post: which one and why. */
  function renderSkipNotice(notice) {
    // The reason names the threshold when there is one.
    const details = notice.fingerprint ? [`Fingerprint ${notice.fingerprint}.`] : [];
    return {
      tag: 'div',
      cls: 'notice',
      attrs: {
        'data-testid': 'skip-notice',
        'data-notice-id': notice.id,
        ...(notice.threshold ? { 'data-threshold': notice.threshold } : {}),
        role: 'status',
      },
      children: [
        {
          tag: 'div',
          cls: 'notice-text',
          children: [
            ...emojiNodes('⚠️ '),
            { tag: 'strong', text: notice.source },
            text(
              `${notice.index > 0 ? ` (finding ${notice.index + 1})` : ''} was not posted: ${notice.reason}`,
            ),
          ],
        },
        ...(details.length ? [{ tag: 'div', cls: 'notice-details', text: details.join(' ') }] : []),
        {
          tag: 'button',
          cls: 'link-button',
          attrs: { type: 'button', 'data-testid': 'skip-notice-dismiss', 'data-notice-id': notice.id },
          text: 'Dismiss',
        },
      ],
    };
  }

  /** TheHive's case list (`#/thehive`): every case, newest first, each a link to its page. */
  function renderCaseList(cases) {
    if (cases.length === 0)
      return {
        tag: 'div',
        cls: 'empty',
        attrs: { 'data-testid': 'case-list-page' },
        text: 'No cases yet: click "Create Case" on an alert.',
      };
    const cell = (children, cls) => ({ tag: 'td', cls, children });
    return {
      tag: 'table',
      cls: 'case-table',
      attrs: { 'data-testid': 'case-list-page' },
      children: [
        {
          tag: 'thead',
          children: [
            {
              tag: 'tr',
              children: ['#', 'Title', 'Severity', 'Status', 'Assignee', 'Updated'].map((label) => ({
                tag: 'th',
                text: label,
              })),
            },
          ],
        },
        {
          tag: 'tbody',
          children: [...cases]
            .sort((a, b) => b.number - a.number)
            .map((theCase) => {
              const severity = SEVERITY_LABELS[theCase.severity] || String(theCase.severity);
              const stage = String(theCase.stage).toLowerCase();
              return {
                tag: 'tr',
                attrs: { 'data-testid': 'case-list-row', 'data-case-number': theCase.number },
                children: [
                  cell([
                    {
                      tag: 'a',
                      cls: 'case-number',
                      attrs: { href: `#/thehive/${theCase._id}`, 'data-testid': 'case-link' },
                      text: `#${theCase.number}`,
                    },
                  ]),
                  cell(
                    [{ tag: 'a', attrs: { href: `#/thehive/${theCase._id}` }, text: theCase.title }],
                    'case-table-title',
                  ),
                  cell([{ tag: 'span', cls: `pill sev-pill sev-${severity.toLowerCase()}`, text: severity }]),
                  cell([{ tag: 'span', cls: `pill stage-pill stage-${stage}`, text: theCase.status }]),
                  cell([text(theCase.assignee || 'Unassigned')]),
                  cell([
                    text(
                      new Date(theCase._updatedAt || theCase._createdAt)
                        .toISOString()
                        .slice(0, 16)
                        .replace('T', ' '),
                    ),
                  ]),
                ],
              };
            }),
        },
      ],
    };
  }

  /** A case's page: its fields, description (as TheHive renders its markdown), observables and comments. */
  function renderCaseDetail(detail) {
    const c = detail.case;
    const row = (label, value) => ({
      tag: 'div',
      cls: 'kv',
      children: [
        { tag: 'span', cls: 'kv-key', text: label },
        { tag: 'span', cls: 'kv-value', text: value == null ? '—' : String(value) },
      ],
    });
    return {
      tag: 'div',
      cls: 'case-detail',
      attrs: { 'data-testid': 'case-detail', 'data-case-id': c._id },
      children: [
        {
          tag: 'a',
          cls: 'link-button',
          attrs: { href: '#/', 'data-testid': 'case-detail-back' },
          text: '← Back to the channel',
        },
        { tag: 'h2', text: `Case #${c.number}: ${c.title}` },
        {
          tag: 'div',
          cls: 'kv-grid',
          children: [
            row('Id', c._id),
            row('Status', `${c.status} (${c.stage})`),
            row('Severity', c.severityLabel),
            row('TLP / PAP', `${c.tlpLabel} / ${c.papLabel}`),
            row('Assignee', c.assignee),
            row('Tags', (c.tags || []).join(', ')),
            row('Created', new Date(c._createdAt).toISOString()),
            row(
              'Updated',
              c._updatedAt ? `${new Date(c._updatedAt).toISOString()} by ${c._updatedBy}` : undefined,
            ),
            ...(c.summary ? [row('Summary', c.summary)] : []),
            ...(c.impactStatus ? [row('Impact', c.impactStatus)] : []),
          ],
        },
        { tag: 'h3', text: 'Description' },
        {
          tag: 'div',
          cls: 'case-description md',
          attrs: { 'data-testid': 'case-description' },
          children: markdown(c.description || ''),
        },
        { tag: 'h3', text: `Observables (${detail.observables.length})` },
        {
          tag: 'ul',
          cls: 'observables',
          attrs: { 'data-testid': 'case-observables' },
          children: detail.observables.map((o) => ({
            tag: 'li',
            children: [
              { tag: 'code', cls: 'mk-code', text: o.dataType },
              text(` ${o.data}`),
              ...(o.ioc ? [{ tag: 'span', cls: 'pill ioc', text: 'IOC' }] : []),
            ],
          })),
        },
        { tag: 'h3', text: `Comments (${detail.comments.length})` },
        {
          tag: 'ul',
          cls: 'comments',
          attrs: { 'data-testid': 'case-comments' },
          children: detail.comments.map((comment) => ({
            tag: 'li',
            children: [
              { tag: 'div', cls: 'comment-author', text: comment.createdBy },
              { tag: 'div', cls: 'md', children: markdown(comment.message) },
            ],
          })),
        },
      ],
    };
  }

  const TAGS = new Set([
    'div',
    'span',
    'strong',
    'em',
    's',
    'code',
    'pre',
    'blockquote',
    'a',
    'br',
    'hr',
    'button',
    'select',
    'option',
    'label',
    'input',
    'textarea',
    'time',
    'ul',
    'ol',
    'li',
    'h2',
    'h3',
    'img',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'p',
  ]);
  const ATTRIBUTE =
    /^(data-[a-z0-9-]+|aria-[a-z-]+|title|type|role|name|value|placeholder|target|rel|href|id|rows|disabled|selected|checked|multiple|src|alt)$/;
  const BOOLEAN_ATTRIBUTES = new Set(['disabled', 'selected', 'checked', 'multiple']);
  const COLOUR = /^#[0-9a-f]{3,6}$/i;
  /** The only images the console shows: its own emoji. */
  const EMOJI_IMAGE = /^\/sandbox\/console\/emoji\/[0-9a-z-]+\.svg$/;

  /**
   * Builds DOM from a node tree with createElement, setAttribute (allow-listed names, checked URLs) and
   * text nodes only: no markup is ever parsed.
   */
  function toDom(node, doc) {
    if (node.tag === undefined) return doc.createTextNode(String(node.text == null ? '' : node.text));
    if (!TAGS.has(node.tag)) throw new Error(`tag not allowed: ${node.tag}`);
    const element = doc.createElement(node.tag);
    if (node.cls) element.className = node.cls;
    for (const [name, value] of Object.entries(node.attrs || {})) {
      if (!ATTRIBUTE.test(name) || value === undefined || value === null || value === false) continue;
      if (BOOLEAN_ATTRIBUTES.has(name)) {
        if (value) element.setAttribute(name, '');
        continue;
      }
      if (name === 'href') {
        const href = safeUrl(value);
        if (href) element.setAttribute('href', href);
        continue;
      }
      if (name === 'src') {
        if (EMOJI_IMAGE.test(String(value))) element.setAttribute('src', String(value));
        continue;
      }
      element.setAttribute(name, String(value));
    }
    if (node.style && COLOUR.test(node.style.borderLeftColor || ''))
      element.style.borderLeftColor = node.style.borderLeftColor;
    if (node.text !== undefined) element.appendChild(doc.createTextNode(String(node.text)));
    for (const child of node.children || []) element.appendChild(toDom(child, doc));
    return element;
  }

  return {
    decodeEntities,
    emojify,
    emojiNodes,
    EMOJI,
    safeUrl,
    mrkdwn,
    markdown,
    renderBlocks,
    renderMessageBody,
    renderMessage,
    renderEphemeral,
    renderTimeline,
    renderModal,
    renderConfirm,
    renderCaseRow,
    renderCaseList,
    renderSkipNotice,
    renderCaseDetail,
    messageSeverity,
    compareTs,
    toDom,
  };
});
