/**
 * A response action as an alert offers it: a configured button that runs a Lambda function or an SSM
 * Automation runbook with the finding. The config file declares more (finding types, allow-lists); this
 * is what a message shows and a person confirms.
 */

export interface ResponseActionOffer {
  id: string;
  label: string;
  /** The Lambda function's ARN, when the action invokes one. */
  lambda?: string;
  /** The SSM Automation document, when the action starts one. */
  ssmDocument?: string;
}
