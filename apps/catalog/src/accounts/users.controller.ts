import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { CurrentUser, Roles } from '@app/auth';
import type { AuthUser } from '@app/auth';
import { ErrorResponseDto, ParseUuidPipe } from '@app/common';
import { AccountsService } from './accounts.service';
import { CreateUserDto } from './dto/create-user.dto';
import { UserResponseDto } from './dto/user-response.dto';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED (details list the fields), MALFORMED_JSON' })
@ApiUnauthorizedResponse({ type: ErrorResponseDto })
export class UsersController {
  constructor(private readonly accounts: AccountsService) {}

  @Get('me')
  @ApiOperation({ summary: 'The calling user' })
  me(@CurrentUser() user: AuthUser): Promise<UserResponseDto> {
    return this.accounts.getUser(user.id);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create an account of any role (admins only)' })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  create(@Body() dto: CreateUserDto): Promise<UserResponseDto> {
    return this.accounts.createUser(dto);
  }

  @Get(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'One account (admins only)' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param('id', new ParseUuidPipe()) id: string): Promise<UserResponseDto> {
    return this.accounts.getUser(id);
  }
}
