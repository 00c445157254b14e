import nodemailer from 'nodemailer';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
}

/** Where emails go: an SMTP server, or nowhere but the `outbound_emails` table (the local stand-in). */
export interface Mailer {
  transport: 'smtp' | 'local';
  send(email: OutgoingEmail): Promise<void>;
}

const DEFAULT_FROM = 'Parley <no-reply@parley.local>';

/** The stand-in: the queued row is the mailbox, so sending only marks it sent (see deliver-email.job.ts). */
export const localMailer: Mailer = { transport: 'local', send: () => Promise.resolve() };

/**
 * `PARLEY_SMTP_URL` is nodemailer's connection URL (`smtp://user:pass@host:587`, `smtps://…`); a
 * `from` query parameter sets the sender, which SMTP URLs have no other place for.
 */
export function createSmtpMailer(smtpUrl: string): Mailer {
  const url = new URL(smtpUrl);
  const from = url.searchParams.get('from') ?? DEFAULT_FROM;
  url.searchParams.delete('from');
  const transporter = nodemailer.createTransport(url.toString());
  return {
    transport: 'smtp',
    async send(email) {
      await transporter.sendMail({ from, to: email.to, subject: email.subject, text: email.text });
    },
  };
}

export function createMailer(config: { PARLEY_SMTP_URL?: string | undefined }): Mailer {
  return config.PARLEY_SMTP_URL ? createSmtpMailer(config.PARLEY_SMTP_URL) : localMailer;
}
