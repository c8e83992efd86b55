import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public, Roles } from '@app/auth';
import { ErrorResponseDto, ParseUuidPipe } from '@app/common';
import {
  CreateInstitutionDto,
  InstitutionPageDto,
  InstitutionResponseDto,
  ListInstitutionsQuery,
  UpdateInstitutionDto,
} from './dto/institution.dto';
import { InstitutionsService } from './institutions.service';

@ApiTags('institutions')
@Controller('institutions')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED (details list the fields), MALFORMED_JSON' })
export class InstitutionsController {
  constructor(private readonly institutions: InstitutionsService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Institutions and enterprises, by region, kind and name' })
  list(@Query() query: ListInstitutionsQuery): Promise<InstitutionPageDto> {
    return this.institutions.list(query);
  }

  @Get(':id')
  @Public()
  @ApiOperation({ summary: 'One institution' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param('id', new ParseUuidPipe()) id: string): Promise<InstitutionResponseDto> {
    return this.institutions.get(id);
  }

  @Post()
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Register an institution (admins)' })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  create(@Body() dto: CreateInstitutionDto): Promise<InstitutionResponseDto> {
    return this.institutions.create(dto);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Correct an institution (admins)' })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  update(@Param('id', new ParseUuidPipe()) id: string, @Body() dto: UpdateInstitutionDto): Promise<InstitutionResponseDto> {
    return this.institutions.update(id, dto);
  }
}
