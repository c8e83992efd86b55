import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

export class ListRegionsQuery {
  @ApiPropertyOptional({ example: '330000', description: 'List the children of this region; without it, the provinces' })
  @IsOptional()
  @Matches(/^[0-9]{6}$/, { message: 'parentCode must be a six-digit GB/T 2260 code' })
  parentCode?: string;
}
