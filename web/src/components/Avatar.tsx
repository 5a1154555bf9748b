import type { PresenceStatus } from '@parley/protocol';
import { hueFor } from '../lib/format';

export function Avatar({
  id,
  name,
  status,
  size = 36,
}: {
  id: string;
  name: string;
  /** Shown as a dot: green online, a ring away, grey offline; no dot when undefined. */
  status?: PresenceStatus;
  size?: number;
}) {
  const initial = [...name.replace(/^guest-/, '')][0]?.toUpperCase() ?? '?';
  return (
    <span
      className="avatar"
      aria-hidden="true"
      style={{
        width: size,
        height: size,
        fontSize: size * 0.45,
        backgroundColor: `hsl(${hueFor(id)} 55% 45%)`,
      }}
    >
      {initial}
      {status !== undefined ? <span className={`presence ${status}`} /> : null}
    </span>
  );
}
