/** Slack mrkdwn → TheHive Markdown for a copied message, and the marker of Hivewire's own comments. */
import {
  HIVEWIRE_COMMENT_MARKER,
  isHivewireComment,
  mentionedUsers,
  slackMessageComment,
  slackToMarkdown,
} from '../../src/cases/conversation-text';

describe('slackToMarkdown', () => {
  test.each([
    ['a mention becomes the name', 'ask <@U0BOB>', { U0BOB: 'Bob' }, 'ask @Bob'],
    [
      'a mention with no name known keeps its label, else its id',
      'ask <@U0X|xavier> <@U0Y>',
      {},
      'ask @xavier @U0Y',
    ],
    [
      'a channel, a group, here and a date read as text',
      '<#C1|secops> <!subteam^S1|@leads> <!here> <!date^1|yesterday>',
      {},
      '#secops @leads @here yesterday',
    ],
    ['a labelled link is its label', 'see <https://runbook.example/x|the runbook>', {}, 'see the runbook'],
    [
      'a bare link is its address, defanged',
      'see <https://evil.example/x>',
      {},
      'see hxxps://evil[.]example/x',
    ],
    [
      'Slack entities are the characters typed, escaped where Markdown acts',
      '&lt;img src=x&gt; &amp;copy;',
      {},
      '\\<img src=x> \\&copy;',
    ],
    [
      'Markdown the analyst typed is shown, not applied',
      '# [x](https://e.example) *b*',
      {},
      '\\# \\[x\\](hxxps://e[.]example) \\*b\\*',
    ],
    [
      'inline code stays code, its content literal',
      'run `rm -rf /tmp/* &amp;&amp; [x](y)`',
      {},
      'run `rm -rf /tmp/* && [x](y)`',
    ],
    [
      'a code block stays a block',
      'before ```line 1\n<b>line 2</b>``` after',
      {},
      'before \n```\nline 1\n<b>line 2</b>\n```\n after',
    ],
    ['invisible characters are shown, as escaped text', 'adm\u200bin', {}, 'adm\\<U+200B>in'],
  ])('%s', (_name, mrkdwn, names, markdown) => {
    expect(slackToMarkdown(mrkdwn, names)).toBe(markdown);
  });

  test('the mentioned user ids, once each', () => {
    expect(mentionedUsers('<@U1> <@U2|two> <@U1> <#C1> <!here>')).toEqual(['U1', 'U2']);
  });
});

describe('slackMessageComment', () => {
  const base = {
    authorName: 'alice',
    text: 'on it',
    names: {},
    channel: 'C0SEC',
    ts: '1764065400.000200',
    permalink: 'https://example.slack.com/archives/C0SEC/p1764065400000200',
  };

  test('who said it in Slack, the text, the files and the message link, marked as Hivewire’s', () => {
    const comment = slackMessageComment({
      ...base,
      files: [
        { name: 'cap (1).pcap', permalink: 'https://example.slack.com/files/U1/F1/cap.pcap' },
        { name: 'notes' },
      ],
    });
    expect(comment).toBe(
      '**alice** in Slack: on it\n\n' +
        '- file [cap (1).pcap](https://example.slack.com/files/U1/F1/cap.pcap)\n- file notes\n\n' +
        '[Slack message](https://example.slack.com/archives/C0SEC/p1764065400000200)\n\n' +
        HIVEWIRE_COMMENT_MARKER,
    );
    expect(isHivewireComment(comment)).toBe(true);
  });

  test('an author name cannot format or link; without a permalink the message is named by channel and ts', () => {
    expect(
      slackMessageComment({ ...base, authorName: '[evil](https://x.example)', permalink: undefined }),
    ).toBe(
      '**\\[evil\\](hxxps://x[.]example)** in Slack: on it\n\nSlack message 1764065400.000200 in C0SEC\n\n' +
        HIVEWIRE_COMMENT_MARKER,
    );
  });

  test('edited and deleted', () => {
    expect(slackMessageComment({ ...base, edited: true })).toMatch(
      /^\*\*alice\*\* in Slack \(edited\): on it\n/,
    );
    const deleted = slackMessageComment({ ...base, deletedAt: '2025-11-25T10:13:20.000Z' });
    expect(deleted).toMatch(
      /^\*\*alice\*\* in Slack: _message deleted in Slack at 2025-11-25T10:13:20.000Z_\n/,
    );
    expect(deleted).not.toContain('on it');
  });

  test('a comment people wrote is not Hivewire’s, even quoting the marker mid-text', () => {
    expect(isHivewireComment('Contained')).toBe(false);
    expect(isHivewireComment(`${HIVEWIRE_COMMENT_MARKER} said the bot, then I did more`)).toBe(false);
  });
});
