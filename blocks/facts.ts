/**
 * The facts an alert shows, chosen per finding kind (its template): who or what acted, against what,
 * from where. Common facts (account, customer, region, resource, type) come first, then the kind's.
 *
 * A normalised finding carries its kind-specific details as observables (which is also how they
 * reach TheHive), named by a tag, as `src/findings/` writes them:
 * - the value is the observable's data, its tag says what it is: `user-name`, `access-key`,
 *   `s3-bucket`, `eks-cluster`, `k8s-namespace`, `k8s-workload`, `k8s-user`, `container-image`,
 *   `process`, `process-path`, `cve`, `package`, `malware`, `request-url`, `port:remote`;
 * - addresses are tagged with their side (`remote-ip`, `local-ip`, `k8s-source-ip`, `src`, `dst`,
 *   `src-host`, `dst-host`) and carry `asn:`, `as-org:`, `country:`, `direction:` and `service:` tags.
 * A fact without data is left out, so a finding with fewer details shows fewer facts.
 */
import type { FindingKind, Observable } from '../src/domain/finding';
import type { FindingSnapshot } from '../src/domain/alert';
import { literal } from './escape';
import { OBSERVABLES_SCANNED_MAX, VALUE_MAX } from './limits';

/** One labelled fact: `value` is mrkdwn made of literals. */
export interface Fact {
  label: string;
  value: string;
}

/**
 * One labelled fact as the finding has it: `parts` are raw finding text (never empty), for each
 * surface to escape its own way (Slack literals here, Adaptive Card text in `cards/`).
 */
export interface FactParts {
  label: string;
  parts: string[];
}

/** The observables a template reads, indexed once. */
interface Details {
  /** First observable carrying each tag. */
  byTag: Map<string, Observable>;
  /** First observable of each data type carrying each tag, keyed `dataType tag`: a `src` user name is not the source. */
  byTypedTag: Map<string, Observable>;
  /** First observable of each data type, indicators before context. */
  byType: Map<string, Observable>;
}

const ADDRESS_TYPES = ['ip', 'hostname', 'domain', 'fqdn'];

function readDetails(observables: readonly Observable[]): Details {
  const details: Details = { byTag: new Map(), byTypedTag: new Map(), byType: new Map() };
  const scanned = Math.min(observables.length, OBSERVABLES_SCANNED_MAX);
  for (let i = 0; i < scanned; i += 1) {
    const observable = observables[i] as Observable;
    const known = details.byType.get(observable.dataType);
    if (!known || (known.ioc === false && observable.ioc !== false))
      details.byType.set(observable.dataType, observable);
    for (const tag of observable.tags ?? []) {
      if (!details.byTag.has(tag)) details.byTag.set(tag, observable);
      const typed = `${observable.dataType} ${tag}`;
      if (!details.byTypedTag.has(typed)) details.byTypedTag.set(typed, observable);
    }
  }
  return details;
}

/** The value of one observable's `key:value` tag. */
function tagOf(observable: Observable | undefined, key: string): string | undefined {
  const prefix = `${key}:`;
  for (const tag of observable?.tags ?? []) if (tag.startsWith(prefix)) return tag.slice(prefix.length);
  return undefined;
}

function fact(label: string, ...parts: (string | undefined)[]): FactParts | undefined {
  const shown: string[] = [];
  for (const part of parts) if (part !== undefined && part !== '') shown.push(part);
  return shown.length === 0 ? undefined : { label, parts: shown };
}

/** The first observable carrying one of `tags`, in the order of `tags`. */
function tagged(details: Details, ...tags: string[]): Observable | undefined {
  for (const tag of tags) {
    const observable = details.byTag.get(tag);
    if (observable) return observable;
  }
  return undefined;
}

/** The first observable of `dataType` carrying `tag`. */
function typed(details: Details, dataType: string, tag: string): Observable | undefined {
  return details.byTypedTag.get(`${dataType} ${tag}`);
}

/** The first address (IP or host name) carrying one of `tags`, in the order of `tags`. */
function taggedAddress(details: Details, ...tags: string[]): Observable | undefined {
  for (const tag of tags) {
    for (const dataType of ADDRESS_TYPES) {
      const observable = typed(details, dataType, tag);
      if (observable) return observable;
    }
  }
  return undefined;
}

/** A port with its service name: `22` · `SSH`. */
function portFact(label: string, observable: Observable | undefined): FactParts | undefined {
  return fact(label, observable?.data, tagOf(observable, 'service'));
}

/** An address with what is known of its network: `203.0.113.9` · `AS64496` · `Example ISP` · `NL`. */
function addressFact(label: string, observable: Observable | undefined): FactParts | undefined {
  if (!observable) return undefined;
  const asn = tagOf(observable, 'asn');
  return fact(
    label,
    observable.data,
    asn === undefined ? undefined : `AS${asn}`,
    tagOf(observable, 'as-org'),
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

/** The other side of the activity: the address tagged as remote or source, else the first IP indicator. */
function remoteAddress(details: Details): Observable | undefined {
  return taggedAddress(details, 'remote-ip', 'k8s-source-ip', 'src') ?? indicator(details, 'ip');
}

function userFact(finding: FindingSnapshot, details: Details, ...tags: string[]): FactParts | undefined {
  return finding.actor
    ? fact('User', finding.actor.name, finding.actor.email)
    : fact('User', tagged(details, ...tags, 'user-name')?.data);
}

function domainFact(details: Details): FactParts | undefined {
  return fact('Domain', indicator(details, 'domain', 'fqdn')?.data);
}

/** True when the resource fact already shows what `pattern` names. */
function resourceIs(finding: FindingSnapshot, pattern: RegExp): boolean {
  return pattern.test(finding.resource?.kind ?? '');
}

/** A Security Hub control id (`EC2.2`) from the finding's id or title. */
export function controlId(finding: FindingSnapshot): string | undefined {
  return (
    /\/([A-Za-z][A-Za-z0-9]*\.\d+)\/finding\//.exec(finding.sourceId)?.[1] ??
    /^([A-Za-z][A-Za-z0-9]*\.\d+) /.exec(finding.title)?.[1]
  );
}

type Template = (finding: FindingSnapshot, details: Details) => (FactParts | undefined)[];

const TEMPLATES: Record<FindingKind, Template> = {
  iam: (finding, details) => [
    userFact(finding, details),
    resourceIs(finding, /accesskey/i) ? undefined : fact('Access key', tagged(details, 'access-key')?.data),
    addressFact('Caller IP', remoteAddress(details)),
    domainFact(details),
  ],
  network: (_finding, details) => {
    const remote = remoteAddress(details);
    return [
      addressFact('Remote IP', remote),
      fact('Direction', tagOf(remote, 'direction')),
      portFact('Local port', typed(details, 'other', 'port:local')),
      portFact('Remote port', typed(details, 'other', 'port:remote')),
      domainFact(details) ?? fact('Local IP', taggedAddress(details, 'local-ip')?.data),
    ];
  },
  data: (finding, details) => [
    resourceIs(finding, /bucket/i) ? undefined : fact('Bucket', tagged(details, 's3-bucket')?.data),
    userFact(finding, details, 'db-user'),
    addressFact('Caller IP', remoteAddress(details)),
  ],
  runtime: (_finding, details) => [
    fact(
      'Process',
      typed(details, 'other', 'process')?.data,
      typed(details, 'filename', 'process-path')?.data,
    ),
    fact('Hash', details.byType.get('hash')?.data),
    fact('Image', tagged(details, 'container-image')?.data),
    addressFact('Remote IP', remoteAddress(details)),
    domainFact(details),
  ],
  kubernetes: (finding, details) => [
    resourceIs(finding, /eks|kubernetes|cluster/i)
      ? undefined
      : fact('Cluster', tagged(details, 'eks-cluster')?.data),
    fact('Namespace', tagged(details, 'k8s-namespace')?.data),
    fact('Workload', tagged(details, 'k8s-workload')?.data),
    fact('Kubernetes user', tagged(details, 'k8s-user')?.data),
    addressFact('Source IP', remoteAddress(details)),
  ],
  compliance: (finding, details) => {
    const vulnerability = tagged(details, 'cve', 'vulnerability');
    const affected = tagged(details, 'package');
    return [
      fact('Control', controlId(finding)),
      fact('Workflow', finding.workflowStatus),
      fact('Vulnerability', vulnerability?.data),
      fact('Package', affected?.data, affected?.message),
    ];
  },
  siem: (finding, details) => [
    addressFact('Source', taggedAddress(details, 'src', 'src-host') ?? remoteAddress(details)),
    addressFact('Destination', taggedAddress(details, 'dst', 'dst-host')),
    userFact(finding, details),
    fact('Malware', tagged(details, 'malware')?.data),
    fact('URL', tagged(details, 'request-url')?.data),
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

function resourceFact(finding: FindingSnapshot): FactParts | undefined {
  const resource = finding.resource;
  if (!resource) return undefined;
  const name = resource.name === resource.id ? undefined : resource.name;
  for (const [pattern, label] of RESOURCE_LABELS)
    if (pattern.test(resource.kind)) return fact(label, resource.id, name);
  return fact('Resource', resource.kind, resource.id, name);
}

/**
 * The facts an alert shows for `finding`, plus the remediation guide of a Security Hub control
 * (AWS publishes one per control at `docs.aws.amazon.com/console/securityhub/<control>/remediation`,
 * the URL Security Hub itself puts in the finding).
 */
export function findingFactParts(finding: FindingSnapshot): {
  facts: FactParts[];
  remediationUrl?: string;
} {
  const details = readDetails(finding.observables);
  const facts: FactParts[] = [];
  const add = (item: FactParts | undefined) => {
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
  const control =
    finding.kind === 'compliance' && finding.source === 'securityhub' ? controlId(finding) : undefined;
  return control
    ? { facts, remediationUrl: `https://docs.aws.amazon.com/console/securityhub/${control}/remediation` }
    : { facts };
}

/** {@link findingFactParts} for Slack: each part a literal, joined by ` · `. */
export function findingFacts(finding: FindingSnapshot): { facts: Fact[]; remediationUrl?: string } {
  const { facts, remediationUrl } = findingFactParts(finding);
  const shown = facts.map(({ label, parts }) => ({
    label,
    value: parts.map((part) => literal(part, VALUE_MAX)).join(' · '),
  }));
  return remediationUrl === undefined ? { facts: shown } : { facts: shown, remediationUrl };
}
