/**
 * Imported for its effect by every helper that loads nock: nock patches Node's http for the whole jest
 * worker, and a file that leaves it patched breaks the plain requests of the next file in that worker
 * (seen: the console's event stream failing inside nock's interceptor). The test file that loads such a
 * helper gets this restore after its last test, whether or not it restores nock itself.
 */
import nock from 'nock';

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
