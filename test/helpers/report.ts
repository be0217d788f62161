/**
 * The "Report to SOC" modal's `view_submission`, as Slack sends it from a workspace: the tests of the
 * report (one workspace) and of many customers (a customer's workspace) submit the same modal.
 */
import { REPORT_MODAL } from '../../blocks/actions';
import {
  REPORT_CUSTOMER_BLOCK,
  REPORT_CUSTOMER_INPUT,
  REPORT_NOTE_BLOCK,
  REPORT_NOTE_INPUT,
  REPORT_SEVERITY_BLOCK,
  REPORT_SEVERITY_INPUT,
  REPORT_TITLE_BLOCK,
  REPORT_TITLE_INPUT,
} from '../../blocks/analyst/actions';

const select = (value: string | undefined) => ({
  type: 'static_select',
  selected_option: value ? { text: { type: 'plain_text', text: value }, value } : null,
});

/** The submission by `reporter` of `team` of the modal whose `private_metadata` is given. */
export function reportSubmission(input: {
  team: { id: string; domain: string };
  reporter: string;
  privateMetadata: string;
  title: string;
  severity?: string;
  note?: string;
  /** The customer chosen (the provider's modal has the select; a customer's has none). */
  customer?: string;
}): Record<string, unknown> {
  const { team } = input;
  return {
    type: 'view_submission',
    team,
    user: { id: input.reporter, username: 'r', name: 'r', team_id: team.id },
    api_app_id: 'A0HIVEWIRE',
    token: 'legacy-token',
    trigger_id: '123.456.trigger',
    view: {
      id: 'V0REPORT',
      team_id: team.id,
      type: 'modal',
      callback_id: REPORT_MODAL,
      private_metadata: input.privateMetadata,
      title: { type: 'plain_text', text: 'Report to SOC' },
      blocks: [],
      hash: 'h',
      app_id: 'A0HIVEWIRE',
      bot_id: 'B0HIVEWIRE',
      root_view_id: 'V0REPORT',
      state: {
        values: {
          [REPORT_TITLE_BLOCK]: { [REPORT_TITLE_INPUT]: { type: 'plain_text_input', value: input.title } },
          [REPORT_SEVERITY_BLOCK]: { [REPORT_SEVERITY_INPUT]: select(input.severity) },
          ...(input.note !== undefined
            ? {
                [REPORT_NOTE_BLOCK]: { [REPORT_NOTE_INPUT]: { type: 'plain_text_input', value: input.note } },
              }
            : {}),
          ...(input.customer
            ? { [REPORT_CUSTOMER_BLOCK]: { [REPORT_CUSTOMER_INPUT]: select(input.customer) } }
            : {}),
        },
      },
    },
  };
}
