import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationFailedError } from '@app/common';
import { Institution, Instrument, InstrumentFee, RESTRICTED_SHARING_MODES, Region, inTransaction, searchableCategoryNames } from '@app/db';
import type { RestrictedSharingMode, SharingMode } from '@app/db';
import { searchTextSql } from '@app/search';
import { CategoriesService } from '../categories/categories.service';
import { SharingExemptionsService } from '../sharing/sharing-exemptions.service';
import { SearchResultCache } from '../search-cache/search-result.cache';
import { SharingPolicy } from '../sharing/sharing-policy';
import { CreateInstrumentDto, FeeLineDto, UpdateInstrumentDto } from './dto/instrument-input.dto';
import { InstrumentResponseDto, SharingExemptionSummaryDto } from './dto/instrument-response.dto';
import { InstrumentAccessErrorCode, InstrumentAccessPolicy } from './instrument-access.policy';
import { InstrumentErrorCode } from './instrument-error-code';
import { loadInstrumentSummaries } from './instrument-views';

type InstrumentFields = Omit<CreateInstrumentDto, 'institutionId' | 'fees' | 'contact' | 'sharingExemptionReason' | 'sharingMode'>;

/** Creating, editing and reading one instrument record. Every command is one transaction. */
@Injectable()
export class InstrumentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: InstrumentAccessPolicy,
    private readonly sharing: SharingPolicy,
    private readonly exemptions: SharingExemptionsService,
    private readonly categories: CategoriesService,
    private readonly searchCache: SearchResultCache,
  ) {}

  async get(user: AuthUser | undefined, id: string): Promise<InstrumentResponseDto> {
    return this.detail(this.dataSource.manager, user, id);
  }

  async create(user: AuthUser, dto: CreateInstrumentDto): Promise<InstrumentResponseDto> {
    const institutionId = this.owningInstitution(user, dto.institutionId);
    const id = await inTransaction(this.dataSource, async (manager) => {
      const institution = await manager.getRepository(Institution).findOneBy({ id: institutionId });
      if (!institution) {
        throw new DomainError(InstrumentErrorCode.UNKNOWN_INSTITUTION, `Institution ${institutionId} does not exist`, HttpStatus.UNPROCESSABLE_ENTITY);
      }
      await this.checkReferences(manager, dto.categoryCode, dto.regionCode);
      const requestedMode = dto.sharingMode ?? 'external';
      const restriction = this.restrictionRequest(dto, requestedMode, dto.sharingExemptionReason);
      const instrument = manager.getRepository(Instrument).create({
        ...this.recordFields(dto),
        institutionId,
        sharingMode: restriction ? 'external' : requestedMode,
        ...primaryPrice(dto.fees),
      });
      const saved = await manager.getRepository(Instrument).save(instrument);
      await this.replaceFees(manager, saved.id, dto.fees);
      await this.reindex(manager, saved);
      if (restriction) await this.exemptions.request(manager, saved.id, restriction.mode, restriction.reason, user);
      return saved.id;
    });
    await this.searchCache.invalidate();
    return this.detail(this.dataSource.manager, user, id);
  }

  async update(user: AuthUser, id: string, dto: UpdateInstrumentDto): Promise<InstrumentResponseDto> {
    await inTransaction(this.dataSource, async (manager) => {
      const instrument = await manager.getRepository(Instrument).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      // Instruments the caller may not even read answer like unknown ones, so their existence does not leak.
      if (!instrument || !this.access.canRead(user, instrument)) throw new NotFoundError('Instrument', id);
      this.access.assertCanWrite(user, instrument);
      if (dto.version !== undefined && dto.version !== instrument.version) {
        throw new ConflictError(InstrumentErrorCode.VERSION_CONFLICT, 'The instrument changed since you loaded it; reload and edit again', {
          currentVersion: instrument.version,
        });
      }
      if (dto.categoryCode || dto.regionCode) {
        await this.checkReferences(manager, dto.categoryCode ?? instrument.categoryCode, dto.regionCode ?? instrument.regionCode);
      }
      Object.assign(instrument, this.recordFields(dto));
      if (dto.fees) Object.assign(instrument, primaryPrice(dto.fees));
      const { sharingMode } = dto;
      if (sharingMode === 'external') {
        instrument.sharingMode = 'external';
        await this.exemptions.closeAll(manager, id);
      } else if (sharingMode && !(await this.isApprovedRestriction(manager, instrument, sharingMode))) {
        const restriction = this.restrictionRequest(instrument, sharingMode, dto.sharingExemptionReason);
        if (restriction) await this.exemptions.request(manager, id, restriction.mode, restriction.reason, user);
        else instrument.sharingMode = sharingMode;
      }
      const saved = await manager.getRepository(Instrument).save(instrument);
      if (dto.fees) await this.replaceFees(manager, id, dto.fees);
      if (SEARCHABLE_FIELDS.some((field) => dto[field] !== undefined)) await this.reindex(manager, saved);
    });
    await this.searchCache.invalidate();
    return this.detail(this.dataSource.manager, user, id);
  }

  /** The instrument already has this restriction, approved: nothing to ask for again. */
  private async isApprovedRestriction(manager: EntityManager, instrument: Instrument, mode: SharingMode): Promise<boolean> {
    if (instrument.sharingMode !== mode) return false;
    const exemption = await this.exemptions.current(manager, instrument.id);
    return exemption?.status === 'approved' && exemption.requestedMode === mode;
  }

  /** Lab managers create for their own institution; admins name it. */
  private owningInstitution(user: AuthUser, requested?: string): string {
    if (user.role === 'admin') {
      if (!requested) {
        throw new ValidationFailedError([{ field: 'institutionId', messages: ['institutionId is required when an admin creates an instrument'] }]);
      }
      return requested;
    }
    if (user.role !== 'lab_manager' || !user.institutionId) {
      throw new ForbiddenError('Only lab managers create instruments', InstrumentAccessErrorCode.ROLE_CANNOT_EDIT_CATALOG);
    }
    if (requested && requested !== user.institutionId) {
      throw new ForbiddenError('Lab managers create instruments for their own institution only', InstrumentAccessErrorCode.NOT_OWNER);
    }
    return user.institutionId;
  }

  /**
   * A restricted mode for an instrument that must be shared becomes a request for department
   * staff (with a mandatory reason) instead of taking effect; otherwise it applies at once.
   */
  private restrictionRequest(
    instrument: Pick<Instrument, 'fundingSource' | 'originalValueFen'>,
    requestedMode: SharingMode,
    reason: string | undefined,
  ): { mode: RestrictedSharingMode; reason: string } | null {
    if (requestedMode === 'external' || !this.sharing.mustShareExternally(instrument)) return null;
    if (!reason) {
      throw new ValidationFailedError(
        [
          {
            field: 'sharingExemptionReason',
            messages: [
              `publicly funded instruments worth ${this.sharing.thresholdFen / 100} yuan or more must be shared externally: ` +
                'give a reason for department staff to approve the restriction',
            ],
          },
        ],
        'A restriction of sharing needs a reason',
      );
    }
    return { mode: requestedMode as (typeof RESTRICTED_SHARING_MODES)[number], reason };
  }

  private recordFields(dto: Partial<InstrumentFields> & Pick<UpdateInstrumentDto, 'contact'>): Partial<Instrument> {
    const fields: Partial<Instrument> = {};
    const copy = <K extends keyof InstrumentFields & keyof Instrument>(key: K, fallback?: Instrument[K]) => {
      if (dto[key] !== undefined) (fields as Record<string, unknown>)[key] = dto[key];
      else if (fallback !== undefined) (fields as Record<string, unknown>)[key] = fallback;
    };
    copy('assetNumber');
    copy('nameZh');
    copy('nameEn');
    copy('model');
    copy('manufacturer');
    copy('countryOfOrigin');
    copy('categoryCode');
    copy('originalValueFen');
    copy('inServiceDate');
    copy('source');
    copy('fundingSource');
    copy('department');
    copy('purpose');
    copy('subjectAreas');
    copy('specs');
    copy('functions');
    copy('serviceContent');
    copy('serviceModes');
    copy('condition');
    copy('sharingRules');
    copy('timeZone');
    copy('regionCode');
    copy('address');
    copy('latitude');
    copy('longitude');
    copy('photoUrls');
    if (dto.contact) {
      fields.contactName = dto.contact.name;
      fields.contactPhone = dto.contact.phone;
      fields.contactEmail = dto.contact.email;
    }
    return fields;
  }

  private async checkReferences(manager: EntityManager, categoryCode: string, regionCode: string): Promise<void> {
    if (!(await this.categories.find(categoryCode))) {
      throw new DomainError(InstrumentErrorCode.UNKNOWN_CATEGORY, `Category ${categoryCode} does not exist (see GET /categories)`, HttpStatus.UNPROCESSABLE_ENTITY);
    }
    const region = await manager.getRepository(Region).findOneBy({ code: regionCode });
    if (!region || region.level !== 'county') {
      throw new DomainError(InstrumentErrorCode.COUNTY_REQUIRED, `regionCode ${regionCode} is not a county-level GB/T 2260 code`, HttpStatus.UNPROCESSABLE_ENTITY);
    }
  }

  private async replaceFees(manager: EntityManager, instrumentId: string, fees: FeeLineDto[]): Promise<void> {
    await manager.delete(InstrumentFee, { instrumentId });
    await manager.insert(
      InstrumentFee,
      fees.map((fee, position) => ({
        instrumentId,
        position,
        unit: fee.unit,
        internalRateFen: fee.internalRateFen,
        externalRateFen: fee.externalRateFen,
        description: fee.description ?? '',
      })),
    );
  }

  /** Rebuilds the full-text document (names, model, maker, functions, specs, category names). */
  private async reindex(manager: EntityManager, instrument: Instrument): Promise<void> {
    const categoryNames = searchableCategoryNames(await this.categories.all(), instrument.categoryCode);
    const text = searchTextSql({ ...instrument, categoryNames }, 2);
    await manager.query(
      `INSERT INTO instrument_search_text (instrument_id, title, document) VALUES ($1, ${text.titleSql}, strip(${text.documentSql}))
       ON CONFLICT (instrument_id) DO UPDATE SET title = EXCLUDED.title, document = EXCLUDED.document, toast_filler = DEFAULT`,
      [instrument.id, ...text.params],
    );
  }

  private async detail(manager: EntityManager, user: AuthUser | undefined, id: string): Promise<InstrumentResponseDto> {
    const instrument = await manager.getRepository(Instrument).findOne({ where: { id }, relations: { fees: true } });
    // Instruments the caller may not see answer like unknown ones, so their existence does not leak.
    if (!instrument || !this.access.canRead(user, instrument)) throw new NotFoundError('Instrument', id);
    const [summary] = await loadInstrumentSummaries(manager, [id]);
    const exemption = await this.exemptions.current(manager, id);
    const mustShareExternally = this.sharing.mustShareExternally(instrument);
    const approvedForMode = exemption?.status === 'approved' && exemption.requestedMode === instrument.sharingMode;
    const showExemption =
      user?.role === 'admin' ||
      user?.role === 'department_staff' ||
      (user?.role === 'lab_manager' && user.institutionId === instrument.institutionId);
    return {
      ...summary,
      assetNumber: instrument.assetNumber,
      countryOfOrigin: instrument.countryOfOrigin,
      inServiceDate: instrument.inServiceDate,
      source: instrument.source,
      fundingSource: instrument.fundingSource,
      isPubliclyFunded: instrument.isPubliclyFunded,
      department: instrument.department,
      purpose: instrument.purpose,
      subjectAreas: instrument.subjectAreas,
      specs: instrument.specs,
      functions: instrument.functions,
      serviceContent: instrument.serviceContent,
      fees: (instrument.fees ?? [])
        .sort((a, b) => a.position - b.position)
        .map((fee) => ({
          unit: fee.unit,
          internalRateFen: fee.internalRateFen,
          externalRateFen: fee.externalRateFen,
          description: fee.description,
        })),
      sharingRules: instrument.sharingRules,
      sharingCompliance: {
        mustShareExternally,
        compliant: !mustShareExternally || instrument.sharingMode === 'external' || approvedForMode,
        exemption: exemption && showExemption ? toExemptionSummary(exemption) : null,
      },
      timeZone: instrument.timeZone,
      contact: { name: instrument.contactName, phone: instrument.contactPhone, email: instrument.contactEmail },
      version: instrument.version,
      createdAt: instrument.createdAt.toISOString(),
      updatedAt: instrument.updatedAt.toISOString(),
    };
  }
}

/** The fields the search document is built from; a PATCH that touches none of them keeps the document. */
const SEARCHABLE_FIELDS = ['nameZh', 'nameEn', 'model', 'manufacturer', 'functions', 'specs', 'serviceContent', 'categoryCode'] as const;

function primaryPrice(fees: FeeLineDto[]): Pick<Instrument, 'priceUnit' | 'externalPriceFen' | 'internalPriceFen'> {
  const [primary] = fees;
  return { priceUnit: primary.unit, externalPriceFen: primary.externalRateFen, internalPriceFen: primary.internalRateFen };
}

function toExemptionSummary(exemption: {
  id: string;
  requestedMode: RestrictedSharingMode;
  status: SharingExemptionSummaryDto['status'];
  reason: string;
  requestedAt: Date;
  decidedAt: Date | null;
  decisionNote: string | null;
}): SharingExemptionSummaryDto {
  return {
    id: exemption.id,
    requestedMode: exemption.requestedMode,
    status: exemption.status,
    reason: exemption.reason,
    requestedAt: exemption.requestedAt.toISOString(),
    decidedAt: exemption.decidedAt ? exemption.decidedAt.toISOString() : null,
    decisionNote: exemption.decisionNote,
  };
}
