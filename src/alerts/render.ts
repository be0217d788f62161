/**
 * An alert's Slack message as every path renders it (first post, edits, re-renders after a click or a
 * case change), with the options that come from configuration. Kept apart from ingest so that the
 * Slack function, which only re-renders, does not carry the finding parsers.
 */
import { alertMessage, type AlertMessage } from '../../blocks/alert';
import { webexAlertMessage, type WebexMessageContent } from '../../cards/webex';
import { responseActionsFor } from '../response-actions/response-actions';
import type { Config } from '../config/config';
import type { AlertRecord } from '../domain/alert';
import type { AlertView } from '../chat/port';
import { withCurrentLinks } from './links';
import { teamsAlertCard, teamsMessage, type TeamsMessage } from '../../cards/teams';

/**
 * What every platform's alert message shows: the alert with its links as they are today (see
 * links.ts), TheHive's URL and the configured response actions that apply to its finding.
 */
export function alertView(
  alert: AlertRecord,
  config: Pick<Config, 'file' | 'theHive' | 'sandbox' | 'publicUrl'>,
): AlertView {
  return {
    alert: withCurrentLinks(alert, config),
    theHiveUrl: config.theHive.url,
    // A digest's finding is many findings: an action runs on one resource, from its own alert.
    responseActions: alert.digest ? [] : responseActionsFor(alert.finding, config),
  };
}

/** The alert's Slack message (what the Slack adapter posts for {@link alertView}). */
export function renderAlert(
  alert: AlertRecord,
  config: Pick<Config, 'file' | 'theHive' | 'sandbox' | 'publicUrl'>,
): AlertMessage {
  const view = alertView(alert, config);
  return alertMessage(view.alert, view);
}

/** The alert's Webex message (its card and markdown fallback), with the same options and links. */
export function renderWebexAlert(
  alert: AlertRecord,
  config: Pick<Config, 'file' | 'theHive' | 'sandbox' | 'publicUrl'>,
): WebexMessageContent {
  return webexAlertMessage(withCurrentLinks(alert, config), {
    theHiveUrl: config.theHive.url,
    responseActions: responseActionsFor(alert.finding, config),
  });
}

/** The alert as the Bot Framework activity Teams is sent: the 1.5 card, its summary as notification text. */
export function renderTeamsAlert(
  alert: AlertRecord,
  config: Pick<Config, 'file' | 'theHive' | 'sandbox' | 'publicUrl'>,
): TeamsMessage {
  return teamsMessage(
    teamsAlertCard(withCurrentLinks(alert, config), {
      theHiveUrl: config.theHive.url,
      responseActions: responseActionsFor(alert.finding, config),
    }),
  );
}
