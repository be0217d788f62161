/**
 * The facts an alert shows, chosen per finding kind (its template): who or what acted, against what,
 * from where. Common facts (account, customer, region, resource, type) come first, then the kind's.
 *
 * A normalised finding carries its kind-specific details on its observables, as tags, which is also
 * how they reach TheHive. Templates read:
 * - bare role tags: `remote`, `caller`, `source`, `destination` (which address is which side) and
 *   `remediation` (on the `url` observable of a compliance control's guide);
 * - `key:value` tags: `asn`, `org`, `country`, `port`, `direction`, `api`, `access-key`, `bucket`,
 *   `process`, `cluster`, `namespace`, `workload`, `user`, `control`, `compliance`, `rule`, `intent`;
 * - `dataType`s: `ip`, `domain`, `fqdn`, `hostname`, `hash`, `filename`, `url`.
 * A fact without data is left out, so a finding with fewer details shows fewer facts.
 */
import type { FindingKind, Observable } from '../src/findings/finding';
import type { FindingSnapshot } from '../src/store/store';
import { literal } from './escape';
import { webUrlHost } from './elements';
import { OBSERVABLES_SCANNED_MAX, VALUE_MAX } from './limits';

/** One labelled fact: `value` is mrkdwn made of literals. */
export interface Fact {
  label: string;
  value: string;
}

/** What the template picked out of the observables. */
interface Details {
  /** First value of each `key:value` tag. */
  keyed: Map<string, string>;
  /** First observable carrying each role tag. */
  roles: Map<string, Observable>;
  /** First observable of each data type, indicators before context. */
  byType: Map<string, Observable>;
}

const ROLES = new Set(['remote', 'caller', 'source', 'destination', 'remediation']);

function readDetails(observables: readonly Observable[]): Details {
  const details: Details = { keyed: new Map(), roles: new Map(), byType: new Map() };
  const scanned = Math.min(observables.length, OBSERVABLES_SCANNED_MAX);
  for (let i = 0; i < scanned; i += 1) {
    const observable = observables[i] as Observable;
    const known = details.byType.get(observable.dataType);
    if (!known || (known.ioc === false && observable.ioc !== false))
      details.byType.set(observable.dataType, observable);
    for (const tag of observable.tags ?? []) {
      const colon = tag.indexOf(':');
      if (colon === -1) {
        if (ROLES.has(tag) && !details.roles.has(tag)) details.roles.set(tag, observable);
      } else {
        const key = tag.slice(0, colon);
        if (!details.keyed.has(key)) details.keyed.set(key, tag.slice(colon + 1));
      }
    }
  }
  return details;
}

/** The `key:value` tag of one observable. */
function tagOf(observable: Observable, key: string): string | undefined {
  const prefix = `${key}:`;
  for (const tag of observable.tags ?? []) if (tag.startsWith(prefix)) return tag.slice(prefix.length);
  return undefined;
}

function fact(label: string, ...parts: (string | undefined)[]): Fact | undefined {
  const shown: string[] = [];
  for (const part of parts) if (part !== undefined && part !== '') shown.push(literal(part, VALUE_MAX));
  return shown.length === 0 ? undefined : { label, value: shown.join(' · ') };
}

/** An address with what is known of its network: `203.0.113.9` · `AS64496` · `Example ISP` · `NL`. */
function addressFact(label: string, observable: Observable | undefined): Fact | undefined {
  if (!observable) return undefined;
  const asn = tagOf(observable, 'asn');
  return fact(
    label,
    observable.data,
    asn === undefined ? undefined : `AS${asn}`,
    tagOf(observable, 'org'),
    tagOf(observable, 'country'),
  );
}

function indicator(details: Details, ...dataTypes: string[]): Observable | undefined {
  for (const dataType of dataTypes) {
    const observable = details.byType.get(dataType);
    if (observable && observable.ioc !== false) return observable;
  }
  return undefined;
}

/** The other side of the activity: the address tagged as remote, caller or source, else the first IP indicator. */
function remoteAddress(details: Details): Observable | undefined {
  return (
    details.roles.get('remote') ??
    details.roles.get('caller') ??
    details.roles.get('source') ??
    indicator(details, 'ip')
  );
}

function userFact(finding: FindingSnapshot, details: Details): Fact | undefined {
  return finding.actor
    ? fact('User', finding.actor.name, finding.actor.email)
    : fact('User', details.keyed.get('user'));
}

function domainFact(details: Details): Fact | undefined {
  return fact('Domain', indicator(details, 'domain', 'fqdn', 'hostname')?.data);
}

type Template = (finding: FindingSnapshot, details: Details) => (Fact | undefined)[];

const TEMPLATES: Record<FindingKind, Template> = {
  iam: (finding, details) => [
    userFact(finding, details),
    /accesskey/i.test(finding.resource?.kind ?? '')
      ? undefined
      : fact('Access key', details.keyed.get('access-key')),
    fact('API', details.keyed.get('api')),
    addressFact('Caller IP', remoteAddress(details)),
  ],
  network: (_finding, details) => {
    const remote = remoteAddress(details);
    return [
      addressFact('Remote IP', remote),
      fact('Remote port', (remote && tagOf(remote, 'port')) ?? details.keyed.get('port')),
      fact('Direction', details.keyed.get('direction')),
      domainFact(details),
    ];
  },
  data: (finding, details) => [
    /bucket/i.test(finding.resource?.kind ?? '') ? undefined : fact('Bucket', details.keyed.get('bucket')),
    userFact(finding, details),
    fact('API', details.keyed.get('api')),
    addressFact('Caller IP', remoteAddress(details)),
  ],
  runtime: (_finding, details) => [
    fact('Process', details.keyed.get('process') ?? details.byType.get('filename')?.data),
    fact('Hash', details.byType.get('hash')?.data),
    addressFact('Remote IP', remoteAddress(details)),
    domainFact(details),
  ],
  kubernetes: (finding, details) => [
    fact('Cluster', details.keyed.get('cluster')),
    fact('Namespace', details.keyed.get('namespace')),
    fact('Workload', details.keyed.get('workload')),
    userFact(finding, details),
    addressFact('Source IP', remoteAddress(details)),
  ],
  compliance: (finding, details) => [
    fact('Control', details.keyed.get('control')),
    fact('Status', details.keyed.get('compliance') ?? finding.workflowStatus),
    fact('Remediation', details.roles.get('remediation')?.data),
  ],
  siem: (finding, details) => [
    fact('Rule', details.keyed.get('rule')),
    fact('Intent', details.keyed.get('intent')),
    addressFact('Source', details.roles.get('source') ?? remoteAddress(details)),
    addressFact('Destination', details.roles.get('destination')),
    userFact(finding, details),
  ],
};

/** What a resource is called in the alert: its kind when Hivewire knows it, else "Resource". */
const RESOURCE_LABELS: [RegExp, string][] = [
  [/accesskey/i, 'Access key'],
  [/bucket/i, 'Bucket'],
  [/instance/i, 'Instance'],
  [/eks|kubernetes|cluster/i, 'Cluster'],
  [/container/i, 'Container'],
  [/lambda|function/i, 'Function'],
  [/iamuser|^user$/i, 'IAM user'],
];

function resourceFact(finding: FindingSnapshot): Fact | undefined {
  const resource = finding.resource;
  if (!resource) return undefined;
  const name = resource.name === resource.id ? undefined : resource.name;
  for (const [pattern, label] of RESOURCE_LABELS)
    if (pattern.test(resource.kind)) return fact(label, resource.id, name);
  return fact('Resource', resource.kind, resource.id, name);
}

/** The facts an alert shows for `finding`, plus the remediation guide's URL when it can be linked. */
export function findingFacts(finding: FindingSnapshot): { facts: Fact[]; remediationUrl?: string } {
  const details = readDetails(finding.observables);
  const facts: Fact[] = [];
  const add = (item: Fact | undefined) => {
    if (item) facts.push(item);
  };
  add(fact('Account', finding.accountId, finding.accountName));
  add(fact('Customer', finding.customer));
  add(fact('Region', finding.region));
  add(resourceFact(finding));
  add(fact('Type', finding.type));
  // A record stored by another version may name a kind this one has no template for: common facts only.
  const template: Template | undefined = TEMPLATES[finding.kind];
  for (const item of template?.(finding, details) ?? []) add(item);
  const remediation = details.roles.get('remediation')?.data;
  return webUrlHost(remediation) ? { facts, remediationUrl: remediation } : { facts };
}
