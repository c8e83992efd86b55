import { Body, Controller, Get, Header, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentUser, Public, Roles } from '@app/auth';
import type { AuthUser } from '@app/auth';
import { ErrorResponseDto, ParseUuidPipe } from '@app/common';
import { CreateInstrumentDto, UpdateInstrumentDto } from './dto/instrument-input.dto';
import { InstrumentPageDto } from './dto/instrument-page.dto';
import { InstrumentResponseDto } from './dto/instrument-response.dto';
import { SearchInstrumentsQuery } from './dto/search-instruments.query';
import { InstrumentSearchService } from './instrument-search.service';
import type { JsonText } from './instrument-views';
import { InstrumentsService } from './instruments.service';

@ApiTags('instruments')
@Controller('instruments')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED (details list the fields), MALFORMED_JSON' })
export class InstrumentsController {
  constructor(
    private readonly instruments: InstrumentsService,
    private readonly searchService: InstrumentSearchService,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Search the catalog: full text (简体, 繁體, English), filters, sorting, pages and facets' })
  @ApiOkResponse({ type: InstrumentPageDto })
  // Pages from the index come as JSON text (sent as it is); the SQL path's objects are serialized as JSON.
  @Header('Content-Type', 'application/json; charset=utf-8')
  search(@CurrentUser() user: AuthUser | undefined, @Query() query: SearchInstrumentsQuery): Promise<InstrumentPageDto | JsonText<InstrumentPageDto>> {
    return this.searchService.search(user, query);
  }

  @Get(':id')
  @Public()
  @ApiOperation({ summary: 'One instrument record, if the caller may see it' })
  @ApiOkResponse({ type: InstrumentResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@CurrentUser() user: AuthUser | undefined, @Param('id', new ParseUuidPipe()) id: string): Promise<InstrumentResponseDto> {
    return this.instruments.get(user, id);
  }

  @Post()
  @Roles('lab_manager', 'admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: "Publish an instrument of the lab manager's institution" })
  @ApiCreatedResponse({ type: InstrumentResponseDto })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'Unknown category, region or institution' })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateInstrumentDto): Promise<InstrumentResponseDto> {
    return this.instruments.create(user, dto);
  }

  @Patch(':id')
  @Roles('lab_manager', 'admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Edit an instrument of your institution (fields given are replaced; fees as a whole)' })
  @ApiOkResponse({ type: InstrumentResponseDto })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'VERSION_CONFLICT' })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUuidPipe()) id: string,
    @Body() dto: UpdateInstrumentDto,
  ): Promise<InstrumentResponseDto> {
    return this.instruments.update(user, id, dto);
  }
}
