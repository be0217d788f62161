/** Stored links read back with today's configuration: a restart on another port leaves none to the old one. */
import { currentPermalink, withCurrentLinks } from '../../src/alerts/links';
import { renderAlert } from '../../src/alerts/render';
import { defaultConfigFile, resolveConfig } from '../../src/config/config';
import { slackPermalink } from '../../src/domain/slack-permalink';
import { makeAlertRecord } from '../helpers/alerts';

const FIRST_RUN = {
  permalink: 'http://localhost:3000/#/C0SANDBOX/1764064800.000100?thread_ts=1764064700.000100&cid=C0SANDBOX',
  caseUrl: 'http://localhost:3000/sandbox/thehive/cases/~8/details',
};
const sandboxOn = (port: string) => resolveConfig({ PORT: port }, defaultConfigFile());

describe('links rebuilt when read', () => {
  it('moves a sandbox permalink and case link to the port the sandbox runs on now', () => {
    const alert = makeAlertRecord({ state: 'escalated', caseId: '~8', caseNumber: 3, ...FIRST_RUN });
    const now = withCurrentLinks(alert, sandboxOn('3001'));
    expect(now.permalink).toBe(
      'http://localhost:3001/#/C0SANDBOX/1764064800.000100?thread_ts=1764064700.000100&cid=C0SANDBOX',
    );
    expect(now.caseUrl).toBe('http://localhost:3001/sandbox/thehive/cases/~8/details');
    expect(withCurrentLinks(alert, sandboxOn('3000'))).toBe(alert);
  });

  it("leads a permalink built in Slack's form (from the stand-in's workspace URL) to the message in the console", () => {
    const built = slackPermalink('https://hivewire-sandbox.slack.com/', 'C0SANDBOX', '1764064800.000100');
    expect(built).toBe('https://hivewire-sandbox.slack.com/archives/C0SANDBOX/p1764064800000100');
    expect(currentPermalink(built, sandboxOn('3001'))).toBe(
      'http://localhost:3001/#/C0SANDBOX/1764064800.000100',
    );
    // The storm digest's link a member keeps, too.
    const member = makeAlertRecord({ inDigest: { fingerprint: 'digest', permalink: built } });
    expect(withCurrentLinks(member, sandboxOn('3001')).inDigest?.permalink).toBe(
      'http://localhost:3001/#/C0SANDBOX/1764064800.000100',
    );
    // A real workspace's permalink stays as it is, in the sandbox too.
    const real = 'https://acme.slack.com/archives/C0SECOPS/p1764064800000100';
    expect(currentPermalink(real, sandboxOn('3001'))).toBe(real);
  });

  it("keeps Slack's own permalinks, and builds case links from today's THEHIVE_URL", () => {
    const config = resolveConfig(
      {
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_ALERT_CHANNEL: 'C0SECOPS',
        SLACK_SIGNING_SECRET: 's',
        THEHIVE_URL: 'https://thehive.example.test/',
        THEHIVE_API_KEY: 'k',
        THEHIVE_WEBHOOK_SECRET: 'w',
        INGEST_SECRET: 'i',
      },
      defaultConfigFile(),
    );
    const slack = 'https://acme.slack.com/archives/C0SECOPS/p1764064800000100';
    expect(currentPermalink(slack, config)).toBe(slack);
    const alert = makeAlertRecord({
      caseId: '~8',
      caseUrl: 'https://old-thehive.example.test/cases/~8/details',
    });
    expect(withCurrentLinks(alert, config).caseUrl).toBe('https://thehive.example.test/cases/~8/details');
  });

  it('the alert keeps its "Open in TheHive" button after a restart on another port', () => {
    const alert = makeAlertRecord({
      state: 'escalated',
      caseId: '~8',
      caseNumber: 3,
      ...FIRST_RUN,
      case: { status: 'New', stage: 'New' },
    });
    const blocks = JSON.stringify(renderAlert(alert, sandboxOn('3001')).blocks);
    expect(blocks).toContain('"url":"http://localhost:3001/sandbox/thehive/cases/~8/details"');
    expect(blocks).not.toContain('localhost:3000');
  });
});
