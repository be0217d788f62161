/**
 * Tenancy: which Slack workspace and which TheHive organisation each customer owns (config
 * `customers.<c>.slack.team` and `customers.<c>.thehive.organisation`). One set of rules, read by every
 * door a request comes in by, so that a click from one customer's workspace or a notification from one
 * customer's organisation can never act on another customer's alert.
 */
import type { TheHiveClient } from '../../clients/thehive/client';
import type { Config, ConfigFile } from '../config/config';

type CustomerSettings = ConfigFile['customers'][string];

/** A customer's settings in the config file; a finding may carry any string, so own keys only. */
export function customerSettings(config: Config, customer: string): CustomerSettings | undefined {
  const { customers } = config.file;
  return Object.prototype.hasOwnProperty.call(customers, customer) ? customers[customer] : undefined;
}

/** The Slack workspace (team id) of a customer, or undefined: the provider's own workspace. */
export function workspaceOf(config: Config, customer: string): string | undefined {
  return customerSettings(config, customer)?.slack?.team;
}

/** The customer whose own workspace `team` is, or undefined for any other (the provider's) workspace. */
export function customerOfWorkspace(config: Config, team: string | undefined): string | undefined {
  if (!team) return undefined;
  return Object.entries(config.file.customers).find(([, settings]) => settings.slack?.team === team)?.[0];
}

/**
 * Whether someone in workspace `team` may act on an alert of `customer`: in the customer's own
 * workspace when it has one, else in the provider's (a workspace that is no customer's). A request
 * that names no workspace is refused when the customer has one.
 */
export function workspaceMayActOn(config: Config, customer: string, team: string | undefined): boolean {
  const own = workspaceOf(config, customer);
  if (own) return team === own;
  return customerOfWorkspace(config, team) === undefined;
}

/** The TheHive organisation a customer's cases live in: its own, else `THEHIVE_ORGANISATION` (if any). */
export function organisationOf(config: Config, customer: string): string | undefined {
  return customerSettings(config, customer)?.thehive?.organisation ?? config.theHive.organisation;
}

/**
 * The TheHive organisations whose cases a workspace may see: its customer's, or from the provider's
 * workspace the default one and those of customers without a workspace of their own. `undefined` stands
 * for "no organisation configured".
 */
export function organisationsOfWorkspace(config: Config, team: string | undefined): (string | undefined)[] {
  return organisationsSeenFrom(config, customerOfWorkspace(config, team), (settings) => !!settings.slack);
}

/**
 * The TheHive organisations a place on a chat platform may see: `customer`'s when the place is that
 * customer's own, else the default one and those of customers with no place of their own there
 * (`hasOwnPlace`).
 */
export function organisationsSeenFrom(
  config: Config,
  customer: string | undefined,
  hasOwnPlace: (settings: CustomerSettings) => boolean,
): (string | undefined)[] {
  if (customer) return [organisationOf(config, customer)];
  const others = Object.values(config.file.customers)
    .filter((settings) => !hasOwnPlace(settings))
    .map((settings) => settings.thehive?.organisation);
  return [...new Set([config.theHive.organisation, ...others])];
}

/**
 * Whether a TheHive notification from `organisation` may change an alert of `customer`: it must come
 * from the customer's own organisation when it has one, else from an organisation that is no customer's.
 */
export function organisationMayActOn(
  config: Config,
  customer: string,
  organisation: string | undefined,
): boolean {
  const own = customerSettings(config, customer)?.thehive?.organisation;
  if (own) return organisation === own;
  return !Object.values(config.file.customers).some(
    (settings) => organisation !== undefined && settings.thehive?.organisation === organisation,
  );
}

/** The TheHive API key to use for a customer: its own (`thehive.apiKeySecret`) or the default. */
export function theHiveApiKeyOf(config: Config, customer: string): string {
  return Object.prototype.hasOwnProperty.call(config.theHive.customerApiKeys, customer)
    ? config.theHive.customerApiKeys[customer]!
    : config.theHive.apiKey;
}

/** Channel → workspace for every customer with a workspace of its own: where the worker's posts go. */
export function workspaceChannels(config: Config): Map<string, string> {
  const channels = new Map<string, string>();
  for (const settings of Object.values(config.file.customers))
    if (settings.slack) channels.set(settings.slack.channel, settings.slack.team);
  return channels;
}

/**
 * The TheHive client acting for a customer: in its organisation, with its API key.
 *
 * @example
 *   await theHiveFor(deps, alert.finding.customer).alerts.create(input); // X-Organisation: acme
 */
export function theHiveFor(
  deps: { config: Config; theHive: TheHiveClient },
  customer: string,
): TheHiveClient {
  return deps.theHive.inOrganisation(
    organisationOf(deps.config, customer),
    theHiveApiKeyOf(deps.config, customer),
  );
}
