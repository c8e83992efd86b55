import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_ROUTE = 'isPublicRoute';

/** Marks a route that anonymous callers may use; a token, when sent, must still be valid. */
export const Public = () => SetMetadata(IS_PUBLIC_ROUTE, true);
