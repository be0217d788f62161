import * as actions from '../../blocks/actions';
import {
  ALERT_EVENT_TYPE,
  CREATE_CASE,
  IGNORE,
  LINK_ACTIONS,
  OPEN_CASE,
  OPEN_CONSOLE,
  OPEN_REMEDIATION,
} from '../../blocks/actions';

describe('action ids', () => {
  it('keeps the contract ids and metadata event type exactly', () => {
    expect([CREATE_CASE, IGNORE, ALERT_EVENT_TYPE]).toEqual([
      'hivewire.create_case',
      'hivewire.ignore',
      'hivewire_alert',
    ]);
  });

  it('gives every action and callback a distinct hivewire.* id within Slack’s 255 characters', () => {
    const ids = Object.entries(actions)
      .filter(([name, value]) => typeof value === 'string' && name !== 'ALERT_EVENT_TYPE')
      .map(([, value]) => value as string);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^hivewire\.[a-z_.]{1,240}$/);
    expect(ids.sort()).toEqual([
      'hivewire.ask_user',
      'hivewire.create_case',
      'hivewire.enrich',
      'hivewire.ignore',
      'hivewire.ignore_modal',
      'hivewire.open_case',
      'hivewire.open_console',
      'hivewire.open_remediation',
      'hivewire.report_modal',
      'hivewire.report_to_soc',
      'hivewire.triage.no',
      'hivewire.triage.unsure',
      'hivewire.triage.yes',
    ]);
  });

  it('lists the link buttons the listeners only acknowledge', () => {
    expect(LINK_ACTIONS).toEqual([OPEN_CONSOLE, OPEN_CASE, OPEN_REMEDIATION]);
  });
});
