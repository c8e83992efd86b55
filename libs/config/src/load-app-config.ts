import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AppConfig } from './app-config';
import { ConfigError } from './config-error';

type Environment = Record<string, string | undefined>;

/** Reads the environment into a typed AppConfig, or throws a ConfigError naming every bad variable. */
export function loadAppConfig(environment: Environment = process.env): AppConfig {
  const known = Object.keys(new AppConfig()).concat('PORT', 'JWT_SECRET');
  const relevant: Record<string, string> = {};
  for (const key of known) {
    const value = environment[key];
    if (value !== undefined && value !== '') relevant[key] = value;
  }
  const config = plainToInstance(AppConfig, relevant, { exposeDefaultValues: true });
  // One line per variable: what is wrong with it and the value it got.
  const problems = validateSync(config, { whitelist: false }).map(
    (error) => `${Object.values(error.constraints ?? {}).join('; ')} (got ${JSON.stringify(relevant[error.property] ?? null)})`,
  );
  if (config.isProduction && !config.JWT_SECRET) {
    problems.push('JWT_SECRET must be set when NODE_ENV=production');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
