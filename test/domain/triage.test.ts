/**
 * Typed answers to "was this you?": what people write in their direct conversation with the bot,
 * the buttons' own titles included, is read as the answer; anything else is left to the commands.
 */
import { typedTriageResponse } from '../../src/domain/triage';
import { TRIAGE_ANSWERS } from '../../blocks/analyst/triage';

describe('typedTriageResponse', () => {
  it.each([
    ['yes', 'yes'],
    ['Yes!', 'yes'],
    ['  y ', 'yes'],
    ['Yeah', 'yes'],
    ['Yes, it was me.', 'yes'],
    ['no', 'no'],
    ['NO', 'no'],
    ['Not me', 'no'],
    ['No, it wasn’t me', 'no'],
    ['no it was not me', 'no'],
    ['Not sure', 'notsure'],
    ["I don't know", 'notsure'],
  ])('reads %j as %s', (text, expected) => {
    expect(typedTriageResponse(text)).toBe(expected);
  });

  it('reads each answer button title as its answer', () => {
    for (const [response, title] of Object.entries(TRIAGE_ANSWERS))
      expect(typedTriageResponse(title)).toBe(response);
  });

  it.each(['', 'help', 'lookup 1.2.3.4', 'yes please delete it', 'noway', 'was it you?', 'yesterday'])(
    'leaves %j to the commands',
    (text) => {
      expect(typedTriageResponse(text)).toBeUndefined();
    },
  );
});
