import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { NotFoundError } from '@app/common';
import { Region } from '@app/db';
import { RegionDetailResponseDto, RegionResponseDto } from './dto/region-response.dto';

/** The GB/T 2260 tree: province > city > county. */
@Injectable()
export class RegionsService {
  private names?: Promise<Map<string, string>>;

  constructor(@InjectRepository(Region) private readonly regions: Repository<Region>) {}

  /** Code -> name of every division; ~3,300 rows that change only when the tree is re-synced at setup. */
  async nameMap(): Promise<Map<string, string>> {
    this.names ??= this.regions.find().then((rows) => new Map(rows.map((row) => [row.code, row.name])));
    return this.names;
  }

  async list(parentCode?: string): Promise<RegionResponseDto[]> {
    if (parentCode) await this.require(parentCode);
    const rows = await this.regions.find({
      where: { parentCode: parentCode ?? IsNull() },
      order: { code: 'ASC' },
    });
    return rows.map(RegionResponseDto.from);
  }

  async get(code: string): Promise<RegionDetailResponseDto> {
    const region = await this.require(code);
    const ancestors: Region[] = [];
    for (let parent = region.parentCode; parent; ) {
      const ancestor = await this.require(parent);
      ancestors.unshift(ancestor);
      parent = ancestor.parentCode;
    }
    const children = await this.regions.find({ where: { parentCode: code }, order: { code: 'ASC' } });
    return {
      ...RegionResponseDto.from(region),
      ancestors: ancestors.map(RegionResponseDto.from),
      children: children.map(RegionResponseDto.from),
    };
  }

  async require(code: string): Promise<Region> {
    const region = await this.regions.findOneBy({ code });
    if (!region) throw new NotFoundError('Region', code);
    return region;
  }
}
