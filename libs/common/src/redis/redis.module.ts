import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/config';
import Redis from 'ioredis';

/** The shared ioredis client; its keys carry REDIS_KEY_PREFIX. */
export abstract class RedisClient {
  static create(config: AppConfig): Redis {
    return new Redis(config.REDIS_URL, {
      keyPrefix: config.REDIS_KEY_PREFIX,
      lazyConnect: false,
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
    });
  }
}

@Global()
@Module({
  providers: [{ provide: RedisClient, useFactory: (config: AppConfig) => RedisClient.create(config), inject: [AppConfig] }],
  exports: [RedisClient],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(RedisClient) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
