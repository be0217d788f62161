/**
 * GuardDuty: the finding object EventBridge puts under `detail` (camelCase, as in the REST API),
 * normalised into a Finding.
 */
import * as z from '../validation/zod';
import { guardDutyConsoleUrl } from './console-links';
import {
  accountId,
  firstOf,
  flag,
  lenient,
  list,
  longText,
  numeric,
  requiredId,
  score,
  stringMap,
  tagMap,
  text,
  timestamp,
} from './fields';
import type { FindingActor, FindingResource, NormalisedFinding } from '../domain/finding';
import {
  fingerprintOf,
  guardDutyArn,
  guardDutyFingerprint,
  parseGuardDutyArn,
  type GuardDutyFindingRef,
} from './fingerprint';
import { guardDutyKind } from './kind';
import { ObservableSet, isPlaceholder, type AddressRole, type RemoteHost } from './observables';
import { fieldRejection, schemaRejection, type SourceContext, type SourceOutcome } from './outcome';
import { guardDutySeverity } from './severity';

const tags = tagMap('key', 'value');

const remoteIpDetails = lenient(
  z.object({
    ipAddressV4: text,
    ipAddressV6: text,
    organization: lenient(z.object({ asn: text, asnOrg: text })),
    country: lenient(z.object({ countryName: text })),
  }),
);
const localIpDetails = lenient(z.object({ ipAddressV4: text, ipAddressV6: text }));
const portDetails = lenient(z.object({ port: numeric, portName: text }));
const processDetails = lenient(
  z.object({ name: text, executablePath: text, executableSha256: text, user: text }),
);
const containers = list(z.object({ name: text, image: text }));

const action = lenient(
  z.object({
    actionType: text,
    networkConnectionAction: lenient(
      z.object({
        connectionDirection: text,
        remoteIpDetails,
        localIpDetails,
        remotePortDetails: portDetails,
        localPortDetails: portDetails,
      }),
    ),
    awsApiCallAction: lenient(
      z.object({
        api: text,
        serviceName: text,
        userAgent: text,
        remoteIpDetails,
        domainDetails: lenient(z.object({ domain: text })),
        affectedResources: stringMap,
      }),
    ),
    dnsRequestAction: lenient(z.object({ domain: text })),
    portProbeAction: lenient(
      z.object({
        portProbeDetails: list(z.object({ localPortDetails: portDetails, localIpDetails, remoteIpDetails })),
      }),
    ),
    kubernetesApiCallAction: lenient(
      z.object({ requestUri: text, sourceIPs: list(z.string()), userAgent: text, remoteIpDetails }),
    ),
    rdsLoginAttemptAction: lenient(z.object({ remoteIpDetails })),
  }),
);

const resource = lenient(
  z.object({
    resourceType: text,
    instanceDetails: lenient(z.object({ instanceId: text, tags })),
    accessKeyDetails: lenient(z.object({ accessKeyId: text, userName: text, userType: text })),
    s3BucketDetails: list(z.object({ name: text, arn: text, tags })),
    eksClusterDetails: lenient(z.object({ name: text, arn: text, tags })),
    kubernetesDetails: lenient(
      z.object({
        kubernetesUserDetails: lenient(z.object({ username: text })),
        kubernetesWorkloadDetails: lenient(z.object({ name: text, namespace: text, containers })),
      }),
    ),
    rdsDbInstanceDetails: lenient(z.object({ dbInstanceIdentifier: text, dbInstanceArn: text, tags })),
    rdsDbUserDetails: lenient(z.object({ user: text })),
    containerDetails: lenient(z.object({ id: text, name: text, image: text })),
    ecsClusterDetails: lenient(
      z.object({ name: text, arn: text, tags, taskDetails: lenient(z.object({ containers })) }),
    ),
    lambdaDetails: lenient(z.object({ functionName: text, functionArn: text, tags })),
  }),
);

const service = lenient(
  z.object({
    detectorId: text,
    resourceRole: text,
    count: numeric,
    eventFirstSeen: timestamp,
    eventLastSeen: timestamp,
    action,
    evidence: lenient(
      z.object({
        threatIntelligenceDetails: list(z.object({ threatListName: text, threatNames: list(z.string()) })),
      }),
    ),
    additionalInfo: lenient(z.object({ sample: flag })),
    runtimeDetails: lenient(
      z.object({
        process: processDetails,
        context: lenient(z.object({ modifyingProcess: processDetails, targetProcess: processDetails })),
      }),
    ),
  }),
);

/** The GuardDuty finding schema: strict on identity, type and severity, lenient on everything else. */
const guardDutyFindingSchema = z.object({
  accountId: z.nullish(accountId),
  region: text,
  partition: text,
  id: z.optional(requiredId('the finding id')),
  arn: text,
  type: requiredId('a finding type such as UnauthorizedAccess:EC2/SSHBruteForce'),
  severity: score(0, 10),
  title: longText,
  description: longText,
  createdAt: timestamp,
  updatedAt: timestamp,
  resource,
  service,
});

type GuardDutyFinding = z.output<typeof guardDutyFindingSchema>;
type RemoteIpDetails = z.output<typeof remoteIpDetails>;

/** GuardDuty's remote address details as the common {@link RemoteHost}. */
function remoteHost(details: RemoteIpDetails): RemoteHost | undefined {
  if (!details) return undefined;
  return {
    ipV4: details.ipAddressV4,
    ipV6: details.ipAddressV6,
    asn: details.organization?.asn,
    asnOrg: details.organization?.asnOrg,
    country: details.country?.countryName,
  };
}

/** The affected resource, by GuardDuty's `resourceType`. */
function guardDutyResource(finding: GuardDutyFinding): FindingResource | undefined {
  const r = finding.resource;
  if (!r) return undefined;
  const kind = r.resourceType ?? 'Unknown';
  const make = (id: string | undefined, name?: string, tags?: Record<string, string>) => {
    const result: FindingResource = { kind, id: id ?? name ?? kind };
    if (name) result.name = name;
    if (tags && Object.keys(tags).length > 0) result.tags = tags;
    return result;
  };
  switch (r.resourceType) {
    case 'Instance': {
      const instance = r.instanceDetails;
      return make(instance?.instanceId, instance?.tags.Name, instance?.tags);
    }
    case 'AccessKey':
      return make(r.accessKeyDetails?.accessKeyId, r.accessKeyDetails?.userName);
    case 'S3Bucket':
    case 'S3Object': {
      const bucket = r.s3BucketDetails[0];
      return make(bucket?.arn, bucket?.name, bucket?.tags);
    }
    case 'EKSCluster':
      return make(r.eksClusterDetails?.arn, r.eksClusterDetails?.name, r.eksClusterDetails?.tags);
    case 'RDSDBInstance':
      return make(
        r.rdsDbInstanceDetails?.dbInstanceArn,
        r.rdsDbInstanceDetails?.dbInstanceIdentifier,
        r.rdsDbInstanceDetails?.tags,
      );
    case 'Container':
      return make(r.containerDetails?.id, r.containerDetails?.name ?? r.containerDetails?.image);
    case 'ECSCluster':
      return make(r.ecsClusterDetails?.arn, r.ecsClusterDetails?.name, r.ecsClusterDetails?.tags);
    case 'Lambda':
      return make(r.lambdaDetails?.functionArn, r.lambdaDetails?.functionName, r.lambdaDetails?.tags);
    default:
      return make(undefined);
  }
}

/** Threat-list context (`threat-list:…`, `threat:…`) for the indicators of a finding. */
type GuardDutyService = NonNullable<z.output<typeof service>>;

function threatTags(service: GuardDutyService): string[] {
  const result: string[] = [];
  for (const detail of service.evidence?.threatIntelligenceDetails ?? []) {
    if (detail.threatListName && !isPlaceholder(detail.threatListName)) {
      result.push(`threat-list:${detail.threatListName}`);
    }
    for (const name of detail.threatNames) if (!isPlaceholder(name)) result.push(`threat:${name}`);
  }
  return result;
}

function actionObservables(service: GuardDutyService, set: ObservableSet): void {
  const action = service.action;
  if (!action) return;
  // resourceRole ACTOR: our resource is the one attacking (outbound brute force, DoS), so the
  // remote addresses are its victims, not indicators against us.
  const role: AddressRole = service.resourceRole === 'ACTOR' ? 'victim' : 'attacker';
  const threats = threatTags(service);

  const connection = action.networkConnectionAction;
  if (connection) {
    const direction = connection.connectionDirection
      ? [`direction:${connection.connectionDirection.toLowerCase()}`]
      : [];
    set.remoteHost(remoteHost(connection.remoteIpDetails), ['remote-ip', ...direction, ...threats], role);
    set.port(connection.remotePortDetails?.port, 'remote', connection.remotePortDetails?.portName);
    set.ip(connection.localIpDetails?.ipAddressV4, ['local-ip'], 'context');
    set.ip(connection.localIpDetails?.ipAddressV6, ['local-ip'], 'context');
    set.port(connection.localPortDetails?.port, 'local', connection.localPortDetails?.portName);
  }
  const apiCall = action.awsApiCallAction;
  if (apiCall) {
    set.remoteHost(remoteHost(apiCall.remoteIpDetails), ['remote-ip', 'aws-api-call', ...threats], role);
    set.domain(apiCall.domainDetails?.domain, ['aws-api-call', ...threats], role === 'attacker');
    set.userAgent(apiCall.userAgent, ['aws-api-call']);
    set.bucket(apiCall.affectedResources['AWS::S3::Bucket']);
  }
  set.domain(action.dnsRequestAction?.domain, ['dns-request', ...threats], true);
  for (const probe of action.portProbeAction?.portProbeDetails ?? []) {
    set.remoteHost(remoteHost(probe.remoteIpDetails), ['remote-ip', 'port-probe', ...threats], role);
    set.ip(probe.localIpDetails?.ipAddressV4, ['local-ip'], 'context');
    set.port(probe.localPortDetails?.port, 'local', probe.localPortDetails?.portName);
  }
  const kubernetes = action.kubernetesApiCallAction;
  if (kubernetes) {
    set.remoteHost(remoteHost(kubernetes.remoteIpDetails), ['remote-ip', 'k8s-api-call', ...threats], role);
    for (const source of kubernetes.sourceIPs) set.ip(source, ['k8s-source-ip'], role);
    set.userAgent(kubernetes.userAgent, ['k8s-api-call']);
    set.other(kubernetes.requestUri, ['k8s-request-uri']);
  }
  set.remoteHost(
    remoteHost(action.rdsLoginAttemptAction?.remoteIpDetails),
    ['remote-ip', 'rds-login', ...threats],
    role,
  );
}

/**
 * Adds the observables of a GuardDuty finding's `service` (its action's remote addresses, domains and
 * ports) found inside another source's record: a SIEM that normalised a GuardDuty finding keeps this
 * known shape under a name of its own (MozDef: `details.finding`). Adds nothing when `value` lacks it.
 */
export function addGuardDutyServiceObservables(value: unknown, set: ObservableSet): void {
  const parsed = service.safeParse(value);
  if (parsed.success && parsed.data) actionObservables(parsed.data, set);
}

function resourceObservables(finding: GuardDutyFinding, set: ObservableSet): void {
  const r = finding.resource;
  if (!r) return;
  set.accessKey(r.accessKeyDetails?.accessKeyId);
  set.other(r.accessKeyDetails?.userName, ['user-name']);
  for (const bucket of r.s3BucketDetails) set.bucket(bucket.name ?? bucket.arn);
  set.other(r.eksClusterDetails?.name, ['eks-cluster']);
  set.other(r.kubernetesDetails?.kubernetesUserDetails?.username, ['k8s-user']);
  const workload = r.kubernetesDetails?.kubernetesWorkloadDetails;
  set.other(workload?.namespace, ['k8s-namespace']);
  set.other(workload?.name, ['k8s-workload']);
  for (const container of workload?.containers ?? []) set.other(container.image, ['container-image']);
  set.other(r.rdsDbUserDetails?.user, ['db-user']);
  set.other(r.containerDetails?.image, ['container-image']);
  set.other(r.ecsClusterDetails?.name, ['ecs-cluster']);
  for (const container of r.ecsClusterDetails?.taskDetails?.containers ?? []) {
    set.other(container.image, ['container-image']);
  }
  set.other(r.lambdaDetails?.functionName, ['lambda-function']);
}

function runtimeObservables(finding: GuardDutyFinding, set: ObservableSet): void {
  const runtime = finding.service?.runtimeDetails;
  if (!runtime) return;
  for (const process of [
    runtime.process,
    runtime.context?.modifyingProcess,
    runtime.context?.targetProcess,
  ]) {
    if (!process) continue;
    // The process a Runtime Monitoring finding names is the suspect: its hash is an indicator.
    set.hash(process.executableSha256, ['process', 'runtime'], true);
    set.filename(process.executablePath, ['process-path', 'runtime']);
    set.other(process.name, ['process', 'runtime']);
  }
}

/** The IAM user a finding is about, when it is a person's credentials (not a role or the root). */
function guardDutyActor(finding: GuardDutyFinding): FindingActor | undefined {
  const key = finding.resource?.accessKeyDetails;
  if (key?.userType !== 'IAMUser' || !key.userName || isPlaceholder(key.userName)) return undefined;
  return { name: key.userName };
}

/** Where the finding is and what its id is, from its ARN first (the identity the ASFF copy carries). */
function locate(finding: GuardDutyFinding, ctx: SourceContext) {
  const fromArn: GuardDutyFindingRef | undefined = finding.arn ? parseGuardDutyArn(finding.arn) : undefined;
  return {
    fromArn,
    findingId: fromArn?.findingId ?? finding.id,
    region: firstOf(finding.region, fromArn?.region, ctx.envelope?.region),
    accountId: firstOf(finding.accountId ?? undefined, fromArn?.accountId, ctx.envelope?.account),
  };
}

/**
 * Normalises a GuardDuty finding (the `detail` of a "GuardDuty Finding" event).
 *
 * A payload with no id, ARN, account or region at all (GuardDuty's own sample in some
 * integrations' test events) still normalises: its fingerprint then comes from its type and
 * resource, so repeats of the same sample meet.
 */
export function normaliseGuardDuty(input: unknown, ctx: SourceContext): SourceOutcome {
  const parsed = guardDutyFindingSchema.safeParse(input);
  if (!parsed.success) return schemaRejection(ctx.path, parsed.error);
  const finding = parsed.data;
  const { fromArn, findingId, region, accountId: account } = locate(finding, ctx);
  const resource = guardDutyResource(finding);
  const identified = findingId !== undefined || finding.accountId != null || finding.region !== undefined;

  let fingerprint: string;
  let sourceId: string;
  if (findingId !== undefined) {
    if (!account) return fieldRejection(ctx.path, 'accountId', 'required with a finding id');
    if (!region) return fieldRejection(ctx.path, 'region', 'required with a finding id');
    fingerprint = guardDutyFingerprint(fromArn?.region ?? region, fromArn?.accountId ?? account, findingId);
    const detectorId = finding.service?.detectorId;
    sourceId =
      finding.arn ??
      (detectorId
        ? guardDutyArn({
            partition: finding.partition ?? 'aws',
            region,
            accountId: account,
            detectorId,
            findingId,
          })
        : findingId);
  } else if (identified) {
    return fieldRejection(ctx.path, 'id', 'required');
  } else {
    sourceId = `${finding.type}/${resource?.id ?? 'unknown-resource'}`;
    fingerprint = fingerprintOf('gd', `guardduty-unidentified/${sourceId}`);
  }

  const firstSeen = firstOf(finding.service?.eventFirstSeen, finding.createdAt, finding.updatedAt);
  const lastSeen = firstOf(finding.service?.eventLastSeen, finding.updatedAt, firstSeen);
  const updatedAt = firstOf(finding.updatedAt, lastSeen);
  if (!firstSeen || !lastSeen || !updatedAt) return fieldRejection(ctx.path, 'updatedAt', 'required');

  const sample = finding.service?.additionalInfo?.sample === true;
  const baseTitle =
    firstOf(finding.title?.trim(), finding.description?.trim()) ??
    `${finding.type} on ${resource?.id ?? 'an AWS resource'}`;
  // The GuardDuty console marks sample findings the same way; nobody should page on-call for one.
  const title = sample ? `[SAMPLE] ${baseTitle}` : baseTitle;
  const description = firstOf(finding.description?.trim(), baseTitle) ?? baseTitle;

  const observables = new ObservableSet();
  if (finding.service) actionObservables(finding.service, observables);
  runtimeObservables(finding, observables);
  resourceObservables(finding, observables);
  observables.text(`${finding.title ?? ''}\n${finding.description ?? ''}`);

  const normalised: NormalisedFinding = {
    fingerprint,
    source: 'guardduty',
    product: 'GuardDuty',
    sourceId,
    title,
    description,
    severity: guardDutySeverity(finding.severity),
    sourceSeverity: String(finding.severity),
    type: finding.type,
    kind: guardDutyKind(finding.type, finding.resource?.resourceType),
    observables: observables.toArray(),
    firstSeen,
    lastSeen,
    updatedAt,
    count: Math.max(1, Math.floor(finding.service?.count ?? 1)),
    raw: input,
  };
  if (account) normalised.accountId = account;
  if (region) normalised.region = region;
  if (resource) normalised.resource = resource;
  const consoleUrl = findingId ? guardDutyConsoleUrl(region, findingId) : undefined;
  if (consoleUrl) normalised.consoleUrl = consoleUrl;
  const actor = guardDutyActor(finding);
  if (actor) normalised.actor = actor;
  return { finding: normalised };
}
