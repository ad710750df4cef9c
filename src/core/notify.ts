/**
 * Telling a citizen that something they asked for is ready. One interface, one implementation per channel: email
 * over SMTP when `SMTP_URL` is configured, otherwise a notifier that only logs that nothing was sent. SMS or Zalo
 * can be added behind the same interface. Addresses are personal data: never logged.
 */
import type { Transporter } from "nodemailer";
import type { Logger } from "pino";
import type { Config } from "./config.ts";

export interface Recipient {
  email?: string;
  phone?: string;
}

export interface Message {
  subject: string;
  text: string;
}

export interface Delivery {
  delivered: boolean;
  /** "email", or "none" when no channel could reach the recipient. */
  channel: string;
}

export interface Notifier {
  send(to: Recipient, message: Message): Promise<Delivery>;
}

/** Email through an SMTP server (`smtp://user:pass@host:port`, or `smtps://` for TLS from the start). */
export function smtpNotifier(smtpUrl: string, from: string, log: Logger): Notifier {
  // Loaded at the first message: a process that sends none does not hold the library.
  let transport: Promise<Transporter> | null = null;
  const transporter = () => (transport ??= import("nodemailer").then((m) => m.default.createTransport(smtpUrl)));
  return {
    async send(to, message) {
      if (!to.email) return { delivered: false, channel: "none" };
      try {
        await (await transporter()).sendMail({ from, to: to.email, subject: message.subject, text: message.text });
        return { delivered: true, channel: "email" };
      } catch (err) {
        // The error may quote the address: log its code only.
        log.warn({ event: "notify.failed", channel: "email", code: (err as { code?: string }).code }, "email not sent");
        return { delivered: false, channel: "email" };
      }
    },
  };
}

/** No channel configured: nothing is sent, and the log says so (without the address). */
export function logNotifier(log: Logger): Notifier {
  return {
    async send(to, message) {
      log.info(
        { event: "notify.skipped", hasEmail: !!to.email, hasPhone: !!to.phone, subject: message.subject },
        "no notification channel configured",
      );
      return { delivered: false, channel: "none" };
    },
  };
}

const byConfig = new WeakMap<Config, Notifier>();

/** The notifier the configuration asks for, built once per configuration. */
export function notifierFor(config: Config, log: Logger): Notifier {
  let n = byConfig.get(config);
  if (!n) {
    n = config.smtpUrl
      ? smtpNotifier(config.smtpUrl, config.mailFrom ?? "CCHC <no-reply@localhost>", log)
      : logNotifier(log);
    byConfig.set(config, n);
  }
  return n;
}
