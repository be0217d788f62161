/**
 * The Slack app as the sandbox installs it: the message shortcuts `manifest.yml` declares (a test
 * holds the two equal), which the console offers on every message as Slack offers them in a message's
 * "More actions" menu. Kept here as values: only the config file is read as YAML.
 */
import { REPORT_SHORTCUT } from '../../blocks/actions';

export interface MessageShortcut {
  name: string;
  callbackId: string;
}

/** The app's message shortcuts. */
export const MESSAGE_SHORTCUTS: readonly MessageShortcut[] = [
  { name: 'Report to SOC', callbackId: REPORT_SHORTCUT },
];
