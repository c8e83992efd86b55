import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccessTokenService } from '@app/auth';
import { ConflictError, DomainError, NotFoundError } from '@app/common';
import { AppConfig } from '@app/config';
import { Institution, Region, SqlState, User, inTransaction, isSqlState } from '@app/db';
import type { Language, UserRole } from '@app/db';
import { AccountErrorCode } from './account-error-code';
import { CreateUserDto } from './dto/create-user.dto';
import { LoginDto } from './dto/login.dto';
import { RegisterDto } from './dto/register.dto';
import { AccessTokenResponseDto, UserResponseDto } from './dto/user-response.dto';
import { PasswordHasher } from './password-hasher';

const ROLES_WITH_INSTITUTION: readonly UserRole[] = ['researcher', 'firm_member', 'lab_manager'];

interface NewAccount {
  email: string;
  password: string;
  displayName: string;
  role: UserRole;
  institutionId?: string;
  regionCode?: string;
  language?: Language;
}

@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly tokens: AccessTokenService,
    private readonly config: AppConfig,
  ) {}

  /** Self-service sign-up for researchers and firm members; a firm may bring its new enterprise along. */
  async register(dto: RegisterDto): Promise<AccessTokenResponseDto> {
    if (dto.enterprise && dto.role !== 'firm_member') {
      throw new DomainError(AccountErrorCode.INSTITUTION_KIND_MISMATCH, 'Only firm members register an enterprise', HttpStatus.BAD_REQUEST);
    }
    if (dto.enterprise && dto.institutionId) {
      throw new DomainError(AccountErrorCode.INSTITUTION_AMBIGUOUS, 'Give either institutionId or enterprise, not both', HttpStatus.BAD_REQUEST);
    }
    const passwordHash = await this.hasher.hash(dto.password);
    const user = await inTransaction(this.dataSource, async (manager) => {
      let institutionId = dto.institutionId;
      if (dto.enterprise) {
        await this.requireCountyRegion(manager, dto.enterprise.regionCode);
        const enterprise = await manager.getRepository(Institution).save({
          nameZh: dto.enterprise.nameZh,
          nameEn: dto.enterprise.nameEn ?? null,
          kind: 'enterprise',
          regionCode: dto.enterprise.regionCode,
          isSmallMicro: dto.enterprise.isSmallMicro,
        });
        institutionId = enterprise.id;
      }
      return this.insertUser(manager, { ...dto, institutionId }, passwordHash);
    });
    return this.issueToken(user);
  }

  async login(dto: LoginDto): Promise<AccessTokenResponseDto> {
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.email = :email', { email: dto.email.toLowerCase() })
      .getOne();
    const valid = await this.hasher.verify(user?.passwordHash, dto.password);
    if (!user || !valid) {
      throw new DomainError(AccountErrorCode.INVALID_CREDENTIALS, 'Wrong email or password', HttpStatus.UNAUTHORIZED);
    }
    return this.issueToken(user);
  }

  /** Admin-only (API and CLI): any role, including the privileged ones. */
  async createUser(dto: CreateUserDto): Promise<UserResponseDto> {
    const passwordHash = await this.hasher.hash(dto.password);
    const user = await inTransaction(this.dataSource, (manager) => this.insertUser(manager, dto, passwordHash));
    return UserResponseDto.from(user);
  }

  async getUser(id: string): Promise<UserResponseDto> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id });
    if (!user) throw new NotFoundError('User', id);
    return UserResponseDto.from(user);
  }

  private async insertUser(manager: EntityManager, account: NewAccount, passwordHash: string): Promise<User> {
    const needsInstitution = ROLES_WITH_INSTITUTION.includes(account.role);
    if (needsInstitution) await this.requireInstitutionFor(manager, account.role, account.institutionId);
    if (account.role === 'department_staff') {
      if (!account.regionCode) {
        throw new DomainError(AccountErrorCode.REGION_REQUIRED, 'Department staff need a regionCode (province, city or county)', HttpStatus.BAD_REQUEST);
      }
      await this.requireRegion(manager, account.regionCode);
    }
    try {
      return await manager.getRepository(User).save({
        email: account.email.toLowerCase(),
        passwordHash,
        displayName: account.displayName,
        role: account.role,
        institutionId: needsInstitution ? account.institutionId! : null,
        regionCode: account.role === 'department_staff' ? account.regionCode! : null,
        language: account.language ?? 'zh',
      });
    } catch (error) {
      if (isSqlState(error, SqlState.UNIQUE_VIOLATION, 'app_user_email_key')) {
        throw new ConflictError(AccountErrorCode.EMAIL_TAKEN, 'An account with this email exists already');
      }
      throw error;
    }
  }

  private async requireInstitutionFor(manager: EntityManager, role: UserRole, institutionId?: string): Promise<void> {
    if (!institutionId) {
      throw new DomainError(AccountErrorCode.INSTITUTION_REQUIRED, `A ${role} belongs to an institution: give institutionId`, HttpStatus.BAD_REQUEST);
    }
    const institution = await manager.getRepository(Institution).findOneBy({ id: institutionId });
    if (!institution) {
      throw new DomainError(AccountErrorCode.UNKNOWN_INSTITUTION, `Institution ${institutionId} does not exist`, HttpStatus.UNPROCESSABLE_ENTITY);
    }
    const isEnterprise = institution.kind === 'enterprise';
    if (role === 'firm_member' && !isEnterprise) {
      throw new DomainError(AccountErrorCode.INSTITUTION_KIND_MISMATCH, 'A firm member belongs to an enterprise', HttpStatus.UNPROCESSABLE_ENTITY);
    }
    if (role === 'researcher' && isEnterprise) {
      throw new DomainError(AccountErrorCode.INSTITUTION_KIND_MISMATCH, 'Members of enterprises register as firm members', HttpStatus.UNPROCESSABLE_ENTITY);
    }
  }

  private async requireRegion(manager: EntityManager, code: string): Promise<Region> {
    const region = await manager.getRepository(Region).findOneBy({ code });
    if (!region) {
      throw new DomainError(AccountErrorCode.UNKNOWN_REGION, `Region ${code} is not a GB/T 2260 code`, HttpStatus.UNPROCESSABLE_ENTITY);
    }
    return region;
  }

  private async requireCountyRegion(manager: EntityManager, code: string): Promise<void> {
    const region = await this.requireRegion(manager, code);
    if (region.level !== 'county') {
      throw new DomainError(AccountErrorCode.UNKNOWN_REGION, `Region ${code} is a ${region.level}; give the county-level code`, HttpStatus.UNPROCESSABLE_ENTITY);
    }
  }

  private issueToken(user: User): AccessTokenResponseDto {
    const accessToken = this.tokens.sign({
      id: user.id,
      role: user.role,
      institutionId: user.institutionId,
      regionCode: user.regionCode,
    });
    return { accessToken, expiresIn: this.config.JWT_TTL_SECONDS, user: UserResponseDto.from(user) };
  }
}
