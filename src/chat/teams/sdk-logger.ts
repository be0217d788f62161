/**
 * The Teams SDK's logger interface over Hivewire's structured logger, so what the SDK reports (a
 * token that failed validation, a connector call that failed) lands in the same JSON log lines as
 * everything else instead of on the console. Its debug output (activity bodies) is not kept.
 */
import type { AppOptions, IPlugin } from '@microsoft/teams.apps';
import { errorMessage, type Logger } from '../../observability/logger';

type ILogger = NonNullable<AppOptions<IPlugin>['logger']>;
type LogLevel = Parameters<ILogger['log']>[0];

function text(parts: unknown[]): string {
  return parts.map((part) => (typeof part === 'string' ? part : errorMessage(part))).join(' ');
}

export function sdkLogger(logger: Logger, name = 'teams-sdk'): ILogger {
  const sdk: ILogger = {
    debug: () => undefined,
    trace: () => undefined,
    info: (...parts: unknown[]) => logger.debug(text(parts), { sdk: name }),
    warn: (...parts: unknown[]) => logger.warn(text(parts), { sdk: name }),
    error: (...parts: unknown[]) => logger.warn(text(parts), { sdk: name }),
    log: (level: LogLevel, ...parts: unknown[]) => {
      if (level === 'error' || level === 'warn') sdk.warn(...parts);
    },
    child: (child: string) => sdkLogger(logger, `${name}/${child}`),
  };
  return sdk;
}
