/**
 * The layer rules of Hivewire, checked by dependency-cruiser in `npm test` (`npm run lint:layers`).
 * They say what README "Layout" says: the domain depends on nothing but zod, the Slack builders
 * (blocks/) on the domain only, clients never on use cases, production code never on the sandbox
 * (only the local composition root wires it in), no cycles (runtime or type imports) and no orphan modules.
 * test/architecture/layers.test.ts runs this file on crafted trees to show each rule can fail.
 */

/** The local runtime's composition root: the one production module allowed to start the sandbox. */
const LOCAL_ROOT = '^src/local/serve[.]ts$';

/** The composition roots, local and AWS: every client is built there (and only they read process.env). */
const ROOTS = ['^src/local/runtime[.]ts$', '^src/aws/runtime[.]ts$'];

/** What starts a process or a function: the only modules that reach the roots. */
const ENTRY_POINTS = ['^src/handlers/', LOCAL_ROOT, '^src/http/server[.]ts$', '^bin/', '^bench/', '^test/'];

/** The use cases, by feature, and the product's types under them. */
const USE_CASES = 'alerts|cases|triage|lookups|response-actions|access|report|domain';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment:
        'A module must not reach itself, at runtime or through type imports: a loop of types is a loop of ' +
        'knowledge between layers (shared types belong in src/domain/ or src/wiring/deps.ts).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment:
        'A module nothing imports is dead code, unless it is an entry point (handlers, CLI, bench, tests).',
      from: {
        orphan: true,
        pathNot: [
          '(^|/)[.][^/]+[.](?:js|cjs|mjs|ts|json)$',
          '[.]d[.]ts$',
          '(^|/)tsconfig[.]json$',
          '^src/handlers/',
          // The chat port and its Slack adapter land before the use cases call them (issue #13, step 4).
          '^src/chat/',
          // esbuild's alias for Bolt's unused receivers in the Lambda bundles (serverless.yml).
          '^src/aws/other-receivers[.]ts$',
          '^src/sandbox/console/',
          '^bin/',
          '^bench/',
          '^test/',
          '^types/',
          '^eslint[.]config[.]mjs$',
          '^jest[.]config[.]js$',
        ],
      },
      to: {},
    },
    {
      name: 'domain-depends-on-zod-only',
      severity: 'error',
      comment: 'src/domain/ holds the product types and pure rules: it imports only itself and zod.',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/domain/', '^src/validation/zod[.]ts$', '^node_modules/zod/'] },
    },
    {
      name: 'blocks-depend-on-domain-only',
      severity: 'error',
      comment: 'blocks/ are pure Slack message builders: they import only src/domain/ and each other.',
      from: { path: '^blocks/' },
      to: { pathNot: ['^blocks/', '^src/domain/', '^src/validation/zod[.]ts$', '^node_modules/zod/'] },
    },
    {
      name: 'cards-depend-on-domain-and-builders',
      severity: 'error',
      comment:
        'cards/ are pure Adaptive Card builders: they import src/domain/, each other, the shared pure parts ' +
        'of blocks/ (facts, limits, truncation) and the one CommonMark escaper (src/cases/markdown.ts, shared with TheHive).',
      from: { path: '^cards/' },
      to: {
        pathNot: [
          '^cards/',
          '^blocks/',
          '^src/domain/',
          '^src/cases/markdown[.]ts$',
          '^src/validation/zod[.]ts$',
          '^node_modules/zod/',
        ],
      },
    },
    {
      name: 'chat-port-on-domain-only',
      severity: 'error',
      comment: 'The chat port is what every adapter (Slack, Webex, Teams) codes against: domain types only.',
      from: { path: '^src/chat/port[.]ts$' },
      to: { pathNot: ['^src/domain/'] },
    },
    {
      name: 'clients-not-to-use-cases',
      severity: 'error',
      comment: 'clients/ are typed clients of external systems: they know no use case, transport or store.',
      from: { path: '^clients/' },
      to: {
        path: '^(src/(alerts|cases|triage|lookups|response-actions|access|wiring|slack|chat|http|handlers|aws|store|queue|local|cli|worker)/|blocks/)',
      },
    },
    {
      name: 'production-not-to-sandbox',
      severity: 'error',
      comment: 'The sandbox (Slack and TheHive stand-ins) is wired in only by the local composition root.',
      from: { path: '^(src|clients|blocks|cards)/', pathNot: ['^src/sandbox/', LOCAL_ROOT] },
      to: { path: '^src/sandbox/' },
    },
    {
      name: 'use-cases-not-to-transport',
      severity: 'error',
      comment:
        'Transport calls use cases, never the reverse: a use case knows no route, handler, Lambda runtime ' +
        'or local server, and is handed its dependencies by a composition root.',
      from: { path: `^src/(${USE_CASES})/` },
      to: { path: ['^src/(http|handlers|aws|local|cli|worker)/'] },
    },
    {
      name: 'roots-reached-from-entry-points-only',
      severity: 'error',
      comment:
        'The composition roots wire everything; only what starts a process (the Lambda handlers, the local ' +
        'server and its start) reaches them, so no module can fetch a dependency it was not handed.',
      from: { pathNot: [...ENTRY_POINTS, '^src/aws/(worker-deps|ingest-deps)[.]ts$'] },
      to: { path: ROOTS },
    },
    {
      name: 'endpoints-served-by-transport-only',
      severity: 'error',
      comment:
        'A route is one endpoint module (src/http/endpoints/), served by the route table of the local ' +
        'server (src/http/routes.ts) and by the Lambda handlers; nothing else calls it.',
      from: { pathNot: ['^src/http/', ...ENTRY_POINTS] },
      to: { path: '^src/http/endpoints/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|[.]serverless|[.]esbuild|[.]hivewire|[.]test-results|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    skipAnalysisNotInRules: true,
  },
};
