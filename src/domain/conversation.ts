/**
 * The case's conversation as Hivewire keeps it: one record per message or comment copied between an
 * alert's Slack thread and its TheHive case, so each is copied once (see src/cases/conversation.ts).
 */

/**
 * One message of a case's conversation copied to the other side: a person's Slack message in the
 * alert's thread (key `slack:<channel>:<ts>`) became a TheHive comment, or a TheHive comment (key
 * `thehive:<commentId>`) became a thread reply; `before:<channel>:<threadTs>` marks a thread people
 * wrote in before its case existed, summarised in one comment at escalation. Created with a
 * conditional write before the copy is made, so retries, double deliveries and concurrent workers make
 * one copy; a comment Hivewire wrote itself also gets a `thehive:` item (`own`), so it is never copied
 * back.
 */
export interface ConversationCopy {
  key: string;
  fingerprint: string;
  caseId: string;
  direction: 'slack-to-thehive' | 'thehive-to-slack';
  /** A comment Hivewire wrote (from Slack): never threaded back. */
  own?: true;
  /** A Slack message said before the case, part of the one comment summarising them: not copied on its own. */
  inSummary?: true;
  /** The TheHive comment: the copy (from Slack) or the original (to Slack). */
  commentId?: string;
  /** The Slack message: the original (to TheHive) or the copy (from TheHive). */
  channel?: string;
  ts?: string;
  permalink?: string;
  /** Who wrote the original: a Slack user id, or a TheHive login. */
  author?: string;
  /** The name Slack showed for the author when the message was copied. */
  authorName?: string;
  /** The original's newest text (Slack mrkdwn, or TheHive Markdown). */
  text?: string;
  /** Files shared with a Slack message: named in the comment with their permalink. */
  files?: { name: string; permalink?: string }[];
  /** The `ts` of the newest version of a Slack message (its own, or its last edit's): older edits are not applied. */
  revision?: string;
  /** When the original was deleted (ISO-8601): the copy then says so. */
  deletedAt?: string;
  /** The revision the copy shows (`<revision>` or `<revision>#deleted`); behind `revision` while an edit is being written. */
  appliedRevision?: string;
  /** When a worker started making the copy (epoch ms): another one waits until it lapses. */
  claimedAt?: number;
  /**
   * A TheHive comment's copy: the other platforms the alert is on (Webex, Teams) where it is threaded
   * too, each added once its reply is posted, so a retry posts only where it is missing.
   */
  threadedOn?: ('webex' | 'teams')[];
  /** Set once the copy exists on the other side. */
  copiedAt?: string;
  version: number;
}
