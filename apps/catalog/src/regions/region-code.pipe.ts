import { Injectable, PipeTransform } from '@nestjs/common';
import { ValidationFailedError } from '@app/common';

@Injectable()
export class RegionCodePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[0-9]{6}$/.test(value)) {
      throw new ValidationFailedError([{ field: 'code', messages: ['code must be a six-digit GB/T 2260 code'] }], 'Malformed region code');
    }
    return value;
  }
}
