/**
 * The Store port's behaviour, written once and run against every adapter: what the use cases rely on
 * (conditional writes, the case index, the followed cases, audit order, delivery claims, settings,
 * dead letters, pending jobs), independent of how an adapter keeps it.
 */
import { ConflictError, updateAlert, updateConversationCopy, type Store } from '../../src/store/store';
import type { AlertRecord } from '../../src/domain/alert';
import { makeAlertRecord } from '../helpers/alerts';

/** A fresh, empty store whose clock the suite controls; `close` lets go of it. */
export type MakeStore = (clock: () => Date) => Promise<{ store: Store; close(): Promise<void> }>;

const START = new Date('2026-11-25T10:00:00.000Z');

function withoutVersion(record: AlertRecord): Omit<AlertRecord, 'version'> {
  const { version: _version, ...rest } = record;
  return rest;
}

function alert(fingerprint: string, overrides: Parameters<typeof makeAlertRecord>[0] = {}): AlertRecord {
  return makeAlertRecord({ ...overrides, finding: { fingerprint, ...overrides.finding } });
}

/** Registers the suite under `name`. */
export function describeStoreBehaviour(name: string, makeStore: MakeStore): void {
  describe(`${name}: the Store port`, () => {
    let store: Store;
    let close: () => Promise<void>;
    let now: Date;

    beforeEach(async () => {
      now = START;
      ({ store, close } = await makeStore(() => now));
    });

    afterEach(async () => {
      await close();
    });

    describe('alert records', () => {
      it('has no record for an unknown fingerprint', async () => {
        expect(await store.getAlert('gd-unknown')).toBeUndefined();
      });

      it('creates a record once, at version 1; a second create writes nothing and answers false', async () => {
        const first = alert('gd-create');
        expect(await store.createAlert(withoutVersion(first))).toBe(true);
        expect(await store.createAlert({ ...withoutVersion(first), channel: 'C0OTHER', count: 99 })).toBe(
          false,
        );
        expect(await store.getAlert('gd-create')).toEqual({ ...first, version: 1 });
      });

      it('reads several alerts at once: each asked for is answered, undefined when it has none', async () => {
        const records = Array.from({ length: 105 }, (_, i) => alert(`gd-batch-${i}`));
        await Promise.all(records.map((record) => store.createAlert(withoutVersion(record))));
        const asked = [...records.map((record) => record.fingerprint), 'gd-batch-none', 'gd-batch-0'];
        const found = await store.getAlerts(asked);
        expect([...found.keys()].sort()).toEqual([...new Set(asked)].sort());
        expect(found.get('gd-batch-none')).toBeUndefined();
        expect(found.get('gd-batch-104')).toEqual({ ...records[104], version: 1 });
        expect([...found.values()].filter(Boolean)).toHaveLength(105);
      });

      it('writes a put that names the current version as the next version, and returns it', async () => {
        const record = alert('gd-put');
        await store.createAlert(withoutVersion(record));
        const written = await store.putAlert({ ...record, version: 1, count: 13, ts: '1764064900.000200' });
        expect(written).toEqual({ ...record, count: 13, ts: '1764064900.000200', version: 2 });
        expect(await store.getAlert('gd-put')).toEqual(written);
      });

      it('refuses a put that names a stale version with ConflictError, leaving the record as it was', async () => {
        const record = alert('gd-stale');
        await store.createAlert(withoutVersion(record));
        await store.putAlert({ ...record, version: 1, count: 13 });
        await expect(store.putAlert({ ...record, version: 1, count: 14 })).rejects.toBeInstanceOf(
          ConflictError,
        );
        expect(await store.getAlert('gd-stale')).toEqual({ ...record, count: 13, version: 2 });
      });

      it('drops fields set to undefined by a put (a cleared error stays cleared)', async () => {
        const record = alert('gd-clear', { lastError: 'TheHive answered 503' });
        await store.createAlert(withoutVersion(record));
        const written = await store.putAlert({ ...record, version: 1, lastError: undefined });
        expect(written.lastError).toBeUndefined();
        expect(Object.keys((await store.getAlert('gd-clear'))!)).not.toContain('lastError');
      });

      it('applies 50 concurrent updateAlert increments exactly once each', async () => {
        const record = alert('gd-counter', { count: 1 });
        await store.createAlert(withoutVersion(record));
        await Promise.all(
          Array.from({ length: 50 }, () =>
            updateAlert(store, 'gd-counter', (current) => ({ ...current, count: current.count + 1 }), {
              attempts: 100,
            }),
          ),
        );
        const after = await store.getAlert('gd-counter');
        expect(after?.count).toBe(51);
        expect(after?.version).toBe(51);
        // 50 writers racing on one item take about 450 conditional writes (a loser waits a random, growing
        // time before it tries again): seconds on a quiet machine, far more under load, and a timeout here
        // would close dynalite under the writes still in flight.
      }, 300_000);

      it('lets exactly one of 50 concurrent clicks move an alert from open to escalating', async () => {
        await store.createAlert(withoutVersion(alert('gd-click')));
        const users = Array.from({ length: 50 }, (_, index) => `U${String(index).padStart(3, '0')}`);
        const outcomes = await Promise.all(
          users.map((userId) =>
            updateAlert(
              store,
              'gd-click',
              (current) =>
                current.state === 'open'
                  ? { ...current, state: 'escalating', escalatedBy: userId, escalatedAt: START.toISOString() }
                  : undefined,
              { attempts: 100 },
            ),
          ),
        );
        const winners = outcomes.filter((outcome) => outcome !== undefined);
        expect(winners).toHaveLength(1);
        const stored = await store.getAlert('gd-click');
        expect(stored?.state).toBe('escalating');
        expect(stored?.escalatedBy).toBe(winners[0]!.after.escalatedBy);
        expect(stored?.version).toBe(2);
      });
    });

    describe('the case index', () => {
      async function escalated(
        fingerprint: string,
        caseId: string,
        caseNumber: number,
      ): Promise<AlertRecord> {
        const record = alert(fingerprint);
        await store.createAlert(withoutVersion(record));
        return store.putAlert({
          ...record,
          version: 1,
          state: 'escalated',
          caseId,
          caseNumber,
          caseUrl: `https://thehive.example/cases/${caseId}/details`,
          case: { status: 'New', stage: 'New' },
        });
      }

      it('finds the alert of a case by its TheHive id and by its number', async () => {
        const written = await escalated('gd-case', '~40964272', 42);
        expect(await store.findAlertByCase('~40964272')).toEqual(written);
        expect(await store.findAlertByCase(42)).toEqual(written);
      });

      it('finds nothing for a case no alert has', async () => {
        await escalated('gd-case', '~40964272', 42);
        expect(await store.findAlertByCase('~1')).toBeUndefined();
        expect(await store.findAlertByCase(7)).toBeUndefined();
      });

      it('does not find an alert through a case a losing write tried to give it', async () => {
        const record = alert('gd-lost');
        await store.createAlert(withoutVersion(record));
        await store.putAlert({ ...record, version: 1, count: 20 });
        await expect(
          store.putAlert({ ...record, version: 1, state: 'escalated', caseId: '~77', caseNumber: 77 }),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await store.findAlertByCase('~77')).toBeUndefined();
        expect(await store.findAlertByCase(77)).toBeUndefined();
      });

      it('finds the alert of a thread once it has a case, and not through another channel or message', async () => {
        const written = await escalated('gd-thread', '~5', 5);
        expect(await store.findAlertByThread(written.channel, written.ts!)).toEqual(written);
        expect(await store.findAlertByThread('C0OTHER', written.ts!)).toBeUndefined();
        expect(await store.findAlertByThread(written.channel, '1.000001')).toBeUndefined();
        const noCase = alert('gd-no-case-thread', { ts: '1764064900.000200' });
        await store.createAlert(withoutVersion(noCase));
        expect(await store.findAlertByThread(noCase.channel, noCase.ts!)).toBeUndefined();
      });

      it('lists the alerts whose case is open, and drops one when its case closes or goes', async () => {
        await store.createAlert(withoutVersion(alert('gd-no-case')));
        const open = await escalated('gd-open', '~1', 1);
        const toClose = await escalated('gd-to-close', '~2', 2);
        const toDelete = await escalated('gd-to-delete', '~3', 3);
        const followed = async () => (await store.listFollowedCases()).map((a) => a.fingerprint).sort();
        expect(await followed()).toEqual(['gd-open', 'gd-to-close', 'gd-to-delete']);

        await store.putAlert({ ...toClose, case: { status: 'TruePositive', stage: 'Closed' } });
        await store.putAlert({ ...toDelete, case: { status: 'New', stage: 'New', gone: 'deleted' } });
        expect(await store.listFollowedCases()).toEqual([open]);
        expect((await store.findAlertByCase(2))?.fingerprint).toBe('gd-to-close');
      });
    });

    describe('conversation copies', () => {
      const copy = {
        key: 'slack:C0SEC:1700000000.000100',
        fingerprint: 'gd-talk',
        caseId: '~5',
        direction: 'slack-to-thehive' as const,
      };

      it('creates a copy once, at version 1; a second create writes nothing and answers false', async () => {
        expect(await store.getConversationCopy(copy.key)).toBeUndefined();
        expect(await store.createConversationCopy({ ...copy, claimedAt: 1 })).toBe(true);
        expect(await store.createConversationCopy({ ...copy, claimedAt: 2 })).toBe(false);
        expect(await store.getConversationCopy(copy.key)).toEqual({ ...copy, claimedAt: 1, version: 1 });
      });

      it('refuses a put naming a stale version, and applies 10 concurrent updates once each', async () => {
        await store.createConversationCopy({ ...copy, text: '' });
        const first = await store.putConversationCopy({ ...copy, text: 'a', version: 1 });
        expect(first.version).toBe(2);
        await expect(store.putConversationCopy({ ...copy, text: 'b', version: 1 })).rejects.toBeInstanceOf(
          ConflictError,
        );
        await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            updateConversationCopy(
              store,
              copy.key,
              (current) => ({ ...current, text: `${current.text}${i % 10}` }),
              50,
            ),
          ),
        );
        const after = await store.getConversationCopy(copy.key);
        expect(after?.text).toHaveLength(11);
        expect(after?.version).toBe(12);
      });
    });

    describe('listing alerts', () => {
      it('lists the most recently created alerts first, with or without a case, up to the limit', async () => {
        const created = ['2026-11-20', '2026-11-23', '2026-11-21', '2026-11-24', '2026-11-22'];
        for (const [index, day] of created.entries()) {
          const record = alert(`gd-list-${index}`, { createdAt: `${day}T08:00:00.000Z` });
          await store.createAlert(withoutVersion(record));
          if (index % 2 === 1) {
            await store.putAlert({ ...record, version: 1, state: 'escalated', caseId: `~${index}` });
          }
        }
        expect((await store.listAlerts(3)).map((a) => a.fingerprint)).toEqual([
          'gd-list-3',
          'gd-list-1',
          'gd-list-4',
        ]);
        expect((await store.listAlerts(10)).map((a) => a.fingerprint)).toEqual([
          'gd-list-3',
          'gd-list-1',
          'gd-list-4',
          'gd-list-2',
          'gd-list-0',
        ]);
        expect(await store.listAlerts(0)).toEqual([]);
      });
    });

    describe('the audit trail', () => {
      it('keeps events in the order they were appended, also within one millisecond', async () => {
        const at = '2026-11-25T10:00:00.000Z';
        const actions = Array.from({ length: 20 }, (_, index) => `step-${index}`);
        for (const action of actions) {
          await store.appendAudit({ fingerprint: 'gd-audit', at, actor: { kind: 'system' }, action });
        }
        expect((await store.listAudit('gd-audit')).map((event) => event.action)).toEqual(actions);
      });

      it('orders events by time first, and stamps those without one with the clock', async () => {
        await store.appendAudit({ fingerprint: 'gd-audit', actor: { kind: 'system' }, action: 'received' });
        const earlier = await store.appendAudit({
          fingerprint: 'gd-audit',
          at: '2026-11-25T09:59:59.999Z',
          actor: { kind: 'slack', id: 'U0ALICE' },
          action: 'escalation-requested',
        });
        expect(earlier.at).toBe('2026-11-25T09:59:59.999Z');
        expect(await store.listAudit('gd-audit')).toEqual([
          earlier,
          { fingerprint: 'gd-audit', at: START.toISOString(), actor: { kind: 'system' }, action: 'received' },
        ]);
      });

      it('keeps the events written with an alert and its updates in order with the others', async () => {
        const record = alert('gd-events');
        const system = { kind: 'system' as const };
        expect(
          await store.createAlert(withoutVersion(record), [
            { fingerprint: 'gd-events', actor: system, action: 'received', details: { raw: { id: 1 } } },
          ]),
        ).toBe(true);
        await store.appendAudit({ fingerprint: 'gd-events', actor: system, action: 'between' });
        const posted = await store.putAlert({ ...record, version: 1, ts: '1764064900.000200' }, [
          { fingerprint: 'gd-events', actor: system, action: 'posted' },
        ]);
        await store.putAlert({ ...posted, count: 20 }, [
          { fingerprint: 'gd-events', actor: system, action: 'updated' },
        ]);
        await store.appendAudit({ fingerprint: 'gd-events', actor: system, action: 'last' });
        expect(await store.listAudit('gd-events')).toEqual([
          {
            fingerprint: 'gd-events',
            at: START.toISOString(),
            actor: system,
            action: 'received',
            details: { raw: { id: 1 } },
          },
          { fingerprint: 'gd-events', at: START.toISOString(), actor: system, action: 'between' },
          { fingerprint: 'gd-events', at: START.toISOString(), actor: system, action: 'posted' },
          { fingerprint: 'gd-events', at: START.toISOString(), actor: system, action: 'updated' },
          { fingerprint: 'gd-events', at: START.toISOString(), actor: system, action: 'last' },
        ]);
        expect(await store.getAlert('gd-events')).toMatchObject({ count: 20, version: 3 });
      });

      it('writes no event with a create or an update that writes nothing', async () => {
        const record = alert('gd-no-events');
        const system = { kind: 'system' as const };
        await store.createAlert(withoutVersion(record), [
          { fingerprint: 'gd-no-events', actor: system, action: 'first' },
        ]);
        await store.createAlert(withoutVersion(record), [
          { fingerprint: 'gd-no-events', actor: system, action: 'again' },
        ]);
        await store.putAlert({ ...record, version: 1, count: 13 });
        await expect(
          store.putAlert({ ...record, version: 1, count: 14 }, [
            { fingerprint: 'gd-no-events', actor: system, action: 'stale' },
          ]),
        ).rejects.toBeInstanceOf(ConflictError);
        expect((await store.listAudit('gd-no-events')).map((event) => event.action)).toEqual(['first']);
      });

      it('appends identical events as two entries: nothing is ever replaced', async () => {
        const event = {
          fingerprint: 'gd-audit',
          caseId: '~1',
          at: START.toISOString(),
          actor: { kind: 'thehive' as const, id: 'analyst@example.com' },
          action: 'status-changed',
          details: { before: { status: 'New' }, after: { status: 'InProgress' } },
        };
        await store.appendAudit(event);
        await store.appendAudit(event);
        expect(await store.listAudit('gd-audit')).toEqual([event, event]);
      });

      it('keeps each alert to its own trail', async () => {
        await store.appendAudit({ fingerprint: 'gd-a', actor: { kind: 'system' }, action: 'received' });
        await store.appendAudit({ fingerprint: 'gd-b', actor: { kind: 'system' }, action: 'posted' });
        expect((await store.listAudit('gd-a')).map((event) => event.action)).toEqual(['received']);
        expect(await store.listAudit('gd-none')).toEqual([]);
      });

      it('returns the events of 30 concurrent appends, each once', async () => {
        const actions = Array.from({ length: 30 }, (_, index) => `concurrent-${index}`);
        await Promise.all(
          actions.map((action) =>
            store.appendAudit({
              fingerprint: 'gd-audit',
              at: START.toISOString(),
              actor: { kind: 'system' },
              action,
            }),
          ),
        );
        expect((await store.listAudit('gd-audit')).map((event) => event.action).sort()).toEqual(
          [...actions].sort(),
        );
      });
    });

    describe('delivery keys', () => {
      it('claims a key once while the claim lasts', async () => {
        expect(await store.claimDelivery('slack-event:Ev0001', 3600)).toBe(true);
        expect(await store.claimDelivery('slack-event:Ev0001', 3600)).toBe(false);
        expect(await store.claimDelivery('slack-event:Ev0002', 3600)).toBe(true);
      });

      it('lets a key be claimed again once its claim has expired', async () => {
        expect(await store.claimDelivery('webhook:req-1', 60)).toBe(true);
        now = new Date(START.getTime() + 59_999);
        expect(await store.claimDelivery('webhook:req-1', 60)).toBe(false);
        now = new Date(START.getTime() + 60_000);
        expect(await store.claimDelivery('webhook:req-1', 60)).toBe(true);
        expect(await store.claimDelivery('webhook:req-1', 60)).toBe(false);
      });

      it('treats a claim with a TTL of 0 as expired at once', async () => {
        expect(await store.claimDelivery('lease', 0)).toBe(true);
        expect(await store.claimDelivery('lease', 0)).toBe(true);
      });
    });

    describe('settings', () => {
      it('round-trips values of any JSON shape, and has none for an unknown name', async () => {
        const triage = { id: 't-1', asked: ['U0ALICE'], answer: null, nested: { deep: [1, 2.5, 'x'] } };
        await store.putSetting('severityThreshold', 'HIGH');
        await store.putSetting('reconcileCursor', 1764064800000);
        await store.putSetting('triage:t-1', triage);
        expect(await store.getSetting<string>('severityThreshold')).toBe('HIGH');
        expect(await store.getSetting<number>('reconcileCursor')).toBe(1764064800000);
        expect(await store.getSetting('triage:t-1')).toEqual(triage);
        expect(await store.getSetting('unknown')).toBeUndefined();
      });

      it('replaces a setting with the last value put', async () => {
        await store.putSetting('severityThreshold', 'HIGH');
        await store.putSetting('severityThreshold', 'LOW');
        expect(await store.getSetting('severityThreshold')).toBe('LOW');
      });

      it('clears a setting put as undefined', async () => {
        await store.putSetting('severityThreshold', 'HIGH');
        await store.putSetting('severityThreshold', undefined);
        expect(await store.getSetting('severityThreshold')).toBeUndefined();
      });
    });

    describe('dead letters', () => {
      it('keeps dead letters with an id and the time, and lists the newest first up to the limit', async () => {
        const first = await store.putDeadLetter({
          kind: 'rejected-finding',
          error: 'detail.severity: Invalid input',
          payload: { detail: { severity: 'x' } },
        });
        now = new Date(START.getTime() + 1000);
        const second = await store.putDeadLetter({
          kind: 'job:create-case',
          error: 'TheHive 400',
          payload: 'body',
        });
        expect(first).toEqual({
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          at: START.toISOString(),
          kind: 'rejected-finding',
          error: 'detail.severity: Invalid input',
          payload: { detail: { severity: 'x' } },
        });
        expect(second.id).not.toBe(first.id);
        expect(await store.listDeadLetters(10)).toEqual([second, first]);
        expect(await store.listDeadLetters(1)).toEqual([second]);
      });
    });

    describe('pending jobs', () => {
      const job = (id: string) => ({
        id,
        job: { kind: 'reconcile', requestedAt: START.toISOString() },
        attempts: 0,
        notBefore: START.toISOString(),
      });

      it('lists pending jobs in id order with what was put, and forgets a deleted one', async () => {
        const later = job('2026-11-25T10:00:00.002Z#b');
        const earlier = job('2026-11-25T10:00:00.001Z#a');
        await store.putJob(later);
        await store.putJob(earlier);
        expect(await store.listPendingJobs()).toEqual([earlier, later]);
        await store.deleteJob(earlier.id);
        await store.deleteJob(earlier.id);
        expect(await store.listPendingJobs()).toEqual([later]);
      });

      it('refuses a second job with the same id, keeping the first', async () => {
        const first = job('2026-11-25T10:00:00.001Z#a');
        await store.putJob(first);
        await expect(store.putJob({ ...first, attempts: 3 })).rejects.toThrow();
        expect(await store.listPendingJobs()).toEqual([first]);
      });

      it('records attempts and the next wait of a pending job only', async () => {
        const pending = job('2026-11-25T10:00:00.001Z#a');
        await store.putJob(pending);
        const progress = { attempts: 2, notBefore: '2026-11-25T10:00:05.000Z' };
        expect(await store.updateJob(pending.id, progress)).toBe(true);
        expect(await store.listPendingJobs()).toEqual([{ ...pending, ...progress }]);
        await store.deleteJob(pending.id);
        expect(await store.updateJob(pending.id, progress)).toBe(false);
        expect(await store.listPendingJobs()).toEqual([]);
      });
    });
  });
}
