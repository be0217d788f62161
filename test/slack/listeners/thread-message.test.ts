/** Which Slack message events are a person's words in a thread, and what change each one is. */
import { threadMessageOf } from '../../../src/slack/listeners/thread-message';

const reply = {
  type: 'message' as const,
  channel: 'C0SEC',
  user: 'U0ALICE',
  text: 'on it',
  ts: '1764065400.000200',
  thread_ts: '1764064800.000100',
};

describe('threadMessageOf', () => {
  test('a reply in a thread is posted, its files named with their permalink', () => {
    expect(
      threadMessageOf({
        ...reply,
        subtype: 'file_share',
        files: [{ name: 'a.pcap', title: 'capture', permalink: 'https://x/f' }, { name: 'b.txt' }],
      }),
    ).toEqual({
      change: 'posted',
      channel: 'C0SEC',
      ts: '1764065400.000200',
      threadTs: '1764064800.000100',
      user: 'U0ALICE',
      text: 'on it',
      files: [
        { name: 'capture', permalink: 'https://x/f' },
        { name: 'b.txt', permalink: undefined },
      ],
      revision: '1764065400.000200',
    });
  });

  test('an edit carries the new text and the edit’s ts; a change that is no edit (an unfurl) is skipped', () => {
    const changed = {
      type: 'message' as const,
      subtype: 'message_changed',
      channel: 'C0SEC',
      ts: '1764065500.000300',
      message: { ...reply, text: 'better', edited: { ts: '1764065500.000000' } },
      previous_message: reply,
    };
    expect(threadMessageOf(changed)).toMatchObject({
      change: 'edited',
      text: 'better',
      revision: '1764065500.000000',
    });
    expect(threadMessageOf({ ...changed, message: { ...reply, attachments: [{}] } as never })).toEqual({
      skip: 'changed without an edit',
    });
  });

  test('a deletion names the deleted message', () => {
    expect(
      threadMessageOf({
        type: 'message',
        subtype: 'message_deleted',
        channel: 'C0SEC',
        ts: '1764065600.000400',
        deleted_ts: reply.ts,
        previous_message: reply,
      }),
    ).toEqual({
      change: 'deleted',
      channel: 'C0SEC',
      ts: reply.ts,
      threadTs: reply.thread_ts,
      revision: '1764065600.000400',
    });
  });

  test.each([
    ['a root message', { ...reply, thread_ts: undefined }, 'not a thread reply'],
    ['the thread’s root itself', { ...reply, thread_ts: reply.ts }, 'not a thread reply'],
    ['a bot’s message', { ...reply, bot_id: 'B0OTHER', subtype: 'bot_message' }, "a bot's message"],
    ['a join', { ...reply, subtype: 'channel_join' }, 'subtype channel_join'],
    [
      'a bot message deleted',
      {
        type: 'message' as const,
        subtype: 'message_deleted',
        channel: 'C0SEC',
        ts: '1.2',
        deleted_ts: reply.ts,
        previous_message: { ...reply, bot_id: 'B1' },
      },
      "a bot's message",
    ],
  ])('%s is not copied', (_name, event, skip) => {
    expect(threadMessageOf(event)).toEqual({ skip });
  });
});
