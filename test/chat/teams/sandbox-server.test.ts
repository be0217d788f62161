/**
 * The Teams route inside the real local server, in sandbox mode: the sandbox's tenant adds the app to
 * its team through `POST /teams/messages` on the same port (signed, validated by the SDK against the
 * sandbox's OpenID metadata over HTTP), and the bot keeps the team's conversation reference; a forged
 * install changes nothing.
 */
import { findInstallation } from '../../../src/chat/teams/installations';
import { SANDBOX_TEAMS, SANDBOX_TEAMS_PEOPLE, SandboxTeamsTenant } from '../../../src/sandbox/teams-tenant';
import { startInProcessSandbox, type InProcessSandbox } from '../../helpers/sandbox-server';

let product: InProcessSandbox;

beforeAll(async () => {
  product = await startInProcessSandbox();
});
afterAll(async () => {
  await product.close();
});

test('a forged install is refused, the sandbox’s own install keeps the reference', async () => {
  const { sandbox, runtime } = product;
  const forger = new SandboxTeamsTenant();
  const forged = forger.signToken({ iss: 'https://api.botframework.com', aud: SANDBOX_TEAMS.appId });
  const refused = await sandbox.teamsSender.send(
    sandbox.teamsSender.installation(SANDBOX_TEAMS_PEOPLE[1]!),
    `Bearer ${forged}`,
  );
  expect(refused.status).toBe(401);
  expect(await findInstallation(SANDBOX_TEAMS.team.id, runtime.deps.store)).toBeUndefined();

  expect(await sandbox.installTeamsApp()).toMatchObject({ status: 200 });
  expect(await findInstallation(SANDBOX_TEAMS.team.id, runtime.deps.store)).toMatchObject({
    teamId: SANDBOX_TEAMS.team.id,
    serviceUrl: `${product.config.publicUrl}/sandbox/teams/`,
    installedBy: SANDBOX_TEAMS_PEOPLE[0]!.aadObjectId,
  });
});
