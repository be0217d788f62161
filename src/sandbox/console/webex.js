/*
 * Hivewire sandbox console, Webex space: the page's behaviour. State comes from
 * /sandbox/console/webex/state and is fetched again on every Server-Sent Event. Cards are drawn by the
 * adaptivecards library (its Markdown through markdown-it with HTML off, as Webex clients render a
 * Markdown subset); messages' Markdown likewise. A card submission goes to
 * /sandbox/console/webex/submit, where the stand-in creates it and sends Hivewire the signed webhook.
 */
/* global document, window, fetch, EventSource, URLSearchParams, AdaptiveCards, markdownit */
(function () {
  'use strict';

  const md = markdownit({ html: false, linkify: false, breaks: true });
  const ui = { room: null, person: null, state: null, rendered: new Map() };
  const byId = (id) => document.getElementById(id);

  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = md.render(text);
    result.didProcess = true;
  };

  /** Emoji, drawn by the console's own images (`emoji/<code points>.svg`): headless browsers have no emoji font. */
  const EMOJI = /\p{Extended_Pictographic}\uFE0F?/gu;
  const HAS_EMOJI = /\p{Extended_Pictographic}/u;

  function emojiImages(root) {
    const walker = document.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
    const nodes = [];
    while (walker.nextNode()) if (HAS_EMOJI.test(walker.currentNode.data)) nodes.push(walker.currentNode);
    for (const node of nodes) {
      const parts = [];
      let last = 0;
      for (const match of node.data.matchAll(EMOJI)) {
        if (match.index > last) parts.push(node.data.slice(last, match.index));
        const image = document.createElement('img');
        image.className = 'emoji';
        image.alt = match[0];
        const code = Array.from(match[0].replace('\uFE0F', ''))
          .map((character) => character.codePointAt(0).toString(16))
          .join('-');
        image.src = `/sandbox/console/emoji/${code}.svg`;
        image.onerror = () => {
          image.onerror = null;
          image.src = '/sandbox/console/emoji/unknown.svg';
        };
        parts.push(image);
        last = match.index + match[0].length;
      }
      if (last < node.data.length) parts.push(node.data.slice(last));
      node.replaceWith(...parts);
    }
    return root;
  }

  function toast(text) {
    const element = byId('toast');
    element.textContent = text;
    element.hidden = false;
    window.setTimeout(() => {
      element.hidden = true;
    }, 4000);
  }

  function nameOf(personId) {
    const person = (ui.state?.people ?? []).find((candidate) => candidate.id === personId);
    return person ? person.displayName : 'someone';
  }

  /** Webex mentions (`<@personId:ID|label>`) shown as the person's name, in bold, before Markdown. */
  function withMentions(markdown) {
    return markdown.replace(/<@personId:([A-Za-z0-9_-]+)(?:\|[^>]*)?>/g, (_all, id) => `**@${nameOf(id)}**`);
  }

  async function submit(messageId, inputs) {
    const response = await fetch('/sandbox/console/webex/submit', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ personId: ui.person, messageId, inputs }),
    });
    if (!response.ok) {
      const answer = await response.json().catch(() => ({}));
      toast(`Webex refused the submission: ${answer.error ?? response.status}`);
    }
  }

  function cardElement(content, messageId) {
    const card = new AdaptiveCards.AdaptiveCard();
    card.onExecuteAction = (action) => {
      if (action instanceof AdaptiveCards.SubmitAction) void submit(messageId, action.data ?? {});
      else if (action instanceof AdaptiveCards.OpenUrlAction) window.open(action.url, '_blank', 'noopener');
    };
    card.parse(content);
    const element = card.render();
    element.classList.add('webex-card');
    return emojiImages(element);
  }

  function messageElement(message, reply) {
    const element = document.createElement('article');
    element.className = reply ? 'webex-reply' : 'webex-message';
    element.dataset.id = message.id;
    element.dataset.testid = reply ? 'webex-reply' : 'webex-message';
    const head = document.createElement('div');
    head.className = 'webex-author';
    const author = document.createElement('strong');
    author.textContent = nameOf(message.personId);
    const time = document.createElement('time');
    time.textContent = new Date(message.created).toISOString().slice(11, 16);
    head.append(author, ' ', time);
    element.append(head);
    if (message.card) {
      element.append(cardElement(message.card, message.id));
    } else {
      const text = document.createElement('div');
      text.className = 'webex-text';
      // markdown-it with HTML off escapes whatever the message holds; the links it makes open outside.
      text.innerHTML = md.render(withMentions(message.markdown));
      for (const link of text.querySelectorAll('a')) {
        link.target = '_blank';
        link.rel = 'noopener noreferrer';
      }
      element.append(emojiImages(text));
    }
    return element;
  }

  /**
   * Adds what is new: messages are never edited in a space with cards, so a drawn message stays as it is
   * (a card's inputs keep what was typed while the thread grows).
   */
  function render() {
    const state = ui.state;
    byId('room-title').textContent = (state.rooms.find((room) => room.id === state.room) ?? {}).title ?? '';
    const rooms = byId('room-list');
    rooms.replaceChildren(
      ...state.rooms.map((room) => {
        const item = document.createElement('li');
        const link = document.createElement('a');
        link.href = `#${room.id}`;
        link.textContent = room.type === 'direct' ? `${room.title} · direct` : room.title;
        link.dataset.testid = `webex-room-${room.type}`;
        if (room.id === state.room) link.className = 'current';
        link.onclick = () => {
          ui.room = room.id;
          ui.rendered.clear();
          byId('messages').replaceChildren();
          void load();
        };
        item.append(link);
        return item;
      }),
    );
    const picker = byId('person-picker');
    if (picker.options.length === 0) {
      for (const person of state.people.filter((candidate) => candidate.type === 'person')) {
        const option = document.createElement('option');
        option.value = person.id;
        option.textContent = person.displayName;
        picker.append(option);
      }
      ui.person = picker.value;
      picker.onchange = () => {
        ui.person = picker.value;
      };
    }
    const list = byId('messages');
    for (const message of state.messages) {
      let root = ui.rendered.get(message.id);
      if (!root) {
        root = messageElement(message, false);
        const thread = document.createElement('div');
        thread.className = 'webex-thread';
        thread.dataset.testid = 'webex-thread';
        root.append(thread);
        list.append(root);
        ui.rendered.set(message.id, root);
      }
      const thread = root.querySelector('.webex-thread');
      for (const reply of message.replies) {
        if (thread.querySelector(`[data-id="${reply.id}"]`)) continue;
        thread.append(messageElement(reply, true));
      }
    }
  }

  async function load() {
    const query = ui.room ? `?${new URLSearchParams({ room: ui.room })}` : '';
    const response = await fetch(`/sandbox/console/webex/state${query}`);
    ui.state = await response.json();
    ui.room = ui.state.room;
    render();
  }

  new EventSource('/sandbox/console/webex/events').onmessage = () => void load();
})();
