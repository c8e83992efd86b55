import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { CurrentUser } from '@app/auth';
import type { AuthUser } from '@app/auth';
import { ErrorResponseDto, ParseUuidPipe } from '@app/common';
import { JoinWaitlistDto, WaitlistEntryResponseDto } from './dto/waitlist.dto';
import { WaitlistService } from './waitlist.service';

@ApiTags('waitlist')
@ApiBearerAuth()
@Controller()
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
@ApiNotFoundResponse({ type: ErrorResponseDto })
export class WaitlistController {
  constructor(private readonly waitlist: WaitlistService) {}

  @Post('instruments/:id/waitlist')
  @ApiOperation({ summary: 'Wait for time on this instrument within a window; freed time is offered as a hold, first in line first' })
  @ApiCreatedResponse({ type: WaitlistEntryResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'WAITLIST_WINDOW_INVALID, WAITLIST_DURATION_NOT_ALLOWED' })
  join(@CurrentUser() user: AuthUser, @Param('id', new ParseUuidPipe()) id: string, @Body() dto: JoinWaitlistDto): Promise<WaitlistEntryResponseDto> {
    return this.waitlist.join(user, id, dto);
  }

  @Get('waitlist/mine')
  @ApiOperation({ summary: 'My waitlist entries, newest first, with place in line or the hold offered' })
  @ApiOkResponse({ type: [WaitlistEntryResponseDto] })
  listMine(@CurrentUser() user: AuthUser): Promise<WaitlistEntryResponseDto[]> {
    return this.waitlist.listMine(user);
  }

  @Post('waitlist/:id/leave')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Leave the line' })
  @ApiOkResponse({ type: WaitlistEntryResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'WAITLIST_ENTRY_NOT_WAITING' })
  leave(@CurrentUser() user: AuthUser, @Param('id', new ParseUuidPipe()) id: string): Promise<WaitlistEntryResponseDto> {
    return this.waitlist.leave(user, id);
  }
}
