import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { NotFoundError } from '@app/common';
import { InstrumentCategory } from '@app/db';
import { CategoryResponseDto } from './dto/category-response.dto';

/** The three-level category tree; small and static, so it is read once and kept in memory. */
@Injectable()
export class CategoriesService {
  private cache?: Promise<Map<string, InstrumentCategory>>;

  constructor(@InjectRepository(InstrumentCategory) private readonly categories: Repository<InstrumentCategory>) {}

  async tree(): Promise<CategoryResponseDto[]> {
    const byCode = await this.all();
    const nodes = new Map<string, CategoryResponseDto>();
    for (const category of byCode.values()) nodes.set(category.code, { ...CategoryResponseDto.from(category), children: [] });
    const roots: CategoryResponseDto[] = [];
    for (const node of [...nodes.values()].sort((a, b) => a.code.localeCompare(b.code))) {
      const parent = node.parentCode ? nodes.get(node.parentCode) : undefined;
      (parent ? parent.children! : roots).push(node);
    }
    return roots;
  }

  async get(code: string): Promise<InstrumentCategory> {
    const category = (await this.all()).get(code);
    if (!category) throw new NotFoundError('Category', code);
    return category;
  }

  async find(code: string): Promise<InstrumentCategory | undefined> {
    return (await this.all()).get(code);
  }

  async all(): Promise<Map<string, InstrumentCategory>> {
    this.cache ??= this.categories.find().then((rows) => new Map(rows.map((row) => [row.code, row])));
    return this.cache;
  }
}
