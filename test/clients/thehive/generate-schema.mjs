// Prints the schema.d.ts that clients/thehive/openapi.yaml generates, exactly as `npm run generate:thehive`
// writes it. A separate Node process: openapi-typescript and prettier are ES modules, which Jest's
// CommonJS runtime cannot load.
import { readFile } from 'node:fs/promises';
import { URL } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import * as prettier from 'prettier';

const root = new URL('../../../', import.meta.url);
const ast = await openapiTS(new URL('clients/thehive/openapi.yaml', root), { silent: true });
const options = JSON.parse(await readFile(new URL('.prettierrc.json', root), 'utf8'));
process.stdout.write(
  await prettier.format(`${COMMENT_HEADER}${astToString(ast)}`, { ...options, parser: 'typescript' }),
);
