/*
 * Hivewire sandbox console: the page's behaviour. The state comes from /sandbox/console/state and is
 * fetched again on every Server-Sent Event; actions go to /sandbox/console/*, where the server signs and
 * sends what Slack and TheHive would send. All rendering goes through render.js (textContent only).
 */
/* global document, window, fetch, EventSource, URLSearchParams, HivewireRender */
(function () {
  'use strict';

  const R = HivewireRender;
  const DEFAULT_USER = 'U0ALICE';
  /** Older toasts go when a newer one would make the stack taller than this. */
  const TOASTS_SHOWN = 3;
  /** How long after a click a private answer to it is scrolled into view. */
  const ANSWER_WAIT_MS = 10_000;

  const ui = {
    user: window.localStorage.getItem('hivewire.user') || DEFAULT_USER,
    channel: null,
    /** `#/thehive`: the TheHive case list in place of the channel. */
    casesPage: false,
    caseId: null,
    /** The channel whose timeline was placed at its first unread message since it was opened. */
    positioned: null,
    /** After a click: private answers newer than `after` are brought into view until `until`. */
    awaitingAnswer: null,
    expanded: new Set(),
    highlight: undefined,
    scrollToHighlight: false,
    drafts: {},
    busy: new Set(),
    closing: null,
    modalErrors: {},
    modalShown: null,
    state: null,
    samplesShown: false,
  };

  const byId = (id) => document.getElementById(id);

  function toast(message, kind) {
    const element = document.createElement('div');
    element.className = `toast ${kind === 'ok' ? 'toast-ok' : 'toast-error'}`;
    element.setAttribute('data-testid', 'toast');
    element.textContent = message;
    const toasts = byId('toasts');
    toasts.appendChild(element);
    while (toasts.children.length > TOASTS_SHOWN) toasts.firstElementChild.remove();
    window.setTimeout(() => element.remove(), 6000);
  }

  async function post(path, body) {
    const response = await fetch(`/sandbox/console/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    let data = {};
    try {
      data = await response.json();
    } catch {
      data = {};
    }
    if (!response.ok) toast(data.error || `The sandbox answered HTTP ${response.status}`, 'error');
    return { ok: response.ok, data };
  }

  /** Slack's wording for an app that did not answer an interaction properly. */
  function reportOutcome(outcome) {
    if (!outcome || outcome.result === 'ok') return;
    const messages = {
      timeout: 'Hivewire did not answer within 3 seconds: Slack would show the user an error.',
      unreachable: 'Hivewire could not be reached at /slack/events.',
      app_error: `Hivewire answered HTTP ${outcome.status}: Slack would show the user an error.`,
    };
    toast(messages[outcome.result] || 'The interaction failed.', 'error');
  }

  function userName(id) {
    if (id === 'U0HIVEWIRE') return 'hivewire';
    const user = ui.state && ui.state.users.find((u) => u.id === id);
    return user ? user.name : undefined;
  }

  function channelName(id) {
    const conversation = ui.state && ui.state.conversations.find((c) => c.id === id);
    return conversation ? conversation.name : undefined;
  }

  function formatTime(ts) {
    const date = new Date(Number(String(ts).split('.')[0]) * 1000);
    return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  function context() {
    return {
      users: ui.state.users,
      currentUser: ui.user,
      expanded: ui.expanded,
      highlight: ui.highlight,
      drafts: ui.drafts,
      busy: ui.busy,
      replayable: ui.state.replayable,
      shortcuts: ui.state.shortcuts || [],
      userName,
      channelName,
      formatTime,
    };
  }

  /** Replaces a container's content, keeping the focus (and caret) of an input being typed in. */
  function mount(container, nodes) {
    const active = document.activeElement;
    const draftKey = active && container.contains(active) ? active.getAttribute('data-draft') : null;
    const caret = draftKey ? [active.selectionStart, active.selectionEnd] : null;
    container.replaceChildren(...nodes.map((node) => R.toDom(node, document)));
    if (!draftKey) return;
    const again = [...container.querySelectorAll('[data-draft]')].find(
      (e) => e.getAttribute('data-draft') === draftKey,
    );
    if (again) {
      again.focus();
      if (caret) again.setSelectionRange(caret[0], caret[1]);
    }
  }

  function conversationLabel(conversation) {
    if (conversation.kind === 'channel') return `# ${conversation.name}`;
    return conversation.kind === 'im' ? 'Hivewire' : conversation.name;
  }

  function renderSidebar() {
    const picker = byId('user-picker');
    if (picker.options.length !== ui.state.users.length) {
      picker.replaceChildren(
        ...ui.state.users.map((user) => {
          const option = document.createElement('option');
          option.value = user.id;
          option.textContent = user.realName;
          return option;
        }),
      );
    }
    picker.value = ui.user;
    const item = (conversation, testid) => {
      const li = document.createElement('li');
      const link = document.createElement('a');
      link.href = `#/${encodeURIComponent(conversation.id)}`;
      link.setAttribute('data-testid', testid);
      link.setAttribute('data-channel', conversation.id);
      link.textContent = conversationLabel(conversation);
      if (!ui.caseId && !ui.casesPage && conversation.id === ui.channel) link.className = 'active';
      li.appendChild(link);
      return li;
    };
    byId('channel-list').replaceChildren(
      ...ui.state.conversations.filter((c) => c.kind === 'channel').map((c) => item(c, 'channel-link')),
    );
    byId('dm-list').replaceChildren(
      ...ui.state.conversations.filter((c) => c.kind !== 'channel').map((c) => item(c, 'dm-link')),
    );
    byId('thehive-link').className = ui.casesPage || ui.caseId ? 'active' : '';
  }

  /** Notes a click, so that the app's private answer to it is shown even far from the clicked message. */
  function awaitAnswer() {
    const newest = ui.state.ephemerals.reduce((ts, e) => (R.compareTs(e.ts, ts) > 0 ? e.ts : ts), '0');
    ui.awaitingAnswer = { after: newest, until: Date.now() + ANSWER_WAIT_MS };
  }

  /** The first private answer to the last click once it has come, its thread opened to show it. */
  function privateAnswer() {
    const awaiting = ui.awaitingAnswer;
    if (!awaiting) return null;
    if (Date.now() > awaiting.until) {
      ui.awaitingAnswer = null;
      return null;
    }
    const answer = ui.state.ephemerals.find(
      (e) => e.channel === ui.channel && R.compareTs(e.ts, awaiting.after) > 0,
    );
    if (!answer) return null;
    ui.awaitingAnswer = null;
    if (answer.threadTs) ui.expanded.add(answer.threadTs);
    return answer;
  }

  function renderCasesPage() {
    byId('channel-title').textContent = 'TheHive · Cases';
    byId('channel-topic').textContent = 'The cases in the TheHive stand-in; open one to read it.';
    mount(byId('timeline'), [R.renderCaseList(ui.state.cases)]);
  }

  /** Where a user last read a channel: the newest message shown to them there. */
  const readKey = (channel) => `hivewire.read.${ui.user}.${channel}`;

  /**
   * Opens a channel as Slack does, at the first message the user has not seen (the whole channel is
   * unread the first time), or at its end when everything was seen.
   */
  function openAtFirstUnread(timeline, messages) {
    const lastRead = window.localStorage.getItem(readKey(ui.channel));
    const unread = messages.find((m) => !lastRead || R.compareTs(m.ts, lastRead) > 0);
    const element = unread && byId(`msg-${unread.ts.replace('.', '-')}`);
    if (element)
      timeline.scrollTop += element.getBoundingClientRect().top - timeline.getBoundingClientRect().top;
    else timeline.scrollTop = timeline.scrollHeight;
  }

  /**
   * Every live update re-reads the open case; the answers can arrive out of order, so only the newest
   * read is drawn (an older one, from before a comment landed, would hide it until the next change).
   */
  let caseReads = 0;

  async function renderCaseDetail() {
    const caseId = ui.caseId;
    const read = ++caseReads;
    const response = await fetch(`/sandbox/console/cases/${encodeURIComponent(caseId)}`);
    const detail = response.ok ? await response.json() : undefined;
    if (read !== caseReads || caseId !== ui.caseId) return;
    byId('channel-title').textContent = 'TheHive case';
    byId('channel-topic').textContent = '';
    if (!detail) {
      mount(byId('timeline'), [{ tag: 'div', cls: 'empty', text: `Case ${caseId} not found.` }]);
      return;
    }
    mount(byId('timeline'), [R.renderCaseDetail(detail)]);
  }

  function renderTimeline() {
    if (ui.caseId) {
      void renderCaseDetail();
      return;
    }
    if (ui.casesPage) {
      renderCasesPage();
      return;
    }
    const conversation = ui.state.conversations.find((c) => c.id === ui.channel);
    byId('channel-title').textContent = conversation ? conversationLabel(conversation) : ui.channel;
    byId('channel-topic').textContent =
      ui.channel === ui.state.alertChannel
        ? 'Security findings from Hivewire. Click a button to act on one.'
        : '';
    const timeline = byId('timeline');
    // Following the newest messages only when the reader had scrolled down to them: a timeline that did
    // not fill its view yet (the first sample alerts arriving one by one) keeps its first unread in view.
    const atBottom =
      timeline.scrollHeight > timeline.clientHeight &&
      timeline.scrollHeight - timeline.scrollTop - timeline.clientHeight < 48;
    const previousTop = timeline.scrollTop;
    const messages = ui.state.messages[ui.channel] || [];
    const answer = privateAnswer();
    mount(timeline, R.renderTimeline(ui.channel, messages, ui.state.ephemerals, context()));
    const target = ui.highlight && byId(`msg-${ui.highlight.replace('.', '-')}`);
    const answerElement =
      answer && document.querySelector(`[data-testid="ephemeral"][data-ts="${answer.ts}"]`);
    if (answerElement) answerElement.scrollIntoView({ block: 'nearest' });
    else if (ui.scrollToHighlight && target) {
      target.scrollIntoView({ block: 'center' });
      ui.scrollToHighlight = false;
    } else if (ui.positioned !== ui.channel) openAtFirstUnread(timeline, messages);
    else if (atBottom) timeline.scrollTop = timeline.scrollHeight;
    else timeline.scrollTop = previousTop;
    if (messages.length === 0) return;
    ui.positioned = ui.channel;
    window.localStorage.setItem(readKey(ui.channel), messages[messages.length - 1].ts);
  }

  function renderCases() {
    const panel = {
      statuses: ui.state.caseStatuses,
      impactStatuses: ui.state.impactStatuses,
      closing: ui.closing,
    };
    const rows = ui.state.cases.map((theCase) => R.renderCaseRow(theCase, context(), panel));
    mount(
      byId('case-list'),
      rows.length
        ? rows
        : [
            {
              tag: 'div',
              cls: 'empty',
              attrs: { 'data-testid': 'case-list-empty' },
              text: 'No cases yet: click "Create Case" on an alert.',
            },
          ],
    );
  }

  function renderModal() {
    const modal = ui.state.modal;
    const key = modal ? `${modal.view.hash}|${JSON.stringify(ui.modalErrors)}` : null;
    if (key === ui.modalShown) return;
    ui.modalShown = key;
    if (!modal) {
      ui.modalErrors = {};
      // What was typed in a closed modal must not prefill the next one.
      for (const draft of Object.keys(ui.drafts)) if (draft.startsWith('modal/')) delete ui.drafts[draft];
      byId('modal-root').replaceChildren();
      return;
    }
    mount(byId('modal-root'), [R.renderModal(modal, context(), ui.modalErrors)]);
  }

  function renderSamples() {
    if (ui.samplesShown) return;
    ui.samplesShown = true;
    byId('inject-samples').replaceChildren(
      ...ui.state.samples.map((sample) => {
        const item = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'sample-button';
        button.setAttribute('data-testid', 'inject-sample');
        button.setAttribute('data-sample-index', String(sample.index));
        button.textContent = sample.name;
        item.appendChild(button);
        return item;
      }),
    );
  }

  function renderNotices() {
    mount(
      byId('notices'),
      ui.state.notices.map((notice) => R.renderSkipNotice(notice)),
    );
  }

  function render() {
    if (!ui.state) return;
    if (!ui.channel) ui.channel = ui.state.alertChannel;
    renderNotices();
    renderSidebar();
    renderTimeline();
    renderCases();
    renderModal();
    renderSamples();
  }

  async function refresh() {
    const response = await fetch(`/sandbox/console/state?user=${encodeURIComponent(ui.user)}`);
    if (!response.ok) return;
    ui.state = await response.json();
    render();
  }

  let refreshTimer;
  function scheduleRefresh() {
    window.clearTimeout(refreshTimer);
    refreshTimer = window.setTimeout(() => void refresh(), 50);
  }

  /** `#/C…/<ts>?thread_ts=…` (a permalink), `#/C…`, `#/thehive/<case id>`. */
  function route() {
    const hash = decodeURIComponent(window.location.hash.replace(/^#\/?/, ''));
    const [path, queryString] = hash.split('?');
    const parts = path.split('/').filter(Boolean);
    const query = new URLSearchParams(queryString || '');
    ui.caseId = null;
    ui.casesPage = false;
    if (parts[0] === 'thehive') {
      if (parts[1]) ui.caseId = parts[1];
      else ui.casesPage = true;
      // Back in the channel, it opens where the user left off reading.
      ui.positioned = null;
    } else if (parts[0]) {
      ui.channel = parts[0];
      if (parts[1]) {
        ui.highlight = parts[1];
        ui.scrollToHighlight = true;
        // A reply's permalink names its thread: open it so the reply can be seen.
        const threadTs = query.get('thread_ts');
        if (threadTs) ui.expanded.add(threadTs);
      }
    } else if (ui.state) ui.channel = ui.state.alertChannel;
    render();
  }

  function findMessage(channel, ts) {
    for (const message of ui.state.messages[channel] || []) {
      if (message.ts === ts) return message;
      const reply = (message.replies || []).find((r) => r.ts === ts);
      if (reply) return reply;
    }
    return undefined;
  }

  function findElement(source, blockId, actionId) {
    const block = source && (source.blocks || []).find((b) => b.block_id === blockId);
    if (!block) return undefined;
    const elements = (block.elements || []).concat(block.accessory ? [block.accessory] : []);
    return elements.find((e) => e.action_id === actionId);
  }

  function confirmFirst(confirm) {
    return new Promise((resolve) => {
      const root = byId('confirm-root');
      mount(root, [R.renderConfirm(confirm)]);
      const done = (answer) => {
        root.replaceChildren();
        resolve(answer);
      };
      root.querySelector('[data-testid="confirm-ok"]').addEventListener('click', () => done(true));
      root.querySelector('[data-testid="confirm-cancel"]').addEventListener('click', () => done(false));
    });
  }

  async function act(control, selectedValue) {
    const holder = control.closest(
      '[data-testid="message"], [data-testid="thread-reply"], [data-testid="ephemeral"]',
    );
    if (!holder) return;
    const ephemeral = holder.getAttribute('data-ephemeral') === 'true';
    const ts = holder.getAttribute('data-ts');
    const channel = holder.getAttribute('data-channel') || ui.channel;
    const blockId = control.getAttribute('data-block-id');
    const actionId = control.getAttribute('data-action-id');
    const source = ephemeral ? ui.state.ephemerals.find((e) => e.ts === ts) : findMessage(channel, ts);
    const element = findElement(source, blockId, actionId);
    if (element && element.confirm && !(await confirmFirst(element.confirm))) return;
    const busyKey = `${blockId}/${actionId}`;
    ui.busy.add(busyKey);
    awaitAnswer();
    render();
    try {
      const { ok, data } = await post('click', {
        channel: ephemeral && source ? source.channel : channel,
        ts,
        actionId,
        blockId,
        userId: ui.user,
        ...(ephemeral ? { ephemeral: true } : {}),
        ...(selectedValue !== undefined ? { selectedValue } : {}),
      });
      if (ok) reportOutcome(data);
    } finally {
      ui.busy.delete(busyKey);
      scheduleRefresh();
    }
  }

  async function sendReply(threadTs) {
    const key = `reply/${threadTs}`;
    const text = (ui.drafts[key] || '').trim();
    if (!text) return;
    const { ok } = await post('message', { channel: ui.channel, threadTs, userId: ui.user, text });
    if (ok) delete ui.drafts[key];
    scheduleRefresh();
  }

  function onTimelineClick(event) {
    const control = event.target.closest('[data-testid]');
    if (!control) return;
    const testid = control.getAttribute('data-testid');
    if (testid === 'action-button') {
      void act(control);
    } else if (testid === 'link-button') {
      // Slack opens the link and also tells the app about the click.
      void act(control);
    } else if (testid === 'thread-toggle' || testid === 'thread-start') {
      const ts = control.getAttribute('data-ts');
      if (ui.expanded.has(ts)) ui.expanded.delete(ts);
      else ui.expanded.add(ts);
      render();
    } else if (testid === 'ephemeral-dismiss') {
      void post('ephemeral/dismiss', { ts: control.getAttribute('data-ts'), userId: ui.user }).then(
        scheduleRefresh,
      );
    } else if (testid === 'thread-composer-send') {
      void sendReply(control.getAttribute('data-thread-ts'));
    } else if (testid === 'replay-click') {
      void replayClick(control.getAttribute('data-ts'));
    } else if (testid === 'message-shortcut') {
      void runShortcut(control);
    }
  }

  async function runShortcut(control) {
    const holder = control.closest('[data-testid="message"], [data-testid="thread-reply"]');
    const channel = (holder && holder.getAttribute('data-channel')) || ui.channel;
    awaitAnswer();
    const { ok, data } = await post('shortcut', {
      channel,
      ts: control.getAttribute('data-ts'),
      callbackId: control.getAttribute('data-callback-id'),
      userId: ui.user,
    });
    if (ok) reportOutcome(data);
    scheduleRefresh();
  }

  async function replayClick(ts) {
    awaitAnswer();
    const { ok, data } = await post('click/replay', { channel: ui.channel, ts, userId: ui.user });
    if (ok) reportOutcome(data);
    scheduleRefresh();
  }

  function onTimelineChange(event) {
    const control = event.target;
    if (control.getAttribute('data-testid') === 'action-select' && control.value)
      void act(control, control.value);
  }

  function onDraftInput(event) {
    const key = event.target.getAttribute && event.target.getAttribute('data-draft');
    if (key) ui.drafts[key] = event.target.value;
  }

  function onTimelineKey(event) {
    if (event.key !== 'Enter' || event.target.getAttribute('data-testid') !== 'thread-composer-input') return;
    const composer = event.target.closest('[data-testid="thread-composer"]');
    if (composer) void sendReply(composer.getAttribute('data-thread-ts'));
  }

  /** The value of one modal input, in the form the server expects. */
  function modalInputValue(control) {
    if (control.tagName === 'INPUT' || control.tagName === 'TEXTAREA') return { value: control.value };
    if (control.tagName === 'SELECT')
      return { selected: [...control.selectedOptions].map((o) => o.value).filter(Boolean) };
    return { selected: [...control.querySelectorAll('input:checked')].map((input) => input.value) };
  }

  function onModalInput(event) {
    const control = event.target.closest('[data-testid="modal-input"]');
    if (!control) return;
    const key = `modal/${control.getAttribute('data-block-id')}/${control.getAttribute('data-action-id')}`;
    const value = modalInputValue(control);
    ui.drafts[key] = value.value !== undefined ? value.value : value.selected;
  }

  async function onModalClick(event) {
    const control = event.target.closest('[data-testid]');
    const modal = ui.state && ui.state.modal;
    if (!control || !modal) return;
    const testid = control.getAttribute('data-testid');
    if (testid === 'modal-close') {
      await post('view/close', { viewId: modal.id, userId: ui.user });
      scheduleRefresh();
    } else if (testid === 'modal-submit') {
      const values = {};
      for (const input of byId('modal-root').querySelectorAll('[data-testid="modal-input"]')) {
        const blockId = input.getAttribute('data-block-id');
        values[blockId] = values[blockId] || {};
        values[blockId][input.getAttribute('data-action-id')] = modalInputValue(input);
      }
      control.setAttribute('disabled', '');
      const { ok, data } = await post('view/submit', { viewId: modal.id, userId: ui.user, values });
      control.removeAttribute('disabled');
      if (!ok) return;
      ui.modalErrors = data.errors || {};
      if (data.errors) ui.modalShown = null;
      reportOutcome(data);
      render();
      scheduleRefresh();
    }
  }

  async function changeCase(caseId, changes) {
    const { ok } = await post('case', { caseId, userId: ui.user, changes });
    if (ok) toast(`Case updated in TheHive: ${Object.keys(changes).join(', ')}`, 'ok');
    scheduleRefresh();
    return ok;
  }

  function onCaseChange(event) {
    const control = event.target;
    const caseId = control.getAttribute('data-case-id');
    switch (control.getAttribute('data-testid')) {
      case 'case-status': {
        if (ui.state.caseStatuses[control.value] === 'Closed') {
          ui.closing = { caseId, status: control.value, impactStatus: 'NotApplicable' };
          render();
        } else {
          ui.closing = null;
          void changeCase(caseId, { status: control.value });
        }
        break;
      }
      case 'case-impact':
        if (ui.closing) ui.closing.impactStatus = control.value;
        break;
      case 'case-assignee':
        void changeCase(caseId, { assignee: control.value || null });
        break;
      case 'case-severity':
        void changeCase(caseId, { severity: Number(control.value) });
        break;
      default:
        break;
    }
  }

  async function onCaseClick(event) {
    const control = event.target.closest('[data-testid]');
    if (!control) return;
    const testid = control.getAttribute('data-testid');
    const caseId = control.getAttribute('data-case-id');
    if (testid === 'case-comment-add') {
      const key = `comment/${caseId}`;
      const message = (ui.drafts[key] || '').trim();
      if (!message) return;
      const { ok } = await post('comment', { caseId, userId: ui.user, message });
      if (ok) {
        delete ui.drafts[key];
        toast('Comment added in TheHive', 'ok');
      }
      scheduleRefresh();
    } else if (testid === 'case-close-cancel') {
      ui.closing = null;
      render();
    } else if (testid === 'case-close' && ui.closing && ui.closing.caseId === caseId) {
      const summary = ui.drafts[`summary/${caseId}`] || '';
      const ok = await changeCase(caseId, {
        status: ui.closing.status,
        impactStatus: ui.closing.impactStatus,
        ...(summary.trim() ? { summary: summary.trim() } : {}),
      });
      if (ok) {
        ui.closing = null;
        delete ui.drafts[`summary/${caseId}`];
        render();
      }
    }
  }

  async function inject(body) {
    const result = byId('inject-result');
    const { ok, data } = await post('inject', body);
    if (!ok) return;
    result.hidden = false;
    result.className = `inject-result ${data.status >= 200 && data.status < 300 ? 'inject-ok' : 'inject-error'}`;
    result.textContent = `HTTP ${data.status}\n${typeof data.body === 'string' ? data.body : JSON.stringify(data.body, null, 2)}`;
  }

  function connect() {
    const status = byId('connection');
    const events = new EventSource('/sandbox/console/events');
    events.onopen = () => {
      status.textContent = '● live';
      status.className = 'connection connection-live';
    };
    events.onerror = () => {
      status.textContent = '○ reconnecting…';
      status.className = 'connection connection-lost';
    };
    events.onmessage = scheduleRefresh;
  }

  function start() {
    const timeline = byId('timeline');
    timeline.addEventListener('click', onTimelineClick);
    timeline.addEventListener('change', onTimelineChange);
    timeline.addEventListener('input', onDraftInput);
    timeline.addEventListener('keydown', onTimelineKey);
    const modalRoot = byId('modal-root');
    modalRoot.addEventListener('input', onModalInput);
    modalRoot.addEventListener('change', onModalInput);
    modalRoot.addEventListener('click', (event) => void onModalClick(event));
    const cases = byId('case-list');
    cases.addEventListener('change', onCaseChange);
    cases.addEventListener('input', onDraftInput);
    cases.addEventListener('click', (event) => void onCaseClick(event));
    byId('user-picker').addEventListener('change', (event) => {
      ui.user = event.target.value;
      window.localStorage.setItem('hivewire.user', ui.user);
      ui.closing = null;
      ui.modalShown = null;
      ui.positioned = null;
      void refresh();
    });
    byId('notices').addEventListener('click', (event) => {
      const dismiss = event.target.closest('[data-testid="skip-notice-dismiss"]');
      if (dismiss)
        void post('notice/dismiss', { id: Number(dismiss.getAttribute('data-notice-id')) }).then(
          scheduleRefresh,
        );
    });
    byId('inject-samples').addEventListener('click', (event) => {
      const button = event.target.closest('[data-sample-index]');
      if (button) void inject({ sample: Number(button.getAttribute('data-sample-index')) });
    });
    byId('inject-json-submit').addEventListener('click', () => {
      const raw = byId('inject-json').value;
      if (raw.trim()) void inject({ raw });
    });
    window.addEventListener('hashchange', route);
    connect();
    void refresh().then(route);
  }

  start();
})();
