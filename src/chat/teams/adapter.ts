/**
 * Microsoft Teams behind the chat port (src/chat/port.ts): what the use cases say, as Bot Connector
 * calls through the Teams SDK's connector client (TeamsDelivery), with cards built by cards/teams.ts.
 * Platform choices, each forced by what Teams offers a bot:
 * - A bot cannot start a channel conversation from nothing: an alert is posted proactively in a
 *   channel of a team the app was installed in, at the service URL that install gave (installations.ts).
 * - The alert card is updated in place (update activity), so everyone sees its current state.
 * - Replies go in the alert's reply chain (the conversation `<channel>;messageid=<alert>`).
 * - A channel has no message only one person sees, outside the answer to their own click (which
 *   clicks.ts gives): what is said to one person privately goes to their 1:1 chat with the bot.
 * - A form (the ignore reason) is a card with inputs posted in the alert's reply chain.
 * - The Bot Connector cannot read a channel's messages: a lost alert post cannot be looked for.
 */
import { teamsPersonId } from './activity';
import { teamsAlertCard, teamsIgnoreForm, teamsNote } from '../../../cards/teams';
import type { Config } from '../../config/config';
import type { Deps } from '../../wiring/deps';
import type {
  AlertView,
  ChatForm,
  ChatMessageRef,
  ChatPerson,
  ChatPort,
  FormContext,
  ThreadNote,
} from '../port';
import { teamsApp, type TeamsSettings } from './bot';
import { TeamsDelivery } from './delivery';
import { findInstallation } from './installations';
import { SANDBOX_TEAMS_TARGET } from './settings';

/** Where alerts go in Teams: a team the app is installed in and one of its channels. */
export interface TeamsTarget {
  team: string;
  channel: string;
}

function sandboxTarget(): TeamsTarget {
  return { team: SANDBOX_TEAMS_TARGET.team.id, channel: SANDBOX_TEAMS_TARGET.channel.id };
}

/** Every team Hivewire is configured to post in: where people are looked up, in this order. */
export function configuredTeams(
  config: Pick<Config, 'file'>,
  settings: Pick<TeamsSettings, 'sandbox'>,
): TeamsTarget[] {
  const targets = [
    config.file.defaults.teams,
    ...Object.values(config.file.customers).map((customer) => customer.teams),
    settings.sandbox ? sandboxTarget() : undefined,
  ].filter((target): target is TeamsTarget => target !== undefined);
  return targets.filter((target, index) => targets.findIndex((one) => one.team === target.team) === index);
}

export type TeamsChatDeps = Pick<Deps, 'config' | 'store' | 'logger'>;

export class TeamsChat implements ChatPort {
  readonly platform = 'teams' as const;
  /** Teams updates a posted card in place (update activity), for everyone in the channel. */
  readonly editsAlerts = true;

  constructor(
    private readonly delivery: TeamsDelivery,
    /** The teams people are looked up in and 1:1 chats are opened through (their service URLs). */
    private readonly teams: () => TeamsTarget[],
    private readonly store: TeamsChatDeps['store'],
  ) {}

  postAlert(channel: string, view: AlertView): Promise<string> {
    return this.delivery.post(channel, this.alert(view));
  }

  updateAlert(ref: ChatMessageRef, view: AlertView): Promise<void> {
    return this.delivery.update(ref, this.alert(view));
  }

  replyInThread(root: ChatMessageRef, note: ThreadNote): Promise<string> {
    return this.delivery.reply(root, teamsNote(note));
  }

  /** In the person's 1:1 chat with the bot: a channel has no message for one person only. */
  async tellPrivately(root: ChatMessageRef, person: ChatPerson, note: ThreadNote): Promise<void> {
    await this.delivery.directMessage(
      person,
      teamsNote(note),
      await this.delivery.serviceUrlOf(root.channel),
    );
  }

  /** The form card, in the alert's reply chain; its submit comes back as a click like any button. */
  async openForm(context: FormContext, form: ChatForm): Promise<void> {
    await this.delivery.reply(context.root, teamsIgnoreForm(form));
  }

  /**
   * The member of a configured team with this email (the connector finds a member by user principal
   * name, which is the sign-in email); undefined when no team has them.
   */
  async findPerson(email: string): Promise<ChatPerson | undefined> {
    for (const target of this.teams()) {
      const member = await this.delivery.member(target.team, email);
      if (member)
        return {
          platform: 'teams',
          id: teamsPersonId(member),
          ...(member.name ? { name: member.name } : {}),
          email,
        };
    }
    return undefined;
  }

  /** A proactive 1:1 chat, through the service URL of the first configured team the app is installed in. */
  async directMessage(person: ChatPerson, note: ThreadNote): Promise<ChatMessageRef> {
    const sent = await this.delivery.directMessage(person, teamsNote(note), await this.personalServiceUrl());
    return { platform: 'teams', ...sent };
  }

  /** The card is replaced in place in the 1:1 chat (update activity), where the chat was opened. */
  async updateDirectMessage(ref: ChatMessageRef, _person: ChatPerson, note: ThreadNote): Promise<void> {
    await this.delivery.update(ref, teamsNote(note), await this.personalServiceUrl());
  }

  /** Where 1:1 chats are reached: the service URL of the first configured team the app is installed in. */
  private async personalServiceUrl(): Promise<string | undefined> {
    for (const target of this.teams()) {
      const serviceUrl = (await findInstallation(target.team, this.store))?.serviceUrl;
      if (serviceUrl) return serviceUrl;
    }
    return undefined;
  }

  /** The Bot Connector cannot list a channel's messages (that takes Microsoft Graph): it cannot say. */
  async findAlertMessage(): Promise<string | undefined> {
    return undefined;
  }

  private alert(view: AlertView) {
    return teamsAlertCard(view.alert, { theHiveUrl: view.theHiveUrl, responseActions: view.responseActions });
  }
}

/**
 * The Teams adapter for a composition root: its own SDK App (no HTTP server; the connector token is
 * fetched on first use), each channel reached at the service URL of its team's installation.
 */
export function createTeamsChat(settings: TeamsSettings, deps: TeamsChatDeps): TeamsChat {
  const teams = () => configuredTeams(deps.config, settings);
  const delivery = new TeamsDelivery(teamsApp(settings, deps.logger), {
    ...(settings.tenantId ? { tenantId: settings.tenantId } : {}),
    async serviceUrlFor(channel) {
      const root = channel.split(';')[0];
      const target = teams().find((one) => one.channel === root || one.team === root);
      return target && (await findInstallation(target.team, deps.store))?.serviceUrl;
    },
  });
  return new TeamsChat(delivery, teams, deps.store);
}
