import type { PresenceStatus } from '@parley/protocol';
import { serverUrl } from '../config';
import { hueFor } from '../lib/format';

export function Avatar({
  id,
  name,
  src,
  status,
  size = 36,
}: {
  id: string;
  name: string;
  /** The person's avatar image (`UserSummary.avatar`); their initial on a colour when they have none. */
  src?: string;
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
      {src ? (
        <img className="avatar-image" src={`${serverUrl}${src}`} alt="" width={size} height={size} />
      ) : (
        initial
      )}
      {status !== undefined ? <span className={`presence ${status}`} /> : null}
    </span>
  );
}
