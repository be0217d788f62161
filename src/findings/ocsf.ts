/**
 * Security Hub (2025) findings in OCSF, as "Findings Imported V2" events carry them: detection
 * findings (GuardDuty, Macie), vulnerability findings (Inspector), compliance findings (controls).
 */
import * as z from '../validation/zod';
import { arnRegion, guardDutyConsoleUrl } from './console-links';
import {
  accountId,
  firstOf,
  lenient,
  list,
  longText,
  numeric,
  requiredId,
  tagMap,
  text,
  timestamp,
} from './fields';
import type {
  FindingActor,
  FindingKind,
  FindingResource,
  NormalisedFinding,
  WorkflowStatus,
} from '../domain/finding';
import {
  guardDutyFingerprint,
  isGuardDutyProduct,
  parseGuardDutyArn,
  securityHubFingerprint,
} from './fingerprint';
import { guardDutyKind, securityHubKind } from './kind';
import { ObservableSet, isPlaceholder, type AddressRole } from './observables';
import { productName, productSlug } from './asff';
import {
  childPath,
  fieldRejection,
  schemaRejection,
  type SourceContext,
  type SourceOutcome,
} from './outcome';
import { ocsfSeverity } from './severity';

const objectError = (issue: { input: unknown }) =>
  issue.input === undefined ? 'required' : 'expected an object';

const endpoint = lenient(
  z.object({
    ip: text,
    domain: text,
    hostname: text,
    autonomous_system: lenient(z.object({ number: text, name: text })),
    location: lenient(z.object({ country: text })),
  }),
);
const file = lenient(z.object({ name: text, path: text, hashes: list(z.object({ value: text })) }));
const process = lenient(z.object({ name: text, file }));

/** The OCSF finding schema: strict on `finding_info.uid` and `metadata.product.uid`, lenient elsewhere. */
const ocsfFindingSchema = z.object({
  finding_info: z.object(
    {
      uid: requiredId('the finding uid'),
      title: longText,
      desc: longText,
      types: list(z.string()),
      created_time_dt: timestamp,
      created_time: timestamp,
      first_seen_time_dt: timestamp,
      first_seen_time: timestamp,
      last_seen_time_dt: timestamp,
      last_seen_time: timestamp,
      modified_time_dt: timestamp,
      modified_time: timestamp,
    },
    { error: objectError },
  ),
  metadata: z.object(
    {
      product: z.object(
        { uid: requiredId('the Security Hub product ARN'), name: text },
        { error: objectError },
      ),
    },
    { error: objectError },
  ),
  cloud: lenient(z.object({ account: lenient(z.object({ uid: z.optional(z.unknown()) })), region: text })),
  class_uid: numeric,
  class_name: text,
  severity_id: numeric,
  severity: text,
  status: text,
  count: numeric,
  time_dt: timestamp,
  time: timestamp,
  resources: list(
    z.object({
      uid: text,
      name: text,
      type: text,
      region: text,
      tags: tagMap('name', 'value'),
      data: lenient(z.object({ access_key_id: text, user_name: text, user_type: text })),
      owner: lenient(z.object({ account: lenient(z.object({ uid: text })) })),
    }),
  ),
  evidences: list(
    z.object({
      src_endpoint: endpoint,
      dst_endpoint: endpoint,
      query: lenient(z.object({ hostname: text })),
      http_request: lenient(z.object({ user_agent: text })),
      actor: lenient(z.object({ user: lenient(z.object({ name: text })), process })),
      process,
      file,
      data: lenient(z.object({ resource_role: text })),
    }),
  ),
  observables: list(z.object({ type_id: numeric, value: text })),
  vulnerabilities: list(
    z.object({
      cve: lenient(z.object({ uid: text })),
      affected_packages: list(z.object({ name: text, version: text })),
    }),
  ),
});

type OcsfFinding = z.output<typeof ocsfFindingSchema>;

/** OCSF classes: 2002 Vulnerability Finding and 2003 Compliance Finding are posture; 2006 Data Security. */
const VULNERABILITY_FINDING = 2002;
const COMPLIANCE_FINDING = 2003;
const DATA_SECURITY_FINDING = 2006;

const STATUSES: Record<string, WorkflowStatus> = {
  new: 'NEW',
  'in progress': 'NOTIFIED',
  suppressed: 'SUPPRESSED',
  resolved: 'RESOLVED',
};

function evidenceObservables(finding: OcsfFinding, role: AddressRole, set: ObservableSet): void {
  for (const evidence of finding.evidences) {
    for (const [side, point] of [
      ['src', evidence.src_endpoint],
      ['dst', evidence.dst_endpoint],
    ] as const) {
      if (!point) continue;
      set.remoteHost(
        {
          ipV4: point.ip,
          asn: point.autonomous_system?.number,
          asnOrg: point.autonomous_system?.name,
          country: point.location?.country,
        },
        [side === 'src' ? 'remote-ip' : 'dst'],
        side === 'src' ? role : 'context',
      );
      set.domain(point.domain ?? point.hostname, [side], side === 'src' && role === 'attacker');
    }
    set.domain(evidence.query?.hostname, ['dns-request'], true);
    set.userAgent(evidence.http_request?.user_agent, ['http-request']);
    set.other(evidence.actor?.user?.name, ['user-name']);
    for (const proc of [evidence.process, evidence.actor?.process]) {
      set.other(proc?.name, ['process']);
      set.filename(proc?.file?.path, ['process-path']);
      for (const hash of proc?.file?.hashes ?? []) set.hash(hash.value, ['process'], true);
    }
    set.filename(evidence.file?.path ?? evidence.file?.name, ['file']);
    for (const hash of evidence.file?.hashes ?? []) set.hash(hash.value, ['file'], true);
  }
}

/** OCSF `observables[]` by `type_id` (1 Hostname, 2 IP, 4 User Name, 5 Email, 6 URL, 7 File Name, 8 Hash, 9 Process). */
function declaredObservables(finding: OcsfFinding, role: AddressRole, set: ObservableSet): void {
  for (const { type_id: typeId, value } of finding.observables) {
    if (typeId === 1) set.domain(value, ['ocsf-observable'], false);
    else if (typeId === 2) set.ip(value, ['ocsf-observable'], role);
    else if (typeId === 4) set.other(value, ['user-name']);
    else if (typeId === 5) set.mail(value, ['ocsf-observable']);
    else if (typeId === 6) set.url(value, ['ocsf-observable'], role === 'attacker');
    else if (typeId === 7) set.filename(value, ['ocsf-observable']);
    else if (typeId === 8) set.hash(value, ['ocsf-observable'], true);
    else if (typeId === 9) set.other(value, ['process']);
  }
}

function resourceObservables(finding: OcsfFinding, set: ObservableSet): void {
  for (const resource of finding.resources) {
    set.accessKey(resource.data?.access_key_id);
    if (resource.type === 'AWS::IAM::AccessKey') set.accessKey(resource.uid);
    set.other(resource.data?.user_name, ['user-name']);
    if (resource.type === 'AWS::S3::Bucket') set.bucket(resource.uid ?? resource.name);
  }
  for (const vulnerability of finding.vulnerabilities) {
    const id = vulnerability.cve?.uid;
    set.other(id, [/^CVE-/i.test(id ?? '') ? 'cve' : 'vulnerability']);
    for (const pkg of vulnerability.affected_packages) {
      set.other(pkg.name, ['package'], pkg.version ? `installed ${pkg.version}` : undefined);
    }
  }
}

function ocsfResource(finding: OcsfFinding): FindingResource | undefined {
  const first = finding.resources[0];
  if (!first) return undefined;
  const kind = first.type ?? 'Unknown';
  const resource: FindingResource = { kind, id: first.uid ?? first.name ?? kind };
  if (first.name) resource.name = first.name;
  if (Object.keys(first.tags).length > 0) resource.tags = first.tags;
  return resource;
}

function ocsfActor(finding: OcsfFinding): FindingActor | undefined {
  for (const resource of finding.resources) {
    const name = resource.data?.user_name;
    if (resource.data?.user_type === 'IAMUser' && name && !isPlaceholder(name)) return { name };
  }
  return undefined;
}

function ocsfKind(finding: OcsfFinding, guardDutyType: string | undefined): FindingKind {
  if (guardDutyType) return guardDutyKind(guardDutyType);
  if (finding.class_uid === VULNERABILITY_FINDING || finding.class_uid === COMPLIANCE_FINDING) {
    return 'compliance';
  }
  if (finding.class_uid === DATA_SECURITY_FINDING) return 'data';
  return securityHubKind(
    productSlug(finding.metadata.product.uid),
    finding.finding_info.types,
    finding.resources[0]?.type,
  );
}

/** Normalises one Security Hub OCSF finding (an element of a "Findings Imported V2" `detail.findings[]`). */
export function normaliseOcsf(input: unknown, ctx: SourceContext): SourceOutcome {
  const parsed = ocsfFindingSchema.safeParse(input);
  if (!parsed.success) return schemaRejection(ctx.path, parsed.error);
  const finding = parsed.data;
  const info = finding.finding_info;
  const productArn = finding.metadata.product.uid;

  const declaredAccount = finding.cloud?.account?.uid ?? finding.resources[0]?.owner?.account?.uid;
  let account: string | undefined;
  if (declaredAccount !== undefined && declaredAccount !== null) {
    const checked = accountId.safeParse(declaredAccount);
    if (!checked.success) {
      return fieldRejection(childPath(childPath(ctx.path, 'cloud'), 'account'), 'uid', 'expected 12 digits');
    }
    account = checked.data;
  }

  const severity = ocsfSeverity(finding.severity_id, finding.severity);
  if (!severity) return fieldRejection(ctx.path, 'severity_id', 'required (1-6), or a severity caption');

  const firstSeen = firstOf(
    info.first_seen_time_dt,
    info.first_seen_time,
    info.created_time_dt,
    info.created_time,
    finding.time_dt,
    finding.time,
  );
  const lastSeen = firstOf(
    info.last_seen_time_dt,
    info.last_seen_time,
    info.modified_time_dt,
    info.modified_time,
    firstSeen,
  );
  const updatedAt = firstOf(
    info.modified_time_dt,
    info.modified_time,
    finding.time_dt,
    finding.time,
    lastSeen,
  );
  if (!firstSeen || !lastSeen || !updatedAt) {
    return fieldRejection(childPath(ctx.path, 'finding_info'), 'modified_time_dt', 'required');
  }

  const guardDutyRef = isGuardDutyProduct(productArn) ? parseGuardDutyArn(info.uid) : undefined;
  const guardDutyType = guardDutyRef ? info.types[0] : undefined;
  const type = firstOf(info.types[0], finding.class_name) ?? 'Unknown';
  const kind = ocsfKind(finding, guardDutyType);
  const region = firstOf(
    finding.cloud?.region,
    guardDutyRef?.region,
    arnRegion(productArn),
    ctx.envelope?.region,
  );

  const role: AddressRole = finding.evidences.some((evidence) => evidence.data?.resource_role === 'ACTOR')
    ? 'victim'
    : 'attacker';
  const observables = new ObservableSet();
  evidenceObservables(finding, role, observables);
  declaredObservables(finding, role, observables);
  resourceObservables(finding, observables);
  if (kind !== 'compliance') {
    observables.text(`${info.title ?? ''}\n${info.desc ?? ''}`);
  }

  const title = firstOf(info.title?.trim(), info.desc?.trim(), type) ?? info.uid;
  const normalised: NormalisedFinding = {
    fingerprint: guardDutyRef
      ? guardDutyFingerprint(guardDutyRef.region, guardDutyRef.accountId, guardDutyRef.findingId)
      : securityHubFingerprint(productArn, info.uid),
    source: 'securityhub',
    product: finding.metadata.product.name ?? productName(productArn, {}),
    sourceId: info.uid,
    title,
    description: firstOf(info.desc?.trim(), title) ?? title,
    severity,
    sourceSeverity: finding.severity ?? `severity_id ${finding.severity_id}`,
    type,
    kind,
    observables: observables.toArray(),
    firstSeen,
    lastSeen,
    updatedAt,
    count: Math.max(1, Math.floor(finding.count ?? 1)),
    securityHub: { id: info.uid, productArn },
    raw: input,
  };
  if (account) normalised.accountId = account;
  if (region) normalised.region = region;
  const resource = ocsfResource(finding);
  if (resource) normalised.resource = resource;
  const status = finding.status ? STATUSES[finding.status.toLowerCase()] : undefined;
  if (status) normalised.workflowStatus = status;
  const consoleUrl = guardDutyRef
    ? guardDutyConsoleUrl(guardDutyRef.region, guardDutyRef.findingId)
    : undefined;
  if (consoleUrl) normalised.consoleUrl = consoleUrl;
  const actor = ocsfActor(finding);
  if (actor) normalised.actor = actor;
  return { finding: normalised };
}
