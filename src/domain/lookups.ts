/**
 * Threat-intelligence lookups in the product's words: what is looked up (an IP, domain, URL or hash) and
 * what each service said about it. The intel clients return these; the Slack builders show them.
 */

export type LookupDataType = 'ip' | 'domain' | 'url' | 'hash';

export interface LookupTarget {
  dataType: LookupDataType;
  value: string;
}

export type SourceName = 'RDAP' | 'VirusTotal' | 'AbuseIPDB' | 'URLhaus';

/** What one service said about one target. */
export type IntelAnswer =
  | { kind: 'rdap-ip'; network?: RdapNetwork }
  | { kind: 'rdap-domain'; domain?: RdapDomain }
  | { kind: 'virustotal'; report: VirusTotalReport }
  | { kind: 'abuseipdb'; report: AbuseIpReport }
  | { kind: 'urlhaus'; report: UrlhausReport };

export type SourceResult =
  { source: SourceName; ok: true; answer: IntelAnswer } | { source: SourceName; ok: false; error: string };

export interface TargetReport {
  target: LookupTarget;
  results: SourceResult[];
}

/** Who holds an IP address block. */
export interface RdapNetwork {
  handle?: string;
  name?: string;
  /** `first - last` address of the block. */
  range?: string;
  /** CIDR notation, when the registry gives it. */
  cidr?: string;
  country?: string;
  /** The registrant's name from its vCard. */
  owner?: string;
  registered?: string;
  lastChanged?: string;
}

/** Who registered a domain and when. */
export interface RdapDomain {
  name?: string;
  registrar?: string;
  registrant?: string;
  registered?: string;
  expires?: string;
  status: string[];
}

/** VirusTotal's verdict on one object. */
export interface VirusTotalReport {
  found: boolean;
  malicious: number;
  suspicious: number;
  harmless: number;
  undetected: number;
  reputation?: number;
  /** Files only. */
  fileName?: string;
  fileType?: string;
  /** The object's page on virustotal.com. */
  link: string;
}

/** AbuseIPDB's view of one address. */
export interface AbuseIpReport {
  /** 0–100: AbuseIPDB's confidence that the address is abusive. */
  score: number;
  totalReports: number;
  distinctReporters: number;
  country?: string;
  isp?: string;
  usageType?: string;
  isTor: boolean;
  whitelisted: boolean;
  lastReportedAt?: string;
  link: string;
}

/** What URLhaus knows of one URL, host or payload. */
export interface UrlhausReport {
  listed: boolean;
  /** URLs: `malware_download`; hosts and payloads have none. */
  threat?: string;
  /** URLs: `online`, `offline` or `unknown`. */
  status?: string;
  /** Hosts and payloads: malware URLs seen on the host or serving the payload. */
  urlCount?: number;
  tags: string[];
  /** Payloads: file type and malware family. */
  fileType?: string;
  signature?: string;
  firstSeen?: string;
  link?: string;
}
