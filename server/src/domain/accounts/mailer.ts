import type { Transporter } from 'nodemailer';
import type { Config } from '../../config.js';

const transports = new WeakMap<Config, Transporter>();

/** Mail goes out only with SMTP_URL and PUBLIC_URL: a link in a mail must not point at a Host header. */
export const canMail = (config: Config): boolean => Boolean(config.smtpUrl && config.publicUrl);

export async function sendMail(config: Config, mail: { to: string; subject: string; text: string }) {
  if (!config.smtpUrl) throw new Error('SMTP_URL is not set');
  if (!transports.has(config)) {
    // Loaded by the first mail: a server without SMTP never needs it, one with it only now and then.
    const { default: nodemailer } = await import('nodemailer');
    if (!transports.has(config)) transports.set(config, nodemailer.createTransport(config.smtpUrl));
  }
  await transports.get(config)?.sendMail({ from: config.mailFrom, ...mail });
}

/** An address of the web client: PUBLIC_URL with the client's route in the fragment. */
export const appLink = (base: string, route: string): string => `${base.replace(/\/+$/, '')}/#${route}`;
