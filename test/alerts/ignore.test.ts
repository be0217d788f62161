/**
 * What an ignore tells the places outside the chat: Security Hub's note names the platform and the
 * person, and `hivewire audit` does not call a Webex or Teams person a Slack user.
 */
import { suppressionNote } from '../../src/alerts/ignore';
import { currentState } from '../../src/cli/audit';
import { makeAlertRecord } from '../helpers/alerts';

describe('suppressionNote', () => {
  it('names the platform the person ignored the alert on', () => {
    const base = { userId: 'U0ALICE', userName: 'alice', reason: 'false-positive' as const };
    expect(suppressionNote(base)).toBe('Ignored in Slack by alice (U0ALICE): False positive');
    expect(suppressionNote({ ...base, platform: 'slack' })).toBe(
      'Ignored in Slack by alice (U0ALICE): False positive',
    );
    expect(
      suppressionNote({
        userId: 'aad-carol',
        userName: 'Carol',
        platform: 'teams',
        reason: 'false-positive',
        note: 'lab',
      }),
    ).toBe('Ignored in Teams by Carol (aad-carol): False positive — lab');
    expect(
      suppressionNote({
        userId: 'Y2lzY29zcGFyazovL3VzL1BFT1BMRS8x',
        platform: 'webex',
        reason: 'false-positive',
      }),
    ).toBe('Ignored in Webex by Y2lzY29zcGFyazovL3VzL1BFT1BMRS8x: False positive');
  });
});

describe('currentState of an ignored alert', () => {
  it('names who ignored it by name when known, without claiming a platform', () => {
    const ignored = makeAlertRecord({
      state: 'ignored',
      ignoredBy: 'aad-carol',
      ignoredByName: 'Carol',
      ignoreReason: 'false-positive',
    });
    expect(currentState(ignored)).toBe('ignored by Carol (false-positive)');
    expect(currentState({ ...ignored, ignoredByName: undefined })).toBe(
      'ignored by aad-carol (false-positive)',
    );
  });
});
