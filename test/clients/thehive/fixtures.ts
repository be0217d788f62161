/** TheHive 5 answers shaped like the real ones (values made up), for the client's tests. */
import type {
  OutputAlert,
  OutputCase,
  OutputComment,
  OutputObservable,
} from '../../../clients/thehive/client';

export function theHiveAlert(overrides: Partial<OutputAlert> = {}): OutputAlert {
  return {
    _id: '~4096',
    _type: 'Alert',
    _createdBy: 'hivewire@soc.example',
    _createdAt: 1764050000000,
    type: 'hivewire',
    source: 'guardduty',
    sourceRef: 'fp-1',
    title: 'EC2 instance is querying a domain name associated with a known command and control server',
    description: '### Finding',
    severity: 3,
    severityLabel: 'HIGH',
    date: 1764049000000,
    tags: ['customer:acme'],
    tlp: 2,
    tlpLabel: 'AMBER',
    pap: 2,
    papLabel: 'AMBER',
    follow: true,
    customFields: [],
    observableCount: 2,
    status: 'New',
    stage: 'New',
    extraData: {},
    newDate: 1764050000000,
    ...overrides,
  };
}

export function theHiveCase(overrides: Partial<OutputCase> = {}): OutputCase {
  return {
    _id: '~8192',
    _type: 'Case',
    _createdBy: 'hivewire@soc.example',
    _createdAt: 1764050001000,
    number: 42,
    title: 'EC2 instance is querying a domain name associated with a known command and control server',
    description: '### Finding',
    severity: 3,
    severityLabel: 'HIGH',
    startDate: 1764050001000,
    tags: ['customer:acme'],
    flag: false,
    tlp: 2,
    tlpLabel: 'AMBER',
    pap: 2,
    papLabel: 'AMBER',
    status: 'New',
    stage: 'New',
    customFields: [],
    extraData: {},
    newDate: 1764050001000,
    ...overrides,
  };
}

export function theHiveObservable(overrides: Partial<OutputObservable> = {}): OutputObservable {
  return {
    _id: '~12288',
    _type: 'Observable',
    _createdBy: 'hivewire@soc.example',
    _createdAt: 1764050002000,
    dataType: 'ip',
    data: '198.51.100.7',
    startDate: 1764050002000,
    tlp: 2,
    tlpLabel: 'AMBER',
    pap: 2,
    papLabel: 'AMBER',
    tags: [],
    ioc: true,
    sighted: false,
    reports: {},
    extraData: {},
    ignoreSimilarity: false,
    ...overrides,
  };
}

export function theHiveComment(overrides: Partial<OutputComment> = {}): OutputComment {
  return {
    _id: '~16384',
    _type: 'Comment',
    createdBy: 'hivewire@soc.example',
    createdAt: 1764050003000,
    message: 'Escalated from Slack',
    isEdited: false,
    external: false,
    extraData: {},
    ...overrides,
  };
}
