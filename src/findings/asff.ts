/**
 * Security Hub (CSPM) findings in the AWS Security Finding Format, from every product: GuardDuty,
 * Inspector, Macie, Access Analyzer, Security Hub controls, and third parties such as Prowler.
 */
import * as z from '../validation/zod';
import { arnRegion, securityHubConsoleUrl, webLink } from './console-links';
import {
  accountId,
  firstOf,
  lenient,
  list,
  longText,
  numeric,
  requiredId,
  stringMap,
  text,
  timestamp,
} from './fields';
import type {
  FindingActor,
  FindingResource,
  NormalisedFinding,
  Severity,
  WorkflowStatus,
} from '../domain/finding';
import {
  guardDutyFingerprint,
  isGuardDutyProduct,
  parseGuardDutyArn,
  securityHubFingerprint,
} from './fingerprint';
import { guardDutyKind, securityHubKind } from './kind';
import { ObservableSet, isPlaceholder, type AddressRole, type RemoteHost } from './observables';
import { fieldRejection, schemaRejection, type SourceContext, type SourceOutcome } from './outcome';
import { guardDutySeverity, normalizedSeverity, severityFromLabel } from './severity';

/**
 * The `Note.UpdatedBy` Hivewire writes with every Security Hub update. Security Hub re-emits a
 * finding after `BatchUpdateFindings`; a finding whose latest change is our own note is that echo.
 */
export const HIVEWIRE_NOTE_AUTHOR = 'hivewire';

const severityFields = z.object({ Label: text, Normalized: numeric, Product: numeric, Original: text });

const remoteIpDetails = lenient(
  z.object({
    IpAddressV4: text,
    Organization: lenient(z.object({ Asn: text, AsnOrg: text })),
    Country: lenient(z.object({ CountryName: text })),
  }),
);
const portDetails = lenient(z.object({ Port: numeric, PortName: text }));

const resourceSchema = z.object({
  Type: text,
  Id: text,
  Region: text,
  Tags: stringMap,
  Details: lenient(
    z.object({
      AwsIamAccessKey: lenient(z.object({ UserName: text, PrincipalName: text })),
      AwsIamUser: lenient(z.object({ UserName: text })),
      AwsEksCluster: lenient(z.object({ Name: text })),
      AwsLambdaFunction: lenient(z.object({ FunctionName: text })),
      Container: lenient(z.object({ Name: text, ImageName: text })),
      Other: stringMap,
    }),
  ),
});

/** The ASFF finding schema: strict on `Id`, `ProductArn`, `AwsAccountId`; lenient on the rest. */
const asffFindingSchema = z.object({
  Id: requiredId('the finding id'),
  ProductArn: requiredId('a Security Hub product ARN').check(
    z.refine((arn) => /^arn:[\w-]+:securityhub:/.test(arn), {
      error: 'expected a Security Hub product ARN (arn:aws:securityhub:…)',
    }),
  ),
  AwsAccountId: accountId,
  Types: list(z.string()),
  GeneratorId: text,
  Title: longText,
  Description: longText,
  Severity: z.optional(z.unknown()),
  FindingProviderFields: lenient(z.object({ Severity: lenient(severityFields) })),
  CreatedAt: timestamp,
  UpdatedAt: timestamp,
  FirstObservedAt: timestamp,
  LastObservedAt: timestamp,
  Region: text,
  ProductName: text,
  CompanyName: text,
  Resources: list(resourceSchema),
  Network: lenient(
    z.object({
      Direction: text,
      SourceIpV4: text,
      SourceIpV6: text,
      SourcePort: numeric,
      SourceDomain: text,
      DestinationIpV4: text,
      DestinationIpV6: text,
      DestinationPort: numeric,
      DestinationDomain: text,
    }),
  ),
  Action: lenient(
    z.object({
      NetworkConnectionAction: lenient(
        z.object({
          ConnectionDirection: text,
          RemoteIpDetails: remoteIpDetails,
          RemotePortDetails: portDetails,
          LocalPortDetails: portDetails,
        }),
      ),
      AwsApiCallAction: lenient(
        z.object({
          RemoteIpDetails: remoteIpDetails,
          DomainDetails: lenient(z.object({ Domain: text })),
        }),
      ),
      DnsRequestAction: lenient(z.object({ Domain: text })),
      PortProbeAction: lenient(
        z.object({
          PortProbeDetails: list(
            z.object({
              LocalPortDetails: portDetails,
              LocalIpDetails: lenient(z.object({ IpAddressV4: text })),
              RemoteIpDetails: remoteIpDetails,
            }),
          ),
        }),
      ),
    }),
  ),
  ProductFields: stringMap,
  Workflow: lenient(z.object({ Status: text })),
  WorkflowState: text,
  Note: lenient(z.object({ UpdatedBy: text, UpdatedAt: timestamp })),
  SourceUrl: text,
  Vulnerabilities: list(
    z.object({ Id: text, VulnerablePackages: list(z.object({ Name: text, Version: text })) }),
  ),
  Malware: list(z.object({ Name: text, Path: text })),
  Process: lenient(z.object({ Name: text, Path: text })),
});

type AsffFinding = z.output<typeof asffFindingSchema>;
type AsffSeverity = z.output<typeof severityFields>;

const WORKFLOW_STATUSES = new Set<WorkflowStatus>(['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED']);

/** Names of AWS's own Security Hub products, by the last part of their product ARN. */
const AWS_PRODUCTS: Record<string, string> = {
  guardduty: 'GuardDuty',
  inspector: 'Inspector',
  macie: 'Macie',
  'access-analyzer': 'IAM Access Analyzer',
  securityhub: 'Security Hub',
  config: 'AWS Config',
  'firewall-manager': 'Firewall Manager',
  health: 'AWS Health',
  'ssm-patch-manager': 'Systems Manager Patch Manager',
  detective: 'Detective',
};

/** `guardduty` from `arn:aws:securityhub:us-east-1::product/aws/guardduty`; `<company>/<product>` for partners. */
export function productSlug(productArn: string): string {
  const match = /:product(?:v2)?\/(.+)$/.exec(productArn);
  const path = match?.[1] ?? '';
  return path.startsWith('aws/') ? path.slice(4) : path;
}

/** The product's display name: AWS's own by ARN, a partner's from ProductFields (`ProviderName` for Prowler). */
export function productName(
  productArn: string,
  productFields: Record<string, string>,
  declared?: string,
  company?: string,
): string {
  const known = AWS_PRODUCTS[productSlug(productArn)];
  if (known) return known;
  const named = firstOf(productFields.ProviderName, declared, productFields['aws/securityhub/ProductName']);
  if (named && named !== 'Default') return named;
  return firstOf(company, productFields['aws/securityhub/CompanyName']) ?? 'Security Hub';
}

/** Label, else Normalized, else Product (GuardDuty's own 0–10 scale for GuardDuty findings). */
function deriveSeverity(severity: AsffSeverity, guardDuty: boolean): Severity | undefined {
  return (
    severityFromLabel(severity.Label) ??
    (severity.Normalized === undefined ? undefined : normalizedSeverity(severity.Normalized)) ??
    (severity.Product === undefined
      ? undefined
      : guardDuty
        ? guardDutySeverity(severity.Product)
        : normalizedSeverity(severity.Product))
  );
}

function severityText(severity: AsffSeverity): string {
  if (severity.Original) return severity.Original;
  if (severity.Label) return severity.Label;
  if (severity.Normalized !== undefined) return `Normalized ${severity.Normalized}`;
  return `Product ${severity.Product}`;
}

/**
 * GuardDuty's type as GuardDuty writes it: Security Hub rewrites `Recon:IAMUser/MaliciousIPCaller`
 * into the classifier `TTPs/Discovery/Recon:IAMUser-MaliciousIPCaller` (the slash becomes a dash).
 */
function guardDutyType(types: string[]): string | undefined {
  const classifier = types[0]?.split('/').pop();
  if (!classifier?.includes(':')) return undefined;
  const colon = classifier.indexOf(':');
  const dash = classifier.indexOf('-', colon);
  return dash < 0 ? classifier : `${classifier.slice(0, dash)}/${classifier.slice(dash + 1)}`;
}

/**
 * A GuardDuty ProductFields key: below `aws/guardduty/service/`, or bare as in 2018 findings. Keys
 * are built once: looking up freshly concatenated strings in a large map is slow.
 */
type GuardDutyKey = readonly [prefixed: string, bare: string];

function guardDutyKey(key: string): GuardDutyKey {
  return [`aws/guardduty/service/${key}`, key];
}

function guardDutyField(fields: Record<string, string>, key: GuardDutyKey): string | undefined {
  return fields[key[0]] ?? fields[key[1]];
}

const GUARDDUTY_FIELDS = {
  resourceRole: guardDutyKey('resourceRole'),
  count: guardDutyKey('count'),
  additionalInfo: guardDutyKey('additionalInfo'),
  actionType: guardDutyKey('action/actionType'),
  dnsDomain: guardDutyKey('action/dnsRequestAction/domain'),
  s3Bucket: guardDutyKey('action/awsApiCallAction/affectedResources/AWS::S3::Bucket'),
};

/** The ProductFields keys of each GuardDuty action that flattens a remote side (`…/remoteIpDetails/…`). */
const GUARDDUTY_ACTIONS = [
  'networkConnectionAction',
  'awsApiCallAction',
  'kubernetesApiCallAction',
  'rdsLoginAttemptAction',
].map((action) => {
  const key = (suffix: string) => guardDutyKey(`action/${action}/${suffix}`);
  return {
    direction: key('connectionDirection'),
    ipV4: key('remoteIpDetails/ipAddressV4'),
    ipV6: key('remoteIpDetails/ipAddressV6'),
    asn: key('remoteIpDetails/organization/asn'),
    asnOrg: key('remoteIpDetails/organization/asnOrg'),
    country: key('remoteIpDetails/country/countryName'),
    remotePort: key('remotePortDetails/port'),
    remotePortName: key('remotePortDetails/portName'),
    localIp: key('localIpDetails/ipAddressV4'),
    localPort: key('localPortDetails/port'),
    localPortName: key('localPortDetails/portName'),
  };
});

/**
 * The observables GuardDuty flattens into ProductFields (`…/remoteIpDetails/ipAddressV4` and its
 * siblings `…/organization/asnOrg`, …), looked up by their known keys. Port probes list several
 * remote hosts under keys we cannot predict, so only those are found by scanning.
 */
function guardDutyProductFieldObservables(
  fields: Record<string, string>,
  role: AddressRole,
  set: ObservableSet,
): void {
  for (const keys of GUARDDUTY_ACTIONS) {
    const direction = guardDutyField(fields, keys.direction);
    const tags = direction ? ['remote-ip', `direction:${direction.toLowerCase()}`] : ['remote-ip'];
    set.remoteHost(
      {
        ipV4: guardDutyField(fields, keys.ipV4),
        ipV6: guardDutyField(fields, keys.ipV6),
        asn: guardDutyField(fields, keys.asn),
        asnOrg: guardDutyField(fields, keys.asnOrg),
        country: guardDutyField(fields, keys.country),
      },
      tags,
      role,
    );
    set.port(
      numericField(guardDutyField(fields, keys.remotePort)),
      'remote',
      guardDutyField(fields, keys.remotePortName),
    );
    set.ip(guardDutyField(fields, keys.localIp), ['local-ip'], 'context');
    set.port(
      numericField(guardDutyField(fields, keys.localPort)),
      'local',
      guardDutyField(fields, keys.localPortName),
    );
  }
  set.domain(guardDutyField(fields, GUARDDUTY_FIELDS.dnsDomain), ['dns-request'], true);
  set.bucket(guardDutyField(fields, GUARDDUTY_FIELDS.s3Bucket));
  if (guardDutyField(fields, GUARDDUTY_FIELDS.actionType) !== 'PORT_PROBE') return;
  for (const [key, value] of Object.entries(fields)) {
    if (key.includes('portProbeAction') && key.endsWith('/remoteIpDetails/ipAddressV4')) {
      const base = key.slice(0, key.length - 'ipAddressV4'.length);
      set.remoteHost(
        {
          ipV4: value,
          asn: fields[`${base}organization/asn`],
          asnOrg: fields[`${base}organization/asnOrg`],
          country: fields[`${base}country/countryName`],
        },
        ['remote-ip', 'port-probe'],
        role,
      );
    }
  }
}

/** A ProductFields number (all values there are strings). */
function numericField(value: string | undefined): number | undefined {
  return value === undefined || value === '' ? undefined : Number(value);
}

function remoteHost(details: z.output<typeof remoteIpDetails>): RemoteHost | undefined {
  if (!details) return undefined;
  return {
    ipV4: details.IpAddressV4,
    asn: details.Organization?.Asn,
    asnOrg: details.Organization?.AsnOrg,
    country: details.Country?.CountryName,
  };
}

function actionObservables(finding: AsffFinding, role: AddressRole, set: ObservableSet): void {
  const action = finding.Action;
  if (!action) return;
  const connection = action.NetworkConnectionAction;
  if (connection) {
    const direction = connection.ConnectionDirection
      ? [`direction:${connection.ConnectionDirection.toLowerCase()}`]
      : [];
    set.remoteHost(remoteHost(connection.RemoteIpDetails), ['remote-ip', ...direction], role);
    set.port(connection.RemotePortDetails?.Port, 'remote', connection.RemotePortDetails?.PortName);
    set.port(connection.LocalPortDetails?.Port, 'local', connection.LocalPortDetails?.PortName);
  }
  set.remoteHost(remoteHost(action.AwsApiCallAction?.RemoteIpDetails), ['remote-ip', 'aws-api-call'], role);
  set.domain(action.AwsApiCallAction?.DomainDetails?.Domain, ['aws-api-call'], role === 'attacker');
  set.domain(action.DnsRequestAction?.Domain, ['dns-request'], true);
  for (const probe of action.PortProbeAction?.PortProbeDetails ?? []) {
    set.remoteHost(remoteHost(probe.RemoteIpDetails), ['remote-ip', 'port-probe'], role);
    set.ip(probe.LocalIpDetails?.IpAddressV4, ['local-ip'], 'context');
    set.port(probe.LocalPortDetails?.Port, 'local', probe.LocalPortDetails?.PortName);
  }
}

/** ASFF `Network`: with a direction the remote side is the indicator; without one both sides are reported. */
function networkObservables(finding: AsffFinding, role: AddressRole, set: ObservableSet): void {
  const network = finding.Network;
  if (!network) return;
  const direction = network.Direction?.toUpperCase();
  const sourceRole: AddressRole = direction === 'OUT' ? 'context' : role;
  const destinationRole: AddressRole = direction === 'IN' ? 'context' : role;
  const sourceTag = direction === 'OUT' ? 'local-ip' : direction === 'IN' ? 'remote-ip' : 'network-source';
  const destinationTag =
    direction === 'IN' ? 'local-ip' : direction === 'OUT' ? 'remote-ip' : 'network-destination';
  set.ip(network.SourceIpV4, [sourceTag], sourceRole);
  set.ip(network.SourceIpV6, [sourceTag], sourceRole);
  set.domain(network.SourceDomain, [sourceTag], sourceRole === 'attacker');
  set.ip(network.DestinationIpV4, [destinationTag], destinationRole);
  set.ip(network.DestinationIpV6, [destinationTag], destinationRole);
  set.domain(network.DestinationDomain, [destinationTag], destinationRole === 'attacker');
  set.port(network.SourcePort, direction === 'OUT' ? 'local' : 'remote');
  set.port(network.DestinationPort, direction === 'OUT' ? 'remote' : 'local');
}

function resourceObservables(finding: AsffFinding, set: ObservableSet): void {
  for (const resource of finding.Resources) {
    const details = resource.Details;
    if (resource.Type === 'AwsIamAccessKey' && resource.Id?.startsWith('AWS::IAM::AccessKey:')) {
      set.accessKey(resource.Id.slice('AWS::IAM::AccessKey:'.length));
    }
    if (resource.Type === 'AwsS3Bucket') set.bucket(resource.Id);
    set.other(details?.AwsIamAccessKey?.UserName ?? details?.AwsIamAccessKey?.PrincipalName, ['user-name']);
    set.other(details?.AwsIamUser?.UserName, ['user-name']);
    set.other(details?.AwsEksCluster?.Name, ['eks-cluster']);
    set.other(details?.Container?.ImageName, ['container-image']);
    set.other(details?.AwsLambdaFunction?.FunctionName, ['lambda-function']);
    // IAM Access Analyzer names the outside account or principal that was granted access.
    set.other(details?.Other?.['External Principal'], ['external-principal']);
  }
}

function vulnerabilityObservables(finding: AsffFinding, set: ObservableSet): void {
  for (const vulnerability of finding.Vulnerabilities) {
    set.other(vulnerability.Id, [/^CVE-/i.test(vulnerability.Id ?? '') ? 'cve' : 'vulnerability']);
    for (const pkg of vulnerability.VulnerablePackages) {
      set.other(pkg.Name, ['package'], pkg.Version ? `installed ${pkg.Version}` : undefined);
    }
  }
  for (const malware of finding.Malware) {
    set.other(malware.Name, ['malware']);
    set.filename(malware.Path, ['malware']);
  }
  set.other(finding.Process?.Name, ['process']);
  set.filename(finding.Process?.Path, ['process-path']);
}

function asffResource(finding: AsffFinding): FindingResource | undefined {
  const first = finding.Resources[0];
  if (!first) return undefined;
  const kind = first.Type ?? 'Unknown';
  const resource: FindingResource = { kind, id: first.Id ?? kind };
  const details = first.Details;
  const name = firstOf(
    first.Tags.Name,
    details?.AwsIamAccessKey?.UserName,
    details?.AwsIamUser?.UserName,
    details?.AwsEksCluster?.Name,
    details?.AwsLambdaFunction?.FunctionName,
    details?.Container?.Name,
  );
  if (name) resource.name = name;
  if (Object.keys(first.Tags).length > 0) resource.tags = first.Tags;
  return resource;
}

function asffActor(finding: AsffFinding): FindingActor | undefined {
  for (const resource of finding.Resources) {
    const name = resource.Details?.AwsIamAccessKey?.UserName ?? resource.Details?.AwsIamUser?.UserName;
    if (name && !isPlaceholder(name)) return { name };
  }
  return undefined;
}

/** True when the finding's latest change is Hivewire's own note (see {@link HIVEWIRE_NOTE_AUTHOR}). */
function isOwnEcho(finding: AsffFinding): boolean {
  const note = finding.Note;
  if (note?.UpdatedBy !== HIVEWIRE_NOTE_AUTHOR) return false;
  // BatchUpdateFindings leaves UpdatedAt alone, so in the echo our note is newer than the finding.
  // A provider update after our note (GuardDuty's next occurrence) is news and goes through.
  return !note.UpdatedAt || !finding.UpdatedAt || note.UpdatedAt >= finding.UpdatedAt;
}

/** Normalises one ASFF finding (an element of `detail.findings[]`, or a bare finding). */
export function normaliseAsff(input: unknown, ctx: SourceContext): SourceOutcome {
  const parsed = asffFindingSchema.safeParse(input);
  if (!parsed.success) return schemaRejection(ctx.path, parsed.error);
  const finding = parsed.data;
  if (isOwnEcho(finding)) {
    return {
      skipped: `Security Hub echo of Hivewire's own update (Note.UpdatedBy "${HIVEWIRE_NOTE_AUTHOR}")`,
    };
  }

  const guardDutyRef = isGuardDutyProduct(finding.ProductArn) ? parseGuardDutyArn(finding.Id) : undefined;
  const fields = finding.ProductFields;

  const severityInput = finding.Severity ?? finding.FindingProviderFields?.Severity;
  if (severityInput === undefined) return fieldRejection(ctx.path, 'Severity', 'required');
  const severityParsed = severityFields.safeParse(severityInput);
  if (!severityParsed.success) {
    return fieldRejection(ctx.path, 'Severity', 'expected an object with Label, Normalized or Product');
  }
  const severity = deriveSeverity(severityParsed.data, guardDutyRef !== undefined);
  if (!severity) {
    return fieldRejection(
      ctx.path,
      'Severity',
      'expected a Label (INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL), Normalized (0-100) or Product score',
    );
  }

  const firstSeen = firstOf(finding.FirstObservedAt, finding.CreatedAt, finding.UpdatedAt);
  const lastSeen = firstOf(finding.LastObservedAt, finding.UpdatedAt, firstSeen);
  const updatedAt = firstOf(finding.UpdatedAt, lastSeen);
  if (!firstSeen || !lastSeen || !updatedAt) return fieldRejection(ctx.path, 'UpdatedAt', 'required');

  const slug = productSlug(finding.ProductArn);
  const nativeType = guardDutyRef ? guardDutyType(finding.Types) : undefined;
  const type = firstOf(nativeType, finding.Types[0], finding.GeneratorId) ?? 'Unknown';
  const kind = nativeType
    ? guardDutyKind(nativeType)
    : securityHubKind(slug, finding.Types, finding.Resources[0]?.Type);

  const role: AddressRole =
    guardDutyField(fields, GUARDDUTY_FIELDS.resourceRole) === 'ACTOR' ? 'victim' : 'attacker';
  const observables = new ObservableSet();
  actionObservables(finding, role, observables);
  if (guardDutyRef) guardDutyProductFieldObservables(fields, role, observables);
  networkObservables(finding, role, observables);
  vulnerabilityObservables(finding, observables);
  resourceObservables(finding, observables);
  // Posture findings describe configuration; their text names packages and rules, not indicators.
  if (kind !== 'compliance') {
    observables.text(`${finding.Title ?? ''}\n${finding.Description ?? ''}`);
  }

  const sample =
    guardDutyRef !== undefined &&
    /"sample"\s*:\s*true/.test(guardDutyField(fields, GUARDDUTY_FIELDS.additionalInfo) ?? '');
  const baseTitle = firstOf(finding.Title?.trim(), finding.Description?.trim(), type) ?? finding.Id;
  const title = sample ? `[SAMPLE] ${baseTitle}` : baseTitle;
  const region = firstOf(
    finding.Region,
    arnRegion(finding.ProductArn),
    finding.Resources[0]?.Region,
    ctx.envelope?.region,
  );
  const count = guardDutyRef ? Number(guardDutyField(fields, GUARDDUTY_FIELDS.count) ?? 1) : 1;

  const normalised: NormalisedFinding = {
    fingerprint: guardDutyRef
      ? guardDutyFingerprint(guardDutyRef.region, guardDutyRef.accountId, guardDutyRef.findingId)
      : securityHubFingerprint(finding.ProductArn, finding.Id),
    source: 'securityhub',
    product: productName(finding.ProductArn, fields, finding.ProductName, finding.CompanyName),
    sourceId: finding.Id,
    title,
    description: firstOf(finding.Description?.trim(), baseTitle) ?? baseTitle,
    severity,
    sourceSeverity: severityText(severityParsed.data),
    type,
    kind,
    accountId: finding.AwsAccountId,
    observables: observables.toArray(),
    firstSeen,
    lastSeen,
    updatedAt,
    count: Number.isFinite(count) && count >= 1 ? Math.floor(count) : 1,
    securityHub: { id: finding.Id, productArn: finding.ProductArn },
    raw: input,
  };
  if (region) normalised.region = region;
  const resource = asffResource(finding);
  if (resource) normalised.resource = resource;
  const workflow = firstOf(finding.Workflow?.Status, finding.WorkflowState) as WorkflowStatus | undefined;
  if (workflow && WORKFLOW_STATUSES.has(workflow)) normalised.workflowStatus = workflow;
  const consoleUrl =
    webLink(finding.SourceUrl) ?? securityHubConsoleUrl(arnRegion(finding.ProductArn) ?? region, finding.Id);
  if (consoleUrl) normalised.consoleUrl = consoleUrl;
  const actor = asffActor(finding);
  if (actor) normalised.actor = actor;
  return { finding: normalised };
}
