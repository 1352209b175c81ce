import { ConsoleLogger, LogLevel } from '@nestjs/common';
import type { AppConfig } from './config/app-config';

const ORDER: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Nest's console logger at the configured level, as text or one JSON object a line. */
export function createLogger(config: Pick<AppConfig, 'LOG_LEVEL' | 'LOG_FORMAT'>, context?: string): ConsoleLogger {
  const logLevels = ORDER.slice(0, ORDER.indexOf(config.LOG_LEVEL) + 1);
  return new ConsoleLogger(context ?? 'tsunagi', { logLevels, json: config.LOG_FORMAT === 'json', colors: config.LOG_FORMAT !== 'json' && process.stdout.isTTY });
}
