import type { KnownBlock } from '@slack/types';
import { messageTextLength } from '../../blocks/limits';

describe('messageTextLength', () => {
  it('counts the text of headers, sections and their fields, context elements and button labels', () => {
    const blocks: KnownBlock[] = [
      { type: 'header', text: { type: 'plain_text', text: '12345' } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: 'abc' },
        fields: [
          { type: 'mrkdwn', text: 'de' },
          { type: 'plain_text', text: 'f' },
        ],
      },
      { type: 'divider' },
      {
        type: 'context',
        elements: [
          { type: 'image', image_url: 'https://example.com/a.png', alt_text: 'ignored' },
          { type: 'mrkdwn', text: 'gh' },
        ],
      },
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'Go' }, value: 'not text' },
        ],
      },
    ];
    expect(messageTextLength(blocks)).toBe(5 + 3 + 2 + 1 + 2 + 2);
  });
});
