/** Outbound email: a queue in the database, sent by a job through SMTP or kept locally. */
export { outboundEmails, type OutboundEmailRow, type EmailStatus } from './mail.tables.js';
export { createMailer, localMailer, type Mailer, type OutgoingEmail } from './mailer.js';
export { queueEmail, deliverEmailTarget, type EmailInput } from './queue-email.js';
export { createDeliverEmailJob } from './deliver-email.job.js';
