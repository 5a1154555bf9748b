import { Readable } from 'node:stream';
import { AuditQuery, AuditReply, SettingsPatch, SettingsReply } from '@parley/protocol';
import { auditCsv, auditLog } from '../../domain/admin/audit.js';
import { updateSettings } from '../../domain/admin/settings.js';
import { authOf, bearer } from '../auth.js';
import type { App, Deps } from '../types.js';
import { adminOnly } from './guard.js';

export function adminSettingsRoutes(app: App, { ctx }: Deps): void {
  const tags = ['admin'];
  const admin = { onRequest: adminOnly(ctx) };

  app.get(
    '/api/admin/settings',
    { ...admin, schema: { tags, security: bearer, response: { 200: SettingsReply } } },
    async () => ({ settings: ctx.settings.current }),
  );

  app.patch(
    '/api/admin/settings',
    { ...admin, schema: { tags, security: bearer, body: SettingsPatch, response: { 200: SettingsReply } } },
    async (req) => ({ settings: await updateSettings(ctx, authOf(req), req.body) }),
  );

  app.get(
    '/api/admin/audit',
    { ...admin, schema: { tags, security: bearer, querystring: AuditQuery, response: { 200: AuditReply } } },
    async (req) => auditLog(ctx, authOf(req), req.query),
  );

  app.get(
    '/api/admin/audit.csv',
    {
      ...admin,
      schema: {
        tags,
        security: bearer,
        querystring: AuditQuery,
        description: 'The filtered audit log as CSV.',
      },
    },
    async (req, reply) => {
      const stamp = new Date().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="parley-audit-${stamp}.csv"`)
        .send(Readable.from(auditCsv(ctx, authOf(req), req.query)));
    },
  );
}
