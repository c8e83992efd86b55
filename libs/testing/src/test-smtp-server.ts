import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  messageId: string;
  to: string[];
  subject: string;
  text: string;
  /** Real time (Date.now()) at which the server accepted it. */
  acceptedAt: number;
}

/** What the server answers a message with: accept it (the default), or refuse it so the sender sees a failure. */
export type MailVerdict = 'accept' | 'refuse';

export interface TestSmtpServerOptions {
  /** Called with each message before it is accepted; may take its time, or kill the sender meanwhile. */
  beforeAccept?: (mail: ReceivedMail) => Promise<MailVerdict | void> | MailVerdict | void;
}

/**
 * A real SMTP server on a free port (the smtp-server package), for tests of the worker's email
 * channel: it keeps every accepted message, in order, parsed with mailparser.
 */
export class TestSmtpServer {
  readonly mails: ReceivedMail[] = [];

  private constructor(
    private readonly server: SMTPServer,
    readonly url: string,
  ) {}

  static async start(options: TestSmtpServerOptions = {}): Promise<TestSmtpServer> {
    let instance: TestSmtpServer | null = null;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream)
          .then(async (parsed) => {
            const mail: ReceivedMail = {
              messageId: parsed.messageId ?? '',
              to: (Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : []).flatMap((address) => address.value.map((entry) => entry.address ?? '')),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              acceptedAt: 0,
            };
            const verdict = (await options.beforeAccept?.(mail)) ?? 'accept';
            if (verdict === 'refuse') return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
            mail.acceptedAt = Date.now();
            instance!.mails.push(mail);
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.server.address() as AddressInfo;
    instance = new TestSmtpServer(server, `smtp://127.0.0.1:${port}`);
    return instance;
  }

  /** Messages to one address. */
  to(address: string): ReceivedMail[] {
    return this.mails.filter((mail) => mail.to.includes(address));
  }

  /** Waits until the condition holds for the messages received, or fails after the timeout. */
  async waitFor(condition: (mails: ReceivedMail[]) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition(this.mails)) {
      if (Date.now() > deadline) throw new Error(`SMTP server: condition not met within ${timeoutMs} ms (${this.mails.length} messages received)`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
