import { Controller, Get, HttpCode, HttpStatus, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '@app/auth';
import type { AuthUser } from '@app/auth';
import { ErrorResponseDto } from '@app/common';
import { ListNotificationsQuery, NotificationPageDto, NotificationResponseDto } from './dto/notification.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('mine')
  @ApiOperation({ summary: 'My notifications, newest first, with what was sent' })
  @ApiOkResponse({ type: NotificationPageDto })
  listMine(@CurrentUser() user: AuthUser, @Query() query: ListNotificationsQuery): Promise<NotificationPageDto> {
    return this.notifications.listMine(user, query);
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Every notification (admins); ?state=failed lists those whose sends were given up' })
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  listAll(@Query() query: ListNotificationsQuery): Promise<NotificationPageDto> {
    return this.notifications.listAll(query);
  }

  @Post(':id/retry')
  @HttpCode(HttpStatus.OK)
  @Roles('admin')
  @ApiOperation({ summary: 'Send a failed notification again, with a fresh set of attempts' })
  @ApiOkResponse({ type: NotificationResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'NOTIFICATION_NOT_FAILED' })
  retry(@Param('id', ParseIntPipe) id: number): Promise<NotificationResponseDto> {
    return this.notifications.retry(id);
  }
}
