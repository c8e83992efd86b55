import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { RedisClient } from '@app/common';
import { AppConfig } from '@app/config';
import type Redis from 'ioredis';
import { AccountsService } from './accounts.service';
import { AuthController } from './auth.controller';
import { PasswordHasher } from './password-hasher';
import { UsersController } from './users.controller';

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, RedisClient],
      useFactory: (config: AppConfig, redis: Redis) => ({
        throttlers: [{ name: 'login', ttl: config.LOGIN_RATE_WINDOW_SECONDS * 1000, limit: config.LOGIN_RATE_LIMIT }],
        storage: new ThrottlerStorageRedisService(redis),
      }),
    }),
  ],
  controllers: [AuthController, UsersController],
  providers: [AccountsService, PasswordHasher],
  exports: [AccountsService],
})
export class AccountsModule {}
