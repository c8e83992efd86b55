import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';

export const NODE_ENVIRONMENTS = ['development', 'test', 'production'] as const;
export type NodeEnvironment = (typeof NODE_ENVIRONMENTS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Every setting the apps read, validated once at boot (see loadAppConfig).
 * Nothing else in the code base reads process.env.
 */
export class AppConfig {
  @IsIn(NODE_ENVIRONMENTS)
  NODE_ENV: NodeEnvironment = 'development';

  @Matches(/^postgres(ql)?:\/\/[^/]+\/[A-Za-z0-9_]+(\?.*)?$/, {
    message: 'DATABASE_URL must look like postgres://user[:password]@host[:port]/database',
  })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/instrument_marketplace';

  /** PostgreSQL throughput on 2 cores peaks at 4-16 connections, so pools stay small. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  DATABASE_POOL_SIZE = 8;

  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must look like redis://host:port' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Namespaces every Redis key, so test runs and deployments sharing a server never collide. */
  @IsString()
  @Matches(/^[A-Za-z0-9:_-]{1,64}$/, { message: 'REDIS_KEY_PREFIX may hold letters, digits, : _ - only' })
  REDIS_KEY_PREFIX = 'im:';

  /** Set per app; each app has its own default when unset (catalog 3001, booking 3002, worker 3003). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsString()
  HOST = '0.0.0.0';

  /** Where the web app's server finds the services it proxies under /api/catalog, /api/booking, /api/worker. */
  @Matches(/^https?:\/\/[^/]+$/, { message: 'CATALOG_URL must look like http://host:port (no path)' })
  CATALOG_URL = 'http://127.0.0.1:3001';

  @Matches(/^https?:\/\/[^/]+$/, { message: 'BOOKING_URL must look like http://host:port (no path)' })
  BOOKING_URL = 'http://127.0.0.1:3002';

  @Matches(/^https?:\/\/[^/]+$/, { message: 'WORKER_URL must look like http://host:port (no path)' })
  WORKER_URL = 'http://127.0.0.1:3003';

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters long' })
  JWT_SECRET?: string;

  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(7 * 24 * 3600)
  JWT_TTL_SECONDS = 3600;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Publicly funded instruments at or above this original value must be shared externally. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  SHARING_THRESHOLD_YUAN = 500_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT = 10;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  LOGIN_RATE_WINDOW_SECONDS = 60;

  /**
   * Trust X-Forwarded-For from a reverse proxy for the client address (rate limits key on it).
   * Off by default: a client could otherwise choose its own address and dodge the login limit.
   */
  @Transform(({ value }) => (typeof value === 'string' ? value === 'true' || value === '1' : value))
  @IsBoolean()
  TRUST_PROXY = false;

  /** How long search results stay cached (they are dropped at once when the catalog changes); 0 turns caching off. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600)
  SEARCH_CACHE_TTL_SECONDS = 60;

  /**
   * Serve catalog searches from an in-memory index kept current from the database (see
   * apps/catalog/src/search-index). Off: every search runs in PostgreSQL.
   */
  @Transform(({ value }) => (typeof value === 'string' ? value === 'true' || value === '1' : value))
  @IsBoolean()
  SEARCH_INDEX_ENABLED = true;

  /** How long a hold reserves a slot while the user fills in the request. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(120)
  BOOKING_HOLD_MINUTES = 10;

  /** How long a hold offered to the first in a waitlist keeps the freed time before it passes to the next. */
  @Type(() => Number)
  @IsInt()
  @Min(5)
  @Max(1440)
  WAITLIST_OFFER_MINUTES = 60;

  /**
   * A voucher reservation on a booking still confirmed or in use this many days after its end
   * (never checked in, out or marked a no-show) is released, so the money cannot be stuck.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  VOUCHER_RESERVATION_STALE_DAYS = 30;

  /** A user cancels free of charge until this many hours before the start; later costs the late fee. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(720)
  FREE_CANCELLATION_HOURS = 24;

  /** Share of the quoted fee charged for a late cancellation. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  LATE_CANCELLATION_FEE_PERCENT = 50;

  /** A confirmed booking not checked in this long after its start may be marked a no-show. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1440)
  NO_SHOW_GRACE_MINUTES = 30;

  /** This many no-shows within NO_SHOW_WINDOW_DAYS suspend self-service booking for SUSPENSION_DAYS. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  NO_SHOW_LIMIT = 3;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  NO_SHOW_WINDOW_DAYS = 90;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  SUSPENSION_DAYS = 30;

  /** How often the booking service lapses holds and expires undecided requests; 0 turns the sweeper off. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600)
  BOOKING_SWEEP_SECONDS = 30;

  /**
   * How often each booking process brings its in-memory busy time and schedules up to date when no
   * request has; 0 leaves it to the requests (which always sync first).
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60_000)
  SCHEDULE_SYNC_INTERVAL_MS = 1_000;

  /** How often the outbox relay moves committed booking events to the queue; 0 turns it off. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60_000)
  OUTBOX_RELAY_INTERVAL_MS = 500;

  /** SMTP server for notifications (smtp[s]://user:pass@host:port); unset, messages go to the log and stay in the database. */
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must look like smtp://user:password@host:587 or smtps://host:465' })
  SMTP_URL?: string;

  /** Sender of notification emails. */
  @IsString()
  @MinLength(3)
  MAIL_FROM = '"仪器共享平台 Instrument Marketplace" <noreply@instruments.example.cn>';

  /** A lab manager is reminded of a request still undecided this long after it arrived. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(720)
  APPROVAL_REMINDER_HOURS = 12;

  /** How often the worker replays lost outbox messages and re-enqueues lost notification jobs; 0 turns it off. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600)
  NOTIFICATION_SWEEP_SECONDS = 30;

  /** An outbox message still unplanned this long after it was relayed is planned by the sweeper. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  OUTBOX_REPLAY_AFTER_SECONDS = 30;

  /**
   * A sender claims a notification for this long; a claim older than that is taken for a crashed
   * sender and the notification is sent again. Longer than every SMTP timeout together.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  NOTIFICATION_LEASE_SECONDS = 120;

  /** Sends tried before a notification is marked failed (visible to admins). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(20)
  NOTIFICATION_MAX_ATTEMPTS = 5;

  /** First retry delay after a failed send; doubled on each further attempt. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  NOTIFICATION_RETRY_SECONDS = 30;

  /** Jobs one worker process runs at once, per queue. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  WORKER_CONCURRENCY = 16;

  /** Notification deliveries one worker process runs at once, each over its own pooled SMTP connection. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  NOTIFICATION_CONCURRENCY = 16;

  /** Rated hours (定额机时) a year of a general-purpose instrument: the denominator of utilization. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(8784)
  RATED_HOURS_GENERAL = 1400;

  /** Rated hours a year of a special-purpose instrument. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(8784)
  RATED_HOURS_SPECIAL = 800;

  /** Compile the statistics nightly (a BullMQ job scheduler); off, only staff requests compile. */
  @Transform(({ value }) => (typeof value === 'string' ? value === 'true' || value === '1' : value))
  @IsBoolean()
  STATISTICS_NIGHTLY_ENABLED = true;

  /** When the nightly compile runs: a cron pattern (minute hour day month weekday) in STATISTICS_NIGHTLY_TZ. */
  @Matches(/^\S+( \S+){4,5}$/, { message: 'STATISTICS_NIGHTLY_CRON must be a cron pattern such as "0 2 * * *"' })
  STATISTICS_NIGHTLY_CRON = '0 2 * * *';

  /** IANA time zone of STATISTICS_NIGHTLY_CRON; also the zone whose calendar names "the last days". */
  @Matches(/^[A-Za-z]+(\/[A-Za-z0-9_+-]+){0,2}$/, { message: 'STATISTICS_NIGHTLY_TZ must be an IANA zone such as Asia/Shanghai' })
  STATISTICS_NIGHTLY_TZ = 'Asia/Shanghai';

  /** Local days the nightly compile (re)writes, ending yesterday: late check-outs and fixes are picked up. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(62)
  STATISTICS_NIGHTLY_DAYS = 3;

  /** A database with bookings but no statistics yet gets this many past local days compiled when a worker starts; 0 turns it off. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(366)
  STATISTICS_BACKFILL_DAYS = 365;

  /** Longest range of days one compile request or summary may cover. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3660)
  STATISTICS_MAX_RANGE_DAYS = 366;

  /** The province's sharing goal: publicly funded instruments at or above the threshold open for external use. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SHARING_GOAL_INSTRUMENTS = 9000;

  /** The goal's total original value, in yuan (4.5 billion). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SHARING_GOAL_VALUE_YUAN = 4_500_000_000;

  /** The province's innovation voucher target: quota granted to firms, in yuan (2 billion). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  VOUCHER_TARGET_YUAN = 2_000_000_000;

  /** An instrument with no external minutes for this many months is listed as idle for outside users. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(60)
  SHARING_IDLE_MONTHS = 12;

  /**
   * Annual evaluation (绩效考核, GET /statistics/evaluation): weight of each indicator's 0-100 score
   * in the total, which is the weighted mean over the indicators that have a value (an instrument
   * without ratings is judged on the others). Defaults 25/20/15/10/10/10/10 add up to 100.
   * Effective hours (有效机时) score against the rated hours (RATED_HOURS_*), capped at 100.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  EVALUATION_WEIGHT_EFFECTIVE_HOURS = 25;

  /** Weight of external service hours (对外服务机时), scored against EVALUATION_EXTERNAL_HOURS_REFERENCE. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  EVALUATION_WEIGHT_EXTERNAL_HOURS = 20;

  /** Weight of the sharing rate (external / effective hours), scored against EVALUATION_SHARING_RATE_REFERENCE_PERCENT. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  EVALUATION_WEIGHT_SHARING_RATE = 15;

  /** Weight of completed services to users outside the owner institution, against EVALUATION_EXTERNAL_SERVICES_REFERENCE. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  EVALUATION_WEIGHT_EXTERNAL_SERVICES = 10;

  /** Weight of completed services to outside firms, against EVALUATION_FIRM_SERVICES_REFERENCE. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  EVALUATION_WEIGHT_FIRM_SERVICES = 10;

  /** Weight of the average user rating (1-5, scored as rating / 5 x 100). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  EVALUATION_WEIGHT_RATING = 10;

  /** Weight of data completeness: the share of the national platform's instrument record fields filled. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  EVALUATION_WEIGHT_COMPLETENESS = 10;

  /** External hours a year that score 100 per instrument: the national average of 2025 (273 h). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(8784)
  EVALUATION_EXTERNAL_HOURS_REFERENCE = 273;

  /** Sharing rate, in percent, that scores 100: the national average (about 16%). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  EVALUATION_SHARING_RATE_REFERENCE_PERCENT = 16;

  /** Completed services to outside users a year that score 100 per instrument. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  EVALUATION_EXTERNAL_SERVICES_REFERENCE = 50;

  /** Completed services to outside firms a year that score 100 per instrument. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  EVALUATION_FIRM_SERVICES_REFERENCE = 10;

  /** Lowest total graded 优秀 (excellent); must exceed EVALUATION_GRADE_GOOD. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  EVALUATION_GRADE_EXCELLENT = 85;

  /** Lowest total graded 良好 (good); must exceed EVALUATION_GRADE_PASS. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  EVALUATION_GRADE_GOOD = 70;

  /** Lowest total graded 合格 (pass); below it an instrument or institution is graded 较差 and listed for rectification. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  EVALUATION_GRADE_PASS = 60;

  /**
   * Public performance of an instrument (GET /instruments/:id/performance): effective hours of the
   * last 12 months at or above this share of its rated hours, in percent, are utilization "medium".
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  PERFORMANCE_MEDIUM_UTILIZATION_PERCENT = 30;

  /** Above this share of the rated hours, in percent, utilization is "high". */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  PERFORMANCE_HIGH_UTILIZATION_PERCENT = 70;

  /** Effective hours in the last 12 months at which an instrument counts as fully booked (DOMAIN: 1,200 h/year). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(8784)
  FULLY_BOOKED_HOURS = 1200;

  /** Largest JSON body accepted, in bytes. */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  HTTP_BODY_LIMIT_BYTES = 256 * 1024;

  @Transform(({ value }) => (typeof value === 'string' ? value === 'true' || value === '1' : value))
  @IsBoolean()
  SWAGGER_ENABLED = true;

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }

  get sharingThresholdFen(): number {
    return this.SHARING_THRESHOLD_YUAN * 100;
  }

  get sharingGoalValueFen(): number {
    return this.SHARING_GOAL_VALUE_YUAN * 100;
  }

  get voucherTargetFen(): number {
    return this.VOUCHER_TARGET_YUAN * 100;
  }

  /** Development and tests get a fixed secret; production must set its own (checked at load). */
  get jwtSecret(): string {
    return this.JWT_SECRET ?? 'development-only-secret-do-not-use-in-production';
  }

  portOr(defaultPort: number): number {
    return this.PORT ?? defaultPort;
  }

  /** The database name part of DATABASE_URL. */
  get databaseName(): string {
    return new URL(this.DATABASE_URL).pathname.slice(1);
  }
}
