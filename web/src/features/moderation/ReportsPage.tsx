import { type ReportStatus, reportStatuses } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { errorText } from '../../api/errors';
import { useChat } from '../../components/ChatContext';
import { ConnectionStatus } from '../../components/ConnectionStatus';
import { DrawerButton } from '../../components/room/DrawerButton';
import { formatFull } from '../../lib/format';
import { hrefOf, paths } from '../../routes/paths';
import { useStore } from '../../state/store';
import { loadQueue, moderationStore, settleReport } from './state';

const labels: Record<ReportStatus, string> = { open: 'Open', resolved: 'Resolved', dismissed: 'Dismissed' };

/** The moderators' queue: reported messages of the rooms they moderate, oldest concerns first handled. */
export function ReportsPage({ status: given, onOpenDrawer }: { status?: string; onOpenDrawer: () => void }) {
  const chat = useChat();
  const status = reportStatuses.find((s) => s === given) ?? 'open';
  const queue = useStore(moderationStore(chat), (s) => s.queue);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void loadQueue(chat, status);
  }, [chat, status]);

  const settle = (id: string, to: 'resolved' | 'dismissed') => {
    setError(null);
    settleReport(chat, id, to).catch((e) => setError(errorText(e)));
  };

  return (
    <main className="room reports-page" aria-label="Reports">
      <header className="room-header">
        <DrawerButton onClick={onOpenDrawer} />
        <h2 className="room-title">Reported messages</h2>
        <ConnectionStatus />
      </header>
      <div className="page-body">
        <nav className="page-tabs" aria-label="Report status">
          {reportStatuses.map((s) => (
            <a key={s} href={hrefOf(paths.reports(s))} aria-current={s === status ? 'page' : undefined}>
              {labels[s]}
            </a>
          ))}
        </nav>
        {error || queue.error ? (
          <p className="form-error" role="alert">
            {error ?? queue.error}
          </p>
        ) : null}
        <p className="muted small-text" role="status">
          {queue.loading && queue.reports.length === 0
            ? 'Loading…'
            : queue.reports.length === 0
              ? status === 'open'
                ? 'Nothing to look at: no open reports.'
                : 'No reports here.'
              : null}
        </p>
        <ol className="report-list">
          {queue.reports.map((report) => (
            <li
              key={report.id}
              className="report"
              aria-label={`Report on ${report.author.username}'s message`}
            >
              <div className="report-meta small-text">
                <a href={hrefOf(paths.message(report.room.id, report.seq))}>#{report.room.name}</a> ·{' '}
                <strong>{report.author.username}</strong> wrote:
              </div>
              <blockquote className="report-text">{report.text}</blockquote>
              <div className="report-meta small-text muted">
                Reported by {report.reporter.username} on {formatFull(report.createdAt)}
                {report.reason ? `: “${report.reason}”` : ''}
                {report.resolvedBy && report.resolvedAt
                  ? ` · ${labels[report.status]} by ${report.resolvedBy.username} on ${formatFull(report.resolvedAt)}`
                  : ''}
              </div>
              {report.status === 'open' ? (
                <div className="report-actions">
                  <a
                    className="secondary small button-link"
                    href={hrefOf(paths.message(report.room.id, report.seq))}
                  >
                    Open in room
                  </a>
                  <button
                    type="button"
                    className="primary small"
                    onClick={() => settle(report.id, 'resolved')}
                  >
                    Resolve
                  </button>
                  <button
                    type="button"
                    className="secondary small"
                    onClick={() => settle(report.id, 'dismissed')}
                  >
                    Dismiss
                  </button>
                </div>
              ) : null}
            </li>
          ))}
        </ol>
        {queue.cursor ? (
          <button
            type="button"
            className="secondary"
            disabled={queue.loading}
            onClick={() => void loadQueue(chat, status, true)}
          >
            {queue.loading ? 'Loading…' : 'More reports'}
          </button>
        ) : null}
      </div>
    </main>
  );
}
