import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axios, { type AxiosInstance } from 'axios';
import { parseNotification } from '../../src/cases/notification';
import { createLogger, type Logger } from '../../src/observability/logger';
import { createTheHiveApi } from '../../src/sandbox/thehive-api';
import { SandboxTheHive } from '../../src/sandbox/thehive-instance';
import { WebhookNotifier } from '../../src/sandbox/thehive-webhook';
import { serveHandler, startRecorder, type LocalServer, type Recorder } from './local-server';

const T0 = 1732525200000;
const WEBHOOK_SECRET = 'test-webhook-secret';
const USERS = ['alice@example.com', 'bob@example.com'];

let clock = T0;
let receiver: Recorder;
let notifier: WebhookNotifier;
let theHive: SandboxTheHive;
let server: LocalServer;
let api: AxiosInstance;

function client(apiKey: string): AxiosInstance {
  return axios.create({
    baseURL: `${server.url}/sandbox/thehive`,
    headers: { authorization: `Bearer ${apiKey}` },
    validateStatus: () => true,
  });
}

const alertInput = {
  type: 'hivewire',
  source: 'guardduty',
  sourceRef: 'fp-ssh-1',
  title: 'SSH brute force against i-0abc',
  description: '### SSH brute force',
  severity: 3,
  tags: ['customer:acme', 'source:guardduty'],
  tlp: 2,
  pap: 2,
  observables: [
    { dataType: 'ip', data: '198.51.100.7', ioc: true },
    { dataType: 'other', data: 'i-0abc', tags: ['resource'] },
  ],
};

async function openCase(): Promise<{ alertId: string; caseId: string }> {
  const alert = await api.post('/api/v1/alert', alertInput);
  const promoted = await api.post(`/api/v1/alert/${alert.data._id}/case`, {});
  return { alertId: alert.data._id, caseId: promoted.data._id };
}

beforeEach(async () => {
  clock = T0;
  receiver = await startRecorder();
  notifier = new WebhookNotifier({
    url: `${receiver.url}/thehive/webhook`,
    secret: WEBHOOK_SECRET,
    logger: createLogger(),
  });
  theHive = new SandboxTheHive({ users: USERS, notifier, now: () => clock });
  server = await serveHandler(createTheHiveApi({ theHive, apiKey: 'sandbox' }));
  api = client('sandbox');
});

afterEach(async () => {
  await notifier.idle();
  await server.close();
  await receiver.close();
});

describe('TheHive stand-in, driven by axios', () => {
  it('refuses a missing or wrong API key with 401 AuthenticationError, but serves the public status', async () => {
    const wrong = await client('not-the-key').get('/api/v1/case/1');
    const missing = await axios.get(`${server.url}/sandbox/thehive/api/v1/case/1`, {
      validateStatus: () => true,
    });
    const status = await axios.get(`${server.url}/sandbox/thehive/api/v1/status/public`);

    expect([wrong.status, wrong.data]).toEqual([
      401,
      { type: 'AuthenticationError', message: 'Authentication failure' },
    ]);
    expect(missing.status).toBe(401);
    expect(status.data).toEqual({ version: '5.5.0-sandbox', sso: false, ssoProviders: [], imports: [] });
  });

  it('creates an alert (201 OutputAlert) and finds it by id and by "type;source;sourceRef"', async () => {
    const created = await api.post('/api/v1/alert', alertInput);

    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({
      _id: expect.stringMatching(/^~\d+$/),
      _type: 'Alert',
      _createdBy: 'hivewire@thehive.local',
      _createdAt: T0,
      type: 'hivewire',
      source: 'guardduty',
      sourceRef: 'fp-ssh-1',
      severity: 3,
      severityLabel: 'HIGH',
      tlpLabel: 'AMBER',
      observableCount: 2,
      status: 'New',
      stage: 'New',
    });
    const byId = await api.get(`/api/v1/alert/${created.data._id}`);
    const byName = await api.get(`/api/v1/alert/${encodeURIComponent('hivewire;guardduty;fp-ssh-1')}`);
    expect(byId.data).toEqual(created.data);
    expect(byName.data).toEqual(created.data);
  });

  it('rejects a second alert with the same type/source/sourceRef with 400 CreateError', async () => {
    await api.post('/api/v1/alert', alertInput);
    const duplicate = await api.post('/api/v1/alert', { ...alertInput, title: 'again' });

    expect(duplicate.status).toBe(400);
    expect(duplicate.data).toEqual({
      type: 'CreateError',
      message: 'Alert hivewire:guardduty:fp-ssh-1 already exists in organisation SOC',
    });
  });

  it.each([
    ['title', { title: 'x'.repeat(513) }, 'title: Too big: expected string to have <=512 characters'],
    ['type', { type: 'x'.repeat(33) }, 'type: Too big: expected string to have <=32 characters'],
    ['source', { source: 'x'.repeat(33) }, 'source: Too big: expected string to have <=32 characters'],
    [
      'sourceRef',
      { sourceRef: 'x'.repeat(129) },
      'sourceRef: Too big: expected string to have <=128 characters',
    ],
    ['a tag', { tags: ['x'.repeat(129)] }, 'tags.0: Too big: expected string to have <=128 characters'],
    [
      'description',
      { description: undefined },
      'description: Invalid input: expected string, received undefined',
    ],
  ])('validates the alert: %s', async (_name, change, message) => {
    const response = await api.post('/api/v1/alert', { ...alertInput, ...change });
    expect([response.status, response.data]).toEqual([400, { type: 'AttributeCheckingError', message }]);
  });

  it('promotes an alert into case #1 with its observables; a second promotion is refused', async () => {
    const alert = await api.post('/api/v1/alert', alertInput);
    const promoted = await api.post(`/api/v1/alert/${alert.data._id}/case`, {});
    const again = await api.post(`/api/v1/alert/${alert.data._id}/case`, {});
    const second = await api.post('/api/v1/alert', { ...alertInput, sourceRef: 'fp-2' });
    const promotedSecond = await api.post(`/api/v1/alert/${second.data._id}/case`);

    expect(promoted.status).toBe(201);
    expect(promoted.data).toMatchObject({
      _type: 'Case',
      number: 1,
      title: 'SSH brute force against i-0abc',
      status: 'New',
      stage: 'New',
      severity: 3,
      tags: ['customer:acme', 'source:guardduty'],
    });
    expect(again.status).toBe(400);
    expect(again.data.type).toBe('BadRequest');
    expect(promotedSecond.data.number).toBe(2);
    const observables = await api.post('/api/v1/query', {
      query: [{ _name: 'getCase', idOrName: promoted.data._id }, { _name: 'observables' }],
    });
    expect(
      observables.data.map((o: { dataType: string; data: string; ioc: boolean }) => [
        o.dataType,
        o.data,
        o.ioc,
      ]),
    ).toEqual([
      ['ip', '198.51.100.7', true],
      ['other', 'i-0abc', false],
    ]);
    const alertAfter = await api.get(`/api/v1/alert/${alert.data._id}`);
    expect(alertAfter.data).toMatchObject({
      caseId: promoted.data._id,
      status: 'Imported',
      stage: 'Imported',
    });
  });

  it('gets a case by _id and by number, and answers 404 NotFoundError for an unknown one', async () => {
    const { caseId } = await openCase();

    expect((await api.get(`/api/v1/case/${caseId}`)).data._id).toBe(caseId);
    expect((await api.get('/api/v1/case/1')).data._id).toBe(caseId);
    const missing = await api.get('/api/v1/case/~999');
    expect([missing.status, missing.data]).toEqual([
      404,
      { type: 'NotFoundError', message: 'Case ~999 not found' },
    ]);
  });

  it('fires a create notification when the case is created', async () => {
    const { caseId } = await openCase();
    const delivery = await receiver.next();
    const body = JSON.parse(delivery.body);

    expect(delivery.path).toBe('/thehive/webhook');
    expect(delivery.headers.authorization).toBe(`Bearer ${WEBHOOK_SECRET}`);
    expect(body).toMatchObject({ action: 'create', objectType: 'Case', objectId: caseId, rootId: caseId });
    expect(body.object).toMatchObject({ _id: caseId, number: 1, status: 'New', stage: 'New' });
    expect(body.details).toMatchObject({ number: 1, status: 'New', title: 'SSH brute force against i-0abc' });
  });

  it('answers PATCH with 204 and sends the update audit event to the webhook with the Bearer secret', async () => {
    const { caseId } = await openCase();
    await receiver.next();
    clock = T0 + 60_000;

    const patched = await api.patch(`/api/v1/case/${caseId}`, {
      status: 'InProgress',
      assignee: 'alice@example.com',
    });
    const delivery = await receiver.next();
    const after = (await api.get(`/api/v1/case/${caseId}`)).data;

    expect(patched.status).toBe(204);
    expect(patched.data).toBe('');
    expect(after).toMatchObject({
      status: 'InProgress',
      stage: 'InProgress',
      assignee: 'alice@example.com',
      _updatedAt: T0 + 60_000,
      _updatedBy: 'hivewire@thehive.local',
    });
    expect(delivery.method).toBe('POST');
    expect(delivery.headers.authorization).toBe(`Bearer ${WEBHOOK_SECRET}`);
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(JSON.parse(delivery.body)).toEqual({
      _id: expect.stringMatching(/^~\d+$/),
      _type: 'Audit',
      _createdAt: T0 + 60_000,
      _createdBy: 'hivewire@thehive.local',
      action: 'update',
      mainAction: true,
      requestId: expect.stringMatching(/^[0-9a-f]{24}$/),
      objectId: caseId,
      objectType: 'Case',
      rootId: caseId,
      startDate: T0 + 60_000,
      details: {
        status: 'InProgress',
        stage: 'InProgress',
        inProgressDate: T0 + 60_000,
        assignee: 'alice@example.com',
      },
      object: { ...after, customFieldValues: {} },
      context: { ...after, customFieldValues: {} },
      organisation: { organisation: 'SOC', organisationId: '~4096' },
      organisationId: '~4096',
    });
  });

  it('closes a case: the details name the closing status, the Closed stage, the dates, summary and impact', async () => {
    const { caseId } = await openCase();
    await receiver.next();
    clock = T0 + 120_000;

    await api.patch(`/api/v1/case/${caseId}`, {
      status: 'TruePositive',
      summary: 'Blocked at the SG',
      impactStatus: 'NoImpact',
    });
    const body = JSON.parse((await receiver.next()).body);

    expect(body.details).toEqual({
      status: 'TruePositive',
      stage: 'Closed',
      closedDate: T0 + 120_000,
      endDate: T0 + 120_000,
      summary: 'Blocked at the SG',
      impactStatus: 'NoImpact',
    });
    expect(body.object).toMatchObject({
      status: 'TruePositive',
      stage: 'Closed',
      summary: 'Blocked at the SG',
    });
  });

  it('changes severity and tags; a PATCH that changes nothing sends nothing and keeps _updatedAt', async () => {
    const { caseId } = await openCase();
    await receiver.next();
    clock = T0 + 1000;
    await api.patch(`/api/v1/case/${caseId}`, {
      severity: 4,
      addTags: ['escalated'],
      removeTags: ['source:guardduty'],
    });
    const changed = JSON.parse((await receiver.next()).body);
    clock = T0 + 2000;

    const unchanged = await api.patch(`/api/v1/case/${caseId}`, { severity: 4 });
    await notifier.idle();

    expect(changed.details).toEqual({
      severity: 4,
      severityLabel: 'CRITICAL',
      tags: ['customer:acme', 'escalated'],
    });
    expect(unchanged.status).toBe(204);
    expect(receiver.requests).toHaveLength(2);
    expect((await api.get(`/api/v1/case/${caseId}`)).data._updatedAt).toBe(T0 + 1000);
  });

  it('sends notifications the bot’s webhook parser reads as case changes', async () => {
    const { caseId } = await openCase();
    const created = JSON.parse((await receiver.next()).body);
    clock = T0 + 1000;
    await api.patch(`/api/v1/case/${caseId}`, { status: 'Duplicated', summary: 'Same as #0' });
    const updated = JSON.parse((await receiver.next()).body);

    expect(parseNotification(created)).toMatchObject({
      kind: 'case',
      action: 'create',
      theCase: { _id: caseId, number: 1, status: 'New', stage: 'New' },
      actor: 'hivewire@thehive.local',
    });
    expect(parseNotification(updated)).toMatchObject({
      kind: 'case',
      action: 'update',
      theCase: {
        _id: caseId,
        status: 'Duplicated',
        stage: 'Closed',
        summary: 'Same as #0',
        _updatedAt: T0 + 1000,
      },
      notificationId: updated._id,
    });
  });

  it('refuses an unknown status or assignee and leaves the case unchanged', async () => {
    const { caseId } = await openCase();

    const badStatus = await api.patch(`/api/v1/case/${caseId}`, {
      status: 'Resolved',
      assignee: 'bob@example.com',
    });
    const badAssignee = await api.patch(`/api/v1/case/${caseId}`, {
      status: 'InProgress',
      assignee: 'eve@example.com',
    });

    expect([badStatus.status, badStatus.data.type]).toEqual([400, 'BadRequest']);
    expect([badAssignee.status, badAssignee.data]).toEqual([
      404,
      { type: 'NotFoundError', message: 'User eve@example.com not found' },
    ]);
    expect((await api.get(`/api/v1/case/${caseId}`)).data).toMatchObject({ status: 'New' });
    expect((await api.get(`/api/v1/case/${caseId}`)).data).not.toHaveProperty('assignee');
  });

  it('adds observables (201, an array) and comments (201 OutputComment) to a case', async () => {
    const { caseId } = await openCase();

    const observables = await api.post(`/api/v1/case/${caseId}/observable`, {
      dataType: 'domain',
      data: ['evil.example', 'worse.example'],
    });
    const duplicate = await api.post(`/api/v1/case/${caseId}/observable`, {
      dataType: 'ip',
      data: '198.51.100.7',
    });
    const comment = await api.post(`/api/v1/case/${caseId}/comment`, { message: 'Escalated from Slack' });

    expect(observables.status).toBe(201);
    expect(observables.data.map((o: { data: string }) => o.data)).toEqual(['evil.example', 'worse.example']);
    expect([duplicate.status, duplicate.data.type]).toEqual([400, 'CreateError']);
    expect(comment.status).toBe(201);
    expect(comment.data).toMatchObject({
      _type: 'Comment',
      createdBy: 'hivewire@thehive.local',
      message: 'Escalated from Slack',
    });
    const comments = await api.post('/api/v1/query', {
      query: [{ _name: 'getCase', idOrName: '1' }, { _name: 'comments' }],
    });
    expect(comments.data.map((c: { message: string }) => c.message)).toEqual(['Escalated from Slack']);
  });
});

describe('TheHive query API', () => {
  it('finds an alert with getAlert by "type;source;sourceRef"', async () => {
    const { alertId, caseId } = await openCase();

    const found = await api.post('/api/v1/query', {
      query: [{ _name: 'getAlert', idOrName: 'hivewire;guardduty;fp-ssh-1' }],
    });
    const missing = await api.post('/api/v1/query', {
      query: [{ _name: 'getAlert', idOrName: 'hivewire;guardduty;nope' }],
    });

    expect(found.data).toEqual([expect.objectContaining({ _id: alertId, caseId })]);
    expect([missing.status, missing.data.type]).toEqual([404, 'NotFoundError']);
  });

  it('lists the cases changed since a time, filtered by id, sorted and paged', async () => {
    const first = await openCase();
    clock = T0 + 10;
    await api.post('/api/v1/alert', { ...alertInput, sourceRef: 'fp-2' });
    const secondAlert = await api.get(`/api/v1/alert/${encodeURIComponent('hivewire;guardduty;fp-2')}`);
    const second = (await api.post(`/api/v1/alert/${secondAlert.data._id}/case`)).data;
    clock = T0 + 5000;
    await api.patch(`/api/v1/case/${first.caseId}`, { status: 'InProgress' });
    clock = T0 + 6000;
    await api.patch(`/api/v1/case/${second._id}`, { status: 'FalsePositive' });

    const changed = await api.post('/api/v1/query', {
      query: [
        { _name: 'listCase' },
        {
          _name: 'filter',
          _and: [
            { _gt: { _field: '_updatedAt', _value: T0 + 1000 } },
            { _in: { _field: '_id', _values: [first.caseId, second._id] } },
          ],
        },
        { _name: 'sort', _fields: [{ _updatedAt: 'desc' }] },
        { _name: 'page', from: 0, to: 10, extraData: ['total'] },
      ],
    });
    const later = await api.post('/api/v1/query', {
      query: [{ _name: 'listCase' }, { _name: 'filter', _gt: { _field: '_updatedAt', _value: T0 + 5000 } }],
    });
    const count = await api.post('/api/v1/query', {
      query: [
        { _name: 'listCase' },
        { _name: 'filter', _or: [{ _eq: { _field: 'stage', _value: 'Closed' } }] },
        { _name: 'count' },
      ],
    });

    expect(changed.data.map((c: { number: number; status: string }) => [c.number, c.status])).toEqual([
      [2, 'FalsePositive'],
      [1, 'InProgress'],
    ]);
    expect(changed.headers['x-total']).toBe('2');
    expect(later.data.map((c: { number: number }) => c.number)).toEqual([2]);
    expect(count.data).toBe(1);
  });

  it('answers 400 BadRequest for an unknown operation or filter operator', async () => {
    const unknownOperation = await api.post('/api/v1/query', {
      query: [{ _name: 'listCase' }, { _name: 'explode' }],
    });
    const unknownOperator = await api.post('/api/v1/query', {
      query: [{ _name: 'listCase' }, { _name: 'filter', _near: { _field: 'x', _value: 1 } }],
    });

    expect([unknownOperation.status, unknownOperation.data.type]).toEqual([400, 'BadRequest']);
    expect(unknownOperator.data).toEqual({
      type: 'BadRequest',
      message: 'Invalid filter: unknown operator _near',
    });
  });
});

describe('TheHive stand-in webhooks and state', () => {
  it('logs a failed delivery and does not retry it', async () => {
    const warnings: unknown[][] = [];
    const logger = { warn: (...args: unknown[]) => warnings.push(args) } as unknown as Logger;
    const closed = await startRecorder();
    await closed.close();
    const failing = new WebhookNotifier({
      url: `${closed.url}/thehive/webhook`,
      secret: WEBHOOK_SECRET,
      logger,
    });
    const instance = new SandboxTheHive({ users: USERS, notifier: failing, now: () => T0 });
    const alert = instance.createAlert(alertInput, 'hivewire@thehive.local');

    instance.promoteAlert(alert._id, {}, 'hivewire@thehive.local');
    await failing.idle();

    expect(warnings).toEqual([
      [
        'sandbox TheHive: webhook delivery failed; not retried',
        expect.objectContaining({
          url: `${closed.url}/thehive/webhook`,
          action: 'create',
          error: 'fetch failed',
        }),
      ],
    ]);
    expect(JSON.stringify(warnings)).not.toContain(WEBHOOK_SECRET);
  });

  it('keeps alerts, cases and numbering across a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hivewire-thehive-'));
    try {
      const stateFile = join(dir, 'thehive.json');
      const before = new SandboxTheHive({ users: USERS, stateFile, now: () => T0 });
      const alert = before.createAlert(alertInput, 'hivewire@thehive.local');
      const theCase = before.promoteAlert(alert._id, {}, 'hivewire@thehive.local');
      before.flush();

      const after = new SandboxTheHive({ users: USERS, stateFile, now: () => T0 });
      const next = after.createAlert({ ...alertInput, sourceRef: 'fp-2' }, 'hivewire@thehive.local');

      expect(after.getCase('1')._id).toBe(theCase._id);
      expect(after.observablesOf(theCase._id).map((o) => o.data)).toEqual(['198.51.100.7', 'i-0abc']);
      expect(after.promoteAlert(next._id, {}, 'hivewire@thehive.local').number).toBe(2);
      expect(() => after.createAlert(alertInput, 'hivewire@thehive.local')).toThrow('already exists');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('TheHive case page', () => {
  it('opens the case in the console', async () => {
    const response = await axios.get(`${server.url}/sandbox/thehive/cases/~123/details`, {
      maxRedirects: 0,
      validateStatus: () => true,
    });
    expect([response.status, response.headers.location]).toEqual([302, '/#/thehive/~123']);
  });
});
