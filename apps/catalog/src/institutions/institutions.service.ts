import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, NotFoundError } from '@app/common';
import { Institution, Region, inTransaction, likeBelow } from '@app/db';
import {
  CreateInstitutionDto,
  InstitutionPageDto,
  InstitutionResponseDto,
  ListInstitutionsQuery,
  UpdateInstitutionDto,
} from './dto/institution.dto';
import { SearchResultCache } from '../search-cache/search-result.cache';

export enum InstitutionErrorCode {
  COUNTY_REQUIRED = 'COUNTY_REQUIRED',
  SMALL_MICRO_ONLY_FOR_ENTERPRISES = 'SMALL_MICRO_ONLY_FOR_ENTERPRISES',
}

@Injectable()
export class InstitutionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly searchCache: SearchResultCache,
  ) {}

  async list(query: ListInstitutionsQuery): Promise<InstitutionPageDto> {
    const builder = this.dataSource.getRepository(Institution).createQueryBuilder('institution');
    if (query.regionCode) builder.andWhere('institution.region_code LIKE :pattern', { pattern: likeBelow(query.regionCode) });
    if (query.kind) builder.andWhere('institution.kind = :kind', { kind: query.kind });
    if (query.q) {
      builder.andWhere('(institution.name_zh ILIKE :pattern OR institution.name_en ILIKE :pattern)', {
        pattern: `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    }
    const [rows, total] = await builder
      .orderBy('institution.name_zh', 'ASC')
      .addOrderBy('institution.id', 'ASC')
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize)
      .getManyAndCount();
    return { items: rows.map(InstitutionResponseDto.from), total, page: query.page, pageSize: query.pageSize };
  }

  async get(id: string): Promise<InstitutionResponseDto> {
    return InstitutionResponseDto.from(await this.require(this.dataSource.manager, id));
  }

  async create(dto: CreateInstitutionDto): Promise<InstitutionResponseDto> {
    return inTransaction(this.dataSource, async (manager) => {
      await requireCounty(manager, dto.regionCode);
      checkSmallMicro(dto.kind, dto.isSmallMicro ?? false);
      const saved = await manager.getRepository(Institution).save({ ...dto, nameEn: dto.nameEn ?? null, isSmallMicro: dto.isSmallMicro ?? false });
      return InstitutionResponseDto.from(saved);
    });
  }

  async update(id: string, dto: UpdateInstitutionDto): Promise<InstitutionResponseDto> {
    const updated = await inTransaction(this.dataSource, async (manager) => {
      const institution = await this.require(manager, id, true);
      if (dto.regionCode) await requireCounty(manager, dto.regionCode);
      Object.assign(institution, dto);
      checkSmallMicro(institution.kind, institution.isSmallMicro);
      return InstitutionResponseDto.from(await manager.getRepository(Institution).save(institution));
    });
    // Search results show the institution's names: cached pages and every replica's index must see the edit.
    await this.searchCache.invalidate();
    return updated;
  }

  async require(manager: EntityManager, id: string, forUpdate = false): Promise<Institution> {
    const institution = await manager.getRepository(Institution).findOne({
      where: { id },
      lock: forUpdate ? { mode: 'pessimistic_write' } : undefined,
    });
    if (!institution) throw new NotFoundError('Institution', id);
    return institution;
  }
}

async function requireCounty(manager: EntityManager, code: string): Promise<void> {
  const region = await manager.getRepository(Region).findOneBy({ code });
  if (!region || region.level !== 'county') {
    throw new DomainError(InstitutionErrorCode.COUNTY_REQUIRED, `regionCode ${code} is not a county-level GB/T 2260 code`, HttpStatus.UNPROCESSABLE_ENTITY);
  }
}

function checkSmallMicro(kind: string, isSmallMicro: boolean): void {
  if (isSmallMicro && kind !== 'enterprise') {
    throw new DomainError(InstitutionErrorCode.SMALL_MICRO_ONLY_FOR_ENTERPRISES, 'Only enterprises can be small or micro firms', HttpStatus.UNPROCESSABLE_ENTITY);
  }
}
