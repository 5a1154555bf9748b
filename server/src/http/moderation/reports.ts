import {
  MessageSeqParams,
  ReportBody,
  ReportIdParams,
  ReportReply,
  ReportsQuery,
  ReportsReply,
  ResolveReportBody,
} from '@parley/protocol';
import { reportMessage, reportQueue, resolveReport } from '../../domain/moderation/reports.js';
import { authOf, bearer, requireAuth } from '../auth.js';
import type { App, Deps } from '../types.js';

export function reportRoutes(app: App, { ctx }: Deps): void {
  const tags = ['moderation'];
  const authed = { onRequest: requireAuth(ctx) };

  app.post(
    '/api/chat/rooms/:id/messages/:seq/report',
    {
      ...authed,
      schema: {
        tags,
        security: bearer,
        params: MessageSeqParams,
        body: ReportBody,
        response: { 201: ReportReply },
      },
    },
    async (req, reply) =>
      reply.status(201).send({
        report: await reportMessage(ctx, authOf(req), req.params.id, req.params.seq, req.body.reason),
      }),
  );

  app.get(
    '/api/moderation/reports',
    {
      ...authed,
      schema: { tags, security: bearer, querystring: ReportsQuery, response: { 200: ReportsReply } },
    },
    async (req) => reportQueue(ctx, authOf(req), req.query),
  );

  app.patch(
    '/api/moderation/reports/:id',
    {
      ...authed,
      schema: {
        tags,
        security: bearer,
        params: ReportIdParams,
        body: ResolveReportBody,
        response: { 200: ReportReply },
      },
    },
    async (req) => ({ report: await resolveReport(ctx, authOf(req), req.params.id, req.body.status) }),
  );
}
