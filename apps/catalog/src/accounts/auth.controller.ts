import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Public } from '@app/auth';
import { ErrorResponseDto } from '@app/common';
import { AccountsService } from './accounts.service';
import { LoginDto } from './dto/login.dto';
import { RegisterDto } from './dto/register.dto';
import { AccessTokenResponseDto } from './dto/user-response.dto';
import { LoginThrottlerGuard } from './login-throttler.guard';

@ApiTags('auth')
@Controller('auth')
@UseGuards(LoginThrottlerGuard)
@ApiBadRequestResponse({ type: ErrorResponseDto })
@ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'Too many attempts (RATE_LIMITED)' })
export class AuthController {
  constructor(private readonly accounts: AccountsService) {}

  @Post('register')
  @Public()
  @ApiOperation({ summary: 'Sign up as a researcher or firm member; returns an access token' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'EMAIL_TAKEN' })
  register(@Body() dto: RegisterDto): Promise<AccessTokenResponseDto> {
    return this.accounts.register(dto);
  }

  @Post('login')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Exchange email and password for an access token' })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'INVALID_CREDENTIALS' })
  login(@Body() dto: LoginDto): Promise<AccessTokenResponseDto> {
    return this.accounts.login(dto);
  }
}
