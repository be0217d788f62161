/** The stand-ins' saved state: links saved by a sandbox on one port point to the port it runs on now. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateFile } from '../../src/sandbox/state-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hivewire-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const STATE = {
  description: '[Slack alert](http://localhost:3000/#/C0SANDBOX/1764064800.000100)',
  text: '<http://localhost:3000/sandbox/thehive/cases/~8/details|Case #3> opened',
  elsewhere: 'http://localhost:30001/untouched and http://localhost:3000',
};

test('a restart on another port moves the saved links to it, and nothing else', () => {
  const path = join(dir, 'thehive.json');
  const first = new StateFile<typeof STATE>(path, 'http://localhost:3000');
  first.scheduleSave(() => STATE);
  first.flush();

  expect(new StateFile<typeof STATE>(path, 'http://localhost:3001').load()).toEqual({
    description: '[Slack alert](http://localhost:3001/#/C0SANDBOX/1764064800.000100)',
    text: '<http://localhost:3001/sandbox/thehive/cases/~8/details|Case #3> opened',
    elsewhere: 'http://localhost:30001/untouched and http://localhost:3001',
  });
  expect(new StateFile<typeof STATE>(path, 'http://localhost:3000').load()).toEqual(STATE);
});

test('a state file saved before addresses were recorded still loads as it is', () => {
  const path = join(dir, 'slack.json');
  writeFileSync(path, JSON.stringify(STATE));
  expect(new StateFile<typeof STATE>(path, 'http://localhost:3001').load()).toEqual(STATE);
});
