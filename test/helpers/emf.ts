/** Reading the CloudWatch EMF lines a function writes to stdout, as CloudWatch Logs would read them. */

/** One EMF line: its metadata and its metric values and dimensions as keys. */
export interface EmfLine {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

/**
 * Runs `work` and returns the EMF lines it wrote to stdout (the suite's setup turns EMF off:
 * set POWERTOOLS_METRICS_DISABLED=false before the writer is built to read them).
 */
export async function emfWrittenBy(work: () => Promise<unknown> | unknown): Promise<EmfLine[]> {
  const written: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await work();
  } finally {
    write.mockRestore();
  }
  return written
    .join('')
    .split('\n')
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfLine);
}
