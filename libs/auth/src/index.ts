export { Public } from '@app/common';
export * from './access-token.service';
export * from './auth-error-code';
export * from './auth-user';
export * from './auth.guard';
export * from './auth.module';
export * from './current-user.decorator';
export * from './roles.decorator';
