import { Controller, Get, Param } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/auth';
import { ErrorResponseDto, ValidationFailedError } from '@app/common';
import { CategoriesService } from './categories.service';
import { CategoryResponseDto } from './dto/category-response.dto';

@ApiTags('categories')
@Controller('categories')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED (details list the fields), MALFORMED_JSON' })
export class CategoriesController {
  constructor(private readonly categories: CategoriesService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'The instrument category tree (XX0000 > XXYY00 > XXYYZZ)' })
  tree(): Promise<CategoryResponseDto[]> {
    return this.categories.tree();
  }

  @Get(':code')
  @Public()
  @ApiOperation({ summary: 'One category' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(@Param('code') code: string): Promise<CategoryResponseDto> {
    if (!/^[0-9]{6}$/.test(code)) {
      throw new ValidationFailedError([{ field: 'code', messages: ['code must be a six-digit category code'] }]);
    }
    return CategoryResponseDto.from(await this.categories.get(code));
  }
}
