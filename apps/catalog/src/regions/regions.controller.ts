import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/auth';
import { ErrorResponseDto } from '@app/common';
import { RegionCodePipe } from './region-code.pipe';
import { ListRegionsQuery } from './dto/list-regions.query';
import { RegionDetailResponseDto, RegionResponseDto } from './dto/region-response.dto';
import { RegionsService } from './regions.service';

@ApiTags('regions')
@Controller('regions')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED (details list the fields), MALFORMED_JSON' })
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Provinces, or the children of parentCode (cities of a province, counties of a city)' })
  list(@Query() query: ListRegionsQuery): Promise<RegionResponseDto[]> {
    return this.regions.list(query.parentCode);
  }

  @Get(':code')
  @Public()
  @ApiOperation({ summary: 'One region with its ancestors and children' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param('code', RegionCodePipe) code: string): Promise<RegionDetailResponseDto> {
    return this.regions.get(code);
  }
}
