import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '@app/config';
import { AccessTokenService } from './access-token.service';
import { AuthGuard } from './auth.guard';

/** Token checks for every app; the accounts module of the catalog issues the tokens. */
@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: { algorithm: 'HS256', expiresIn: config.JWT_TTL_SECONDS },
      }),
    }),
  ],
  providers: [AccessTokenService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AccessTokenService],
})
export class AuthModule {}
