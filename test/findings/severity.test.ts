/**
 * Severity: each source's scale onto Hivewire's five levels, at the band edges.
 */
import {
  guardDutySeverity,
  mozdefSeverity,
  normalizedSeverity,
  ocsfSeverity,
  severityFromLabel,
  usmSeverity,
} from '../../src/findings/severity';

describe('guardDutySeverity', () => {
  it.each([
    [0, 'INFORMATIONAL'],
    [0.1, 'LOW'],
    [3.9, 'LOW'],
    [4, 'MEDIUM'],
    [6.9, 'MEDIUM'],
    [7, 'HIGH'],
    [8.9, 'HIGH'],
    [9, 'CRITICAL'],
    [10, 'CRITICAL'],
  ])('maps %d to %s', (score, expected) => expect(guardDutySeverity(score)).toBe(expected));
});

describe('normalizedSeverity', () => {
  it.each([
    [0, 'INFORMATIONAL'],
    [1, 'LOW'],
    [39, 'LOW'],
    [40, 'MEDIUM'],
    [69, 'MEDIUM'],
    [70, 'HIGH'],
    [89, 'HIGH'],
    [90, 'CRITICAL'],
    [100, 'CRITICAL'],
  ])('maps %d to %s', (normalized, expected) => expect(normalizedSeverity(normalized)).toBe(expected));
});

describe('labels', () => {
  it('reads labels in any case and rejects unknown ones', () => {
    expect(['informational', 'Info', ' HIGH ', 'Fatal', 'severe', undefined].map(severityFromLabel)).toEqual([
      'INFORMATIONAL',
      'INFORMATIONAL',
      'HIGH',
      'CRITICAL',
      undefined,
      undefined,
    ]);
  });
});

describe('ocsfSeverity', () => {
  it.each([
    [1, undefined, 'INFORMATIONAL'],
    [2, undefined, 'LOW'],
    [3, undefined, 'MEDIUM'],
    [4, undefined, 'HIGH'],
    [5, undefined, 'CRITICAL'],
    [6, undefined, 'CRITICAL'],
    [99, 'Medium', 'MEDIUM'],
    [0, 'Unknown', undefined],
    [undefined, 'Low', 'LOW'],
  ])('maps severity_id %s (%s) to %s', (id, caption, expected) =>
    expect(ocsfSeverity(id, caption)).toBe(expected),
  );
});

describe('usmSeverity', () => {
  it('prefers priority_label and falls back to the numeric priority', () => {
    expect([
      usmSeverity('low', 80),
      usmSeverity(undefined, 20),
      usmSeverity(undefined, 55),
      usmSeverity(undefined, undefined),
    ]).toEqual(['LOW', 'LOW', 'MEDIUM', undefined]);
  });
});

describe('mozdefSeverity', () => {
  it.each([
    ['INFO', 'INFORMATIONAL'],
    ['NOTICE', 'LOW'],
    ['WARNING', 'MEDIUM'],
    ['ERROR', 'HIGH'],
    ['CRITICAL', 'CRITICAL'],
    ['warning', 'MEDIUM'],
    ['LOUD', undefined],
  ])('maps %s to %s', (level, expected) => expect(mozdefSeverity(level)).toBe(expected));
});
