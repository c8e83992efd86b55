import { Injectable, PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { ValidationFailedError } from '../errors/domain-error';

/** A malformed id is the caller's mistake (400), never a database error. */
@Injectable()
export class ParseUuidPipe implements PipeTransform<string, string> {
  constructor(private readonly field = 'id') {}

  transform(value: string): string {
    if (!isUUID(value)) {
      throw new ValidationFailedError([{ field: this.field, messages: [`${this.field} must be a UUID`] }], `Malformed ${this.field}`);
    }
    return value.toLowerCase();
  }
}
