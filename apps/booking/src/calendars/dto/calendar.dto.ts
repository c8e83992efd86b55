import { ApiProperty } from '@nestjs/swagger';

/** A newly issued private calendar feed; the token is shown this once and never stored in clear. */
export class CalendarFeedDto {
  @ApiProperty({
    example: '/calendar-feeds/3q2-7wEjR0l0QzU0bWlhY1NhZ0xvZGt6Y2l0Z0F0c2w.ics',
    description:
      'Path of the feed on this service, relative to its public origin: prefix it with https://<host> (or webcal://<host>) ' +
      'and subscribe to it in Google Calendar, Outlook, Thunderbird or Apple Calendar. Anyone with the URL can read the feed; ' +
      'issue a new one (POST) or revoke it (DELETE) if it leaks.',
  })
  url: string;

  @ApiProperty({ example: '3q2-7wEjR0l0QzU0bWlhY1NhZ0xvZGt6Y2l0Z0F0c2w', description: '32 random bytes, base64url; only its SHA-256 is stored' })
  token: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}
