/*
 * The sandbox's Teams channel: the channel's messages from /sandbox/teams/console/state, each card drawn
 * by the adaptivecards renderer (Markdown by markdown-it, raw HTML off, as Teams renders its subset); an
 * Action.Execute goes to /sandbox/teams/console/click, where the server sends the bot the signed invoke
 * Teams would send. The bot's answer is for the clicker only: a toast, or a card shown in place of the
 * clicked one (the ignore form) until the next click on it.
 */
/* global document, window, fetch, AdaptiveCards, markdownit */
(function () {
  'use strict';

  const POLL_MS = 1000;
  const md = markdownit({ html: false, linkify: false, breaks: false });
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = md.render(text);
    result.didProcess = true;
  };

  const ui = { person: null, state: null, shown: '', replaced: new Map() };
  const $ = (id) => document.getElementById(id);

  function toast(text) {
    const item = document.createElement('div');
    item.className = 'toast';
    item.textContent = `Only you can see this: ${text}`;
    $('toasts').append(item);
    window.setTimeout(() => item.remove(), 8000);
  }

  async function post(path, body) {
    const response = await fetch(`/sandbox/teams/console/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return response.json();
  }

  /** The invoke's answer: a message for the clicker, or a card that takes the clicked card's place. */
  function answered(messageId, answer) {
    const value = answer && answer.body;
    if (answer.status !== 200 || !value) toast(`the bot answered HTTP ${answer.status}`);
    else if (value.type === 'application/vnd.microsoft.card.adaptive') {
      ui.replaced.set(messageId, value.value);
      draw(true);
    } else if (typeof value.value === 'string') toast(value.value);
  }

  function cardElement(messageId, content, conversation) {
    const card = new AdaptiveCards.AdaptiveCard();
    card.hostConfig = new AdaptiveCards.HostConfig({ fontFamily: "'Segoe UI', system-ui, sans-serif" });
    card.onExecuteAction = async (action) => {
      if (action instanceof AdaptiveCards.OpenUrlAction) {
        window.open(action.url, '_blank', 'noopener');
        return;
      }
      if (!(action instanceof AdaptiveCards.ExecuteAction)) return;
      ui.replaced.delete(messageId);
      const answer = await post('click', {
        person: ui.person,
        replyToId: messageId,
        verb: action.verb,
        data: action.data,
        ...(conversation ? { conversation } : {}),
      });
      answered(messageId, answer);
    };
    card.parse(content);
    return card.render();
  }

  function messageElement(activity, replies, conversation) {
    const box = document.createElement('article');
    box.className = 'message';
    box.dataset.id = activity.id;
    const from = document.createElement('div');
    from.className = 'from';
    from.textContent = (activity.from && activity.from.name) || 'Hivewire';
    if (activity.updatedAt) {
      const edited = document.createElement('span');
      edited.className = 'edited';
      edited.textContent = 'Edited';
      from.append(edited);
    }
    box.append(from);
    const content = ui.replaced.get(activity.id);
    for (const attachment of content ? [{ content }] : activity.attachments || []) {
      const element = cardElement(activity.id, attachment.content, conversation);
      if (element) box.append(element);
    }
    if (activity.text && !(activity.attachments || []).length) {
      const text = document.createElement('p');
      text.textContent = activity.text;
      box.append(text);
    }
    if (replies.length) {
      const chain = document.createElement('div');
      chain.className = 'replies';
      for (const reply of replies) chain.append(messageElement(reply, []));
      box.append(chain);
    }
    return box;
  }

  function draw(force) {
    const state = ui.state;
    if (!state) return;
    const key = JSON.stringify([state.activities, state.chats]);
    if (!force && key === ui.shown) return;
    ui.shown = key;
    $('channel-name').textContent = `${state.team.name} › ${state.channel.name}`;
    const roots = state.activities.filter((activity) => !activity.replyToId);
    const messages = $('messages');
    messages.replaceChildren(
      ...roots.map((root) =>
        messageElement(
          root,
          state.activities.filter((activity) => activity.replyToId === root.id),
        ),
      ),
      // The bot's 1:1 chats ("was this you?"): clicks there are sent from the chat, as its person.
      ...(state.chats || []).map((chat) => {
        const section = document.createElement('section');
        section.className = 'chat';
        section.dataset.testid = 'teams-chat';
        const title = document.createElement('h2');
        title.textContent = `1:1 chat with ${chat.name}`;
        section.append(title, ...chat.activities.map((activity) => messageElement(activity, [], chat.id)));
        return section;
      }),
    );
  }

  async function refresh() {
    try {
      const response = await fetch('/sandbox/teams/console/state');
      ui.state = await response.json();
      if (!ui.person) {
        ui.person = ui.state.people[0].aadObjectId;
        $('person').replaceChildren(
          ...ui.state.people.map((person) => {
            const option = document.createElement('option');
            option.value = person.aadObjectId;
            option.textContent = person.name;
            return option;
          }),
        );
      }
      draw(false);
    } finally {
      window.setTimeout(refresh, POLL_MS);
    }
  }

  $('person').addEventListener('change', (event) => {
    ui.person = event.target.value;
  });
  $('mention').addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = $('mention-text')
      .value.replace(/^@?hivewire\s*/i, '')
      .trim();
    if (!text) return;
    $('mention-text').value = '';
    await post('mention', { person: ui.person, text });
  });
  void refresh();
})();
