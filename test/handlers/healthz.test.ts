import { handler } from '../../src/handlers/healthz';
import { apiGatewayEvent, lambdaContext } from './lambda-events';

describe('healthz handler', () => {
  it('answers 200 with JSON, reading no secret and calling nothing', async () => {
    expect(handler.length).toBe(2);
    expect(
      await handler(apiGatewayEvent({ method: 'GET', path: '/healthz' }), lambdaContext('healthz')),
    ).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"ok":true,"sandbox":false}',
    });
  });
});
