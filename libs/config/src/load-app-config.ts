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
  if (!(config.EVALUATION_GRADE_EXCELLENT > config.EVALUATION_GRADE_GOOD && config.EVALUATION_GRADE_GOOD > config.EVALUATION_GRADE_PASS)) {
    problems.push('EVALUATION_GRADE_EXCELLENT > EVALUATION_GRADE_GOOD > EVALUATION_GRADE_PASS must hold');
  }
  if (!(config.PERFORMANCE_HIGH_UTILIZATION_PERCENT > config.PERFORMANCE_MEDIUM_UTILIZATION_PERCENT)) {
    problems.push('PERFORMANCE_HIGH_UTILIZATION_PERCENT must exceed PERFORMANCE_MEDIUM_UTILIZATION_PERCENT');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
