/**
 * `hivewire config <file|->`: checks a config file and prints the one-line JSON the AWS functions read
 * from SSM (they carry no YAML parser). Runs the real executable.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

function hivewireConfig(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [join(__dirname, '../../bin/hivewire.js'), 'config', ...args], {
    input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('hivewire config', () => {
  it('prints a YAML file as one line of JSON with its defaults filled in', () => {
    const run = hivewireConfig(
      ['-'],
      'accounts:\n  "111122223333": { customer: acme }\nslack: { admins: [U0ALICE] }\n',
    );
    expect(run).toEqual({
      code: 0,
      stderr: '',
      stdout:
        '{"accounts":{"111122223333":{"customer":"acme"}},"customers":{},' +
        '"defaults":{"tlp":2,"pap":2,"customer":"internal"},"slack":{"admins":["U0ALICE"],"adminGroups":[]},' +
        '"users":{},"storms":{"enabled":true,"threshold":20,"digestMinutes":60},"responseActions":[]}\n',
    });
  });

  it('exits 1 on a refused file, naming the key, and prints nothing to store', () => {
    expect(hivewireConfig(['-'], 'defaults: { tlp: 9 }\n')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'hivewire config: stdin: defaults.tlp: Too big: expected number to be <=4\n',
    });
  });

  it('says what a key must be and which key a typo meant, never an empty path', () => {
    expect(
      hivewireConfig(
        ['-'],
        'accounts:\n  "11112222": { customer: acme }\ncustmers:\n  acme: { channel: C0ACME }\n',
      ),
    ).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'hivewire config: stdin: accounts.11112222: not an account id: expected a 12-digit AWS account id, ' +
        'quoted ("012345678901"); custmers: unknown key (did you mean "customers"?)\n',
    });
  });

  it('exits 2 on a file that is not YAML or JSON, as render and case-request do on unreadable input', () => {
    const run = hivewireConfig(['-'], 'defaults: {tlp: 2\n  x: [');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^hivewire config: stdin: not valid YAML or JSON: /);
  });

  it('exits 2 when the file cannot be read', () => {
    const run = hivewireConfig(['/nonexistent/hivewire.yml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^hivewire config: cannot read \/nonexistent\/hivewire\.yml: ENOENT/);
  });
});
