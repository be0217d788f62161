describe('tracing', () => {
  let tracerLoads = 0;

  beforeEach(() => {
    jest.resetModules();
    tracerLoads = 0;
    jest.doMock('@aws-lambda-powertools/tracer', () => {
      tracerLoads += 1;
      return jest.requireActual('@aws-lambda-powertools/tracer');
    });
  });

  const load = () => import('../../src/aws/tracing');

  it('is on only when the stack was deployed with tracing=true (POWERTOOLS_TRACE_DISABLED=false)', async () => {
    const { tracingEnabled } = await load();
    expect(tracingEnabled({ POWERTOOLS_TRACE_DISABLED: 'false' })).toBe(true);
    expect(tracingEnabled({ POWERTOOLS_TRACE_DISABLED: 'true' })).toBe(false);
    expect(tracingEnabled({})).toBe(false);
  });

  it('off: starts nothing and never loads the tracer (nor the X-Ray SDK it brings)', async () => {
    const startTracing = (await load()).tracingStarter({ POWERTOOLS_TRACE_DISABLED: 'true' });
    await expect(startTracing()).resolves.toBeUndefined();
    expect(tracerLoads).toBe(0);
  });

  it('on: loads and starts Powertools Tracer once per container', async () => {
    const startTracing = (await load()).tracingStarter({ POWERTOOLS_TRACE_DISABLED: 'false' });
    const tracer = await startTracing();
    expect(tracer?.constructor.name).toBe('Tracer');
    expect(await startTracing()).toBe(tracer);
    expect(tracerLoads).toBe(1);
  });
});
