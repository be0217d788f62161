/**
 * The alert states every message builder is shown in (Slack's blocks, the Adaptive Cards): one record
 * override per state an alert can be in, the case's own states included.
 */
import type { AlertRecordOverrides } from './alerts';

export const ESCALATED: AlertRecordOverrides = {
  state: 'escalated',
  escalatedBy: 'U0ALICE',
  escalatedAt: '2026-11-25T10:02:00.000Z',
  caseId: '~40964',
  caseNumber: 42,
  caseUrl: 'https://thehive.example.com/cases/~40964/details',
  case: { status: 'InProgress', stage: 'InProgress', assignee: 'analyst@example.com', severity: 3 },
};

export const STATES: Record<string, AlertRecordOverrides> = {
  open: {},
  'open after a failed escalation': { lastError: 'TheHive answered HTTP 500: <html>*oops*</html>' },
  escalating: { state: 'escalating', escalatedBy: 'U0ALICE', escalatedAt: '2026-11-25T10:02:00.000Z' },
  escalated: ESCALATED,
  'escalated, case not yet known': { ...ESCALATED, case: undefined },
  'escalated, case closed': {
    ...ESCALATED,
    case: {
      status: 'TruePositive',
      stage: 'Closed',
      assignee: 'analyst@example.com',
      impactStatus: 'WithImpact',
      summary: 'Key rotated; the user had been phished.',
    },
  },
  'escalated, case deleted': { ...ESCALATED, case: { status: 'New', stage: 'New', gone: 'deleted' } },
  'escalated, case merged': { ...ESCALATED, case: { status: 'New', stage: 'New', gone: 'merged' } },
  ignored: {
    state: 'ignored',
    ignoredBy: 'U0BOB',
    ignoredAt: '2026-11-25T11:00:00.000Z',
    ignoreReason: 'Red team exercise',
  },
};
