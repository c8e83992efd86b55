import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The one shape of every 4xx and 5xx answer. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable machine-readable code' })
  code: string;

  @ApiProperty({ example: 'The request has invalid fields' })
  message: string;

  @ApiPropertyOptional({
    description: 'For validation errors, a list of { field, messages }; otherwise code-specific facts',
    example: [{ field: 'nameZh', messages: ['nameZh must be shorter than or equal to 200 characters'] }],
  })
  details?: unknown;
}
