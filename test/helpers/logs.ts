/**
 * The product's log lines in tests: collects the JSON lines Powertools Logger writes (stdout, and
 * stderr for warnings and errors) instead of printing them. Tests log SILENT unless they set
 * `POWERTOOLS_LOG_LEVEL` (or the logger's level) to INFO.
 */
export function captureLogs(): { lines: Record<string, unknown>[]; restore(): void } {
  const lines: Record<string, unknown>[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      for (const line of String(chunk).split('\n'))
        if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
      return true;
    }),
  );
  return {
    lines,
    restore() {
      for (const spy of spies) spy.mockRestore();
    },
  };
}
