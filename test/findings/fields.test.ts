/**
 * Shared field types: timestamps in every form findings use.
 */
import { toIsoTimestamp } from '../../src/findings/fields';

describe('toIsoTimestamp', () => {
  it.each([
    ['2022-01-28T21:12:25.478Z', '2022-01-28T21:12:25.478Z'],
    ['2020-08-22T09:15:57Z', '2020-08-22T09:15:57.000Z'],
    ['2018-05-11T14:56:39.976+0000', '2018-05-11T14:56:39.976Z'],
    ['2019-11-04T23:36:36.966791+00:00', '2019-11-04T23:36:36.966Z'],
    ['2024-01-04T15:25:10+01:00', '2024-01-04T14:25:10.000Z'],
    ['2021-08-17 08:12:28', '2021-08-17T08:12:28.000Z'],
    ['1629187948000', '2021-08-17T08:12:28.000Z'],
    [1629187948000, '2021-08-17T08:12:28.000Z'],
    [1513612691.551, '2017-12-18T15:58:11.551Z'],
    ['1513612691', '2017-12-18T15:58:11.000Z'],
  ])('reads %j as %s', (value, expected) => expect(toIsoTimestamp(value)).toBe(expected));

  it.each(['yesterday', '', 0, -5, 9e20, null, {}, 'x'.repeat(100), Number.NaN])(
    'reads %j as missing',
    (value) => expect(toIsoTimestamp(value)).toBeUndefined(),
  );
});
