import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

/** argon2id with the library's defaults (64 MiB, 3 passes): ~50 ms per hash here. */
@Injectable()
export class PasswordHasher {
  // A real hash of a random string, verified when the email is unknown so both paths take as long.
  private readonly decoyHash = argon2.hash(`decoy-${Math.random()}`, { type: argon2.argon2id });

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  async verify(hash: string | undefined, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash ?? (await this.decoyHash), password);
    } catch {
      return false;
    }
  }
}
